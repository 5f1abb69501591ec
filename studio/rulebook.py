"""Working on rule files without the database: compiling a draft's files, comparing them with
the published ones, trying a reply, and writing forbid rules for phrases a document rules out.

Everything here takes and returns plain values; studio.services stores and audits.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

import ruleengine
from scenarios.feedback import Segment, highlight

# Same shape as the bundled files: "zh/customer-cursing.yaml", "concepts/ko.yaml".
RULE_FILE_NAME = re.compile(r"^[a-z0-9_][a-z0-9_-]*(?:/[a-z0-9_][a-z0-9_-]*)*\.yaml$")
LANGUAGE_FOLDERS = ("zh", "ko", "en")
RULES_KEY = re.compile(r"^rules:\s*(\[\s*\])?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class DraftCheck:
    """A set of rule files compiled together: the pack, or every problem found."""

    pack: ruleengine.CompiledPack | None
    issues: tuple[ruleengine.PackIssue, ...] = ()

    @property
    def ok(self) -> bool:
        return self.pack is not None

    def issues_in(self, filename: str) -> list[ruleengine.PackIssue]:
        return [issue for issue in self.issues if issue.file == filename]

    @property
    def issue_counts(self) -> dict[str, int]:
        return dict(Counter(issue.file for issue in self.issues))

    @property
    def rule_places(self) -> dict[str, tuple[str, int]]:
        """Rule id → (file, line), to link an outcome to where its rule is written."""
        if self.pack is None:
            return {}
        return {rule.id: (rule.file, rule.line) for rule in self.pack.rules}


def compile_sources(sources: Mapping[str, str]) -> DraftCheck:
    """Compile a set of rule files (the engine caches the result by content)."""
    try:
        return DraftCheck(ruleengine.compile_pack(dict(sources)))
    except ruleengine.PackError as error:
        return DraftCheck(None, error.errors)


def changed_files(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, str]:
    """File → "added", "removed" or "changed", in file order."""
    changes = {name: "added" for name in after if name not in before}
    changes |= {name: "removed" for name in before if name not in after}
    changes |= {
        name: "changed" for name, text in after.items() if name in before and before[name] != text
    }
    return dict(sorted(changes.items()))


def unified_diff(before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "published", "draft", lineterm="", n=2
    )
    return "\n".join(lines)


def new_file_text(name: str) -> str:
    """The text a new rule file starts with: its language from its folder (zh by default)."""
    folder = name.split("/", 1)[0]
    language = folder if folder in LANGUAGE_FOLDERS else "zh"
    return (
        f"# {name}: rules of one scenario and language (format: ruleengine/README.md).\n"
        f"language: {language}\nrules: []\n"
    )


def append_rules(text: str, rules_yaml: str) -> str:
    """A rule file with more rules (YAML list items) at the end of its ``rules:`` list.

    The new items go last in the file, so ``rules:`` must be the file's last key, as in every
    file the studio creates.
    """
    if RULES_KEY.search(text):
        text = RULES_KEY.sub("rules:", text, count=1)
    else:
        text = text.rstrip("\n") + "\nrules:\n"
    return text.rstrip("\n") + "\n" + rules_yaml


@dataclass(frozen=True)
class ForbiddenPhrase:
    """A phrase a policy document says must never be said, with where it says so."""

    rule_id: str
    phrase: str
    document: str
    section: str


def forbid_rules_yaml(
    phrases: Iterable[ForbiddenPhrase], *, scenario: str, severity: str
) -> tuple[str, int]:
    """Rules (YAML list items, indented under ``rules:``) that forbid each phrase; the title and
    feedback are a starting point the trainer rewrites. Returns the text and the rule count."""
    rules = [
        {
            "id": item.rule_id,
            "title": {
                "zh": f"不说“{item.phrase}”",
                "ko": f"“{item.phrase}” 금지",
                "en": f"Never say “{item.phrase}”",
            },
            "scenarios": [scenario],
            "severity": severity,
            "check": {"forbids": [item.phrase]},
            "feedback": {
                "fail": {
                    "zh": f"规范不允许说“{item.phrase}”，请换一种礼貌的说法。",
                    "ko": f"규정상 “{item.phrase}”라고 말하면 안 됩니다. 정중한 표현으로 바꾸세요.",
                    "en": f"The policy rules out “{item.phrase}”; say it politely instead.",
                }
            },
            "source": {"document": item.document or "?", "section": item.section},
        }
        for item in phrases
        if item.phrase.strip()
    ]
    if not rules:
        return "", 0
    text = yaml.safe_dump(rules, allow_unicode=True, sort_keys=False, width=100)
    return textwrap.indent(text, "  "), len(rules)


@dataclass(frozen=True)
class TriedReply:
    """A reply graded by a draft, ready for the editor's live panel."""

    text: str
    verdict: ruleengine.Verdict | None = None
    problem: str = ""
    segments: list[Segment] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)


def try_reply(
    *, pack: ruleengine.CompiledPack, scenario: str, language: str, text: str
) -> TriedReply:
    """Grade a reply the way the worker would, and keep what the live panel highlights."""
    if not text.strip():
        return TriedReply(text=text)
    try:
        verdict = ruleengine.grade(text, pack, scenario=scenario, language=language)
    except (ruleengine.ReplyTooLong, ruleengine.UnknownScenario, ValueError) as error:
        return TriedReply(text=text, problem=str(error))
    outcomes = [outcome.to_dict() for outcome in verdict.outcomes]
    return TriedReply(
        text=text, verdict=verdict, segments=highlight(text, outcomes), outcomes=outcomes
    )
