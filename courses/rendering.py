"""Lesson Markdown to safe HTML: rendered with `markdown`, then sanitised with nh3.

Lesson text comes from files and imported documents, so nothing in it is trusted: scripts,
event-handler attributes, styles and non-web links are removed after rendering.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "mark", "ol", "p", "pre", "q",
        "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
        "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]
# The page title is the only h1, so a body's own top-level headings become h2.
TOP_LEVEL_HEADING = re.compile(r"<(/?)h1\b", re.IGNORECASE)


@lru_cache(maxsize=512)
def render_markdown(text: str) -> str:
    """Safe HTML for a lesson body (cached: the same text always renders the same)."""
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return sanitise_html(TOP_LEVEL_HEADING.sub(r"<\1h2", html))


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
