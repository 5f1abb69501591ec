"""Load the bundled certification tracks (content/tracks/*.yaml, format in certificates/README.md).

Every file is read and checked before the database is touched, so a bad file changes nothing.
Idempotent: an unchanged file leaves its row alone; a track no longer in content is
deactivated (its certificates stay valid), never deleted; tracks made in the admin are
left alone.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from core.content import ContentError
from courses.models import Course
from quizzes.models import Quiz

from .eligibility import (
    LessonsRequirement,
    QuizRequirement,
    RequirementError,
    parse_requirements,
)
from .models import Language, Track

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEXT_LANGUAGES = ("zh", "ko", "en")
# Days after the hire date by which an enrolled person should hold the certificate.
DEFAULT_DUE_DAYS = 30


@dataclass(frozen=True)
class TrackSpec:
    slug: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    language: str
    validity_months: int
    requirements: list[dict[str, Any]]
    position: int
    source_file: str
    due_days: int = DEFAULT_DUE_DAYS

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(
            [
                self.titles,
                self.descriptions,
                self.language,
                self.validity_months,
                self.requirements,
                self.position,
                *([self.due_days] if self.due_days != DEFAULT_DUE_DAYS else []),
            ],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _texts(data: dict[str, Any], key: str, where: str, *, required: bool) -> dict[str, str]:
    value = data.get(key) or {}
    if not isinstance(value, dict) or any(lang not in TEXT_LANGUAGES for lang in value):
        raise ContentError(f"{where}: '{key}' must map zh/ko/en to text")
    texts = {lang: str(text).strip() for lang, text in value.items() if str(text).strip()}
    if required and "zh" not in texts:
        raise ContentError(f"{where}: '{key}' needs at least the Chinese (zh) text")
    return texts


def read_track(path: Path, content_dir: Path, position: int) -> TrackSpec:
    where = str(path.relative_to(content_dir))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{where}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{where}: expected a mapping")
    slug = str(data.get("slug") or "")
    if not SLUG.match(slug):
        raise ContentError(f"{where}: 'slug' must be lower-case words joined by hyphens")
    language = data.get("language")
    if language not in Language.values:
        raise ContentError(f"{where}: 'language' must be zh or ko")
    months = data.get("validity_months")
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
        raise ContentError(f"{where}: 'validity_months' must be a whole number from 1 to 120")
    due_days = data.get("due_days", DEFAULT_DUE_DAYS)
    if not isinstance(due_days, int) or isinstance(due_days, bool) or not 1 <= due_days <= 365:
        raise ContentError(f"{where}: 'due_days' must be a whole number from 1 to 365")
    try:
        specs = parse_requirements(data.get("requirements"))
    except RequirementError as exc:
        raise ContentError(f"{where}: {exc}") from exc
    return TrackSpec(
        slug=slug,
        titles=_texts(data, "title", where, required=True),
        descriptions=_texts(data, "description", where, required=False),
        language=language,
        validity_months=months,
        requirements=[spec.to_dict() for spec in specs],
        position=position,
        source_file=where,
        due_days=due_days,
    )


def _check_references(specs: list[TrackSpec]) -> None:
    """Every course and quiz a track names must exist (load courses and quizzes first)."""
    courses = set(Course.objects.values_list("slug", flat=True))
    quizzes = set(Quiz.objects.values_list("slug", flat=True))
    for spec in specs:
        for requirement in parse_requirements(spec.requirements):
            if isinstance(requirement, LessonsRequirement) and requirement.course not in courses:
                raise ContentError(f"{spec.source_file}: no course {requirement.course!r}")
            if isinstance(requirement, QuizRequirement) and requirement.quiz not in quizzes:
                raise ContentError(f"{spec.source_file}: no quiz {requirement.quiz!r}")


def read_tracks(content_dir: Path) -> list[TrackSpec]:
    files = sorted((content_dir / "tracks").glob("*.yaml"))
    specs = [read_track(path, content_dir, position) for position, path in enumerate(files)]
    slugs = [spec.slug for spec in specs]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise ContentError(f"tracks: slug used by more than one file: {', '.join(duplicates)}")
    return specs


@transaction.atomic
def load_tracks(content_dir: Path) -> str:
    if not (content_dir / "tracks").is_dir():
        return "tracks: no tracks folder, nothing loaded"
    specs = read_tracks(content_dir)
    _check_references(specs)
    created = changed = 0
    for spec in specs:
        fields = {
            "titles": spec.titles,
            "descriptions": spec.descriptions,
            "language": spec.language,
            "validity_months": spec.validity_months,
            "due_days": spec.due_days,
            "requirements": spec.requirements,
            "position": spec.position,
            "source_file": spec.source_file,
            "content_hash": spec.content_hash,
            "is_active": True,
        }
        track = Track.objects.filter(slug=spec.slug).first()
        if track is None:
            Track.objects.create(slug=spec.slug, **fields)
            created += 1
        elif track.content_hash != spec.content_hash or not track.is_active:
            Track.objects.filter(pk=track.pk).update(**fields)
            changed += 1
    retired = (
        Track.objects.filter(is_active=True)
        .exclude(source_file="")
        .exclude(slug__in=[spec.slug for spec in specs])
        .update(is_active=False)
    )
    return f"tracks: {len(specs)} in content ({created} new, {changed} changed, {retired} retired)"
