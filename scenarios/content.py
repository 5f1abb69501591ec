"""Load the scenario catalogue (content/scenarios.yaml)."""

from pathlib import Path

import yaml
from django.db import transaction

from core.content import ContentError

from .models import Scenario


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


def load_rule_packs(content_dir: Path) -> str:
    return "rule packs: not loaded yet"
