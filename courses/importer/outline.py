"""Logical lines to a tree of headings, list items and paragraphs.

Numbering is read the way a reader reads it: an item continues the innermost list whose
last number it follows ("4、" after "2、 A、 B、" closes the letters), a first number ("1、",
"A、", "（一）") opens a list under the current item, and a short heading-like item whose
number follows an outer heading's ("3, 응답 규범" after "둘째, 응답 규범") is that heading's
sibling even when the translator changed the numbering scheme. Whether an item is a
heading or a list entry is decided afterwards, from the item and its siblings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .markers import BULLET_FAMILY, MARKDOWN_FAMILY, Marker, parse_marker
from .segment import ARTICLE, TEXT, TOC, Line
from .text import COLONS, SENTENCE_END, visible_length

ROOT = "root"
PARAGRAPH = "paragraph"
NUMBERED = "numbered"
BULLET = "bullet"
LABEL = "label"
PART = "part"
IMPLICIT = "implicit"
MARKDOWN = "markdown"
TOC_NODE = "toc"
ARTICLE_NODE = "article"

MAX_HEADING_LENGTH = 40
MAX_LABEL_LENGTH = 20
LOOKAHEAD_LINES = 150
# Lead-ins that introduce an example, never a heading: "如：“您好”", "예: …".
EXAMPLE_LEADS = frozenset(
    ["如", "例如", "比如", "例", "譬如", "注", "答", "问", "예", "예를", "들어", "예시"]
)
_TOP_FAMILIES = frozenset({"cn", "part", "chapter", "jie", "article", "ko-ordinal"})
_PARENTHETICAL_TAIL = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")


@dataclass
class Node:
    kind: str
    text: str = ""
    marker: Marker | None = None
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)
    # The line as written, and how a tentative heading was cut out of it.
    full_text: str = ""
    split: str = ""
    split_body: Node | None = field(default=None, repr=False)
    is_heading: bool = False
    toc_entries: list[str] = field(default_factory=list)
    numbering: str = ""

    def add(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child

    @property
    def label(self) -> str:
        """How a section path names this node: its number, else a short title."""
        if self.marker is not None and self.kind == NUMBERED:
            return self.marker.raw
        if self.numbering:
            return self.numbering
        title = self.text.strip()
        return title if len(title) <= 16 else title[:15] + "…"

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


@dataclass
class _Level:
    node: Node
    families: set[str]
    last: int
    barrier: bool = False
    markdown_level: int = 0


def heading_like(text: str) -> bool:
    """Short, not a sentence, not a quotation: could be a heading."""
    title = text.strip().rstrip(COLONS).strip()
    length = visible_length(title)
    if not title or length > MAX_HEADING_LENGTH:
        return False
    if any(quote in title for quote in '“”「」"'):
        return False
    if title[-1] in "。." and length <= 16:
        title = title[:-1]
    return not any(char in title for char in SENTENCE_END + "。")


def stem(text: str) -> str:
    """A heading without its qualifier and spaces: "응답 규범 (통화 종료)" → "응답규범"."""
    return re.sub(r"\s+", "", _PARENTHETICAL_TAIL.sub("", text))


class OutlineBuilder:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.markers = [
            parse_marker(line.text) if line.kind not in (TOC,) else None for line in lines
        ]
        self.root = Node(ROOT)
        self.stack: list[_Level] = []

    def build(self) -> Node:
        index = 0
        while index < len(self.lines):
            index = self._consume(index)
        classify(self.root)
        return self.root

    # --- one line

    def _consume(self, index: int) -> int:
        line = self.lines[index]
        if line.kind == TOC:
            self.stack.clear()
            self.root.add(Node(TOC_NODE, text="", toc_entries=list(line.toc_entries)))
            return index + 1
        if line.kind == ARTICLE:
            self.stack.clear()
            node = self.root.add(Node(ARTICLE_NODE, text=line.text, full_text=line.text))
            self.stack.append(_Level(node, set(), 0, barrier=True))
            return index + 1
        marker = self.markers[index]
        if marker is None:
            self._plain(index, line)
            return index + 1
        if marker.family == BULLET_FAMILY:
            self._parent().add(Node(BULLET, text=marker.text, marker=marker, full_text=line.text))
            return index + 1
        if marker.family == MARKDOWN_FAMILY:
            self._markdown(marker, line)
            return index + 1
        return self._numbered(index, marker, line)

    def _parent(self) -> Node:
        return self.stack[-1].node if self.stack else self.root

    def _plain(self, index: int, line: Line) -> None:
        text = line.text
        if self._is_label(text):
            # A label is a sibling of the labels before it and never sits inside a
            # sentence-long list item.
            while self.stack and (
                self.stack[-1].node.kind == LABEL
                or (
                    self.stack[-1].node.kind == NUMBERED
                    and not heading_like(self.stack[-1].node.full_text)
                )
            ):
                self.stack.pop()
            node = self._parent().add(Node(LABEL, text=text.rstrip(COLONS + " "), full_text=text))
            self.stack.append(_Level(node, set(), 0))
            return
        role = self._resemblance(index, text)
        if role == PART:
            self._pop_to_article()
            node = self._parent().add(Node(PART, text=text, full_text=text))
            self.stack.append(_Level(node, set(), 0, barrier=True))
            return
        if role == IMPLICIT:
            self._pop_to_barrier()
            node = self._parent().add(Node(IMPLICIT, text=text, full_text=text))
            self.stack.append(_Level(node, {IMPLICIT}, 1))
            return
        self._parent().add(Node(PARAGRAPH, text=text, full_text=text))

    def _is_label(self, text: str) -> bool:
        if not text or text[-1] not in COLONS:
            return False
        title = text.rstrip(COLONS + " ")
        return (
            2 <= visible_length(title) <= MAX_LABEL_LENGTH
            and title not in EXAMPLE_LEADS
            and not any(char in title for char in SENTENCE_END + COLONS + '“”"')
        )

    def _resemblance(self, index: int, text: str) -> str:
        """A plain line named like a later numbered heading is a heading too.

        "소통 기교" before "하나, 소통 기교 (전화 수중)" is the part they belong to;
        "응답 규범 (전화 연결)" before "둘째, 응답 규범 (통화 프로세스)" is its unnumbered first
        sibling.
        """
        if not heading_like(text) or visible_length(text) < 2:
            return ""
        own_stem = stem(text)
        has_qualifier = own_stem != re.sub(r"\s+", "", text)
        end = min(len(self.lines), index + LOOKAHEAD_LINES)
        for position in range(index + 1, end):
            marker = self.markers[position]
            if marker is None or marker.family in (BULLET_FAMILY, MARKDOWN_FAMILY):
                if self.lines[position].kind == ARTICLE:
                    return ""
                continue
            if not heading_like(marker.text) or stem(marker.text) != own_stem:
                continue
            if has_qualifier:
                return IMPLICIT if marker.value >= 2 else ""
            return PART
        return ""

    def _pop_to_article(self) -> None:
        while self.stack and self.stack[-1].node.kind != ARTICLE_NODE:
            self.stack.pop()

    def _pop_to_barrier(self) -> None:
        while self.stack and not self.stack[-1].barrier:
            self.stack.pop()

    def _markdown(self, marker: Marker, line: Line) -> None:
        while self.stack and not (
            self.stack[-1].markdown_level and self.stack[-1].markdown_level < marker.value
        ):
            self.stack.pop()
        node = self._parent().add(
            Node(MARKDOWN, text=marker.text, marker=marker, full_text=line.text)
        )
        numbered = parse_marker(marker.text)
        if numbered is not None and numbered.family not in (BULLET_FAMILY, MARKDOWN_FAMILY):
            # "## 一、接听电话": the number is provenance, the rest is the title.
            node.text, node.numbering = numbered.text, numbered.raw
        self.stack.append(_Level(node, set(), 0, barrier=True, markdown_level=marker.value))

    # --- numbered items

    def _numbered(self, index: int, marker: Marker, line: Line) -> int:
        node = Node(NUMBERED, text=marker.text, marker=marker, full_text=line.text)
        consumed = index + 1
        if line.split_from:
            node.full_text, node.split = line.split_from, "space"
        elif not marker.text and self._title_on_next_line(index + 1):
            node.text = self.lines[index + 1].text
            node.full_text = f"{marker.raw} {node.text}"
            node.split = "next-line"
            consumed += 1
        else:
            self._split_colon(node)
        depth, families = self._placement(index, marker, heading_like(node.text))
        del self.stack[depth:]
        self._parent().add(node)
        self.stack.append(_Level(node, families | {marker.family}, marker.value))
        if node.split_body is not None:
            node.add(node.split_body)
        return consumed

    def _title_on_next_line(self, index: int) -> bool:
        if index >= len(self.lines) or self.markers[index] is not None:
            return False
        line = self.lines[index]
        return line.kind == TEXT and visible_length(line.text) <= 30 and heading_like(line.text)

    def _split_colon(self, node: Node) -> None:
        """ "4、感谢语句：如：“谢谢您打电话来。”" → heading "感谢语句" over its body."""
        position = _first_bare_colon(node.text)
        if position < 0:
            return
        head, rest = node.text[:position].strip(), node.text[position + 1 :].strip()
        if (
            not rest
            or head.endswith(tuple(EXAMPLE_LEADS))
            or visible_length(head) > MAX_LABEL_LENGTH
        ):
            return
        if not heading_like(head) or any(char in head for char in '“”"'):
            return
        node.text, node.split = head, "colon"
        node.split_body = Node(PARAGRAPH, text=rest, full_text=rest)

    def _placement(
        self, index: int, marker: Marker, looks_like_heading: bool
    ) -> tuple[int, set[str]]:
        """Where the new item goes: a stack depth, and the schemes its level has used."""
        if marker.family in _TOP_FAMILIES:
            # "湖北电信10000号服务原则：" labels the lines under it, not the chapters after it.
            while self.stack and self.stack[-1].node.kind == LABEL:
                self.stack.pop()
        ceiling = self._ceiling(index, looks_like_heading)
        best_depth, best_score = -1, 0.0
        for depth in range(len(self.stack) - 1, -1, -1):
            level = self.stack[depth]
            if level.barrier:
                break
            if depth > ceiling:
                continue
            innermost = depth == len(self.stack) - 1
            score = self._sibling_score(level, marker, looks_like_heading and not innermost)
            if score > best_score:
                best_depth, best_score = depth, score
        if best_score >= 2:
            return best_depth, set(self.stack[best_depth].families)
        if marker.is_start:
            # A first number opens a list under the current item, unless the lookahead
            # says this item heads a list that is already open higher up.
            return min(ceiling, len(self.stack)), set()
        if best_depth >= 0:
            return best_depth, set(self.stack[best_depth].families)
        if looks_like_heading and ceiling < len(self.stack):
            return max(ceiling, self._barrier_depth()), set()
        return len(self.stack), set()

    def _sibling_score(self, level: _Level, marker: Marker, may_switch_scheme: bool) -> float:
        if marker.family in level.families:
            if marker.value == level.last + 1:
                return 3
            if level.last < marker.value <= level.last + 2 or marker.value == level.last:
                return 1  # a skipped or repeated number (truncated copies, typos)
            return 0
        level_is_heading = level.node.kind == IMPLICIT or heading_like(level.node.text)
        numbered = level.last >= 1
        if may_switch_scheme and numbered and level_is_heading and marker.value == level.last + 1:
            # Same position, another numbering scheme (translated documents). Only for a
            # level with a list open under it: right after "一、" a "2、" opens that list.
            return 2
        return 0

    def _ceiling(self, index: int, looks_like_heading: bool) -> int:
        """An item whose next item restarts a list already open at depth d sits at or above d."""
        if not looks_like_heading:
            return len(self.stack)
        following = self._next_numbered(index)
        if following is None or not following.is_start:
            return len(self.stack)
        for depth in range(self._barrier_depth(), len(self.stack)):
            if following.family in self.stack[depth].families:
                return depth
        return len(self.stack)

    def _barrier_depth(self) -> int:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].barrier:
                return depth + 1
        return 0

    def _next_numbered(self, index: int) -> Marker | None:
        for position in range(index + 1, min(len(self.lines), index + LOOKAHEAD_LINES)):
            marker = self.markers[position]
            if self.lines[position].kind in (ARTICLE, TOC):
                return None
            if marker is None or marker.family in (BULLET_FAMILY,):
                continue
            if marker.family == MARKDOWN_FAMILY:
                return None
            return marker
        return None


def _first_bare_colon(text: str) -> int:
    """The first colon outside brackets and quotes, or -1."""
    depth = 0
    for position, char in enumerate(text):
        if char in "(（“「":
            depth += 1
        elif char in ")）”」":
            depth = max(depth - 1, 0)
        elif char in COLONS and depth == 0:
            return position
    return -1


def build_outline(lines: list[Line]) -> Node:
    return OutlineBuilder(lines).build()


# --- headings or list items


def classify(node: Node, inside_item: bool = False) -> None:
    """Decide, sibling group by sibling group, which numbered items are headings."""
    if node.kind in (ARTICLE_NODE, MARKDOWN, PART, IMPLICIT, LABEL):
        node.is_heading = not inside_item or node.kind == LABEL
    groups: dict[str, list[Node]] = {}
    for child in node.children:
        if child.kind == NUMBERED and child.marker is not None:
            groups.setdefault(child.marker.family, []).append(child)
    for members in groups.values():
        as_sections = not inside_item and _group_is_sections(members)
        for member in members:
            strength = _heading_strength(member)
            member.is_heading = as_sections and strength != ""
            if not member.is_heading:
                _revert_split(member)
    for child in node.children:
        classify(child, inside_item or (child.kind == NUMBERED and not child.is_heading))


def _heading_strength(node: Node) -> str:
    """ "strong": a heading line with its own body; "weak": a heading cut out of a line."""
    if not heading_like(node.text) or not node.text:
        return ""
    if not node.children:
        return ""
    if node.split in ("colon", "space") and not _substantial_body(node.children[0]):
        return ""
    return "weak" if node.split else "strong"


def _substantial_body(body: Node) -> bool:
    """A heading cut out of its line needs a real sentence after it, not a field list;
    "；" ends list entries in Chinese, so it does not count."""
    text = body.text.strip()
    return visible_length(text) >= 10 and text[-1] in "。！？!?”」."


def _group_is_sections(members: list[Node]) -> bool:
    strengths = [_heading_strength(member) for member in members]
    strong = strengths.count("strong")
    weak = strengths.count("weak")
    total = len(members)
    if total == 1:
        return strong + weak == 1
    return strong * 2 >= total or (strong * 10 >= total * 3 and (strong + weak) * 10 >= total * 8)


def _revert_split(node: Node) -> None:
    """An item that is not a heading after all gets its line back as written."""
    if not node.split or node.marker is None:
        return
    if node.split in ("colon", "space") and node.split_body in node.children:
        node.children.remove(node.split_body)
    elif node.split == "space" and node.children and node.children[0].kind == PARAGRAPH:
        node.children.pop(0)
    node.text = (
        node.full_text[len(node.marker.raw) :].strip()
        if node.full_text.startswith(node.marker.raw)
        else node.full_text
    )
    node.split = ""
