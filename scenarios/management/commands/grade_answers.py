"""Grade replies in bulk: JSONL {"id", "text"} on stdin → one JSONL verdict per line on stdout.

    python manage.py grade_answers --scenario customer-cursing --lang zh < replies.jsonl

Every input line gives exactly one output line, in order. A line that is not a JSON object
with a string "text", or a reply too long to grade, gives {"id", "line", "error"} (and a
message on stderr) instead of a verdict; the run goes on.
"""

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

import ruleengine
from scenarios.services import load_grading_pack


def violation(outcome: ruleengine.RuleOutcome, language: str) -> dict[str, Any]:
    return {
        "rule": outcome.rule_id,
        "severity": outcome.severity,
        "message": outcome.message.get(language),
        "spans": [span.to_list() for span in outcome.spans],
    }


def input_lines(stream: Iterable[bytes]) -> Iterator[tuple[int, str | None]]:
    """(line number, text) per input line; text is None when the line is not UTF-8."""
    for number, raw in enumerate(stream, start=1):
        try:
            yield number, raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            yield number, None


class RowProblem(ValueError):
    def __init__(self, message: str, reply_id: Any = None) -> None:
        super().__init__(message)
        self.reply_id = reply_id


def parse_row(line: str | None) -> tuple[Any, str, float | None]:
    """(id, text, response_seconds) of one input line, or RowProblem."""
    if line is None:
        raise RowProblem("the line is not valid UTF-8")
    if not line.strip():
        raise RowProblem("empty line")
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RowProblem(f"not valid JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(row, dict):
        raise RowProblem('expected a JSON object like {"id": "r1", "text": "..."}')
    reply_id = row.get("id")
    text = row.get("text")
    if not isinstance(text, str):
        raise RowProblem('"text" is missing or not a string', reply_id)
    seconds = row.get("response_seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float)):
        raise RowProblem('"response_seconds" must be a number', reply_id)
    return reply_id, text, seconds


class Command(BaseCommand):
    help = (
        'Grade JSONL replies {"id", "text"} from stdin against one scenario; writes one JSONL '
        'verdict per line {"id", "passed", "score", "violations"} to stdout.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scenario", required=True, metavar="SLUG")
        parser.add_argument("--lang", default="zh", choices=ruleengine.LANGUAGES)
        parser.add_argument(
            "--rules",
            type=Path,
            metavar="DIR",
            help="grade with the rule files in DIR instead of the published pack",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pack, origin = load_grading_pack(rules_dir=options["rules"])
        except ruleengine.PackError as error:
            raise CommandError(str(error), returncode=1) from error
        scenario, language = options["scenario"], options["lang"]
        self.check_scenario(pack, scenario, language)
        self.stderr.write(f"grading {scenario} ({language}) with {origin}")
        stream = getattr(sys.stdin, "buffer", None) or _encoded(sys.stdin)
        for number, line in input_lines(stream):
            result = self.grade_line(pack, scenario, language, number, line)
            self.stdout.write(json.dumps(result, ensure_ascii=False))

    def check_scenario(self, pack: ruleengine.CompiledPack, scenario: str, language: str) -> None:
        valid = sorted(pack.known_scenarios or pack.scenarios)
        if scenario not in valid:
            raise CommandError(
                f"unknown scenario {scenario!r}; valid slugs: {', '.join(valid)}", returncode=2
            )
        if not pack.rules_for(scenario, language):
            self.stderr.write(f"warning: no {language} rules for {scenario}: every reply passes")

    def grade_line(
        self,
        pack: ruleengine.CompiledPack,
        scenario: str,
        language: str,
        number: int,
        line: str | None,
    ) -> dict[str, Any]:
        try:
            reply_id, text, seconds = parse_row(line)
        except RowProblem as problem:
            return self.row_error(number, problem.reply_id, problem)
        try:
            verdict = ruleengine.grade(
                text, pack, scenario=scenario, language=language, response_seconds=seconds
            )
        except ruleengine.ReplyTooLong as problem:
            return self.row_error(number, reply_id, problem)
        return {
            "id": reply_id,
            "passed": verdict.passed,
            "score": verdict.score,
            "violations": [violation(outcome, language) for outcome in verdict.failures],
        }

    def row_error(self, number: int, reply_id: Any, problem: Exception) -> dict[str, Any]:
        self.stderr.write(f"line {number}: {problem}")
        return {"id": reply_id, "line": number, "error": str(problem)}


def _encoded(stream: IO[str]) -> Iterator[bytes]:
    """Byte lines from a text stream (tests replace sys.stdin with a StringIO)."""
    for line in stream:
        yield line.encode("utf-8", "surrogatepass")
