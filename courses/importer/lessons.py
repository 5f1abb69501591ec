"""Cut the outline into lessons and drop what the document repeats.

Lessons are the headings of the highest level that occurs more than once; whatever sits
outside them goes to an introduction (before the first lesson) or to the lesson it
follows. Repeated material is found by character shingles, which work the same for
Chinese and Korean and tolerate the small edits between pasted copies.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .model import SECTION_SEPARATOR
from .outline import LABEL, PARAGRAPH, TOC_NODE, Node
from .text import comparable, visible_length

INTRO = "intro"
LESSON = "lesson"
CONTENTS = "contents"
SHINGLE_SIZE = 3
# A lesson mostly contained in another is a pasted copy; sections need to match closer.
LESSON_CONTAINMENT = 0.7
SECTION_CONTAINMENT = 0.9
MIN_SHINGLES = 12
MIN_INTRO_LENGTH = 8
CONTENTS_TITLES = {"zh": "目录", "ko": "목차"}


@dataclass
class Draft:
    kind: str
    title: str
    node: Node | None
    content: list[Node] = field(default_factory=list)

    @property
    def path(self) -> str:
        return section_path(self.node) if self.node is not None and self.kind == LESSON else ""

    def text(self) -> str:
        return "\n".join(subtree_text(node) for node in self.content)


def section_path(node: Node) -> str:
    chain = [node, *node.ancestors()]
    labels = [item.label for item in reversed(chain) if item.kind not in ("root", PARAGRAPH)]
    return SECTION_SEPARATOR.join(label for label in labels if label)


def subtree_text(node: Node) -> str:
    parts = [node.full_text or node.text, *node.toc_entries]
    parts.extend(subtree_text(child) for child in node.children)
    return "\n".join(part for part in parts if part)


def shingles(text: str) -> frozenset[str]:
    letters = comparable(text)
    if len(letters) <= SHINGLE_SIZE:
        return frozenset({letters}) if letters else frozenset()
    return frozenset(letters[i : i + SHINGLE_SIZE] for i in range(len(letters) - SHINGLE_SIZE + 1))


def containment(inner: frozenset[str], outer: frozenset[str]) -> float:
    if not inner:
        return 0.0
    return len(inner & outer) / len(inner)


# --- lessons


def assemble_lessons(root: Node, title: str, language: str) -> list[Draft]:
    depth = _lesson_depth(root)
    intro = Draft(INTRO, title, None)
    drafts: list[Draft] = []
    if depth is None:
        for child in root.children:
            if child.kind == TOC_NODE:
                drafts.append(_contents_draft(child, language))
            else:
                intro.content.append(child)
        return [intro, *drafts] if intro.content else drafts
    for kind, node in _units(root, 0, depth):
        if kind == LESSON:
            drafts.append(Draft(LESSON, _lesson_title(node), node, list(node.children)))
        elif kind == CONTENTS:
            drafts.append(_contents_draft(node, language))
        else:
            owner = next((draft for draft in reversed(drafts) if draft.kind == LESSON), None)
            (owner or intro).content.append(node)
    if visible_length(intro.text()) >= MIN_INTRO_LENGTH:
        drafts.insert(0, intro)
    return drafts


def _is_lesson_heading(node: Node) -> bool:
    return node.is_heading and node.kind not in (LABEL, TOC_NODE)


def _lesson_depth(root: Node) -> int | None:
    counts: Counter[int] = Counter()

    def visit(node: Node, depth: int) -> None:
        for child in node.children:
            if _is_lesson_heading(child):
                counts[depth] += 1
                visit(child, depth + 1)

    visit(root, 0)
    several = [depth for depth, count in counts.items() if count >= 2]
    return min(several) if several else None


def _units(node: Node, depth: int, lesson_depth: int) -> list[tuple[str, Node]]:
    units: list[tuple[str, Node]] = []
    for child in node.children:
        if child.kind == TOC_NODE:
            units.append((CONTENTS, child))
        elif _is_lesson_heading(child) and depth == lesson_depth:
            units.append((LESSON, child))
        elif _is_lesson_heading(child) and depth < lesson_depth:
            units.extend(_units(child, depth + 1, lesson_depth))
        else:
            units.append(("loose", child))
    return units


def _lesson_title(node: Node) -> str:
    title = node.text.strip().rstrip(":：").strip()
    if title:
        return title
    return node.marker.raw if node.marker else ""


def _contents_draft(node: Node, language: str) -> Draft:
    return Draft(CONTENTS, CONTENTS_TITLES.get(language, "目录"), node, [node])


def unique_titles(drafts: list[Draft]) -> None:
    seen: Counter[str] = Counter()
    for draft in drafts:
        seen[draft.title] += 1
        if seen[draft.title] > 1:
            draft.title = f"{draft.title} ({seen[draft.title]})"


# --- duplicates


def remove_duplicates(drafts: list[Draft]) -> tuple[list[Draft], int]:
    """Drop pasted copies: whole lessons first, then sections. Returns the count dropped."""
    kept, dropped = _dedupe_lessons(drafts)
    dropped += _dedupe_sections(kept)
    emptied = [draft for draft in kept if draft.kind == LESSON and not draft.text().strip()]
    dropped += len(emptied)
    return [draft for draft in kept if draft not in emptied], dropped


def _dedupe_lessons(drafts: list[Draft]) -> tuple[list[Draft], int]:
    """Lessons are compared with lessons, tables of contents with tables of contents."""
    kept: list[Draft] = []
    sets: list[frozenset[str]] = []
    dropped = 0
    for draft in drafts:
        if draft.kind == INTRO:
            kept.append(draft)
            sets.append(frozenset())
            continue
        own = shingles(draft.text())
        if _containing(draft, own, kept, sets) is not None:
            dropped += _heading_count(draft)
            continue
        covered = _contained_in(draft, own, kept, sets)
        if covered:
            # Earlier, shorter copies: the fuller one takes the first one's place.
            for index in covered:
                dropped += _heading_count(kept[index])
            first = covered[0]
            kept[first], sets[first] = draft, own
            for index in reversed(covered[1:]):
                del kept[index], sets[index]
            continue
        kept.append(draft)
        sets.append(own)
    return kept, dropped


def _containing(
    draft: Draft, own: frozenset[str], kept: list[Draft], sets: list[frozenset[str]]
) -> int | None:
    if len(own) < MIN_SHINGLES:
        return None
    for index, other in enumerate(sets):
        if kept[index].kind == draft.kind and containment(own, other) >= LESSON_CONTAINMENT:
            return index
    return None


def _contained_in(
    draft: Draft, own: frozenset[str], kept: list[Draft], sets: list[frozenset[str]]
) -> list[int]:
    return [
        index
        for index, other in enumerate(sets)
        if kept[index].kind == draft.kind
        and len(other) >= MIN_SHINGLES
        and containment(other, own) >= LESSON_CONTAINMENT
    ]


def _heading_count(draft: Draft) -> int:
    return 1 + sum(1 for node in draft.content for item in node.walk() if item.is_heading)


def _dedupe_sections(drafts: list[Draft]) -> int:
    seen: list[frozenset[str]] = []
    dropped = 0
    for draft in drafts:
        if draft.kind == CONTENTS:
            continue
        for node in list(draft.content):
            dropped += _dedupe_node(node, draft.content, seen)
    return dropped


def _dedupe_node(node: Node, siblings: list[Node], seen: list[frozenset[str]]) -> int:
    if not node.is_heading:
        return 0
    own = shingles(subtree_text(node))
    if len(own) >= MIN_SHINGLES and any(
        containment(own, other) >= SECTION_CONTAINMENT for other in seen
    ):
        siblings.remove(node)
        return sum(1 for item in node.walk() if item.is_heading)
    dropped = 0
    for child in list(node.children):
        dropped += _dedupe_node(child, node.children, seen)
    seen.append(own)
    return dropped
