"""Opt-in typo tolerance."""

from __future__ import annotations

import pytest

from ruleengine.fuzzy import within_one_edit

from .helpers import outcome_of, status_of


@pytest.mark.parametrize(
    ("candidate", "phrase"),
    [
        ("不知到", "不知道"),
        ("邦您处理", "帮您处理"),
        ("帮您处", "帮您处理"),
        ("帮您处理理", "帮您处理"),
        ("감사함니다", "감사합니다"),
        ("죄송하니다", "죄송합니다"),
        ("죄송함니다", "죄송합니다"),
    ],
)
def test_one_typo_is_within_one_edit(candidate: str, phrase: str) -> None:
    assert within_one_edit(candidate, phrase)


@pytest.mark.parametrize(
    ("candidate", "phrase"),
    [
        ("你好", "您好"),
        ("我可以", "我不可以"),
        ("三个工作日", "两个工作日"),
        ("감사니다", "감사합니다"),  # a whole syllable is several keystrokes
        ("고맙습니다", "감사합니다"),
        ("邦您处里", "帮您处理"),
    ],
)
def test_protected_or_larger_changes_are_not_typos(candidate: str, phrase: str) -> None:
    assert not within_one_edit(candidate, phrase)


def test_a_fuzzy_rule_accepts_a_chinese_typo_and_highlights_it() -> None:
    outcome = outcome_of({"requires_any": ["马上帮您处理"]}, "好的，马上邦您处理。", fuzzy=True)

    assert outcome.status == "pass"
    assert [span.text for span in outcome.spans] == ["马上邦您处理"]


def test_a_fuzzy_rule_accepts_a_korean_jamo_typo() -> None:
    check = {"requires_any": ["감사합니다"]}

    assert status_of(check, "전화 주셔서 감사함니다", language="ko", fuzzy=True) == "pass"
    assert status_of(check, "전화 주셔서 감사함니다", language="ko") == "fail"


def test_short_phrases_are_never_fuzzy() -> None:
    assert status_of({"requires_any": ["不知道"]}, "不知到", fuzzy=True) == "fail"


def test_typos_are_off_by_default() -> None:
    assert status_of({"requires_any": ["马上帮您处理"]}, "马上邦您处理") == "fail"
