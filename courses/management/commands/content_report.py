"""Report content coverage per scenario (courses, questions by type, role-plays, rules)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.content_report import build_content_report


class Command(BaseCommand):
    help = "Show how well the loaded content covers every catalogued scenario."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--content-dir", type=Path, default=settings.CONTENT_DIR)

    def handle(self, *args: object, **options: object) -> None:
        report = build_content_report(Path(str(options["content_dir"])))
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True))
            return
        for course in report["courses"]:
            self.stdout.write(
                f"course {course['slug']} ({course['language']}): "
                f"{course['modules']} modules, {course['lessons']} lessons"
            )
        self.stdout.write(f"{'scenario':<26}{'questions':>10}{'role-plays':>12}{'rules':>7}")
        for slug, row in report["scenarios"].items():
            gap = "" if row["questions"] and row["roleplays"] and row["rules"] else "  ← gap"
            self.stdout.write(
                f"{slug:<26}{row['questions']:>10}{row['roleplays']:>12}{row['rules']:>7}{gap}"
            )
        self.stdout.write(
            f"quizzes: {report['quizzes']}, role-plays: {report['roleplays']}, "
            f"tracks: {report['tracks']}"
        )
