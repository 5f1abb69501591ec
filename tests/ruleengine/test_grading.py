"""Scores, pass/fail, verdict values and the pack's public surface."""

from __future__ import annotations

import dataclasses
import json

import pytest

from ruleengine import (
    CompiledPack,
    ReplyTooLong,
    UnknownScenario,
    Verdict,
    compile_pack,
    grade,
)

from .helpers import GREETING_PACK, compile_yaml, pack_of, rule

GOOD = "您好，这里是客服中心，请问有什么可以帮您？"


def greet(text: str, pack: CompiledPack, language: str = "zh", **kwargs: object) -> Verdict:
    return grade(text, pack, scenario="opening-greeting", language=language, **kwargs)  # type: ignore[arg-type]


def test_a_good_reply_passes_with_full_marks(greeting_pack: CompiledPack) -> None:
    verdict = greet(GOOD, greeting_pack)

    assert verdict.passed
    assert verdict.score == 100
    assert [outcome.status for outcome in verdict.outcomes] == ["pass"] * 4


def test_a_failed_critical_rule_fails_whatever_the_score(greeting_pack: CompiledPack) -> None:
    verdict = greet("您好，说吧，请问有什么可以帮您？", greeting_pack)

    assert not verdict.passed
    assert verdict.score == 80  # weights 2 + 1 + 1 + 1; the critical rule (1) failed
    assert [outcome.rule_id for outcome in verdict.deciding_failures] == ["greeting.no-wei"]


def test_minor_failures_only_lower_the_score(greeting_pack: CompiledPack) -> None:
    verdict = greet("你好，这里是客服中心，请问有什么可以帮您？", greeting_pack)

    assert verdict.score == 80
    assert verdict.passed  # 80 ≥ the scenario's pass score of 70
    assert verdict.pass_score == 70


def test_a_low_score_fails_and_every_minor_failure_shares_the_blame() -> None:
    pack = pack_of(
        rule({"requires_any": ["抱歉"]}, rule_id="a.one", severity="minor"),
        rule({"requires_any": ["理解"]}, rule_id="a.two", severity="minor"),
        rule({"requires_any": ["您好"]}, rule_id="a.three", severity="minor"),
    )

    verdict = grade("您好", pack, scenario="customer-cursing", language="zh")

    assert verdict.score == 33
    assert not verdict.passed
    assert [o.rule_id for o in verdict.deciding_failures] == ["a.one", "a.two"]


def test_scores_round_half_up() -> None:
    pack = pack_of(
        rule({"requires_any": ["抱歉"]}, rule_id="a.one", severity="minor", weight=1),
        rule({"requires_any": ["您好"]}, rule_id="a.two", severity="minor", weight=1),
    )

    assert grade("您好", pack, scenario="customer-cursing", language="zh").score == 50


def test_not_applicable_rules_do_not_count() -> None:
    pack = pack_of(
        rule({"requires_any": ["转接"]}, rule_id="a.one", applies_if=["主管"]),
        rule({"requires_any": ["您好"]}, rule_id="a.two"),
    )

    verdict = grade("您好", pack, scenario="customer-cursing", language="zh")

    assert verdict.score == 100
    assert verdict.outcome("a.one").status == "na"
    assert verdict.outcome("a.one").message.en == "Does not apply to this reply."


def test_empty_text_is_graded_and_fails(greeting_pack: CompiledPack) -> None:
    for text in ("", "   ", "。。。", "😊"):
        verdict = greet(text, greeting_pack)

        assert not verdict.passed
        assert verdict.score == 0
        assert len(verdict.outcomes) == 4


def test_a_scenario_without_rules_scores_100(greeting_pack: CompiledPack) -> None:
    verdict = grade("好的", greeting_pack, scenario="closing-call", language="zh")

    assert verdict.score == 100 and verdict.passed and verdict.outcomes == ()


def test_too_long_replies_raise_a_clear_error(greeting_pack: CompiledPack) -> None:
    with pytest.raises(ReplyTooLong, match="2001 characters"):
        greet("好" * 2001, greeting_pack)

    assert greet("您好" * 50, greeting_pack, max_chars=100).score >= 0
    with pytest.raises(ReplyTooLong):
        greet("您好" * 51, greeting_pack, max_chars=100)


def test_unknown_scenario_and_language_raise(greeting_pack: CompiledPack) -> None:
    with pytest.raises(UnknownScenario):
        grade("您好", greeting_pack, scenario="nope", language="zh")
    with pytest.raises(ValueError, match="language"):
        greet("您好", greeting_pack, language="fr")


def test_korean_replies_are_graded_by_korean_rules(greeting_pack: CompiledPack) -> None:
    good = greet("안녕하세요, 고객센터입니다. 무엇을 도와드릴까요?", greeting_pack, language="ko")
    rude = greet("안녕하세요. 뭐 도와줄까?", greeting_pack, language="ko")

    assert good.passed and good.score == 100
    assert not rude.passed
    assert {o.rule_id for o in rude.failures} == {"greeting.ko-greet", "greeting.ko-polite"}


def test_verdicts_are_frozen_and_use_tuples(greeting_pack: CompiledPack) -> None:
    verdict = greet(GOOD, greeting_pack)

    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.score = 0  # type: ignore[misc]
    assert isinstance(verdict.outcomes, tuple)
    assert all(isinstance(outcome.spans, tuple) for outcome in verdict.outcomes)


def test_outcomes_carry_title_message_and_citation(greeting_pack: CompiledPack) -> None:
    outcome = greet("喂。您好", greeting_pack).outcome("greeting.greet")

    assert outcome.status == "fail"
    assert outcome.title.ko == "인사"
    assert outcome.message.zh == "开头要先问候。"
    assert outcome.message.get("en") == "Greet first."
    assert outcome.citation is not None and str(outcome.citation) == "000 §5 B–C"
    assert outcome.severity == "major" and outcome.weight == 2


def test_missing_feedback_languages_fall_back(greeting_pack: CompiledPack) -> None:
    outcome = greet("您好，请问有什么需要", greeting_pack).outcome("greeting.offer-help")

    assert outcome.message.en == "Offer help"  # the pass message defaults to the title
    assert outcome.title.ko == "主动询问需求"  # no ko title: the rule's own language


def test_to_dict_is_json_ready_and_round_trips(greeting_pack: CompiledPack) -> None:
    verdict = greet("喂，你好，说吧", greeting_pack)

    data = json.loads(json.dumps(verdict.to_dict(), ensure_ascii=False))

    assert Verdict.from_dict(data) == verdict
    assert data["outcomes"][2]["spans"][0] == [0, 1, "喂"]


def test_grading_is_deterministic(greeting_pack: CompiledPack) -> None:
    first = greet("喂，你好，说吧。请问有什么可以帮您", greeting_pack)

    again = [greet("喂，你好，说吧。请问有什么可以帮您", greeting_pack) for _ in range(3)]

    assert all(verdict == first for verdict in again)


def test_the_pack_exposes_version_scenarios_and_rules(greeting_pack: CompiledPack) -> None:
    assert len(greeting_pack.version) == 16
    assert greeting_pack.scenarios == ("opening-greeting",)
    assert [r.id for r in greeting_pack.rules_for("opening-greeting", "ko")] == [
        "greeting.ko-greet",
        "greeting.ko-polite",
    ]
    assert greeting_pack.rules_for("closing-call", "zh") == ()
    assert greeting_pack.pass_score("opening-greeting") == 70
    assert greeting_pack.pass_score("closing-call") == 60


def test_the_same_sources_compile_to_the_same_object() -> None:
    first = compile_yaml(GREETING_PACK)

    assert compile_yaml(GREETING_PACK) is first
    assert compile_yaml(GREETING_PACK, name="other.yaml").version != first.version


def test_the_version_depends_on_content_only() -> None:
    sources = {"b.yaml": "language: zh\n", "a.yaml": "language: ko\n"}

    first = compile_pack(sources)
    second = compile_pack(dict(reversed(list(sources.items()))))

    assert first.version == second.version
    assert compile_pack({"a.yaml": "language: en\n", "b.yaml": "language: zh\n"}).version != (
        first.version
    )


def test_highlights_are_resolved_on_first_read_and_stay_put(greeting_pack: CompiledPack) -> None:
    verdict = greet("喂，你好，说吧", greeting_pack)
    outcome = verdict.outcome("greeting.no-wei")

    first = outcome.spans

    assert [span.text for span in first] == ["喂", "说吧"]
    assert outcome.spans is first
    assert hash(outcome) == hash(greet("喂，你好，说吧", greeting_pack).outcome("greeting.no-wei"))
    assert "说吧" in repr(outcome)


def test_outcomes_read_like_their_judgement(greeting_pack: CompiledPack) -> None:
    outcome = greet("喂", greeting_pack).outcome("greeting.no-wei")

    assert outcome.rule_id == outcome.judgement.rule_id == "greeting.no-wei"
    assert outcome.failed and not outcome.passed
    assert outcome.title["en"] == "Never open with 喂"
    with pytest.raises(KeyError):
        outcome.title["fr"]


def test_the_pack_lists_the_phrases_a_rule_looks_for(greeting_pack: CompiledPack) -> None:
    assert greeting_pack.phrases_of("greeting.no-wei") == ("什么事", "喂", "说吧")
    assert "有什么可以帮您" in greeting_pack.phrases_of("greeting.offer-help")
