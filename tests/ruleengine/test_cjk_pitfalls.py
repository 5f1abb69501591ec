"""The Chinese and Korean traps REFERENCE.md lists, each as a story."""

from __future__ import annotations

import unicodedata

from ruleengine import grade

from .helpers import outcome_of, pack_of, rule, span_texts, status_of

DONT_KNOW = {
    "forbids": {
        "phrases": ["不知道", "不清楚"],
        "not_preceded_by": ["不是", "并不是"],
        "not_followed_by": ["您的意思", "你的意思", "您说的是"],
    }
}


def test_bu_shi_bu_zhi_dao_is_not_a_refusal_when_guarded() -> None:
    assert status_of(DONT_KNOW, "我不是不知道，是需要先帮您核实一下") == "pass"


def test_asking_what_the_caller_means_is_not_a_refusal_when_guarded() -> None:
    assert status_of(DONT_KNOW, "我不知道您的意思是不是想退订？") == "pass"


def test_a_bare_bu_zhi_dao_is_still_caught() -> None:
    outcome = outcome_of(DONT_KNOW, "这个我不知道。")

    assert outcome.status == "fail"
    assert span_texts(outcome) == ["不知道"]


def test_nin_suibian_kankan_is_allowed_while_suibian_is_forbidden() -> None:
    check = {"forbids": {"phrases": ["随便"], "allow": ["您随便看看", "随便问问"]}}

    assert status_of(check, "您随便看看，有需要再叫我") == "pass"
    assert status_of(check, "随便吧，你自己看着办") == "fail"


def test_nin_hao_and_ni_hao_are_never_typos_of_each_other() -> None:
    check = {"requires_any": ["您好您好"]}  # long enough to be fuzzy

    assert status_of(check, "你好您好", fuzzy=True) == "fail"
    assert status_of(check, "您好你好", fuzzy=True) == "fail"
    assert status_of({"forbids": ["你好你好"]}, "您好您好", fuzzy=True) == "pass"


def test_traditional_shen_me_matches_simplified_shen_me() -> None:
    outcome = outcome_of({"requires_any": ["有什么可以帮您"]}, "請問有甚麼可以幫您？")

    assert outcome.status == "pass"
    assert span_texts(outcome) == ["有甚麼可以幫您"]


def test_decomposed_hangul_matches() -> None:
    text = unicodedata.normalize("NFD", "정말 죄송합니다.")

    outcome = outcome_of({"requires_any": ["죄송합니다"]}, text, language="ko")

    assert outcome.status == "pass"
    assert unicodedata.normalize("NFC", outcome.spans[0].text) == "죄송합니다"


def test_full_width_text_matches() -> None:
    outcome = outcome_of({"requires_any": ["vip客户", "24小时"]}, "ＶＩＰ客户请拨打２４小时热线")

    assert outcome.status == "pass"
    assert span_texts(outcome) == ["ＶＩＰ客户", "２４小时"]


def test_zero_width_spaces_do_not_hide_a_forbidden_word() -> None:
    outcome = outcome_of({"forbids": ["爱打不打"]}, "爱\u200b打\u200c不\ufeff打")

    assert outcome.status == "fail"
    assert outcome.spans[0].start == 0


def test_a_stray_space_in_korean_still_matches() -> None:
    outcome = outcome_of({"requires_any": ["죄송합니다"]}, "죄송 합니다, 고객님", language="ko")

    assert outcome.status == "pass"
    assert span_texts(outcome) == ["죄송 합니다"]


def test_no_way_but_an_alternative_is_not_a_bare_refusal() -> None:
    check = {"forbids": {"phrases": ["没办法"], "unless": ["不过我可以", "但是我可以"]}}

    assert status_of(check, "这个没办法直接办理，不过我可以帮您登记反映") == "pass"


def test_nin_hao_inside_nin_hao_xiang_is_still_a_substring_match() -> None:
    # Substring matching is the contract; a rule that must avoid 您好像 guards it.
    check = {"forbids": {"phrases": ["您好"], "not_followed_by": ["像"], "window": 0}}

    assert status_of(check, "您好像打错了") == "pass"
    assert status_of(check, "您好") == "fail"


def test_a_zh_reply_is_not_graded_by_ko_rules() -> None:
    pack = pack_of(rule({"requires_any": ["죄송합니다"]}), language="ko")

    verdict = grade("죄송합니다", pack, scenario="customer-cursing", language="zh")

    assert verdict.outcomes == ()
    assert verdict.score == 100
