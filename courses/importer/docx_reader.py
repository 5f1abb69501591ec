"""Word .docx to plain lines, keeping what carries structure.

Headings become Markdown headings, and Word's automatic numbering is written out
("一、", "1.", "（1）", "①") because the outline builder recognises documents by the
numbering schemes their authors typed or let Word generate.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from .errors import DocumentError

HEADING_STYLE = re.compile(r"^(?:heading|标题|제목|見出し)\s*(\d)$", re.IGNORECASE)
CHINESE_DIGITS = "〇一二三四五六七八九"
GANADA = "가나다라마바사아자차카타파하"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class LevelFormat:
    number_format: str
    text: str
    start: int


@dataclass
class Numbering:
    """Word's numbering definitions and the running counters of each list."""

    formats: dict[str, dict[int, LevelFormat]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def marker(self, num_id: str, level: int) -> str:
        levels = self.formats.get(num_id)
        if not levels or level not in levels:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[level] = counts.get(level, levels[level].start - 1) + 1
        for deeper in [key for key in counts if key > level]:
            del counts[deeper]
        if levels[level].number_format == "bullet":
            return "- "
        if levels[level].number_format == "none":
            return ""

        def substitute(match: re.Match[str]) -> str:
            referenced = int(match.group(1)) - 1
            fmt = levels.get(referenced)
            value = counts.get(referenced, fmt.start if fmt else 1)
            return format_number(value, fmt.number_format if fmt else "decimal")

        return re.sub(r"%(\d)", substitute, levels[level].text)


def docx_to_text(data: bytes, name: str) -> tuple[str, str]:
    """The document's lines and its title (from the core properties), or DocumentError."""
    try:
        document = Document(io.BytesIO(data))
        numbering = _read_numbering(document)
        lines = list(_body_lines(document, numbering))
        title = (document.core_properties.title or "").strip()
    except DocumentError:
        raise
    except Exception as error:  # a damaged package can fail in zipfile, lxml or python-docx
        raise DocumentError(
            f"{name} is not a readable .docx file ({type(error).__name__})"
        ) from None
    return "\n".join(lines), title


def _read_numbering(document: Any) -> Numbering:
    numbering = Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return numbering
    abstract: dict[str, dict[int, LevelFormat]] = {}
    for definition in root.findall(qn("w:abstractNum")):
        levels: dict[int, LevelFormat] = {}
        for level in definition.findall(qn("w:lvl")):
            levels[int(level.get(qn("w:ilvl"), "0"))] = LevelFormat(
                number_format=_child_value(level, "w:numFmt", "decimal"),
                text=_child_value(level, "w:lvlText", "%1."),
                start=int(_child_value(level, "w:start", "1") or 1),
            )
        abstract[definition.get(qn("w:abstractNumId"), "")] = levels
    for num in root.findall(qn("w:num")):
        abstract_id = _child_value(num, "w:abstractNumId", "")
        numbering.formats[num.get(qn("w:numId"), "")] = abstract.get(abstract_id, {})
    return numbering


def _child_value(element: Any, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    if child is None:
        return default
    return str(child.get(qn("w:val"), default))


def _body_lines(document: Any, numbering: Numbering) -> Iterator[str]:
    for block in _blocks(document.element.body):
        if block.tag == qn("w:tbl"):
            yield from _table_lines(block)
        else:
            line = _paragraph_line(document, block, numbering)
            if line:
                yield line


def _blocks(container: Any) -> Iterator[Any]:
    for child in container.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        else:
            parts.append(" ")
    return "".join(parts).strip()


def _paragraph_line(document: Any, paragraph: Any, numbering: Numbering) -> str:
    text = _paragraph_text(paragraph)
    if not text:
        return ""
    style = _style_of(document, paragraph)
    heading_level = _heading_level(style, paragraph)
    marker = ""
    num_id, level = _numbering_of(paragraph, style)
    if num_id:
        marker = numbering.marker(num_id, level)
    if heading_level:
        return f"{'#' * heading_level} {marker}{text}"
    return f"{marker}{text}"


def _style_of(document: Any, paragraph: Any) -> Any:
    properties = paragraph.find(qn("w:pPr"))
    style_id = None
    if properties is not None:
        style_element = properties.find(qn("w:pStyle"))
        if style_element is not None:
            style_id = style_element.get(qn("w:val"))
    if not style_id:
        return None
    try:
        return document.styles.element.get_by_id(style_id)
    except (KeyError, AttributeError):
        return None


def _heading_level(style: Any, paragraph: Any) -> int:
    if style is not None:
        name_element = style.find(qn("w:name"))
        name = name_element.get(qn("w:val"), "") if name_element is not None else ""
        # The document title sits above "Heading 1": headings move one level down.
        if name.lower() == "title":
            return 1
        match = HEADING_STYLE.match(name.strip())
        if match:
            return min(int(match.group(1)) + 1, 6)
    for element in (paragraph, style):
        properties = element.find(qn("w:pPr")) if element is not None else None
        outline = properties.find(qn("w:outlineLvl")) if properties is not None else None
        if outline is not None:
            level = int(outline.get(qn("w:val"), "9"))
            if level < 5:
                return level + 2
    return 0


def _numbering_of(paragraph: Any, style: Any) -> tuple[str, int]:
    for element in (paragraph, style):
        properties = element.find(qn("w:pPr")) if element is not None else None
        num_properties = properties.find(qn("w:numPr")) if properties is not None else None
        if num_properties is None:
            continue
        num_id = _child_value(num_properties, "w:numId", "")
        level = int(_child_value(num_properties, "w:ilvl", "0") or 0)
        if num_id and num_id != "0":
            return num_id, level
    return "", 0


def _table_lines(table: Any) -> Iterator[str]:
    for row in table.iter(qn("w:tr")):
        cells: list[str] = []
        for cell in row.findall(qn("w:tc")):
            text = " ".join(
                _paragraph_text(paragraph) for paragraph in cell.iter(qn("w:p"))
            ).strip()
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            yield " | ".join(cells)


def format_number(value: int, number_format: str) -> str:
    """A counter as Word prints it in the given numFmt."""
    if number_format in {
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "ideographTraditional",
        "chineseLegalSimplified",
    }:
        return chinese_numeral(value)
    if number_format == "ideographDigital":
        return "".join(CHINESE_DIGITS[int(digit)] for digit in str(value))
    if number_format in {"upperLetter", "lowerLetter"}:
        letter = chr(ord("A") + (value - 1) % 26)
        return letter if number_format == "upperLetter" else letter.lower()
    if number_format in {"upperRoman", "lowerRoman"}:
        roman = _roman(value)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format.startswith("decimalEnclosedCircle") and 1 <= value <= len(CIRCLED):
        return CIRCLED[value - 1]
    if number_format == "ganada" and 1 <= value <= len(GANADA):
        return GANADA[value - 1]
    if number_format == "decimalZero":
        return f"{value:02d}"
    return str(value)


def chinese_numeral(value: int) -> str:
    if value <= 0 or value >= 100:
        return str(value)
    tens, units = divmod(value, 10)
    if tens == 0:
        return CHINESE_DIGITS[units]
    prefix = "" if tens == 1 else CHINESE_DIGITS[tens]
    return prefix + "十" + (CHINESE_DIGITS[units] if units else "")


def _roman(value: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for number, letters in numerals:
        while value >= number:
            out += letters
            value -= number
    return out or "0"
