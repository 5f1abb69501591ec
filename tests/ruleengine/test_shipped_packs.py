"""The rule packs shipped in content/rules: they compile, cover every scenario in both
content languages, cite their sources, and agree with labelled replies.

Pure Python like the rest of tests/ruleengine (``-p no:django`` works). The labelled
devset lives outside the repository (``../shared/devset`` next to the checkout); the
accuracy test on it skips with a reason only when that folder is absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ruleengine import SCENARIO_SLUGS, CalibrationReport, CompiledPack, calibrate, compile_pack
from ruleengine import grade as grade_reply

REPO = Path(__file__).resolve().parents[2]
RULES_DIR = REPO / "content" / "rules"
DATA_DIR = Path(__file__).resolve().parent / "data"
SHARED_DIR = REPO / ".." / "shared"
DEVSET = SHARED_DIR / "devset" / "grading.jsonl"
SCENARIOS_MD = SHARED_DIR / "SCENARIOS.md"

CONTENT_LANGUAGES = ("zh", "ko")
SEED_DOCUMENTS = frozenset({"000", "001", "002", "003", "004"})
DEVSET_TARGET = 0.95
EXTRA_TARGET = 0.90


@cache
def shipped_pack() -> CompiledPack:
    sources = {
        path.relative_to(RULES_DIR).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(RULES_DIR.rglob("*.yaml"))
    }
    return compile_pack(sources)


def read_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def grade(text: str, scenario: str, language: str = "zh") -> Any:
    return grade_reply(text, shipped_pack(), scenario=scenario, language=language)


def outcome(verdict: Any, rule_id: str) -> Any:
    return next(item for item in verdict.outcomes if item.rule_id == rule_id)


def describe(report: CalibrationReport) -> str:
    """The disagreements, one per line, so a failing run says what to look at."""
    lines = [f"accuracy {report.accuracy:.3f} ({report.agreed}/{report.graded})"]
    for item in (*report.false_accepts, *report.false_rejects):
        failed = ", ".join(o.rule_id for o in item.failures) or "-"
        lines.append(
            f"  {item.kind} [{item.scenario}/{item.language}] {item.text}  fails: {failed}"
        )
    return "\n".join(lines)


def all_rules() -> Iterator[Any]:
    yield from shipped_pack().rules


# --- the packs as files ---------------------------------------------------------------


def test_the_shipped_packs_compile() -> None:
    pack = shipped_pack()

    assert pack.rules


def test_every_catalogue_scenario_has_rules_in_chinese_and_korean() -> None:
    pack = shipped_pack()

    missing = [
        (slug, language)
        for slug in sorted(SCENARIO_SLUGS)
        for language in CONTENT_LANGUAGES
        if not pack.rules_for(slug, language)
    ]

    assert missing == []


def test_the_catalogue_matches_the_slugs_of_scenarios_md() -> None:
    if not SCENARIOS_MD.is_file():
        pytest.skip(f"{SCENARIOS_MD} is not there (the shared folder sits next to the checkout)")

    slugs = set(re.findall(r"^## ([a-z-]+)\s*$", SCENARIOS_MD.read_text(encoding="utf-8"), re.M))

    assert slugs == set(SCENARIO_SLUGS)


@pytest.mark.parametrize("rule", list(all_rules()), ids=lambda rule: rule.id)
def test_every_rule_cites_a_seed_document_and_has_feedback_in_three_languages(rule: Any) -> None:
    citation = rule.citation
    texts = [
        getattr(message, language)
        for message in (rule.feedback_pass, rule.feedback_fail, rule.title)
        for language in ("zh", "ko", "en")
    ]

    assert citation is not None and citation.document in SEED_DOCUMENTS and citation.section
    assert all(text and text.strip() for text in texts)


def test_every_scenario_has_a_deliberate_pass_score() -> None:
    pack = shipped_pack()

    assert set(pack.pass_scores) == set(SCENARIO_SLUGS)


# --- agreement with labelled replies ----------------------------------------------------


def test_the_devset_is_graded_like_the_trainers_graded_it() -> None:
    if not DEVSET.is_file():
        pytest.skip(f"{DEVSET} is not there (the shared folder sits next to the checkout)")

    report = calibrate(read_rows(DEVSET), shipped_pack())

    assert not report.errors
    assert report.accuracy >= DEVSET_TARGET, describe(report)


@pytest.mark.parametrize("language", CONTENT_LANGUAGES)
def test_our_own_labelled_replies_are_graded_as_labelled(language: str) -> None:
    rows = read_rows(DATA_DIR / f"grading_extra_{language}.jsonl")

    report = calibrate(rows, shipped_pack())

    assert not report.errors
    assert {row["language"] for row in rows} == {language}
    assert report.accuracy >= EXTRA_TARGET, describe(report)


def test_replies_written_before_the_lexicons_were_widened_are_graded_as_labelled() -> None:
    # grading_extra2.jsonl: tricky replies in both languages, every scenario, labelled by
    # the norms before the rules were tuned (accuracy then: 0.880).
    rows = read_rows(DATA_DIR / "grading_extra2.jsonl")

    report = calibrate(rows, shipped_pack())

    assert not report.errors
    assert {row["scenario"] for row in rows} == set(SCENARIO_SLUGS)
    assert report.accuracy >= EXTRA_TARGET, describe(report)


@pytest.mark.parametrize("language", CONTENT_LANGUAGES)
def test_our_labelled_sets_cover_every_scenario_with_good_and_bad_replies(language: str) -> None:
    rows = read_rows(DATA_DIR / f"grading_extra_{language}.jsonl")

    labels = {(row["scenario"], row["acceptable"]) for row in rows}

    assert labels == {(slug, ok) for slug in SCENARIO_SLUGS for ok in (True, False)}


# --- behaviour on replies the documents single out ----------------------------------------


STOCK_PHRASES = [
    ("opening-greeting", "zh", "您好，××客户服务中心，请问有什么可以帮您？"),
    (
        "customer-cursing",
        "zh",
        "非常抱歉给您带来不便，我非常理解您的心情，请您慢慢说，我一定尽力帮您解决。",
    ),
    ("customer-cursing", "ko", "죄송합니다. 심정을 잘 이해합니다. 천천히 말씀해 주시겠어요?"),
    (
        "asks-for-manager",
        "zh",
        "非常抱歉，这件事我暂时无法帮您处理，我马上为您联系值班主管，您看可以吗？",
    ),
    ("asks-for-manager", "ko", "이 일은 제가 도와드리기 어렵지만, 상급자를 연결해 드려도 될까요?"),
    ("long-wait-complaint", "zh", "对不起，让您久等了，请问有什么可以帮您？"),
    ("service-error-complaint", "zh", "非常抱歉，这是我们的失误，我马上为您处理。"),
    ("cannot-answer-now", "zh", "对不起，请您留下您的联系电话，我们查询后尽快与您联系，好吗？"),
    ("privacy-request", "zh", "对不起，为了保护客户的信息安全，我们不能提供其他客户的个人信息。"),
    ("privacy-request", "ko", "죄송합니다. 고객의 개인 정보를 누설할 수 없습니다."),
    ("silent-line", "zh", "您好，电话已接通，请讲。"),
    ("cannot-hear-clearly", "zh", "对不起，我没听清楚，请您再重复一遍好吗？"),
    ("colleague-absent", "zh", "他暂时不在办公室，有什么事我可以代劳吗？"),
    ("hold-request", "zh", "请您稍等，我帮您查询一下，大约需要两分钟，可以吗？"),
    (
        "beyond-authority",
        "zh",
        "非常抱歉，这超出了我的权限，我马上把您的问题反映给相关部门处理，好吗？",
    ),
    ("harassment-call", "zh", "谢谢您，但这不方便。请问还有其他业务需要帮助吗？"),
    ("customer-suggestion", "zh", "不用谢，这是我们应该做的。"),
    ("closing-call", "zh", "请问还有其他可以帮您的吗？感谢您的来电，再见！"),
]


@pytest.mark.parametrize(("scenario", "language", "text"), STOCK_PHRASES)
def test_the_stock_phrases_of_the_documents_pass(scenario: str, language: str, text: str) -> None:
    verdict = grade(text, scenario, language)

    assert verdict.passed, [o.rule_id for o in verdict.outcomes if o.status == "fail"]


def test_disclosing_a_neighbours_address_fails_privacy_as_critical() -> None:
    verdict = grade("好的，您邻居住在幸福路18号3单元，电话是13912345678。", "privacy-request")

    assert not verdict.passed
    assert outcome(verdict, "privacy.no-disclosure").status == "fail"
    assert outcome(verdict, "privacy.no-disclosure").severity == "critical"


def test_offering_to_look_up_someone_elses_number_is_also_critical() -> None:
    verdict = grade("잠시만요, 이웃분 전화번호 조회해 드릴게요.", "privacy-request", "ko")

    assert outcome(verdict, "ko.privacy.no-disclosure").status == "fail"
    assert not verdict.passed


def test_a_refusal_that_names_the_data_is_not_mistaken_for_disclosure() -> None:
    verdict = grade(
        "죄송합니다. 다른 분의 연락처는 개인정보라서 알려 드릴 수 없습니다.",
        "privacy-request",
        "ko",
    )

    assert outcome(verdict, "ko.privacy.no-disclosure").status == "pass"


def test_cursing_back_fails_whatever_else_the_reply_says() -> None:
    verdict = grade(
        "非常抱歉，我理解您的心情，但您这种素质真让人无语，请您慢慢说。", "customer-cursing"
    )

    assert not verdict.passed
    assert outcome(verdict, "cursing.no-retaliation").severity == "critical"


def test_browse_freely_is_not_read_as_a_careless_whatever() -> None:
    verdict = grade(
        "他暂时不在办公室，您先随便看看我们发给您的资料，有什么事我可以代劳吗？", "colleague-absent"
    )

    assert outcome(verdict, "absent.no-dismissive-answer").status == "pass"
    assert verdict.passed


def test_it_is_not_that_i_do_not_know_is_not_a_brush_off() -> None:
    text = "不是不知道，是需要跟技术部门确认一下。请您留下联系电话，我明天上午给您回电，好吗？"

    verdict = grade(text, "cannot-answer-now")

    assert outcome(verdict, "cannot-answer.no-brush-off").status == "pass"
    assert verdict.passed


def test_a_refusal_with_an_alternative_is_not_a_bare_refusal() -> None:
    text = "非常抱歉，按照规定没办法直接退款，不过我可以帮您申请换货，您看可以吗？"

    verdict = grade(text, "beyond-authority")

    assert outcome(verdict, "authority.no-bare-refusal").status == "pass"
    assert verdict.passed


def test_a_bare_refusal_fails() -> None:
    verdict = grade("没办法，规定就是这样。", "beyond-authority")

    assert outcome(verdict, "authority.no-bare-refusal").status == "fail"
    assert not verdict.passed


def test_ni_hao_breaks_the_polite_register() -> None:
    verdict = grade("你好，××电信客服，请问有什么可以帮你？", "opening-greeting")

    assert outcome(verdict, "polite.register").status == "fail"
    assert not verdict.passed


def test_explaining_before_apologising_for_the_wait_fails_the_order_rule() -> None:
    verdict = grade(
        "现在来电比较多，所以接通慢了，不好意思，请问有什么可以帮您？", "long-wait-complaint"
    )

    assert outcome(verdict, "wait.apologise-first").status == "fail"
    assert not verdict.passed


def test_traditional_characters_are_graded_like_simplified_ones() -> None:
    verdict = grade("對不起，我沒聽清楚，請您再重複一遍好嗎？", "cannot-hear-clearly")

    assert verdict.passed


def test_korean_spacing_variants_still_match() -> None:
    verdict = grade(
        "죄송 합니다. 고객님 마음 이해 합니다. 제가 바로 처리해 드릴게요.", "customer-cursing", "ko"
    )

    assert verdict.passed


def test_banmal_fails_the_korean_register() -> None:
    verdict = grade("잠깐 기다려. 확인해 줄게.", "hold-request", "ko")

    assert outcome(verdict, "ko.polite.register").status == "fail"
    assert not verdict.passed


def test_a_silent_line_prompt_alone_passes_but_giving_up_needs_every_step() -> None:
    prompt = grade("您好，电话已接通，请问您能听到我说话吗？", "silent-line")
    gives_up = grade("您好，请讲。对不起，听不到您的声音，我先挂了。", "silent-line")

    assert prompt.passed
    assert outcome(gives_up, "silent.ask-call-back").status == "fail"
    assert not gives_up.passed


def test_every_rule_fails_with_feedback_that_differs_from_its_pass_feedback() -> None:
    same = [rule.id for rule in all_rules() if rule.feedback_pass == rule.feedback_fail]

    assert same == []
