"""Validation errors name the file, the line and the rule."""

from __future__ import annotations

import textwrap

import pytest

from ruleengine import PackError, PackIssue, compile_pack

RULE = """\
language: zh
rules:
  - id: demo.rule
    title: 测试
    scenarios: [customer-cursing]
    severity: major
    check:
      requires_any: [您好]
    feedback:
      fail: 请问候
"""


def errors_of(sources: dict[str, str]) -> tuple[PackIssue, ...]:
    with pytest.raises(PackError) as caught:
        compile_pack({name: textwrap.dedent(text) for name, text in sources.items()})
    return caught.value.errors


def only_error(sources: dict[str, str]) -> PackIssue:
    errors = errors_of(sources)
    assert len(errors) == 1, errors
    return errors[0]


def test_a_valid_rule_compiles() -> None:
    pack = compile_pack({"a.yaml": RULE})

    assert [rule.id for rule in pack.rules] == ["demo.rule"]


def test_unknown_concept() -> None:
    error = only_error({"a.yaml": RULE.replace("[您好]", '[您好, "@greting"]')})

    assert (error.file, error.line, error.rule_id) == ("a.yaml", 8, "demo.rule")
    assert "unknown concept @greting" in error.message


def test_concept_without_the_rules_language() -> None:
    text = RULE.replace("rules:", "concepts:\n  greeting: {ko: [안녕하세요]}\nrules:").replace(
        "[您好]", '["@greeting"]'
    )

    error = only_error({"a.yaml": text})

    assert "has no zh phrases" in error.message
    assert error.rule_id == "demo.rule"


def test_concept_cycle_names_the_cycle() -> None:
    concepts = """\
        language: zh
        concepts:
          empathy: [理解, "@sympathy"]
          sympathy: [体谅, "@empathy"]
    """
    rules = RULE.replace("[您好]", '["@empathy"]')

    errors = errors_of({"concepts.yaml": concepts, "rules.yaml": rules})

    cycle = [error for error in errors if "cycle" in error.message]
    assert cycle and cycle[0].file == "concepts.yaml"
    assert cycle[0].line in (3, 4)
    assert "@empathy" in cycle[0].message and "@sympathy" in cycle[0].message


def test_empty_phrase() -> None:
    error = only_error({"a.yaml": RULE.replace("[您好]", '[您好, "？！"]')})

    assert (error.line, error.rule_id) == (8, "demo.rule")
    assert "empty phrase" in error.message


def test_duplicate_rule_id_across_files() -> None:
    error = only_error({"a.yaml": RULE, "b.yaml": RULE})

    assert (error.file, error.line, error.rule_id) == ("b.yaml", 3, "demo.rule")
    assert "duplicate" in error.message and "a.yaml:3" in error.message


def test_unknown_check_key() -> None:
    error = only_error({"a.yaml": RULE.replace("requires_any:", "requires_some:")})

    assert (error.line, error.rule_id) == (8, "demo.rule")
    assert "unknown check 'requires_some'" in error.message


def test_two_check_keys() -> None:
    text = RULE.replace(
        "      requires_any: [您好]", "      requires_any: [您好]\n      forbids: [喂]"
    )

    error = only_error({"a.yaml": text})

    assert "exactly one key" in error.message


@pytest.mark.parametrize(
    ("check", "fragment"),
    [
        ("near: {a: [您好], b: [请问], within: -1}", "within must be a whole number"),
        ("position: {phrases: [您好], at_end: maybe}", "at_end must be true"),
        ("position: {phrases: [您好], within_chars: 3, at_end: true}", "exactly one of"),
        ("register: casual", "only register is polite"),
        ("length: {min: 10, max: 2}", "larger than max"),
        ("asks_question: sometimes", "true or false"),
        ("response_time: {max_seconds: 0}", "positive number"),
        ("forbids: {phrases: [喂], window: 2.5}", "window must be a whole number"),
        ("forbids: {phrases: [喂], unlesss: [但是]}", "unknown key 'unlesss'"),
        ("order: {first: [您好]}", "then is required"),
        ("requires_any: []", "phrase list is empty"),
        ("requires_any: [{a: b}]", "a phrase must be text"),
        ("all: []", "non-empty list of checks"),
        ("not: {frobnicate: true}", "unknown check 'frobnicate'"),
    ],
)
def test_bad_check_values(check: str, fragment: str) -> None:
    text = RULE.replace("    check:\n      requires_any: [您好]", f"    check:\n      {check}")

    error = only_error({"a.yaml": text})

    assert error.rule_id == "demo.rule"
    assert error.line in (7, 8)
    assert fragment in error.message


def test_unknown_severity() -> None:
    error = only_error({"a.yaml": RULE.replace("severity: major", "severity: high")})

    assert (error.line, error.rule_id) == (6, "demo.rule")
    assert "severity" in error.message


def test_rule_without_scenarios() -> None:
    error = only_error({"a.yaml": RULE.replace("    scenarios: [customer-cursing]\n", "")})

    assert error.rule_id == "demo.rule"
    assert "scenarios is required" in error.message


def test_unknown_scenario() -> None:
    error = only_error({"a.yaml": RULE.replace("customer-cursing", "customer-crying")})

    assert (error.line, error.rule_id) == (5, "demo.rule")
    assert "unknown scenario 'customer-crying'" in error.message


def test_any_scenario_can_be_allowed() -> None:
    pack = compile_pack({"a.yaml": RULE.replace("customer-cursing", "my-own")}, scenarios=None)

    assert pack.scenarios == ("my-own",)


def test_unknown_rule_key() -> None:
    error = only_error(
        {"a.yaml": RULE.replace("    title: 测试", "    title: 测试\n    weigth: 2")}
    )

    assert (error.line, error.rule_id) == (5, "demo.rule")
    assert "unknown rule key 'weigth'" in error.message


def test_bad_yaml_names_the_line() -> None:
    error = only_error({"a.yaml": RULE.replace("      fail: 请问候", "      fail: [请问候")})

    assert error.file == "a.yaml"
    assert error.line >= 10
    assert "not valid YAML" in error.message


def test_duplicate_yaml_keys_are_errors() -> None:
    error = only_error(
        {"a.yaml": RULE.replace("    title: 测试", "    title: 测试\n    title: 再测")}
    )

    assert error.line == 5
    assert "duplicate key 'title'" in error.message


def test_bad_weight_and_missing_feedback_are_all_reported() -> None:
    text = RULE.replace("severity: major", "severity: major\n    weight: -2").replace(
        "    feedback:\n      fail: 请问候\n", ""
    )

    messages = [error.message for error in errors_of({"a.yaml": text})]

    assert any("weight" in message for message in messages)
    assert any("feedback is required" in message for message in messages)


def test_bad_rule_id() -> None:
    error = only_error({"a.yaml": RULE.replace("id: demo.rule", "id: Demo Rule")})

    assert error.line == 3
    assert "rule id" in error.message


def test_file_level_pass_score_points_to_pass_scores() -> None:
    error = only_error({"a.yaml": RULE + "pass_score: 70\n"})

    assert "pass_scores" in error.message


def test_conflicting_pass_scores() -> None:
    extra = "pass_scores: {customer-cursing: %d}\n"

    error = only_error({"a.yaml": RULE + extra % 70, "b.yaml": extra % 80})

    assert error.file == "b.yaml"


def test_missing_language() -> None:
    error = only_error({"a.yaml": RULE.replace("language: zh\n", "")})

    assert "no language" in error.message


def test_failing_examples_are_errors() -> None:
    text = RULE + "    examples:\n      pass: [您好]\n      fail: [您好呀]\n"

    error = only_error({"a.yaml": text})

    assert (error.line, error.rule_id) == (13, "demo.rule")
    assert "should fail" in error.message


def test_yaml_booleans_and_numbers_are_read_as_phrases() -> None:
    pack = compile_pack(
        {"a.yaml": RULE.replace("language: zh", "language: en").replace("[您好]", "[no, 100]")}
    )

    assert pack.rules[0].id == "demo.rule"


def test_the_error_message_lists_every_problem() -> None:
    text = RULE.replace("severity: major", "severity: high").replace("[您好]", '["@nope"]')

    with pytest.raises(PackError) as caught:
        compile_pack({"a.yaml": text})

    message = str(caught.value)
    assert "2 errors" in message
    assert "a.yaml:6 [demo.rule]" in message and "a.yaml:8 [demo.rule]" in message
