"""The rule tools on the command line: check_rules, grade_answers, calibrate."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scenarios.content import load_rule_packs

from .conftest import CURSING_ZH, GOOD_REPLY, RUDE_REPLY, write_rulebook

DEVSET = Path(__file__).resolve().parents[3] / "shared" / "devset" / "grading.jsonl"


def run(command: str, *args: str, stdin: str = "", monkeypatch=None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def output_rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


# --- check_rules ----------------------------------------------------------------------------------


def test_check_rules_passes_the_shipped_packs_with_counts():
    out, _err = run("check_rules")

    assert out.startswith("OK: ")
    assert "rules" in out and "17 scenarios" in out


def test_check_rules_accepts_files_and_folders(rules_dir):
    out, _err = run("check_rules", str(rules_dir / "zh"), str(rules_dir / "ko" / "polite.yaml"))

    assert out.startswith("OK: 2 files, 4 rules (ko 1, zh 3)")


def test_check_rules_lists_every_error_with_file_line_and_rule_and_exits_1(tmp_path):
    broken = CURSING_ZH.replace("severity: major", "severity: grave").replace(
        "requires_any: [帮您, 为您]", 'requires_any: ["@nowhere"]'
    )
    write_rulebook(tmp_path, {"zh/cursing.yaml": broken})

    with pytest.raises(CommandError) as raised:
        run("check_rules", str(tmp_path))

    assert raised.value.returncode == 1
    assert "2 errors" in str(raised.value)


def test_check_rules_prints_each_error_on_stderr(tmp_path, capsys):
    broken = CURSING_ZH.replace("severity: major", "severity: grave")
    write_rulebook(tmp_path, {"zh/cursing.yaml": broken})
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("check_rules", str(tmp_path), stdout=io.StringIO(), stderr=err)

    line = err.getvalue().strip()
    assert line.startswith(f"{tmp_path / 'zh' / 'cursing.yaml'}:")
    assert "[test.apologise]" in line and "grave" in line


def test_check_rules_refuses_a_missing_path(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("check_rules", str(tmp_path / "nowhere"))

    assert raised.value.returncode == 2


# --- grade_answers --------------------------------------------------------------------------------


def test_grade_answers_writes_one_verdict_per_line_in_order(rules_dir, monkeypatch):
    stdin = "\n".join(
        json.dumps({"id": key, "text": text}, ensure_ascii=False)
        for key, text in [("r1", RUDE_REPLY), ("r2", GOOD_REPLY)]
    )

    out, _err = run(
        "grade_answers",
        "--scenario",
        "customer-cursing",
        "--rules",
        str(rules_dir),
        stdin=stdin,
        monkeypatch=monkeypatch,
    )

    rude, good = output_rows(out)
    assert (rude["id"], rude["passed"], good["id"], good["passed"]) == ("r1", False, "r2", True)
    assert good == {"id": "r2", "passed": True, "score": 100, "violations": []}
    retaliation = rude["violations"][0]
    assert retaliation == {
        "rule": "test.no-retaliation",
        "severity": "critical",
        "message": "回骂是严重违规。",
        "spans": [[0, 3, "你骂谁"], [5, 9, "爱打不打"]],
    }


def test_grade_answers_gives_feedback_in_the_reply_language(rules_dir, monkeypatch):
    stdin = json.dumps({"id": 7, "text": "괜찮아. 기다려."}, ensure_ascii=False)

    out, _err = run(
        "grade_answers",
        "--scenario",
        "customer-cursing",
        "--lang",
        "ko",
        "--rules",
        str(rules_dir),
        stdin=stdin,
        monkeypatch=monkeypatch,
    )

    [row] = output_rows(out)
    assert row["passed"] is False
    assert row["violations"][0]["message"] == "존댓말을 쓰세요."


def test_grade_answers_reports_malformed_lines_and_goes_on(rules_dir, monkeypatch):
    stdin = "\n".join(
        [
            "not json",
            json.dumps({"id": "no-text"}),
            "",
            "[1, 2]",
            json.dumps({"id": "long", "text": "您" * 2001}),
            json.dumps({"id": "fine", "text": GOOD_REPLY}, ensure_ascii=False),
        ]
    )

    out, err = run(
        "grade_answers",
        "--scenario",
        "customer-cursing",
        "--rules",
        str(rules_dir),
        stdin=stdin,
        monkeypatch=monkeypatch,
    )

    rows = output_rows(out)
    assert len(rows) == 6
    assert [row.get("line") for row in rows[:5]] == [1, 2, 3, 4, 5]
    assert all("error" in row for row in rows[:5])
    assert rows[1]["id"] == "no-text" and rows[4]["id"] == "long"
    assert "2001 characters" in rows[4]["error"]
    assert rows[5] == {"id": "fine", "passed": True, "score": 100, "violations": []}
    assert "line 1: not valid JSON" in err and "line 5:" in err


def test_grade_answers_survives_bytes_that_are_not_utf8(rules_dir, monkeypatch):
    class BinaryStdin(io.StringIO):
        buffer = io.BytesIO(b"\xff\xfe broken\n" + json.dumps({"id": "ok", "text": "x"}).encode())

    monkeypatch.setattr(sys, "stdin", BinaryStdin())
    out = io.StringIO()

    call_command(
        "grade_answers",
        "--scenario",
        "customer-cursing",
        "--rules",
        str(rules_dir),
        stdout=out,
        stderr=io.StringIO(),
    )

    broken, fine = output_rows(out.getvalue())
    assert "UTF-8" in broken["error"] and fine["id"] == "ok"


def test_grade_answers_refuses_an_unknown_scenario_with_exit_2_and_the_valid_slugs(rules_dir):
    with pytest.raises(CommandError) as raised:
        run("grade_answers", "--scenario", "no-such-thing", "--rules", str(rules_dir))

    assert raised.value.returncode == 2
    assert "customer-cursing" in str(raised.value) and "wrong-number" in str(raised.value)


@pytest.mark.django_db
def test_grade_answers_uses_the_published_pack_when_there_is_one(content_dir, monkeypatch):
    load_rule_packs(content_dir)

    out, err = run(
        "grade_answers",
        "--scenario",
        "customer-cursing",
        stdin=json.dumps({"id": 1, "text": RUDE_REPLY}, ensure_ascii=False),
        monkeypatch=monkeypatch,
    )

    assert "published rule pack" in err
    assert output_rows(out)[0]["violations"][0]["rule"] == "test.no-retaliation"


@pytest.mark.django_db
def test_grade_answers_compiles_the_shipped_rules_on_an_empty_database(monkeypatch):
    stdin = json.dumps({"id": "x", "text": "你骂谁呢？爱打不打。"}, ensure_ascii=False)

    out, err = run(
        "grade_answers", "--scenario", "customer-cursing", stdin=stdin, monkeypatch=monkeypatch
    )

    assert "rule files in" in err
    [row] = output_rows(out)
    assert row["passed"] is False
    assert any(v["severity"] == "critical" for v in row["violations"])


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(__import__("ruleengine").SCENARIO_SLUGS))
def test_grade_answers_accepts_every_catalogue_slug_with_the_shipped_rules(slug, monkeypatch):
    out, _err = run(
        "grade_answers",
        "--scenario",
        slug,
        stdin='{"id": 1, "text": "您好"}',
        monkeypatch=monkeypatch,
    )

    assert set(output_rows(out)[0]) == {"id", "passed", "score", "violations"}


# --- calibrate ------------------------------------------------------------------------------------

LABELLED = [
    {"id": "ok-1", "scenario": "customer-cursing", "text": GOOD_REPLY, "acceptable": True},
    {"id": "bad-1", "scenario": "customer-cursing", "text": RUDE_REPLY, "acceptable": False},
    {"id": "fa-1", "scenario": "customer-cursing", "text": "对不起。", "acceptable": False},
    {
        "id": "fr-1",
        "scenario": "customer-cursing",
        "text": "我理解您的心情，请慢慢说。",
        "acceptable": "yes",
    },
    {
        "id": "ko-1",
        "scenario": "customer-cursing",
        "language": "ko",
        "text": "죄송합니다. 천천히 말씀해 주세요.",
        "acceptable": True,
    },
]


def write_labelled(path: Path, rows: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_calibrate_reports_accuracy_and_each_disagreement_with_its_rules(tmp_path, rules_dir):
    labelled = write_labelled(tmp_path / "labelled.jsonl", LABELLED)

    with pytest.raises(CommandError) as raised:
        run("calibrate", str(labelled), "--rules", str(rules_dir))

    assert raised.value.returncode == 1
    assert "60.0%" in str(raised.value)


def test_calibrate_prints_a_report_a_trainer_can_act_on(tmp_path, rules_dir):
    labelled = write_labelled(tmp_path / "labelled.jsonl", LABELLED)
    out = io.StringIO()

    call_command("calibrate", str(labelled), "--rules", str(rules_dir), "--min", "0.6", stdout=out)

    report = out.getvalue()
    assert "accuracy      60.0%  (3 of 5 replies agree" in report
    assert "false accepts 1" in report and "false rejects 1" in report
    false_accept = report[report.index("False accepts") : report.index("False rejects")]
    assert (
        "fa-1" in false_accept and "pass major    test.apologise — 先致歉  [对不起]" in false_accept
    )
    false_reject = report[report.index("False rejects") :]
    assert "fr-1" in false_reject and "fail major    test.apologise" in false_reject
    shares = report[report.index("share of the 2 rejections") :]
    assert shares.splitlines()[2].split()[:3] == ["test.apologise", "2", "100%"]


def test_calibrate_json_lists_disagreements_by_id_and_rows_it_could_not_grade(tmp_path, rules_dir):
    labelled = write_labelled(
        tmp_path / "labelled.jsonl",
        [*LABELLED, {"id": "odd", "scenario": "nope", "text": "您好", "acceptable": True}],
        extra_lines=("broken line",),
    )
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("calibrate", str(labelled), "--rules", str(rules_dir), "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert (data["graded"], data["agreed"], data["accuracy"], data["ok"]) == (5, 3, 0.6, False)
    assert [item["id"] for item in data["false_accepts"]] == ["fa-1"]
    assert [item["id"] for item in data["false_rejects"]] == ["fr-1"]
    assert [(error["line"], error["id"]) for error in data["errors"]] == [(6, "odd"), (7, None)]
    assert data["rule_shares"][0]["rule_id"] == "test.apologise"


def test_calibrate_passes_when_the_rules_agree_with_the_trainer(tmp_path, rules_dir):
    agreeing = [row for row in LABELLED if row["id"] in ("ok-1", "bad-1", "ko-1")]
    labelled = write_labelled(tmp_path / "labelled.jsonl", agreeing)

    out, _err = run("calibrate", str(labelled), "--rules", str(rules_dir))

    assert "accuracy      100.0%" in out


def test_calibrate_refuses_a_file_with_nothing_to_grade(tmp_path, rules_dir):
    labelled = write_labelled(tmp_path / "labelled.jsonl", [], extra_lines=("{}",))

    with pytest.raises(CommandError) as raised:
        run("calibrate", str(labelled), "--rules", str(rules_dir))

    assert raised.value.returncode == 1


@pytest.mark.django_db
@pytest.mark.skipif(not DEVSET.exists(), reason="the shared devset is not next to the repository")
def test_calibrate_runs_on_the_devset_with_the_shipped_rules():
    out = io.StringIO()

    try:
        call_command("calibrate", str(DEVSET), "--json", stdout=out)
    except CommandError as error:  # below the minimum: the threshold belongs to the pack tests
        assert error.returncode == 1

    data = json.loads(out.getvalue())
    assert data["graded"] == sum(1 for line in DEVSET.read_text().splitlines() if line.strip())
    assert data["errors"] == []
