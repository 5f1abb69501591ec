"""parse_document: bytes in, a reviewed-draft module out. No I/O beyond read_path."""

from __future__ import annotations

from pathlib import Path, PurePath

from .boilerplate import strip_boilerplate
from .errors import DocumentError
from .extraction import Found, dedupe, extract, owner_section
from .formats import extract_text
from .language import LANGUAGES, detect_language
from .lessons import (
    CONTENTS,
    Draft,
    assemble_lessons,
    remove_duplicates,
    section_path,
    unique_titles,
)
from .markers import MARKDOWN_FAMILY, parse_marker
from .model import (
    CandidateRule,
    DroppedCounts,
    ImportedDocument,
    ImportedLesson,
    ImportedSection,
    RuleSource,
)
from .outline import Node, build_outline
from .render import heading_title, render_body
from .segment import ARTICLE, TEXT, Line, segment
from .text import SENTENCE_END, normalise_line, visible_length

MAX_TITLE_LINES = 3
MAX_TITLE_LENGTH = 40


def parse_document(data: bytes, filename: str, *, language: str = "auto") -> ImportedDocument:
    """Turn an uploaded etiquette document into a draft module.

    Raises DocumentError (one-line message) for empty, binary, undecodable or unsupported
    input, and ValueError for a language other than "auto", "zh" or "ko".
    """
    if language != "auto" and language not in LANGUAGES:
        raise ValueError(f"language must be 'auto', 'zh' or 'ko', not {language!r}")
    name = PurePath(filename).name or "document"
    extracted = extract_text(data, name)
    cleaned = strip_boilerplate([normalise_line(line) for line in extracted.text.splitlines()])
    body = "\n".join(cleaned.lines)
    if not any(char.isalnum() for char in body):
        raise DocumentError(f"{name} has no text left once site boilerplate is removed")
    resolved = detect_language(body) if language == "auto" else language
    segmented = segment(cleaned.lines, resolved)
    title, lines = take_title(segmented.lines, extracted.title_hint, name)
    drafts = assemble_lessons(build_outline(lines), title, resolved)
    drafts, duplicates = remove_duplicates(drafts)
    if not drafts:
        raise DocumentError(f"{name} has no lesson text left once boilerplate is removed")
    unique_titles(drafts)
    lessons: list[ImportedLesson] = []
    rules: list[CandidateRule] = []
    for draft in drafts:
        lesson, found = _lesson(draft, resolved)
        lessons.append(lesson)
        rules.extend(_rule(item, name) for item in found if item.forbidden)
    return ImportedDocument(
        title=title,
        language=resolved,
        lessons=tuple(lessons),
        candidate_rules=tuple(_unique_rules(rules)),
        dropped=DroppedCounts(
            boilerplate_lines=cleaned.dropped + segmented.repeated_banners,
            duplicate_sections=duplicates,
        ),
        source_name=name,
    )


def read_path(path: str | Path, *, language: str = "auto") -> ImportedDocument:
    """parse_document for a file on disk."""
    file_path = Path(path)
    try:
        data = file_path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{file_path.name}: cannot read the file ({error.strerror})") from None
    return parse_document(data, file_path.name, language=language)


# --- the module title


def take_title(lines: list[Line], hint: str, name: str) -> tuple[str, list[Line]]:
    """The document's title, and its lines without the ones that only repeat it."""
    if not lines:
        return hint or _stem(name), lines
    first = lines[0]
    marker = parse_marker(first.text)
    # A first heading that no other heading outranks or equals is the title.
    if (
        marker is not None
        and marker.family == MARKDOWN_FAMILY
        and not any(_markdown_level(line) <= marker.value for line in lines[1:])
    ):
        return marker.text, lines[1:]
    articles = [line for line in lines if line.kind == ARTICLE]
    if first.kind == ARTICLE and len(articles) == 1:
        return first.text, lines[1:]
    candidates: list[int] = []
    for index, line in enumerate(lines[:MAX_TITLE_LINES]):
        if not _title_shaped(line):
            break
        candidates.append(index)
    if not candidates:
        return hint or _stem(name), lines
    chosen = max(candidates, key=lambda index: visible_length(lines[index].text))
    title = lines[chosen].text
    rest = [
        line
        for index, line in enumerate(lines)
        if index > chosen and not (index in candidates and line.text in title)
    ]
    return title, rest


def _markdown_level(line: Line) -> int:
    marker = parse_marker(line.text)
    if marker is None or marker.family != MARKDOWN_FAMILY:
        return 99
    return marker.value


def _title_shaped(line: Line) -> bool:
    return (
        line.kind == TEXT
        and parse_marker(line.text) is None
        and visible_length(line.text) <= MAX_TITLE_LENGTH
        and not any(char in line.text for char in SENTENCE_END + '，,:：“"')
    )


def _stem(name: str) -> str:
    return PurePath(name).stem or name


# --- lessons out


def _lesson(draft: Draft, language: str) -> tuple[ImportedLesson, list[Found]]:
    found = dedupe(extract(draft.content, language)) if draft.kind != CONTENTS else []
    sections = tuple(_sections(draft, found))
    phrases = tuple(item.phrase for item in found if not item.forbidden)
    lesson = ImportedLesson(
        title=draft.title,
        body_markdown=render_body(draft.content),
        phrases=phrases,
        sections=sections,
        source_path=draft.path,
    )
    return lesson, found


def _sections(draft: Draft, found: list[Found]) -> list[ImportedSection]:
    sections: list[ImportedSection] = []

    def visit(node: Node, level: int) -> None:
        if node.is_heading:
            own = [
                item.phrase
                for item in found
                if not item.forbidden and _nearest_heading(item.node) is node
            ]
            title = node.text.strip().rstrip(":：").strip() or heading_title(node)
            sections.append(ImportedSection(title, section_path(node), level, tuple(own)))
            level += 1
        for child in node.children:
            visit(child, level)

    for node in draft.content:
        visit(node, 1)
    return sections


def _nearest_heading(node: Node) -> Node | None:
    current: Node | None = node
    while current is not None:
        if current.is_heading:
            return current
        current = current.parent
    return None


def _rule(item: Found, document: str) -> CandidateRule:
    section = section_path(owner_section(item.node))
    return CandidateRule(
        phrase=item.phrase,
        source=RuleSource(document=document, section=section),
        quoted=item.quoted,
        evidence=item.evidence,
    )


def _unique_rules(rules: list[CandidateRule]) -> list[CandidateRule]:
    seen: set[str] = set()
    unique: list[CandidateRule] = []
    for rule in rules:
        key = "".join(char for char in rule.phrase if char.isalnum())
        if key and key not in seen:
            seen.add(key)
            unique.append(rule)
    return unique
