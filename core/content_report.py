"""Coverage of the bundled content per scenario: what `content_report --json` prints.

Trainers read it to see which situations still lack questions, role-plays or rules. The output
is sorted and has no timestamps, so identical content always gives identical output.
"""

from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from courses.models import Course, Lesson
from quizzes.models import Question, QuestionType, Quiz
from scenarios.models import Scenario
from scenarios.services import load_grading_pack

RULE_LANGUAGES = ("zh", "ko", "en")


def _roleplay_turns(content_dir: Path) -> tuple[int, Counter[str]]:
    """Role-play scripts and, per scenario, how many scripts have a turn for it."""
    scripts = sorted((content_dir / "roleplays").glob("*.yaml"))
    per_scenario: Counter[str] = Counter()
    for path in scripts:
        script = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        slugs = {
            node["turn"]["scenario"]
            for node in (script.get("nodes") or {}).values()
            if isinstance(node, dict) and isinstance(node.get("turn"), dict)
        }
        per_scenario.update(slugs)
    return len(scripts), per_scenario


def build_content_report(content_dir: Path) -> dict[str, Any]:
    courses = [
        {
            "slug": course.slug,
            "language": course.language,
            "modules": course.modules.filter(is_published=True).count(),
            "lessons": Lesson.objects.published().filter(module__course=course).count(),
        }
        # Bundled courses only: draft imports wait for a trainer and are not coverage yet.
        for course in Course.objects.published().order_by("slug")
    ]
    questions = Question.objects.filter(active=True).values_list("scenario__slug", "type")
    per_type: dict[str, Counter[str]] = {}
    for slug, kind in questions:
        per_type.setdefault(slug, Counter())[kind] += 1
    roleplay_count, roleplays = _roleplay_turns(content_dir)
    pack, _origin = load_grading_pack()
    scenarios = {}
    for slug in Scenario.objects.order_by("slug").values_list("slug", flat=True):
        types = per_type.get(slug, Counter())
        scenarios[slug] = {
            "questions": sum(types.values()),
            "question_types": {kind: types.get(kind, 0) for kind in sorted(QuestionType.values)},
            "roleplays": roleplays.get(slug, 0),
            "rules": sum(len(pack.rules_for(slug, lang)) for lang in RULE_LANGUAGES),
        }
    return {
        "courses": courses,
        "scenarios": scenarios,
        "quizzes": Quiz.objects.count(),
        "roleplays": roleplay_count,
        "tracks": len(list((content_dir / "tracks").glob("*.yaml"))),
    }
