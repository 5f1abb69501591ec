"""Compare the rules with replies a trainer has labelled.

    python manage.py calibrate labelled.jsonl [--min 0.95] [--json] [--rules DIR]

Each line: {"scenario", "text", "acceptable"} plus optional "language" (default zh), "id"
and "response_seconds". Reports the accuracy, the false accepts and false rejects with every
rule's outcome, and how much each rule weighed in the rejections; exits 1 below --min.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

import ruleengine
from scenarios.services import load_grading_pack


@dataclass(frozen=True)
class Labelled:
    """A parsed input line: where it was and what the trainer said."""

    line: int
    id: Any
    row: dict[str, Any]


def read_labelled(path: Path) -> tuple[list[Labelled], list[dict[str, Any]]]:
    """The labelled rows of a JSONL file and the lines that are not JSON objects."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: {exc}", returncode=2) from exc
    rows: list[Labelled] = []
    bad: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            bad.append({"line": number, "id": None, "message": f"not valid JSON: {exc.msg}"})
            continue
        if not isinstance(row, dict):
            bad.append({"line": number, "id": None, "message": "expected a JSON object"})
            continue
        rows.append(Labelled(number, row.get("id"), row))
    return rows, bad


def _outcome_line(outcome: ruleengine.RuleOutcome, language: str) -> str:
    words = "、".join(span.text for span in outcome.spans)
    found = f"  [{words}]" if words else ""
    return (
        f"{outcome.status:<4} {outcome.severity:<8} {outcome.rule_id}"
        f" — {outcome.title.get(language)}{found}"
    )


class Command(BaseCommand):
    help = "Grade labelled replies (JSONL) and report where the rules and the trainer disagree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE.jsonl")
        parser.add_argument(
            "--min", type=float, default=0.95, help="lowest accepted accuracy (default 0.95)"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--rules",
            type=Path,
            metavar="DIR",
            help="calibrate the rule files in DIR instead of the published pack",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        labelled, bad_lines = read_labelled(options["file"])
        try:
            pack, origin = load_grading_pack(rules_dir=options["rules"])
        except ruleengine.PackError as error:
            raise CommandError(str(error), returncode=1) from error
        report = ruleengine.calibrate([item.row for item in labelled], pack)
        errors = sorted(
            bad_lines
            + [
                {"line": labelled[e.index].line, "id": labelled[e.index].id, "message": e.message}
                for e in report.errors
            ],
            key=lambda error: error["line"],
        )
        minimum = options["min"]
        ok = report.graded > 0 and report.accuracy >= minimum
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    self.as_json(report, labelled, errors, minimum, ok),
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            self.print_report(report, labelled, errors, minimum, origin, options["file"])
        if not ok:
            raise CommandError(
                f"accuracy {report.accuracy:.1%} over {report.graded} replies is below the "
                f"minimum {minimum:.1%}",
                returncode=1,
            )

    def as_json(
        self,
        report: ruleengine.CalibrationReport,
        labelled: list[Labelled],
        errors: list[dict[str, Any]],
        minimum: float,
        ok: bool,
    ) -> dict[str, Any]:
        data = report.to_dict()
        for key in ("false_accepts", "false_rejects"):
            for item in data[key]:
                item["id"] = labelled[item["index"]].id
                item["line"] = labelled[item["index"]].line
        data.update(errors=errors, min=minimum, ok=ok)
        return data

    def print_report(
        self,
        report: ruleengine.CalibrationReport,
        labelled: list[Labelled],
        errors: list[dict[str, Any]],
        minimum: float,
        origin: str,
        path: Path,
    ) -> None:
        write = self.stdout.write
        write(f"Calibration of {path.name} with {origin}")
        write(
            f"accuracy      {report.accuracy:.1%}  ({report.agreed} of {report.graded} replies "
            f"agree; minimum {minimum:.1%})"
        )
        write(f"false accepts {len(report.false_accepts)}  (rules passed, trainer rejected)")
        write(f"false rejects {len(report.false_rejects)}  (rules failed, trainer accepted)")
        for title, items in (
            ("False accepts", report.false_accepts),
            ("False rejects", report.false_rejects),
        ):
            if items:
                write(f"\n{title}")
                for item in items:
                    self.print_disagreement(item, labelled[item.index])
        self.print_shares(report)
        if errors:
            write("\nRows not graded")
            for error in errors:
                name = f" ({error['id']})" if error["id"] is not None else ""
                write(f"  line {error['line']}{name}: {error['message']}")

    def print_disagreement(self, item: ruleengine.Disagreement, where: Labelled) -> None:
        name = where.id if where.id is not None else f"line {where.line}"
        self.stdout.write(f"  {name}  {item.scenario}/{item.language}  score {item.score}")
        self.stdout.write(f"    {item.text}")
        for outcome in item.outcomes:
            if outcome.status != "na":
                self.stdout.write("      " + _outcome_line(outcome, item.language))

    def print_shares(self, report: ruleengine.CalibrationReport) -> None:
        shares = [share for share in report.rule_shares if share.applicable]
        if not shares:
            return
        width = max(len(share.rule_id) for share in shares)
        self.stdout.write(f"\nEach rule's share of the {report.rejections} rejections")
        self.stdout.write(f"  {'rule':<{width}}  decided  share  failed  applicable  false rejects")
        for share in shares:
            self.stdout.write(
                f"  {share.rule_id:<{width}}  {share.decided:>7}  {share.share:>5.0%}"
                f"  {share.failed:>6}  {share.applicable:>10}  {share.false_rejects:>13}"
            )
