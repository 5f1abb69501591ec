"""Load the bundled question bank and quizzes (content/quizzes/).

Idempotent: an unchanged question keeps its row. A changed question becomes a new version row
and the old one is deactivated, so attempts taken on it keep pointing at what the learner saw.
A question or quiz removed from content is deactivated or unpublished, never deleted.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from core.content import ContentError
from scenarios.models import Scenario

from .grading import (
    ACCEPTABLE_REPLIES,
    BEST_REPLY,
    ORDER_STEPS,
    QUESTION_TYPES,
)
from .models import Language, Question, Quiz, ReviewPolicy

LANGUAGES = {choice.value for choice in Language}
SPEAKERS = {"customer", "agent"}


@dataclass(frozen=True)
class BankQuestion:
    """A validated question as written in content, ready to be compared and stored."""

    key: str
    scenario: str
    language: str
    type: str
    prompt: str
    lesson_ref: str
    source: str
    items: list[dict[str, Any]]
    file: str
    position: int

    @property
    def content_hash(self) -> str:
        canonical = {
            "scenario": self.scenario,
            "language": self.language,
            "type": self.type,
            "prompt": self.prompt,
            "lesson": self.lesson_ref,
            "source": self.source,
            "items": self.items,
        }
        text = json.dumps(canonical, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read it as YAML: {exc}") from exc


def _text(value: Any, where: str, field: str, *, required: bool = True) -> str:
    if value is None or value == "":
        if required:
            raise ContentError(f"{where}: `{field}` is missing")
        return ""
    if not isinstance(value, str | int | float):
        raise ContentError(f"{where}: `{field}` must be text")
    return str(value).strip()


def _item_list(raw: Any, where: str, field: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise ContentError(f"{where}: `{field}` must list at least two entries")
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            raise ContentError(f"{where}: entry {number} of `{field}` is not a mapping")
    return raw


def _cited(entry: dict[str, Any], question_source: str, where: str) -> dict[str, str]:
    """Explanation, rule and source of one item; the source may come from the question."""
    source = _text(entry.get("source"), where, "source", required=False) or question_source
    if not source:
        raise ContentError(f"{where}: no `source` on the item nor on the question")
    return {
        "explanation": _text(entry.get("explanation"), where, "explanation"),
        "rule": _text(entry.get("rule"), where, "rule", required=False),
        "source": source,
    }


def _options(raw: dict[str, Any], kind: str, source: str, where: str) -> list[dict[str, Any]]:
    items = []
    for number, entry in enumerate(_item_list(raw.get("options"), where, "options"), start=1):
        at = f"{where}, option {number}"
        if not isinstance(entry.get("correct", False), bool):
            raise ContentError(f"{at}: `correct` must be true or false")
        items.append(
            {
                "text": _text(entry.get("text"), at, "text"),
                "correct": bool(entry.get("correct", False)),
                **_cited(entry, source, at),
            }
        )
    correct = sum(item["correct"] for item in items)
    if kind == BEST_REPLY and correct != 1:
        raise ContentError(f"{where}: a best-reply question needs exactly one correct option")
    if kind == ACCEPTABLE_REPLIES and correct == 0:
        raise ContentError(f"{where}: an acceptable-replies question needs a correct option")
    return items


def _steps(raw: dict[str, Any], source: str, where: str) -> list[dict[str, Any]]:
    if not source:
        raise ContentError(f"{where}: an order-steps question needs a `source`")
    items = []
    for number, entry in enumerate(_item_list(raw.get("steps"), where, "steps"), start=1):
        at = f"{where}, step {number}"
        items.append(
            {
                "text": _text(entry.get("text"), at, "text"),
                "explanation": _text(entry.get("explanation"), at, "explanation", required=False),
                "rule": _text(entry.get("rule"), at, "rule", required=False),
                "source": _text(entry.get("source"), at, "source", required=False) or source,
            }
        )
    return items


def _transcript(raw: dict[str, Any], source: str, where: str) -> list[dict[str, Any]]:
    items = []
    for number, entry in enumerate(_item_list(raw.get("transcript"), where, "transcript"), start=1):
        at = f"{where}, line {number}"
        speaker = entry.get("speaker")
        if speaker not in SPEAKERS:
            raise ContentError(f"{at}: `speaker` must be customer or agent")
        violation = entry.get("violation", False)
        if not isinstance(violation, bool) or (violation and speaker != "agent"):
            raise ContentError(f"{at}: only an agent line can be marked `violation: true`")
        line: dict[str, Any] = {
            "speaker": speaker,
            "text": _text(entry.get("text"), at, "text"),
            "violation": violation,
        }
        if violation:
            line |= _cited(entry, source, at)
        items.append(line)
    if not any(line["violation"] for line in items):
        raise ContentError(f"{where}: the transcript marks no line with `violation: true`")
    return items


def parse_question(
    raw: Any, *, scenario: str, language: str, path: Path, position: int
) -> BankQuestion:
    where = f"{path}, question {position + 1}"
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: a question must be a mapping")
    key = _text(raw.get("key"), where, "key")
    where = f"{where} ({key})"
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        raise ContentError(f"{where}: `type` must be one of {', '.join(QUESTION_TYPES)}")
    source = _text(raw.get("source"), where, "source", required=False)
    if kind in (BEST_REPLY, ACCEPTABLE_REPLIES):
        items = _options(raw, kind, source, where)
    elif kind == ORDER_STEPS:
        items = _steps(raw, source, where)
    else:
        items = _transcript(raw, source, where)
    return BankQuestion(
        key=key,
        scenario=scenario,
        language=language,
        type=kind,
        prompt=_text(raw.get("prompt"), where, "prompt"),
        lesson_ref=_text(raw.get("lesson"), where, "lesson", required=False),
        source=source,
        items=items,
        file=str(path),
        position=position,
    )


def read_bank_file(path: Path) -> list[BankQuestion]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping with scenario, language and questions")
    scenario, language = data.get("scenario"), data.get("language")
    if scenario != path.stem:
        raise ContentError(f"{path}: `scenario` is {scenario!r} but the file is {path.stem}.yaml")
    if language != path.parent.name or language not in LANGUAGES:
        raise ContentError(
            f"{path}: `language` is {language!r} but the file is in questions/{path.parent.name}/"
        )
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise ContentError(f"{path}: `questions` must be a non-empty list")
    return [
        parse_question(raw, scenario=scenario, language=language, path=path, position=index)
        for index, raw in enumerate(questions)
    ]


def read_bank(bank_dir: Path) -> list[BankQuestion]:
    questions: list[BankQuestion] = []
    seen: dict[str, str] = {}
    for path in sorted(bank_dir.glob("*/*.yaml")):
        for question in read_bank_file(path):
            if question.key in seen:
                raise ContentError(
                    f"{path}: question key {question.key!r} is already used in {seen[question.key]}"
                )
            seen[question.key] = str(path)
            questions.append(question)
    return questions


def store_question(question: BankQuestion, scenario: Scenario) -> str:
    """Create, re-activate or version one question; returns what happened (or "")."""
    latest = Question.objects.filter(key=question.key).order_by("-version").first()
    if latest is not None and latest.content_hash == question.content_hash:
        if latest.active and latest.position == question.position:
            return ""
        # Moving a question within its file is no new version: only its place changes.
        Question.objects.filter(pk=latest.pk).update(active=True, position=question.position)
        return "" if latest.active else "reactivated"
    Question.objects.filter(key=question.key, active=True).update(active=False)
    Question.objects.create(
        key=question.key,
        version=(latest.version + 1) if latest else 1,
        scenario=scenario,
        language=question.language,
        type=question.type,
        prompt=question.prompt,
        payload={"items": question.items},
        lesson_ref=question.lesson_ref,
        source=question.source,
        content_hash=question.content_hash,
        active=True,
        source_file=question.file,
        position=question.position,
    )
    return "versioned" if latest else "created"


def load_bank(bank_dir: Path) -> dict[str, int]:
    questions = read_bank(bank_dir) if bank_dir.is_dir() else []
    scenarios = {scenario.slug: scenario for scenario in Scenario.objects.all()}
    counts = {"created": 0, "versioned": 0, "reactivated": 0, "retired": 0}
    for question in questions:
        if question.scenario not in scenarios:
            raise ContentError(f"{question.file}: unknown scenario {question.scenario!r}")
        outcome = store_question(question, scenarios[question.scenario])
        if outcome:
            counts[outcome] += 1
    keys = {question.key for question in questions}
    # Retire only bundled questions that left the files; questions written in the studio are
    # not the content folder's to remove.
    counts["retired"] = (
        Question.objects.filter(active=True)
        .exclude(source_file="studio")
        .exclude(key__in=keys)
        .update(active=False)
    )
    counts["total"] = len(questions)
    return counts


def parse_quiz(path: Path, scenario_slugs: set[str], position: int) -> dict[str, Any]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping")
    where = str(path)
    language = data.get("language")
    pool = data.get("pool") or {}
    if language not in LANGUAGES or not isinstance(pool, dict):
        raise ContentError(f"{where}: `language` must be zh or ko and `pool` a mapping")
    pool_language = pool.get("language", language)
    if pool_language not in LANGUAGES:
        raise ContentError(f"{where}: `pool.language` must be zh or ko")
    wanted = pool.get("scenarios", "all")
    if wanted == "all":
        wanted = []
    if not isinstance(wanted, list) or any(slug not in scenario_slugs for slug in wanted):
        unknown = (
            [slug for slug in wanted if slug not in scenario_slugs]
            if isinstance(wanted, list)
            else wanted
        )
        raise ContentError(f"{where}: `pool.scenarios` names unknown scenarios: {unknown}")
    review = data.get("review", ReviewPolicy.AFTER_SUBMIT)
    if review not in ReviewPolicy.values:
        raise ContentError(f"{where}: `review` must be one of {', '.join(ReviewPolicy.values)}")
    return {
        "slug": _text(data.get("slug"), where, "slug"),
        "title": _text(data.get("title"), where, "title"),
        "language": language,
        "course_slug": _text(data.get("course"), where, "course", required=False),
        "pool_language": pool_language,
        "pool_scenarios": wanted,
        "draw": _whole_number(data.get("draw"), where, "draw", allow_none=True),
        "pass_mark": _whole_number(data.get("pass_mark", 80), where, "pass_mark", upper=100),
        "max_attempts": _whole_number(data.get("max_attempts", 0), where, "max_attempts"),
        "time_limit_seconds": _whole_number(
            data.get("time_limit_seconds"), where, "time_limit_seconds", allow_none=True
        )
        or None,
        "review": review,
        "source_file": where,
        "position": position,
    }


def _whole_number(
    value: Any, where: str, field: str, *, allow_none: bool = False, upper: int = 100_000
) -> Any:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= upper:
        raise ContentError(f"{where}: `{field}` must be a whole number from 0 to {upper}")
    return value


def load_quiz_definitions(quiz_dir: Path) -> dict[str, int]:
    scenarios = {scenario.slug: scenario for scenario in Scenario.objects.all()}
    counts = {"created": 0, "changed": 0, "unpublished": 0}
    slugs: dict[str, Path] = {}
    for position, path in enumerate(sorted(quiz_dir.glob("*.yaml"))):
        values = parse_quiz(path, set(scenarios), position)
        slug = values.pop("slug")
        if slug in slugs:
            raise ContentError(f"{path}: quiz slug {slug!r} is already used in {slugs[slug]}")
        slugs[slug] = path
        pool = values["pool_scenarios"]
        values["scenario"] = scenarios[pool[0]] if len(pool) == 1 else None
        values["published"] = True
        quiz = Quiz.objects.filter(slug=slug).first()
        if quiz is None:
            quiz = Quiz.objects.create(slug=slug, **values)
            counts["created"] += 1
        elif any(getattr(quiz, name) != value for name, value in values.items()):
            Quiz.objects.filter(pk=quiz.pk).update(**values)
            counts["changed"] += 1
        quiz.refresh_from_db()
        if not quiz.pool().exists():
            raise ContentError(f"{path}: the pool of {slug!r} holds no active question")
    counts["unpublished"] = (
        Quiz.objects.filter(published=True).exclude(slug__in=slugs).update(published=False)
    )
    counts["total"] = len(slugs)
    return counts


@transaction.atomic
def load_quizzes(content_dir: Path) -> str:
    quiz_dir = content_dir / "quizzes"
    bank = load_bank(quiz_dir / "questions")
    quizzes = load_quiz_definitions(quiz_dir) if quiz_dir.is_dir() else {"total": 0}
    return (
        f"quizzes: {bank['total']} questions ({bank['created']} new, {bank['versioned']} "
        f"new versions, {bank['reactivated']} reactivated, {bank['retired']} retired), "
        f"{quizzes['total']} quizzes ({quizzes.get('created', 0)} new, "
        f"{quizzes.get('changed', 0)} changed, {quizzes.get('unpublished', 0)} unpublished)"
    )
