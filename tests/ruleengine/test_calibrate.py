"""Calibration against labelled replies."""

from __future__ import annotations

from ruleengine import CompiledPack, calibrate

ROWS = [
    {"scenario": "opening-greeting", "text": "您好，请问有什么可以帮您？", "acceptable": True},
    {"scenario": "opening-greeting", "text": "喂，说吧", "acceptable": False},
    # The engine rejects this (no greeting in the first sentence); the trainer accepts it.
    {
        "scenario": "opening-greeting",
        "text": "这里是客服中心。您好，请问有什么需要",
        "acceptable": "yes",
    },
    # The engine accepts this; the trainer does not.
    {"scenario": "opening-greeting", "text": "您好。", "acceptable": False},
    {
        "scenario": "opening-greeting",
        "language": "ko",
        "acceptable": True,
        "text": "안녕하세요. 무엇을 도와드릴까요?",
    },
    {"scenario": "nope", "text": "您好", "acceptable": True},
    {"scenario": "opening-greeting", "text": "您好"},
]


def test_it_reports_accuracy_and_disagreements(greeting_pack: CompiledPack) -> None:
    report = calibrate(ROWS, greeting_pack)

    assert report.graded == 5
    assert report.agreed == 3
    assert report.accuracy == 0.6
    assert [d.index for d in report.false_rejects] == [2]
    assert [d.index for d in report.false_accepts] == [3]
    assert report.false_rejects[0].failures[0].rule_id == "greeting.greet"
    assert [error.index for error in report.errors] == [5, 6]


def test_it_reports_each_rules_share_of_the_decisions(greeting_pack: CompiledPack) -> None:
    report = calibrate(ROWS, greeting_pack)

    shares = {share.rule_id: share for share in report.rule_shares}
    assert report.rejections == 2
    assert shares["greeting.greet"].decided == 2
    assert shares["greeting.greet"].share == 1.0
    assert shares["greeting.greet"].false_rejects == 1
    assert shares["greeting.no-wei"].decided == 1
    assert shares["greeting.offer-help"].decided == 0
    assert report.rule_shares[0].rule_id == "greeting.greet"


def test_the_report_is_json_ready(greeting_pack: CompiledPack) -> None:
    data = calibrate(ROWS, greeting_pack).to_dict()

    assert data["accuracy"] == 0.6
    assert data["false_rejects"][0]["outcomes"][0]["rule_id"] == "greeting.greet"


def test_no_rows_is_a_perfect_empty_report(greeting_pack: CompiledPack) -> None:
    report = calibrate([], greeting_pack)

    assert report.graded == 0 and report.accuracy == 1.0 and report.rule_shares == ()
