"""From cleaned lines to logical lines: one paragraph, heading or list item each.

Copies of documents arrive flattened into one line, glued ("…用语2、电话…"), hard-wrapped
at a fixed width, or pasted several times with the title repeated ("合集" pages). This
module undoes that, so the outline builder sees one logical line per item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markers import CHAPTER_FAMILIES, INLINE_MARKER, Marker, parse_marker
from .text import (
    CLOSING_QUOTES,
    COLONS,
    SENTENCE_END,
    is_han,
    is_hangul,
    join_wrapped,
    tidy_chinese,
    visible_length,
)

ARTICLE = "article"
TEXT = "text"
TOC = "toc"
MAX_TITLE_LENGTH = 30
MIN_WRAPPED_LENGTH = 15
_PART_PREFIX = re.compile(r"^第[一二三四五六七八九十\d]+篇\s*[:：]?\s*")
_SUB_ARTICLE_NUMBER = re.compile(r"^\d(?=[\u4e00-\u9fff])")
_TOC_ENTRY = re.compile(r"^(?P<entry>.*?\S)(?:\s*[.…·_—]{2,}\s*|\s+)(?P<page>\d{1,3})$")
_PARENTHETICAL = re.compile(r"^[（(][^（()）]{1,20}[)）]$")
_HIGHER_FAMILIES = (*CHAPTER_FAMILIES, "cn", "cn-paren", "md")
_LOWER_FAMILIES = ("digit", "digit-paren", "circled", "digit-rparen")


@dataclass
class Line:
    text: str
    kind: str = TEXT
    after_blank: bool = False
    # For a title split off its body ("3.注意聆听 在客户讲完之前…"): the line as written.
    split_from: str | None = None
    toc_entries: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Segmented:
    lines: list[Line]
    repeated_banners: int


def segment(raw_lines: list[str], language: str) -> Segmented:
    lines = _with_blank_flags(raw_lines)
    lines, repeats = _mark_articles(lines)
    lines = [piece for line in lines for piece in _split_line(line, language)]
    lines = _detect_toc(lines)
    lines = _join_fragments(lines, language)
    lines = [piece for line in lines for piece in _split_title_from_body(line, language)]
    if language == "zh":
        for line in lines:
            line.text = tidy_chinese(line.text)
            line.toc_entries = [tidy_chinese(entry) for entry in line.toc_entries]
    return Segmented([line for line in lines if line.text or line.kind == TOC], repeats)


def _with_blank_flags(raw_lines: list[str]) -> list[Line]:
    lines: list[Line] = []
    blank = False
    for text in raw_lines:
        if not text:
            blank = True
            continue
        lines.append(Line(text, after_blank=blank))
        blank = False
    return lines


# --- repeated titles ("合集" pages paste each article with its title two or three times)


def _mark_articles(lines: list[Line]) -> tuple[list[Line], int]:
    kept: list[Line] = []
    repeats = 0
    titles: set[str] = set()
    for line in lines:
        previous = kept[-1] if kept else None
        if previous and line.text == previous.text:
            if _title_shaped(line.text):
                previous.kind = ARTICLE
                titles.add(line.text)
            repeats += 1
            continue
        if previous and previous.kind == ARTICLE and line.text.startswith(previous.text):
            stripped = _strip_title_repeats(line.text, previous.text)
            repeats += 1 if stripped != line.text else 0
            line.text = stripped
            if not line.text:
                continue
        kept.append(line)
    for line in kept:
        if line.kind == TEXT and line.text in titles:
            line.kind = ARTICLE
        elif line.kind == TEXT:
            stripped = _strip_numbered_title(line.text, titles)
            repeats += 1 if stripped != line.text else 0
            line.text = stripped
    return kept, repeats


def _title_shaped(text: str) -> bool:
    return (
        2 <= visible_length(text) <= MAX_TITLE_LENGTH
        and parse_marker(text) is None
        and not any(char in text for char in SENTENCE_END + "，,")
    )


def _strip_title_repeats(text: str, title: str) -> str:
    """ "呼叫中心电话礼仪呼叫中心电话礼仪1想象一下…" → "想象一下…"."""
    original = text
    while True:
        before = text
        if text.startswith(title):
            text = text[len(title) :].lstrip()
        text = _PART_PREFIX.sub("", text)
        if text == before:
            return _SUB_ARTICLE_NUMBER.sub("", text) if text != original else text


def _strip_numbered_title(text: str, titles: set[str]) -> str:
    """Sub-articles pasted as "<title>2语速是…": the title and its number are a banner."""
    for title in titles:
        if text.startswith(title) and _SUB_ARTICLE_NUMBER.match(text[len(title) :]):
            return _SUB_ARTICLE_NUMBER.sub("", text[len(title) :])
    return text


# --- splitting lines that hold several items


def _split_line(line: Line, language: str) -> list[Line]:
    if line.kind != TEXT:
        return [line]
    pieces = split_glued(line.text, language)
    if len(pieces) == 1:
        return [line]
    first = Line(pieces[0], after_blank=line.after_blank)
    return [first, *(Line(piece) for piece in pieces[1:])]


def split_glued(text: str, language: str) -> list[str]:
    """Split a line before each marker that starts a new item inside it."""
    pieces: list[str] = []
    start = 0
    for match in INLINE_MARKER.finditer(text):
        position = match.start()
        if position <= start or position == 0:
            continue
        if _should_split(text, start, position, language):
            pieces.append(text[start:position].strip())
            start = position
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _should_split(text: str, start: int, position: int, language: str) -> bool:
    before = text[position - 1]
    if before.isdigit() or before in ".．":
        return False
    head = text[start:position]
    if _inside_quotes(head):
        return False
    marker = parse_marker(text[position:])
    if marker is None or marker.is_bullet or marker.family == "md":
        return False
    stripped_head = head.rstrip()
    if stripped_head and stripped_head[-1] in SENTENCE_END + COLONS + "。.":
        return marker.family != "upper" or not stripped_head[-1].isascii()
    if before.isspace():
        return language == "zh" and len(text) >= 40
    return _splits_glued_marker(head, marker)


def _splits_glued_marker(head: str, marker: Marker) -> bool:
    """ "一、用语2、电话…", "第六条合适的语调1.语调…", "…太高2.太过…": a new item glued on."""
    own = parse_marker(head)
    head_text = own.text if own else head
    short_heading = visible_length(head_text) <= 40 and not any(
        char in head_text for char in SENTENCE_END
    )
    if marker.family in CHAPTER_FAMILIES:
        return short_heading
    if own is None:
        return False
    if own.family == marker.family and marker.value == own.value + 1:
        return True
    if not short_heading:
        return False
    if own.family in _HIGHER_FAMILIES and marker.family in _LOWER_FAMILIES:
        return True
    return own.family in _LOWER_FAMILIES and marker.family in _LOWER_FAMILIES and marker.is_start


def _inside_quotes(text: str) -> bool:
    return (
        text.count("“") > text.count("”")
        or text.count("「") > text.count("」")
        or text.count('"') % 2 == 1
    )


# --- tables of contents ("1、开头语与结束语 2")


def _detect_toc(lines: list[Line]) -> list[Line]:
    entries = [_toc_entry(line) for line in lines]
    output: list[Line] = []
    index = 0
    while index < len(lines):
        end = _toc_run_end(lines, entries, index)
        if end is None:
            output.append(lines[index])
            index += 1
            continue
        block = Line("", kind=TOC, after_blank=lines[index].after_blank)
        for position in range(index, end):
            entry = entries[position]
            block.toc_entries.append(entry if entry is not None else lines[position].text)
        output.append(block)
        index = end
    return output


def _toc_entry(line: Line) -> str | None:
    if line.kind != TEXT:
        return None
    match = _TOC_ENTRY.match(line.text)
    if not match:
        return None
    entry = match.group("entry").strip()
    if visible_length(entry) > 50 or any(char in entry for char in "。！？!?；;"):
        return None
    return entry


def _toc_run_end(lines: list[Line], entries: list[str | None], start: int) -> int | None:
    """A run of at least three page-numbered entries (unnumbered headings allowed between)."""
    if entries[start] is None or parse_marker(entries[start] or "") is None:
        return None
    count, end, position = 0, start, start
    while position < len(lines):
        if entries[position] is not None:
            count += 1
            end = position + 1
        elif not _toc_gap_line(lines[position]):
            break
        position += 1
    return end if count >= 3 else None


def _toc_gap_line(line: Line) -> bool:
    marker = parse_marker(line.text)
    return (
        line.kind == TEXT
        and marker is not None
        and not marker.is_bullet
        and visible_length(line.text) <= 50
        and not any(char in line.text for char in "。！？!?；;")
    )


# --- hard wraps and stray fragments


def _join_fragments(lines: list[Line], language: str) -> list[Line]:
    output: list[Line] = []
    for line in lines:
        previous = output[-1] if output else None
        if previous is None or previous.kind != TEXT or line.kind != TEXT:
            output.append(line)
            continue
        if _punctuation_only(line.text):
            previous.text += line.text
            continue
        if not line.after_blank and _PARENTHETICAL.match(line.text) and _short_title(previous):
            previous.text = (
                f"{previous.text} {line.text}" if language == "ko" else (previous.text + line.text)
            )
            continue
        if not line.after_blank and _continues(previous.text, line.text, language):
            previous.text = join_wrapped(previous.text, line.text)
            continue
        output.append(line)
    return output


def _punctuation_only(text: str) -> bool:
    return all(not char.isalnum() for char in text) and len(text) <= 3


def _short_title(line: Line) -> bool:
    return visible_length(line.text) <= 20 and not any(
        char in line.text for char in SENTENCE_END + COLONS
    )


def _continues(previous: str, current: str, language: str) -> bool:
    """Is `current` the rest of a line an extractor wrapped at a fixed width?"""
    if parse_marker(current) is not None:
        return False
    last, first = previous[-1], current[0]
    if first in "，,、" and visible_length(current) > 1:
        return True
    if last in SENTENCE_END + COLONS + CLOSING_QUOTES + ".)）":
        return False
    if not (is_han(first) or is_hangul(first) or first.isalnum()):
        return False
    if last in "，,、":
        return True
    if visible_length(previous) < MIN_WRAPPED_LENGTH:
        return False
    if language == "ko" and last in "다요":
        return False
    marker = parse_marker(previous)
    if marker is None or any(char in marker.text for char in "，,、"):
        return True
    # A numbered item cut mid-word: "8)…向值班长或现场管理人员提" + "问，必须先举手…。"
    return visible_length(previous) >= 20 and current.rstrip()[-1] in SENTENCE_END


def _split_title_from_body(line: Line, language: str) -> list[Line]:
    """ "3.注意聆听 在客户讲完之前不要打断…": a short title, a space, then its body.

    Only for Chinese (Korean separates every word with a space). The outline builder
    rejoins the two when the siblings show the item was a plain list item.
    """
    if language != "zh" or line.kind != TEXT:
        return [line]
    marker = parse_marker(line.text)
    if marker is None or marker.is_bullet or marker.family == "md" or " " not in marker.text:
        return [line]
    title, body = marker.text.split(" ", 1)
    body = body.strip()
    if not (2 <= visible_length(title) <= 10) or any(not char.isalnum() for char in title):
        return [line]
    if visible_length(body) < 12 or not any(char in body for char in SENTENCE_END + "，"):
        return [line]
    joined = tidy_chinese(f"{marker.raw}{marker.text.replace(' ', '', 1)}")
    heading = Line(f"{marker.raw}{title}", after_blank=line.after_blank, split_from=joined)
    return [heading, Line(body)]
