"""Validate rule packs: `python manage.py check_rules [PATH ...]` (default content/rules)."""

from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

import ruleengine
from scenarios.content import RULES_FOLDER, rule_files


def collect_rule_files(paths: list[Path]) -> dict[str, Path]:
    """Source key → file. Folders contribute every *.yaml under them, keyed by their path
    inside the folder (the same keys, hence the same version hash, as load_content)."""
    files: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            found = rule_files(path)
        elif path.is_file():
            found = {path.name: path}
        else:
            raise CommandError(f"{path}: no such file or folder", returncode=2)
        for key, file in found.items():
            files[key if key not in files else file.as_posix()] = file
    return files


class Command(BaseCommand):
    help = (
        "Validate rule packs (files or folders; default content/rules). Prints OK with counts, "
        "or every error with its file, line and rule id, and exits 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = options["paths"] or [Path(settings.CONTENT_DIR) / RULES_FOLDER]
        files = collect_rule_files(paths)
        if not files:
            raise CommandError("no rule files (*.yaml) found in " + ", ".join(map(str, paths)))
        sources, unreadable = self.read(files)
        try:
            pack = ruleengine.compile_pack(sources)
        except ruleengine.PackError as error:
            issues = list(unreadable) + [self.located(issue, files) for issue in error.errors]
        else:
            issues = list(unreadable)
        if issues:
            for issue in issues:
                self.stderr.write(str(issue))
            count = len(issues)
            raise CommandError(f"{count} error{'s' * (count != 1)} in the rule pack", returncode=1)
        self.report(pack, len(files))

    def read(self, files: dict[str, Path]) -> tuple[dict[str, str], list[ruleengine.PackIssue]]:
        sources: dict[str, str] = {}
        unreadable: list[ruleengine.PackIssue] = []
        for key, path in files.items():
            try:
                sources[key] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                unreadable.append(ruleengine.PackIssue(str(path), 0, "", str(exc)))
        return sources, unreadable

    def located(self, issue: ruleengine.PackIssue, files: dict[str, Path]) -> ruleengine.PackIssue:
        """The issue with the file's real path instead of its key."""
        path = files.get(issue.file)
        if path is None:
            return issue
        return ruleengine.PackIssue(str(path), issue.line, issue.rule_id, issue.message)

    def report(self, pack: ruleengine.CompiledPack, file_count: int) -> None:
        languages = Counter(rule.language for rule in pack.rules)
        per_language = ", ".join(f"{lang} {languages[lang]}" for lang in sorted(languages))
        self.stdout.write(
            f"OK: {file_count} files, {len(pack.rules)} rules ({per_language}), "
            f"{len(pack.scenarios)} scenarios, {pack.phrase_count} phrases; "
            f"version {pack.version}"
        )
        uncovered = sorted(ruleengine.SCENARIO_SLUGS - set(pack.scenarios))
        if uncovered:
            self.stdout.write("scenarios without rules: " + ", ".join(uncovered))
