"""Role-play scripts as pure data: validation at load time, branching and the call's score."""

import copy

import pytest

from scenarios import scripts
from scenarios.scripts import ScriptError, SessionResult, TurnResult
from tests.factories import SHORT_CALL

SLUGS = {"opening-greeting", "customer-cursing", "closing-call"}


def validated(script: dict[str, object] = SHORT_CALL) -> dict[str, object]:
    return scripts.validate_script(script, file_stem=str(script["slug"]), scenarios=SLUGS)


def broken(**node_changes: dict[str, object]) -> dict[str, object]:
    script = copy.deepcopy(SHORT_CALL)
    nodes = script["nodes"]
    assert isinstance(nodes, dict)
    for name, changes in node_changes.items():
        nodes[name] = {**nodes.get(name, {}), **changes}
    return script


def problems_of(script: dict[str, object], stem: str = "short-call-zh") -> list[str]:
    with pytest.raises(ScriptError) as error:
        scripts.validate_script(script, file_stem=stem, scenarios=SLUGS)
    return error.value.problems


def test_a_sound_script_comes_back_with_every_branch_spelled_out():
    script = validated()

    greet = script["nodes"]["greet"]
    assert greet["on_critical"] == greet["on_fail"] == "curse-angrier"
    assert script["nodes"]["curse"]["on_critical"] == "end-hung-up"
    assert script["nodes"]["silent"]["turn"]["hint"] == ""
    assert script["nodes"]["end-good"] == {"ending": "客户平静地挂断了电话。"}


def test_validation_names_every_broken_node_at_once():
    script = broken(
        greet={"turn": {"scenario": "small-talk", "seconds": 5}, "on_fial": "close"},
        close={"turn": {"scenario": "closing-call", "seconds": True}},
    )

    assert problems_of(script) == [
        "node 'greet': unknown key 'on_fial'",
        "node 'greet': unknown scenario 'small-talk'",
        "node 'greet': seconds 5 not within 10..180",
        "node 'close': seconds True must be a whole number",
    ]


def test_validation_catches_missing_targets_loops_and_orphans():
    assert problems_of(broken(close={"on_fail": "nowhere"})) == [
        "node 'close': on_fail -> 'nowhere' is not a node"
    ]
    assert problems_of(broken(close={"on_timeout": "greet"})) == [
        "a path never reaches an ending: greet -> curse -> close -> greet"
    ]
    assert problems_of(broken(orphan={"ending": "没人来过。"})) == [
        "node 'orphan' cannot be reached from start"
    ]


def test_validation_checks_the_top_level():
    script = {**SHORT_CALL, "language": "ja", "pass_mark": 0}

    assert problems_of(script, stem="other-name") == [
        "slug 'short-call-zh' differs from the file name 'other-name'",
        "language 'ja' is not one of ['zh', 'ko']",
        "pass_mark 0 must be a whole percent in 1..100",
    ]
    assert problems_of(["not", "a", "mapping"]) == ["the top level must be a mapping"]


@pytest.mark.parametrize(
    ("result", "target"),
    [
        (scripts.PASSED, "curse"),
        (scripts.FAILED, "curse-angrier"),
        (scripts.CRITICAL, "curse-angrier"),
        (scripts.TIMED_OUT, "silent"),
        (scripts.UNGRADED, "curse-angrier"),
    ],
)
def test_each_outcome_follows_its_branch(result, target):
    greet = validated()["nodes"]["greet"]

    assert scripts.next_node(greet, result) == target


def test_a_complete_call_is_the_path_of_passing_replies():
    script = validated()

    assert scripts.main_path_turns(script["nodes"], "greet") == 3


def test_a_late_reply_loses_points_only_when_no_rule_judged_its_time():
    assert scripts.turn_points(90, late=True, time_judged_by_rules=False) == 70
    assert scripts.turn_points(90, late=True, time_judged_by_rules=True) == 90
    assert scripts.turn_points(10, late=True, time_judged_by_rules=False) == 0
    assert scripts.turn_points(90, late=False, time_judged_by_rules=False) == 90


def test_the_call_scores_the_mean_of_its_turns_and_passes_at_the_mark():
    turns = [TurnResult(scripts.PASSED, 100), TurnResult(scripts.FAILED, 50)]

    assert scripts.session_result(turns, complete_call=2, pass_mark=70) == SessionResult(
        score=75, passed=True, critical=False, counted_turns=2, short_by=0
    )


def test_a_call_cut_short_counts_the_turns_it_never_reached_as_zero():
    turns = [TurnResult(scripts.PASSED, 100), TurnResult(scripts.TIMED_OUT, 0)]

    result = scripts.session_result(turns, complete_call=4, pass_mark=70)

    assert (result.score, result.passed, result.short_by) == (25, False, 2)


def test_a_critical_mistake_fails_the_call_whatever_the_score():
    turns = [TurnResult(scripts.PASSED, 100)] * 4 + [TurnResult(scripts.CRITICAL, 70)]

    result = scripts.session_result(turns, complete_call=5, pass_mark=70)

    assert (result.score, result.passed, result.critical) == (94, False, True)


def test_an_ungraded_reply_is_left_out_of_the_score():
    turns = [TurnResult(scripts.PASSED, 80), TurnResult(scripts.UNGRADED, 0)]

    result = scripts.session_result(turns, complete_call=2, pass_mark=70)

    assert (result.score, result.passed, result.counted_turns) == (80, True, 1)
