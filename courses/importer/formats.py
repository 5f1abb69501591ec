"""Which reader a document needs, from its name and its first bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from .decoding import decode_bytes
from .docx_reader import docx_to_text
from .errors import DocumentError
from .html_reader import html_to_text

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown"})
_HTML_SNIFF = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<meta)", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_FRONT_MATTER_TITLE = re.compile(r"^title\s*:\s*[\"']?(.+?)[\"']?\s*$", re.MULTILINE)
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_TITLE_SITE_SUFFIX = re.compile(r"(?:\s+[-|–—]\s+|\s*[_|｜]\s*)[^-_|｜–—]{1,20}$")


@dataclass(frozen=True)
class Extracted:
    text: str
    title_hint: str = ""


def extract_text(data: bytes, name: str) -> Extracted:
    """The document's text, one paragraph or heading per line."""
    if not data.strip(b" \t\r\n\x00"):
        raise DocumentError(f"{name} is empty")
    suffix = PurePath(name).suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        raise DocumentError(f"{name}: PDF import is not supported yet; save it as .docx or .txt")
    if suffix in (".doc", ".wps") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(f"{name}: legacy Word files are not supported; save it as .docx")
    if data.startswith(b"{\\rtf"):
        raise DocumentError(f"{name}: RTF is not supported; save it as .docx or .txt")
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        text, title = docx_to_text(data, name)
        return Extracted(text, title)
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and _HTML_SNIFF.match(data)):
        text, title = html_to_text(data, name)
        return Extracted(text, clean_page_title(title))
    text = decode_bytes(data, name)
    if suffix in MARKDOWN_SUFFIXES:
        return _markdown(text)
    return Extracted(text)


def clean_page_title(title: str) -> str:
    """ "电话接听服务的基本原则 - 原创力文档" → "电话接听服务的基本原则"."""
    shortened = _TITLE_SITE_SUFFIX.sub("", title).strip()
    return shortened or title.strip()


def _markdown(text: str) -> Extracted:
    title = ""
    front = _FRONT_MATTER.match(text)
    if front:
        found = _FRONT_MATTER_TITLE.search(front.group(1))
        title = found.group(1).strip() if found else ""
        text = text[front.end() :]
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_EMPHASIS.sub(r"\2", text)
    return Extracted(text, title)
