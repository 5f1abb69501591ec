"""Korean register: a connective ending before a comma is not the end of a sentence.

Clauses are cut at commas so that 반말 hiding mid-reply (알았어, 기다려) is caught, but
a polite sentence often pauses on a connective ending (잘 들리지 않는데, 다시 …). Only
the sentence-final ending decides the register.
"""

from __future__ import annotations

import pytest

from ruleengine import normalise
from ruleengine.language import impolite_spans

from .helpers import outcome_of, span_texts, status_of
from .test_shipped_packs import grade

POLITE = {"register": "polite"}


def banmal(text: str) -> list[str]:
    normalised = normalise(text)
    return [normalised.text[start:end] for start, end in impolite_spans(normalised, "ko")]


@pytest.mark.parametrize(
    "text",
    [
        "죄송합니다. 잘 들리지 않는데, 다시 한번 말씀해 주시겠어요?",
        "지금 자리에 안 계시는데, 메모 남겨 드릴까요?",
        "2분 정도 걸리는데, 잠시 기다려 주시겠어요?",
        "회의 중이신데, 끝나는 대로 전화드리라고 전해 드릴까요?",
        "죄송하지만, 그 부분은 확인이 필요합니다.",
        "확인해 보고, 오늘 중으로 연락드리겠습니다.",
        "번호를 남겨 주시면, 바로 연락드리겠습니다.",
        "확인해 보니, 요금이 두 번 청구되었습니다.",
        "조회가 끝나도록, 잠시만 기다려 주세요.",
        "어떤 상품인지, 먼저 확인해 드리겠습니다.",
        "잘 들리게, 조금만 크게 말씀해 주시겠어요?",
        "잘 안 들리는데… 다시 말씀해 주시겠어요?",
    ],
)
def test_a_connective_ending_before_a_pause_is_not_banmal(text: str) -> None:
    assert banmal(text) == []
    assert status_of(POLITE, text, language="ko") == "pass"


@pytest.mark.parametrize(
    ("text", "offending"),
    [
        ("알았어, 기다려", "알았어"),
        ("확인해 줄게, 기다려요", "해줄게"),
        ("지금 안 계시는데.", "시는데"),
        ("지금 안 계시는데", "시는데"),
        ("안 계시는데…", "시는데"),
        ("죄송합니다, 잠깐 기다려", "기다려"),
    ],
)
def test_a_sentence_ending_in_banmal_still_fails(text: str, offending: str) -> None:
    assert offending in banmal(text)


def test_only_the_sentence_final_banmal_is_highlighted() -> None:
    outcome = outcome_of(POLITE, "잘 안 들리는데, 다시 말해", language="ko")

    assert outcome.status == "fail"
    assert len(outcome.spans) == 1
    assert span_texts(outcome)[0].endswith("말해")


def test_the_shipped_register_rule_accepts_a_polite_reply_with_a_connective() -> None:
    verdict = grade(
        "가입 내역을 조회해야 해서 1분 정도 걸리는데, 잠시 기다려 주시겠어요?",
        "hold-request",
        "ko",
    )

    assert verdict.outcome("ko.polite.register").status == "pass"
    assert verdict.passed
