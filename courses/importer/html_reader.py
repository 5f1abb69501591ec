"""HTML pages to plain lines: headings as Markdown, list items as list lines.

Web copies of etiquette documents come wrapped in site chrome; navigation, comment,
share and related-link blocks are removed here by tag and class before any text is
taken, and the line filters catch what is left.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import NavigableString, Tag

from .decoding import decode_bytes

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "object",
    "embed",
)
CHROME_CLASS = re.compile(
    r"(?:^|[-_\s])(?:comments?|share|sharing|related|recommend\w*|footer|copyright|sidebar|"
    r"advert\w*|ads?|banner|breadcrumbs?|download|login|toolbar|pager|pagination|menu|nav)"
    r"(?:$|[-_\s])",
    re.IGNORECASE,
)
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "hr",
        "address",
        "center",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "details",
        "summary",
        "body",
        "html",
    ]
)
HEADINGS = {f"h{level}": level for level in range(1, 7)}


def html_to_text(data: bytes, name: str) -> tuple[str, str]:
    """The page's lines and its <title> (or first <h1>)."""
    markup = _decode_html(data, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "html.parser")
    title = _title_of(soup)
    _strip_chrome(soup)
    root = soup.body or soup
    lines: list[str] = []
    current: list[str] = []
    _walk(root, lines, current)
    _flush(lines, current)
    return "\n".join(lines), title


def _decode_html(data: bytes, name: str) -> str:
    declared = META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, name)


def _title_of(soup: BeautifulSoup) -> str:
    if soup.title and soup.title.get_text(strip=True):
        return soup.title.get_text(" ", strip=True)
    heading = soup.find("h1")
    return heading.get_text(" ", strip=True) if heading else ""


def _strip_chrome(soup: BeautifulSoup) -> None:
    for element in soup.find_all(DROPPED_TAGS):
        element.decompose()
    for element in soup.find_all("header"):
        if not element.find_parent(["article", "main"]):
            element.decompose()
    for element in soup.find_all(True):
        if element.decomposed or element.name in ("html", "body", "main", "article"):
            continue
        if CHROME_CLASS.search(_class_and_id(element)):
            element.decompose()


def _class_and_id(element: Tag) -> str:
    classes = element.get("class")
    names = list(classes) if isinstance(classes, list) else [str(classes or "")]
    return " ".join([*names, str(element.get("id") or "")]).strip()


def _walk(node: Tag, lines: list[str], current: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if child.__class__ is NavigableString:  # not a comment, CDATA or doctype
                current.append(re.sub(r"\s+", " ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name or ""
        if name == "br":
            _flush(lines, current)
        elif name in HEADINGS:
            _flush(lines, current)
            text = child.get_text(" ", strip=True)
            if text:
                lines.append(f"{'#' * HEADINGS[name]} {text}")
        elif name in ("ul", "ol"):
            _flush(lines, current)
            _list_lines(child, lines)
        elif name == "tr":
            _flush(lines, current)
            cells = [cell.get_text(" ", strip=True) for cell in child.find_all(["td", "th"])]
            row = " | ".join(cell for cell in cells if cell)
            if row:
                lines.append(row)
        elif name in BLOCK_TAGS or name == "li":
            _flush(lines, current)
            _walk(child, lines, current)
            _flush(lines, current)
        else:
            _walk(child, lines, current)


def _list_lines(listing: Tag, lines: list[str]) -> None:
    ordered = listing.name == "ol"
    for number, item in enumerate(listing.find_all("li", recursive=False), start=1):
        nested = item.find_all(["ul", "ol"], recursive=False)
        for sublist in nested:
            sublist.extract()
        text = item.get_text(" ", strip=True)
        if text:
            lines.append(f"{number}. {text}" if ordered else f"- {text}")
        for sublist in nested:
            _list_lines(sublist, lines)


def _flush(lines: list[str], current: list[str]) -> None:
    text = "".join(current).strip()
    current.clear()
    if text:
        lines.append(text)
