"""The rule packs against the quiz bank: an independent set of labelled replies.

Trainers wrote the question bank (content/quizzes/questions/<lang>/<slug>.yaml) for
learners, not for the grader: every option of a best-reply or acceptable-replies
question says whether it is an acceptable reply in the question's scenario, and every
offending agent line of a spot-violation transcript names the rule it breaks. Grading
those with the shipped packs checks the packs against labels their authors did not
write. Where an option exposed a gap, the lexicons were widened to the whole family of
wordings it belongs to (请问怎么联系您比较方便 → 怎么联系您 / 哪个号码 / 方便接听 …), never to
the single option.

Some options cannot be graded as a first reply to their scenario; they are excluded
below, each with its reason, and the test fails if an exclusion goes stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import yaml

from ruleengine import grade

from .test_shipped_packs import REPO, shipped_pack

QUESTIONS_DIR = REPO / "content" / "quizzes" / "questions"
REPLY_QUESTION_TYPES = ("best-reply", "acceptable-replies")

# Share of first-reply options the packs must judge as the bank labels them.
AGREEMENT_TARGET = 0.90
# Share of wrong options and offending lines (naming a rule of their scenario) on
# which that very rule fails: the packs must reject them for the right reason.
NAMED_RULE_TARGET = 0.90
# Exclusions (below) must stay the exception: about one option in seven today.
MAX_EXCLUDED_SHARE = 0.15

# Questions about a later moment of a call, which the scenario's first-reply rules do
# not describe (a reply there need not greet, ask for consent, prompt, ...).
LATER_MOMENTS = {
    "zh-hold-request-accept-1": "back on the line after the hold: thanks and the result, "
    "no request to hold",
    "zh-transfer-call-accept-1": "back on the line after a transfer nobody answered",
    "zh-silent-line-accept-1": "the caller was already prompted twice; the reply only "
    "gives up on the line",
    "ko-silent-best-1": "the caller was already prompted twice; the reply only gives up "
    "on the line",
    "zh-closing-call-accept-1": "the caller has already said goodbye, so asking for "
    "anything else is no longer due",
}

# Single options whose label depends on facts only the question's prompt gives.
CONTEXT_DEPENDENT = {
    ("zh-cannot-hear-clearly-best-2", "对不起，您说的我完全没听清，请您从头再说一遍。"): (
        "wrong only because the prompt says most of the words were heard; on its own it "
        "is the documents' stock request to repeat"
    ),
}

# An option that is (or contains) a stage direction — （直接挂断）, (아무 말 없이 전화를
# 끊는다) — is judged on what the agent does, which a typed reply cannot show.
STAGE_DIRECTION = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True)
class Item:
    key: str
    scenario: str
    language: str
    text: str
    acceptable: bool
    rule: str


@cache
def bank() -> tuple[tuple[str, str, dict[str, Any]], ...]:
    """(scenario, language, question) for every question of the bank."""
    questions = []
    for path in sorted(QUESTIONS_DIR.glob("*/*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for question in document["questions"]:
            questions.append((document["scenario"], document["language"], question))
    return tuple(questions)


def reply_options() -> list[Item]:
    """Every option of the reply questions, as labelled, before exclusions."""
    return [
        Item(
            question["key"],
            scenario,
            language,
            option["text"],
            option["correct"],
            option.get("rule") or "",
        )
        for scenario, language, question in bank()
        if question["type"] in REPLY_QUESTION_TYPES
        for option in question["options"]
    ]


def offending_lines() -> list[Item]:
    """Agent lines a spot-violation transcript marks as breaking a rule."""
    return [
        Item(question["key"], scenario, language, line["text"], False, line.get("rule") or "")
        for scenario, language, question in bank()
        if question["type"] == "spot-violation"
        for line in question["transcript"]
        if line.get("speaker") == "agent" and line.get("violation")
    ]


def excluded(item: Item) -> str:
    """Why an item is not graded ('' when it is)."""
    if item.key in LATER_MOMENTS:
        return LATER_MOMENTS[item.key]
    if (item.key, item.text) in CONTEXT_DEPENDENT:
        return CONTEXT_DEPENDENT[(item.key, item.text)]
    if STAGE_DIRECTION.search(item.text):
        return "a stage direction: judged on an action, not on words"
    return ""


def graded(items: list[Item]) -> list[Item]:
    return [item for item in items if not excluded(item)]


def verdict_of(item: Item) -> Any:
    return grade(item.text, shipped_pack(), scenario=item.scenario, language=item.language)


def show(item: Item, verdict: Any) -> str:
    failed = ", ".join(o.rule_id for o in verdict.outcomes if o.status == "fail") or "-"
    label = "acceptable" if item.acceptable else "wrong"
    return f"  {item.key} ({label}) {item.text}  fails: {failed}"


# --- the bank itself --------------------------------------------------------------------


def test_the_bank_has_reply_options_in_both_languages() -> None:
    options = graded(reply_options())

    assert {item.language for item in options} == {"zh", "ko"}
    assert len(options) >= 200


def test_every_exclusion_still_points_at_the_bank() -> None:
    keys = {question["key"] for _, _, question in bank()}
    texts = {(item.key, item.text) for item in reply_options()}

    assert set(LATER_MOMENTS) <= keys
    assert set(CONTEXT_DEPENDENT) <= texts


def test_exclusions_stay_few() -> None:
    options = reply_options()
    left_out = [f"  {item.key}: {item.text}" for item in options if excluded(item)]

    assert len(left_out) <= MAX_EXCLUDED_SHARE * len(options), "\n".join(left_out)


# --- agreement --------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh", "ko"])
def test_first_reply_options_are_graded_as_the_bank_labels_them(language: str) -> None:
    options = [item for item in graded(reply_options()) if item.language == language]

    disagreements = []
    for item in options:
        verdict = verdict_of(item)
        if verdict.passed != item.acceptable:
            disagreements.append(show(item, verdict))
    agreement = 1 - len(disagreements) / len(options)

    summary = f"agreement {agreement:.3f} ({len(options) - len(disagreements)}/{len(options)})"
    assert agreement >= AGREEMENT_TARGET, "\n".join([summary, *disagreements])


def test_wrong_replies_fail_on_the_rule_the_bank_names() -> None:
    pack = shipped_pack()
    named = [
        item
        for item in graded([*reply_options(), *offending_lines()])
        if not item.acceptable
        and item.rule in {rule.id for rule in pack.rules_for(item.scenario, item.language)}
    ]

    misses = []
    for item in named:
        verdict = verdict_of(item)
        if verdict.outcome(item.rule).status != "fail":
            misses.append(f"  [{item.rule}] {item.key}: {item.text}")
    share = 1 - len(misses) / len(named)

    summary = f"named rule failed on {share:.3f} ({len(named) - len(misses)}/{len(named)})"
    assert share >= NAMED_RULE_TARGET, "\n".join([summary, *misses])
