"""Import etiquette documents as unpublished draft modules for a trainer to review.

    python manage.py import_document PATH… [--course SLUG] [--language zh|ko|auto]
                                     [--dry-run] [--json]

Every document is read and parsed before anything is written, so one unreadable file
(empty, binary, undecodable) stops the whole run with a one-line error and exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from courses.importer import DocumentError, ImportedDocument, parse_document
from courses.models import Course
from courses.services import ImportResult, ImportTargetError, import_document

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Parse etiquette documents (.txt, .md, .html, .docx; Chinese or Korean) into draft "
        "modules: lessons, model phrases and candidate rules, all unpublished until a trainer "
        "reviews them. --json prints what the importer found (a list for several files)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--course",
            metavar="SLUG",
            help="course that receives the draft modules (default: the drafts course of the "
            "document's language, created when needed)",
        )
        parser.add_argument("--language", choices=["zh", "ko", "auto"], default="auto")
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report, write nothing"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the importer's JSON on stdout"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        parsed = [self._parse(path, options["language"]) for path in options["paths"]]
        course = self._target_course(options["course"])
        results = [] if options["dry_run"] else self._store(parsed, course)
        if options["json"]:
            payload = [document.to_json() for _, _, document in parsed]
            self.stdout.write(
                json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False)
            )
        # With --json, stdout carries only JSON: the summary goes to stderr, unstyled.
        report = self._report_to_stderr if options["json"] else self.stdout.write
        if options["dry_run"]:
            for path, _, document in parsed:
                report(self._describe(path, document))
        for result in results:
            report(self._summarise(result))

    def _report_to_stderr(self, line: str) -> None:
        self.stderr.write(line, style_func=lambda text: text)

    def _parse(self, path: Path, language: str) -> tuple[Path, bytes, ImportedDocument]:
        # The bytes are read here, not by read_path, because their hash is the provenance.
        try:
            data = path.read_bytes()
        except OSError as error:
            message = f"{path.name}: cannot read the file ({error.strerror})"
            raise CommandError(message, returncode=USAGE_ERROR) from None
        try:
            return path, data, parse_document(data, path.name, language=language)
        except DocumentError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None

    def _target_course(self, slug: str | None) -> Course | None:
        if slug is None:
            return None
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"no course with the slug {slug!r}", returncode=USAGE_ERROR)
        return course

    def _store(
        self, parsed: list[tuple[Path, bytes, ImportedDocument]], course: Course | None
    ) -> list[ImportResult]:
        try:
            with transaction.atomic():
                return [
                    import_document(document=document, data=data, filename=path.name, course=course)
                    for path, data, document in parsed
                ]
        except ImportTargetError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None

    def _describe(self, path: Path, document: ImportedDocument) -> str:
        phrases = sum(len(lesson.phrases) for lesson in document.lessons)
        return (
            f"{path.name}: “{document.title}” ({document.language}), "
            f"{len(document.lessons)} lessons, {phrases} model phrases, "
            f"{len(document.candidate_rules)} candidate rules; dropped "
            f"{document.dropped.boilerplate_lines} boilerplate lines and "
            f"{document.dropped.duplicate_sections} duplicate sections (dry run: nothing written)"
        )

    def _summarise(self, result: ImportResult) -> str:
        module = result.module
        where = f"course {module.course.slug!r}"
        if not result.created:
            return (
                f"{module.source_document}: already imported as draft module "
                f"{module.slug!r} in {where}, nothing changed"
            )
        return (
            f"{module.source_document}: draft module {module.slug!r} “{module.title}” in {where}: "
            f"{result.lessons} lessons, {result.phrases} model phrases, "
            f"{result.candidate_rules} candidate rules, all unpublished for review"
        )
