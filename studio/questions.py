"""The question editor's translations: form rows ↔ the content shape quizzes validates, and
the learner's view of a question for the preview.

A question is written in the shape of one entry of content/quizzes/questions/<lang>/<slug>.yaml,
so the editor and the content files are checked by the same rules (quizzes.content).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from typing import Any

from quizzes.grading import ACCEPTABLE_REPLIES, BEST_REPLY, ORDER_STEPS, SPOT_VIOLATION
from quizzes.models import Question
from quizzes.services import ShownItem, ShownQuestion, build_layout

# Which list a type's items live under in the content shape, and the item fields it keeps.
ITEM_LIST = {
    BEST_REPLY: "options",
    ACCEPTABLE_REPLIES: "options",
    ORDER_STEPS: "steps",
    SPOT_VIOLATION: "transcript",
}
ITEM_FIELDS = {
    BEST_REPLY: ("text", "correct", "explanation", "rule", "source"),
    ACCEPTABLE_REPLIES: ("text", "correct", "explanation", "rule", "source"),
    ORDER_STEPS: ("text", "explanation", "rule", "source"),
    SPOT_VIOLATION: ("speaker", "text", "violation", "explanation", "rule", "source"),
}
FLAGS = ("correct", "violation")


def raw_question(
    *, key: str, question_type: str, meta: Mapping[str, Any], items: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """The content-file shape of a question from the editor's cleaned form data.

    Rows without text are left out (the formset offers a few empty ones to fill in).
    """
    fields = ITEM_FIELDS[question_type]
    entries = []
    for item in items:
        if not str(item.get("text") or "").strip():
            continue
        entry = {name: _value(item.get(name), name) for name in fields}
        entries.append({name: value for name, value in entry.items() if value != ""})
    raw: dict[str, Any] = {
        "key": key,
        "type": question_type,
        "prompt": str(meta.get("prompt") or "").strip(),
        ITEM_LIST[question_type]: entries,
    }
    for name, target in (("lesson_ref", "lesson"), ("source", "source")):
        value = str(meta.get(name) or "").strip()
        if value:
            raw[target] = value
    return raw


def _value(value: Any, name: str) -> Any:
    if name in FLAGS:
        return bool(value)
    return str(value or "").strip()


def initial_items(question: Question) -> list[dict[str, Any]]:
    """The stored items as formset rows (the flags as booleans, blanks as empty text)."""
    fields = ITEM_FIELDS[question.type]
    return [
        {name: item.get(name, False if name in FLAGS else "") for name in fields}
        for item in question.items
    ]


def initial_meta(question: Question) -> dict[str, str]:
    return {"prompt": question.prompt, "lesson_ref": question.lesson_ref, "source": question.source}


def learner_view(
    *, question_type: str, prompt: str, items: list[Mapping[str, Any]]
) -> ShownQuestion:
    """The question as an attempt page shows it: opaque tokens, a shuffled order (steps never in
    the right order), and nothing of the key, the explanations or the sources."""
    stand_in = Question(type=question_type, prompt=prompt, payload={"items": list(items)})
    # Seeded by the content, so the preview does not reshuffle on every keystroke.
    seed = hashlib.sha256(repr((question_type, prompt, items)).encode()).hexdigest()
    layout = build_layout([stand_in], random.Random(seed))[0]  # noqa: S311 (a preview order)
    shown = [
        ShownItem(
            token=token,
            text=str(items[index].get("text", "")),
            speaker=str(items[index].get("speaker", "")),
        )
        for token, index in layout["items"]
    ]
    return ShownQuestion(
        position=1, type=question_type, prompt=prompt, items=shown, chosen=[], answered=False
    )
