"""Load the bundled courses (content/courses/<slug>/, format in content/README.md).

Every file is read and checked before the database is touched, so a bad file changes
nothing. Loading is idempotent: a lesson whose text hash is unchanged is left alone; a
changed file bumps the lesson's version on the same row (progress survives), and lessons or
modules no longer listed in course.yaml are unpublished, never deleted. Modules imported
from documents into a bundled course are not the loader's business and stay as they are.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from core.content import ContentError
from scenarios.models import Scenario

from .models import Course, Language, Lesson, Module, Origin

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class LessonSpec:
    slug: str
    title: str
    minutes: int
    sources: list[str]
    scenarios: list[str]
    say: list[str]
    never_say: list[str]
    body: str
    content_hash: str
    source_path: str


@dataclass(frozen=True)
class ModuleSpec:
    slug: str
    title: str
    summary: str
    directory: str
    lessons: list[LessonSpec]


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    title: str
    language: str
    summary: str
    source_path: str
    modules: list[ModuleSpec]


@dataclass
class LoadCounts:
    courses: int = 0
    lessons: int = 0
    created: int = 0
    new_versions: int = 0
    unpublished: int = 0


def load_courses(content_dir: Path) -> str:
    root = content_dir / "courses"
    if not root.is_dir():
        return "courses: no courses folder, nothing loaded"
    specs = [read_course(folder, content_dir) for folder in _course_folders(root)]
    scenario_ids = dict(Scenario.objects.values_list("slug", "pk"))
    _check_scenarios_exist(specs, set(scenario_ids), content_dir)
    counts = LoadCounts()
    with transaction.atomic():
        for position, spec in enumerate(specs):
            _sync_course(spec, position, scenario_ids, counts)
        counts.unpublished += _unpublish_removed_courses({spec.slug for spec in specs})
    return (
        f"courses: {counts.courses} courses, {counts.lessons} lessons "
        f"({counts.created} new, {counts.new_versions} new versions, "
        f"{counts.unpublished} unpublished)"
    )


# --- reading and checking the files -------------------------------------------------------


def _course_folders(root: Path) -> list[Path]:
    return sorted(path for path in root.iterdir() if path.is_dir() and path.name[0] not in "._")


def read_course(folder: Path, content_dir: Path) -> CourseSpec:
    path = folder / "course.yaml"
    data = _read_yaml(path)
    slug = _required_text(data, "slug", path)
    if slug != folder.name:
        raise ContentError(f"{path}: slug {slug!r} does not match the folder name {folder.name!r}")
    language = _required_text(data, "language", path)
    if language not in Language.values:
        raise ContentError(f"{path}: language must be one of {', '.join(Language.values)}")
    modules_data = data.get("modules")
    if not isinstance(modules_data, list) or not modules_data:
        raise ContentError(f"{path}: 'modules' must be a non-empty list")
    modules = [
        _read_module(entry, index, folder, content_dir) for index, entry in enumerate(modules_data)
    ]
    _reject_duplicates([module.slug for module in modules], "module slug", path)
    return CourseSpec(
        slug=slug,
        title=_required_text(data, "title", path),
        language=language,
        summary=_optional_text(data, "summary", path),
        source_path=str(folder.relative_to(content_dir)),
        modules=modules,
    )


def _read_module(entry: Any, index: int, folder: Path, content_dir: Path) -> ModuleSpec:
    path = folder / "course.yaml"
    where = f"{path}: module {index + 1}"
    if not isinstance(entry, dict):
        raise ContentError(f"{where} must be a mapping")
    slug = _required_text(entry, "slug", path, where)
    if not SLUG.match(slug):
        raise ContentError(f"{where}: slug {slug!r} must be lowercase letters, digits and '-'")
    directory = _required_text(entry, "dir", path, where)
    module_dir = folder / directory
    if not module_dir.is_dir():
        raise ContentError(f"{where}: folder {module_dir} does not exist")
    lesson_names = entry.get("lessons")
    if not isinstance(lesson_names, list) or not lesson_names:
        raise ContentError(f"{where} ({slug}): 'lessons' must be a non-empty list of file names")
    _reject_duplicates([str(name) for name in lesson_names], "lesson", path)
    return ModuleSpec(
        slug=slug,
        title=_required_text(entry, "title", path, where),
        summary=_optional_text(entry, "summary", path, where),
        directory=directory,
        lessons=[read_lesson(module_dir / f"{name}.md", content_dir) for name in lesson_names],
    )


def read_lesson(path: Path, content_dir: Path) -> LessonSpec:
    if not SLUG.match(path.stem):
        raise ContentError(f"{path}: a lesson file name must be lowercase letters, digits and '-'")
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path}: listed in course.yaml but the file does not exist") from None
    except UnicodeDecodeError as exc:
        raise ContentError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        raise ContentError(f"{path}: missing the YAML front matter between '---' lines")
    meta = _parse_yaml(match.group(1), path)
    body = match.group(2).strip()
    if not body:
        raise ContentError(f"{path}: the lesson has no text after the front matter")
    minutes = meta.get("minutes", 0)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
        raise ContentError(f"{path}: 'minutes' must be a whole number of minutes")
    return LessonSpec(
        slug=path.stem,
        title=_required_text(meta, "title", path),
        minutes=minutes,
        sources=_text_list(meta, "sources", path),
        scenarios=_text_list(meta, "scenarios", path),
        say=_text_list(meta, "say", path),
        never_say=_text_list(meta, "never_say", path),
        body=body,
        # The hash covers the whole file, front matter included: any edit is a new version.
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source_path=str(path.relative_to(content_dir)),
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentError(f"{path}: missing (every course folder needs one)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: cannot be read ({exc})") from None
    return _parse_yaml(text, path)


def _parse_yaml(text: str, path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ContentError(f"{path}: invalid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a YAML mapping")
    return data


def _required_text(data: dict[str, Any], key: str, path: Path, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where or path}: '{key}' is required and must be text")
    return value.strip()


def _optional_text(data: dict[str, Any], key: str, path: Path, where: str = "") -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ContentError(f"{where or path}: '{key}' must be text")
    return value.strip()


def _text_list(data: dict[str, Any], key: str, path: Path) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ContentError(f"{path}: '{key}' must be a list of text items")
    return [item.strip() for item in value]


def _reject_duplicates(names: list[str], what: str, path: Path) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ContentError(f"{path}: {what} {name!r} is listed twice")
        seen.add(name)


def _check_scenarios_exist(specs: list[CourseSpec], known: set[str], content_dir: Path) -> None:
    for spec in specs:
        for module in spec.modules:
            for lesson in module.lessons:
                unknown = [slug for slug in lesson.scenarios if slug not in known]
                if unknown:
                    raise ContentError(
                        f"{content_dir / lesson.source_path}: unknown scenario "
                        f"{', '.join(unknown)} (not in scenarios.yaml)"
                    )


# --- writing only what changed ------------------------------------------------------------


def _update_changed(instance: Any, values: dict[str, Any]) -> bool:
    changed = {key: value for key, value in values.items() if getattr(instance, key) != value}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(instance, key, value)
    instance.save(update_fields=[*changed, "updated_at"])
    return True


def _sync_course(
    spec: CourseSpec, position: int, scenario_ids: dict[str, int], counts: LoadCounts
) -> None:
    values = {
        "title": spec.title,
        "language": spec.language,
        "summary": spec.summary,
        "is_published": True,
        "origin": Origin.BUNDLED,
        "source_path": spec.source_path,
        "position": position,
    }
    course, created = Course.objects.get_or_create(slug=spec.slug, defaults=values)
    if not created:
        if course.origin != Origin.BUNDLED:
            raise ContentError(
                f"{spec.source_path}/course.yaml: slug {spec.slug!r} is taken by a course "
                "made from imported documents"
            )
        _update_changed(course, values)
    counts.courses += 1
    for module_position, module_spec in enumerate(spec.modules):
        _sync_module(course, module_spec, module_position, scenario_ids, counts)
    counts.unpublished += _unpublish(
        Module.objects.filter(course=course, origin=Origin.BUNDLED, is_published=True).exclude(
            slug__in=[module.slug for module in spec.modules]
        )
    )


def _sync_module(
    course: Course,
    spec: ModuleSpec,
    position: int,
    scenario_ids: dict[str, int],
    counts: LoadCounts,
) -> None:
    values = {
        "title": spec.title,
        "summary": spec.summary,
        "position": position,
        "is_published": True,
        "origin": Origin.BUNDLED,
        "source_document": f"{course.source_path}/{spec.directory}",
    }
    module, created = Module.objects.get_or_create(course=course, slug=spec.slug, defaults=values)
    if not created:
        _update_changed(module, values)
    for lesson_position, lesson_spec in enumerate(spec.lessons):
        _sync_lesson(module, lesson_spec, lesson_position, scenario_ids, counts)
    counts.unpublished += _unpublish(
        module.lessons.filter(is_published=True).exclude(
            slug__in=[lesson.slug for lesson in spec.lessons]
        )
    )


def _sync_lesson(
    module: Module,
    spec: LessonSpec,
    position: int,
    scenario_ids: dict[str, int],
    counts: LoadCounts,
) -> None:
    content = {
        "title": spec.title,
        "body_markdown": spec.body,
        "minutes": spec.minutes,
        "sources": spec.sources,
        "say": spec.say,
        "never_say": spec.never_say,
        "content_hash": spec.content_hash,
        "source_path": spec.source_path,
    }
    placement = {"position": position, "is_published": True}
    lesson, created = Lesson.objects.get_or_create(
        module=module, slug=spec.slug, defaults={**content, **placement}
    )
    counts.lessons += 1
    if created:
        counts.created += 1
    elif lesson.content_hash != spec.content_hash:
        _update_changed(lesson, {**content, **placement, "version": lesson.version + 1})
        counts.new_versions += 1
    else:
        _update_changed(lesson, placement)
    wanted = {scenario_ids[slug] for slug in spec.scenarios}
    if created or set(lesson.scenarios.values_list("pk", flat=True)) != wanted:
        lesson.scenarios.set(wanted)


def _unpublish(queryset: Any) -> int:
    return int(queryset.update(is_published=False, updated_at=timezone.now()))


def _unpublish_removed_courses(present: set[str]) -> int:
    removed = Course.objects.filter(origin=Origin.BUNDLED, is_published=True).exclude(
        slug__in=present
    )
    return _unpublish(removed)
