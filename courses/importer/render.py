"""Lesson bodies as Markdown: sections as ## / ###, items as (nested) lists."""

from __future__ import annotations

import re

from .markers import parse_marker
from .outline import BULLET, LABEL, NUMBERED, PARAGRAPH, TOC_NODE, Node
from .text import is_hangul

MAX_HEADING_RANK = 3
_LEADING_BLOCK_SYNTAX = re.compile(r"^(\s*)([#>+\-=])")
_LEADING_ORDERED_MARKER = re.compile(r"^(\s*\d+)([.)])")
_INLINE_SYNTAX = re.compile(r"([\\`*_\[\]<])")


def escape(text: str, *, block_start: bool = True) -> str:
    """Document text shown literally: "*先生或*小姐" must not turn into emphasis.

    `block_start`: the text starts a paragraph or list item, where "1." or "-" would
    start a list; inside a heading they are plain text.
    """
    text = _INLINE_SYNTAX.sub(r"\\\1", text)
    if not block_start:
        return text
    text = _LEADING_ORDERED_MARKER.sub(r"\1\\\2", text)
    return _LEADING_BLOCK_SYNTAX.sub(lambda match: f"{match.group(1)}\\{match.group(2)}", text)


def heading_title(node: Node) -> str:
    title = node.text.strip().rstrip(":：").strip()
    if node.numbering:
        return _with_marker(node.numbering, title)
    if node.kind != NUMBERED or node.marker is None:
        return title
    return _with_marker(node.marker.raw, title)


def item_text(node: Node) -> str:
    if node.kind == NUMBERED and node.marker is not None:
        return _with_marker(node.marker.raw, node.text)
    return node.text


def _with_marker(raw: str, text: str) -> str:
    if not text:
        return raw
    spaced = raw[-1] in ",." or raw.startswith("第") or raw[-1].isalnum() or is_hangul(text[0])
    return f"{raw} {text}" if spaced and not raw.endswith(("、", "．")) else f"{raw}{text}"


def render_body(nodes: list[Node], rank: int = 2) -> str:
    blocks: list[list[str]] = []
    for node in nodes:
        _render(node, rank, blocks)
    return "\n\n".join("\n".join(block) for block in blocks if block).strip() + "\n"


def _render(node: Node, rank: int, blocks: list[list[str]]) -> None:
    if node.kind == TOC_NODE:
        blocks.append(_contents_lines(node))
    elif node.is_heading:
        title = escape(heading_title(node), block_start=False)
        if rank <= MAX_HEADING_RANK:
            blocks.append([f"{'#' * rank} {title}"])
        else:
            blocks.append([f"**{title}**"])
        for child in node.children:
            _render(child, rank + 1, blocks)
    elif node.kind == PARAGRAPH:
        blocks.append([escape(node.text)])
    else:
        lines = _item_lines(node, "")
        if blocks and blocks[-1] and blocks[-1][0].lstrip().startswith("- "):
            # Consecutive items form one list; a blank line between them keeps an item's own
            # paragraphs from running into the next item (Python-Markdown's "loose" list).
            if "" in blocks[-1] or "" in lines:
                blocks[-1].append("")
            blocks[-1].extend(lines)
        else:
            blocks.append(lines)


def _item_lines(node: Node, indent: str) -> list[str]:
    if node.kind == LABEL:
        lines = [f"{indent}- **{escape(node.text)}**"]
    else:
        lines = [f"{indent}- {escape(item_text(node))}"]
    inner = indent + "    "  # Python-Markdown nests list content at four spaces
    for child in node.children:
        if child.kind == PARAGRAPH:
            lines.extend(["", f"{inner}{escape(child.text)}"])
        elif child.kind in (NUMBERED, BULLET, LABEL) or child.is_heading:
            lines.extend(_item_lines(child, inner))
    return lines


def _contents_lines(node: Node) -> list[str]:
    """A table of contents as a nested list: entries under the chapter they follow."""
    lines: list[str] = []
    top_family = None
    for entry in node.toc_entries:
        marker = parse_marker(entry)
        family = marker.family if marker else None
        if top_family is None:
            top_family = family
        nested = family is not None and family != top_family
        lines.append(f"{'    ' if nested else ''}- {escape(entry)}")
    return lines
