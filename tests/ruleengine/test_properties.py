"""Properties over arbitrary Unicode: no crash, honest spans, determinism."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruleengine import Verdict, grade, normalise

from .helpers import pack_of, rule

PHRASES = [
    "您好",
    "抱歉",
    "甚麼",
    "죄송합니다",
    "不知道",
    "随便",
    "sorry",
    "爱打不打",
    "马上帮您处理",
]

PACK = pack_of(
    rule({"requires_any": PHRASES[:4]}, rule_id="p.requires"),
    rule(
        {
            "forbids": {
                "phrases": PHRASES[4:8],
                "not_preceded_by": ["不是"],
                "allow": ["您随便看看"],
            }
        },
        rule_id="p.forbids",
        severity="critical",
    ),
    rule({"requires_any": PHRASES[8:]}, rule_id="p.fuzzy", fuzzy=True, severity="minor"),
    rule({"register": "polite"}, rule_id="p.register", severity="minor"),
    rule(
        {"any": [{"time_frame": True}, {"asks_question": True}]}, rule_id="p.any", severity="minor"
    ),
    rule({"order": {"first": ["抱歉"], "then": ["您好"]}}, rule_id="p.order", severity="minor"),
)
PHRASE_RULES = {"p.requires": PHRASES[:4], "p.forbids": PHRASES[4:8]}

anything = st.text(
    alphabet=st.characters(codec=None, categories=None, exclude_categories=()), max_size=300
)
pieces = st.sampled_from(
    [
        *PHRASES,
        "您随便看看",
        "不是",
        "，",
        "。",
        "？",
        " ",
        "\u200b",
        "\u0301",
        "\u1100\u1161",
        "ＡＢＣ",
        "😊",
        "\u202e",
        "\x00",
        "明天",
        "你",
        "할까",
        "맞아",
    ]
)
cjk_text = st.lists(st.one_of(pieces, st.text(max_size=3)), max_size=40).map("".join)
texts = st.one_of(anything, cjk_text)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def graded(text: str) -> Verdict:
    return grade(text, PACK, scenario="customer-cursing", language="zh")


@SETTINGS
@given(texts)
def test_grading_never_crashes_and_scores_stay_in_range(text: str) -> None:
    verdict = graded(text)

    assert 0 <= verdict.score <= 100
    assert len(verdict.outcomes) == 6
    assert {outcome.status for outcome in verdict.outcomes} <= {"pass", "fail", "na"}


@SETTINGS
@given(texts)
def test_spans_lie_inside_the_text_and_point_at_the_matched_words(text: str) -> None:
    verdict = graded(text)

    for outcome in verdict.outcomes:
        for span in outcome.spans:
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start : span.end] == span.text
        if outcome.rule_id in PHRASE_RULES:
            wanted = {normalise(phrase).text for phrase in PHRASE_RULES[outcome.rule_id]}
            for span in outcome.spans:
                found = normalise(span.text).text
                assert any(phrase in found for phrase in wanted), (span, found)


@SETTINGS
@given(texts)
def test_grading_is_deterministic_and_round_trips(text: str) -> None:
    first = graded(text)

    assert graded(text) == first
    assert Verdict.from_dict(first.to_dict()) == first


@SETTINGS
@given(texts)
def test_the_offset_map_is_monotonic_and_in_bounds(text: str) -> None:
    normalised = normalise(text)

    previous = (0, 0)
    for index in range(len(normalised.text)):
        start, end = normalised.to_original(index, index + 1)
        assert 0 <= start < end <= len(text)
        assert start >= previous[0]
        previous = (start, end)


@SETTINGS
@given(texts)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise(text).text

    assert normalise(once).text == once
