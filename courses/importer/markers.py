"""The numbering schemes Chinese and Korean etiquette documents use, as data.

A line such as "（三）转接电话" or "둘째, 응답 규범" is parsed into a Marker: its family
(which scheme), its ordinal value, the marker as written and the rest of the line.
The outline builder works only with families and values, never with the raw strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHINESE_NUMERALS = "零〇一二三四五六七八九十百两"
_CN = f"[{CHINESE_NUMERALS}]"
KOREAN_ORDINALS = {
    "하나": 1,
    "첫째": 1,
    "첫번째": 1,
    "첫 번째": 1,
    "둘": 2,
    "둘째": 2,
    "두번째": 2,
    "두 번째": 2,
    "셋": 3,
    "셋째": 3,
    "세번째": 3,
    "세 번째": 3,
    "넷": 4,
    "넷째": 4,
    "네번째": 4,
    "네 번째": 4,
    "다섯": 5,
    "다섯째": 5,
    "여섯": 6,
    "여섯째": 6,
    "일곱": 7,
    "일곱째": 7,
    "여덟": 8,
    "여덟째": 8,
    "아홉": 9,
    "아홉째": 9,
    "열째": 10,
}
GANADA = "가나다라마바사아자차카타파하"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
FULL_STOPPED = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
BULLET_FAMILY = "bullet"
MARKDOWN_FAMILY = "md"
# Families whose first item starts a new, deeper list under the current item.
CHAPTER_FAMILIES = ("part", "chapter", "jie", "article", "kuan")
_CHAPTER_WORDS = {
    "篇": "part",
    "部分": "part",
    "编": "part",
    "部": "part",
    "章": "chapter",
    "节": "jie",
    "条": "article",
    "款": "kuan",
}


@dataclass(frozen=True)
class Marker:
    family: str
    value: int
    raw: str
    text: str

    @property
    def is_bullet(self) -> bool:
        return self.family == BULLET_FAMILY

    @property
    def is_start(self) -> bool:
        return self.value == 1


def chinese_to_int(numeral: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; Arabic digits pass through."""
    if numeral.isdigit():
        return int(numeral)
    digits = {char: index for index, char in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
    total, current = 0, 0
    for char in numeral:
        if char in digits:
            current = digits[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.DOTALL)


# (family, compiled pattern, how to read the value from the first group)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (MARKDOWN_FAMILY, _pattern(r"^(#{1,6})\s+(.*)$")),
    (
        "chapter-like",
        _pattern(
            rf"^(第\s*([{CHINESE_NUMERALS}\d]+)\s*(部分|篇|编|部|章|节|条|款))\s*[:：、.．]?\s*(.*)$"
        ),
    ),
    ("decimal", _pattern(r"^((\d{1,2})((?:\.\d{1,2}){1,3}))\.?\s*(?=[^\d.\s%])(.*)$")),
    ("cn", _pattern(rf"^(({_CN}{{1,3}})\s*[、.．])\s*(.*)$")),
    ("cn-paren", _pattern(rf"^([（(]\s*({_CN}{{1,3}})\s*[）)])\s*[、.．]?\s*(.*)$")),
    ("digit-paren", _pattern(r"^([（(]\s*(\d{1,2})\s*[）)])\s*[、.．]?\s*(.*)$")),
    ("circled", _pattern(rf"^(([{CIRCLED}]))\s*[、.．]?\s*(.*)$")),
    ("digit-paren", _pattern(rf"^(([{PARENTHESISED}]))\s*(.*)$")),
    ("digit", _pattern(rf"^(([{FULL_STOPPED}]))\s*(.*)$")),
    ("digit-rparen", _pattern(r"^((\d{1,2})\s*[)）])\s*(.*)$")),
    ("slide", _pattern(r"^(0([1-9]))\s+(\S.*)$")),
    ("digit", _pattern(r"^((\d{1,2})\s*[、.．])(?!\s*\d)\s*(.*)$")),
    ("digit", _pattern(r"^((\d{1,2})\s*[,，])(?=\s|[^\x00-\x7f])(?!\s*\d)\s*(.*)$")),
    ("upper", _pattern(r"^(([A-Z])\s*[、.．,，])(?!\s*[A-Za-z]{2})\s*(.*)$")),
    ("lower", _pattern(r"^(([a-z])\s*[、.．)）])(?!\s*[A-Za-z]{2})\s*(.*)$")),
    (
        "ko-ordinal",
        _pattern(
            r"^((첫 번째|두 번째|세 번째|네 번째|첫번째|두번째|세번째|네번째|첫째|둘째|셋째|넷째|"
            r"다섯째|여섯째|일곱째|여덟째|아홉째|열째|하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉)"
            r"\s*(?:[,，、.．:：]|$))\s*(.*)$"
        ),
    ),
    ("ganada", _pattern(rf"^(([{GANADA}])\s*[.．)）])\s+(.*)$")),
    (
        BULLET_FAMILY,
        _pattern(r"^(([•·●○■□◆◇▪▫►▶✓✔➢➤❖※◎☆★\uf06c\uf0a7\uf0b7\uf0d8\uf0fc]))\s*(.*)$"),
    ),
    (BULLET_FAMILY, _pattern(r"^(([-*+]))\s+(.*)$")),
    # Symbol-font bullets survive copy and paste as a lowercase l before the text.
    (BULLET_FAMILY, _pattern(r"^((l))\s+(?=[^\x00-\x7f])(.*)$")),
)


def parse_marker(line: str) -> Marker | None:
    """The numbering marker at the start of a line, if it has one."""
    for family, pattern in _PATTERNS:
        match = pattern.match(line)
        if not match:
            continue
        return _marker_from(family, match)
    return None


def _marker_from(family: str, match: re.Match[str]) -> Marker:
    groups = match.groups()
    if family == MARKDOWN_FAMILY:
        return Marker(MARKDOWN_FAMILY, len(groups[0]), groups[0], groups[1].strip())
    if family == "chapter-like":
        raw, number, word, text = groups
        return Marker(
            _CHAPTER_WORDS[word], chinese_to_int(number), raw.replace(" ", ""), text.strip()
        )
    if family == "decimal":
        raw, _first, rest, text = groups
        parts = [int(part) for part in rest.strip(".").split(".")]
        return Marker(f"decimal{len(parts) + 1}", parts[-1], raw, text.strip())
    raw, value_text, text = groups
    return Marker(family, _value(family, value_text), raw.strip(), text.strip())


def _value(family: str, value_text: str) -> int:
    if family in ("cn", "cn-paren"):
        return chinese_to_int(value_text)
    if family in ("upper", "lower"):
        return ord(value_text.upper()) - ord("A") + 1
    if family == "circled":
        return CIRCLED.index(value_text) + 1
    if family == "digit-paren" and value_text in PARENTHESISED:
        return PARENTHESISED.index(value_text) + 1
    if family == "digit" and value_text in FULL_STOPPED:
        return FULL_STOPPED.index(value_text) + 1
    if family == "ko-ordinal":
        return KOREAN_ORDINALS.get(value_text, 1)
    if family == "ganada":
        return GANADA.index(value_text) + 1
    if family == BULLET_FAMILY:
        return 0
    return int(value_text)


# Where a marker may start inside a line that an extractor flattened.
INLINE_MARKER = re.compile(
    rf"第\s*[{CHINESE_NUMERALS}\d]+\s*(?:部分|篇|章|节|条)"
    rf"|{_CN}{{1,3}}、"
    rf"|[（(]\s*[{CHINESE_NUMERALS}\d]{{1,3}}\s*[）)]"
    rf"|[{CIRCLED}{PARENTHESISED}]"
    r"|\d{1,2}(?:\.\d{1,2}){1,3}(?=[^\d.\s%])"
    r"|\d{1,2}\s*[、.．](?!\s*\d)"
    r"|[A-Z][、]"
)
