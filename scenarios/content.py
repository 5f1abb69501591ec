"""Load the scenario catalogue (content/scenarios.yaml), the rule packs (content/rules/) and
the role-play scripts (content/roleplays/)."""

import hashlib
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

import ruleengine
from core.content import ContentError

from .models import RolePlay, Scenario
from .scripts import ScriptError, main_path_turns, validate_script


@transaction.atomic
def load_scenarios(content_dir: Path) -> str:
    path = content_dir / "scenarios.yaml"
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: {exc}") from exc
    if not isinstance(entries, list):
        raise ContentError(f"{path}: expected a list of scenarios")
    changed = 0
    for position, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("slug"):
            raise ContentError(f"{path}: entry {position + 1} has no slug")
        values = {
            "titles": entry.get("title") or {},
            "customer_lines": entry.get("customer") or {},
            "sources": entry.get("sources") or [],
            "position": position,
        }
        scenario, created = Scenario.objects.get_or_create(slug=entry["slug"], defaults=values)
        if not created and any(getattr(scenario, k) != v for k, v in values.items()):
            Scenario.objects.filter(pk=scenario.pk).update(**values)
            changed += 1
        changed += created
    return f"scenarios: {len(entries)} in the catalogue, {changed} created or changed"


RULES_FOLDER = "rules"


def rule_files(folder: Path) -> dict[str, Path]:
    """Every ``*.yaml`` under ``folder`` (hidden files aside), keyed by its path inside the
    folder (``zh/customer-cursing.yaml``).

    The keys are part of the pack's content hash, so everything that compiles a rules folder
    names the files through this one function.
    """
    files: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.yaml")):
        key = path.relative_to(folder).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in key.split("/")):
            files[key] = path
    return files


def read_rule_sources(folder: Path) -> dict[str, str]:
    """File key (see ``rule_files``) → YAML text of a rules folder."""
    return {key: path.read_text(encoding="utf-8") for key, path in rule_files(folder).items()}


def load_rule_packs(content_dir: Path) -> str:
    """Publish content/rules as a new RulePack version when its files changed."""
    from .services import publish_rule_sources

    folder = content_dir / RULES_FOLDER
    try:
        sources = read_rule_sources(folder)
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{folder}: {exc}") from exc
    if not sources:
        raise ContentError(f"{folder}: no rule files (*.yaml)")
    try:
        pack, created = publish_rule_sources(sources=sources)
    except ruleengine.PackError as exc:
        raise ContentError(f"{folder}: {exc}") from exc
    state = "published as a new version" if created else "unchanged"
    return f"rule packs: {len(sources)} files, {pack.rule_count} rules, {pack.version} {state}"


ROLEPLAYS_FOLDER = "roleplays"


def _read_roleplay(path: Path, scenario_slugs: set[str]) -> tuple[dict[str, Any], str]:
    """(validated script, content hash) of one role-play file; ContentError when unplayable."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: {exc}") from exc
    try:
        script = validate_script(data, file_stem=path.stem, scenarios=scenario_slugs)
    except ScriptError as exc:
        raise ContentError(f"{path}: " + "; ".join(exc.problems)) from exc
    return script, hashlib.sha256(text.encode("utf-8")).hexdigest()


def roleplay_values(script: dict[str, Any], digest: str, position: int) -> dict[str, Any]:
    """A validated script as RolePlay fields (the studio stores its edits the same way)."""
    return {
        "title": script["title"],
        "language": script["language"],
        "summary": script["summary"],
        "course_slug": script["course"],
        "pass_mark": script["pass_mark"],
        "script": script,
        "turns_in_complete_call": main_path_turns(script["nodes"], script["start"]),
        "content_hash": digest,
        "position": position,
        "is_active": True,
    }


@transaction.atomic
def load_roleplays(content_dir: Path) -> str:
    """Load content/roleplays/*.yaml; a script no longer there is retired (kept for history).

    Every file is validated first, so one broken file changes nothing at all. Role-plays
    written in the studio are never retired, and a bundled one a trainer has edited since
    its file was last loaded keeps the trainer's version.
    """
    folder = content_dir / ROLEPLAYS_FOLDER
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise ContentError(f"{folder}: no role-play files (*.yaml)")
    known = set(Scenario.objects.values_list("slug", flat=True))
    loaded = [(path, *_read_roleplay(path, known)) for path in paths]
    changed = kept = 0
    for position, (path, script, digest) in enumerate(loaded):
        values = {
            **roleplay_values(script, digest, position),
            "source_file": path.name,
            "file_hash": digest,
        }
        roleplay, created = RolePlay.objects.get_or_create(slug=script["slug"], defaults=values)
        if created:
            changed += 1
            continue
        if not roleplay.source_file or roleplay.content_hash != roleplay.file_hash:
            kept += 1  # written or edited in the studio: the trainer's version stays
            continue
        if roleplay.file_hash == digest:
            # The same file: whether learners may play it is the trainers' choice by now.
            values.pop("is_active")
        if any(getattr(roleplay, key) != value for key, value in values.items()):
            RolePlay.objects.filter(pk=roleplay.pk).update(**values)
            changed += 1
    slugs = [script["slug"] for _path, script, _digest in loaded]
    retired = (
        RolePlay.objects.active()
        .exclude(source_file="")
        .exclude(slug__in=slugs)
        .update(is_active=False)
    )
    summary = f"role-plays: {len(loaded)} scripts, {changed} created or changed"
    if kept:
        summary += f", {kept} kept as edited in the studio"
    return summary + (f", {retired} retired" if retired else "")
