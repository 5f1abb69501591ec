"""Character classes and small text normalisations shared by the importer's stages."""

from __future__ import annotations

import re
import unicodedata

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
SENTENCE_END = "。！？!?；;"
COLONS = ":："
OPENING_QUOTES = '“「『‘"'
CLOSING_QUOTES = '”」』’"'


def is_han(char: str) -> bool:
    if len(char) != 1:
        return False
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    )


def is_hangul(char: str) -> bool:
    if len(char) != 1:
        return False
    code = ord(char)
    return 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


def is_cjk_punct(char: str) -> bool:
    code = ord(char)
    return 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFF65 or char in "“”‘’…—·"


def is_word_char(char: str) -> bool:
    """Letters, digits, Han and Hangul: what counts when comparing texts."""
    return char.isalnum()


def visible_length(text: str) -> int:
    """Length without whitespace: Korean spacing should not make a line look longer."""
    return sum(1 for char in text if not char.isspace())


def normalise_line(line: str) -> str:
    """NFC (decomposed Hangul matches nothing), no zero-width marks, single spaces."""
    line = unicodedata.normalize("NFC", line).translate(ZERO_WIDTH)
    line = line.replace("\u3000", " ").replace("\u00a0", " ").replace("\t", " ")
    return re.sub(r" {2,}", " ", line).strip()


def comparable(text: str) -> str:
    """Text reduced to its letters for similarity: width-folded, case-folded, no punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in folded if is_word_char(char))


_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uff65“”"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}:,;?!])")
_SPACE_AFTER_HAN_PUNCT = re.compile(r"(?<=[\u4e00-\u9fff][:,;?!]) +(?=[\u4e00-\u9fff“])")
_HALF_WIDTH_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_WIDTH_BETWEEN_HAN = re.compile(
    r"(?<=[\u4e00-\u9fff”）)》])([,:;?!])(?=[\u4e00-\u9fff“”（《]|$)"
)


def tidy_chinese(text: str) -> str:
    """Remove spaces a PDF or a filter left between Han characters; full-width punctuation.

    Only ever applied to Chinese documents: Korean separates words with spaces.
    """
    text = _SPACE_BETWEEN_HAN.sub("", text)
    text = _SPACE_AFTER_HAN_PUNCT.sub("", text)
    text = _HALF_WIDTH_BETWEEN_HAN.sub(lambda match: _HALF_WIDTH_TO_FULL[match.group(1)], text)
    # 旳 is not used in modern Chinese; some document sites swap it in for 的.
    return text.replace("旳", "的")


def join_wrapped(first: str, second: str) -> str:
    """Join two pieces of a hard-wrapped line: a space only between alphabetic scripts."""
    if not first or not second:
        return first + second
    left, right = first[-1], second[0]
    needs_space = (left.isalnum() and not is_han(left)) and (right.isalnum() and not is_han(right))
    return f"{first} {second}" if needs_space else first + second
