"""Opt-in typo tolerance: one edit, never on protected characters.

A rule with ``fuzzy: true`` also accepts its phrases of 4+ characters with one typo:
one substituted, missing or extra character for Chinese (不知到 for 不知道), one
wrong, missing or extra jamo inside one syllable for Korean (감사함니다 for
감사합니다). Characters that carry the meaning of a reply are protected and never
take part in an edit: 您 and 你 (so 您好 and 你好 are never typos of each other),
negations (不 没 别 无 未 非 勿 莫 否, 안 못) and numbers.

Finding candidates: a phrase within one edit of some text always contains its first
half or its second half unchanged, so both halves go into the automaton as anchors
and only windows around an anchor hit are compared.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "MIN_FUZZY_LENGTH",
    "PROTECTED",
    "anchors",
    "find_near",
    "is_hangul",
    "within_one_edit",
]

MIN_FUZZY_LENGTH: Final = 4

PROTECTED: Final[frozenset[str]] = frozenset(
    "您你妳不没沒别別无無未非勿莫否안못0123456789零一二两兩三四五六七八九十百千万萬亿億半几幾"
)

_HANGUL_FIRST: Final = 0xAC00
_HANGUL_LAST: Final = 0xD7A3


def is_hangul(char: str) -> bool:
    return _HANGUL_FIRST <= ord(char) <= _HANGUL_LAST


def jamo(syllable: str) -> tuple[int, ...]:
    """Initial, vowel and (when present) final jamo indexes of a Hangul syllable."""
    index = ord(syllable) - _HANGUL_FIRST
    initial, rest = divmod(index, 21 * 28)
    vowel, final = divmod(rest, 28)
    # Offsets keep the three jamo classes apart, so ㄱ-initial never equals ㄱ-final.
    return (initial, 100 + vowel, 200 + final) if final else (initial, 100 + vowel)


def _one_edit(left: tuple[int, ...] | str, right: tuple[int, ...] | str) -> bool:
    """True when the sequences differ by at most one insertion, deletion or swap-in."""
    if len(left) < len(right):
        left, right = right, left
    if len(left) - len(right) > 1:
        return False
    for index, (a, b) in enumerate(zip(left, right, strict=False)):
        if a != b:
            if len(left) == len(right):
                return left[index + 1 :] == right[index + 1 :]
            return left[index + 1 :] == right[index:]
    return True


def _same_length(candidate: str, phrase: str) -> bool:
    differences = [(a, b) for a, b in zip(candidate, phrase, strict=True) if a != b]
    if len(differences) != 1:
        return not differences
    a, b = differences[0]
    if a in PROTECTED or b in PROTECTED:
        return False
    if is_hangul(a) and is_hangul(b):
        return _one_edit(jamo(a), jamo(b))
    # A Hangul syllable is several keystrokes: swapping it whole is more than a typo.
    return not (is_hangul(a) or is_hangul(b))


def _one_extra(longer: str, shorter: str) -> bool:
    for index, (a, b) in enumerate(zip(longer, shorter, strict=False)):
        if a != b:
            return longer[index + 1 :] == shorter[index:] and _removable(longer[index])
    return _removable(longer[-1])


def _removable(char: str) -> bool:
    return char not in PROTECTED and not is_hangul(char)


def within_one_edit(candidate: str, phrase: str) -> bool:
    """True when ``candidate`` is ``phrase`` or one allowed typo away from it."""
    if candidate == phrase:
        return True
    if len(candidate) == len(phrase):
        return _same_length(candidate, phrase)
    if len(candidate) == len(phrase) + 1:
        return _one_extra(candidate, phrase)
    if len(candidate) + 1 == len(phrase):
        return _one_extra(phrase, candidate)
    return False


def anchors(phrase: str) -> tuple[str, str]:
    """The two halves that locate candidate typos of ``phrase``."""
    middle = len(phrase) // 2
    return phrase[:middle], phrase[middle:]


def find_near(text: str, phrase: str, starts: list[int], ends: list[int]) -> list[tuple[int, int]]:
    """(start, end) windows of ``text`` within one edit of ``phrase``.

    ``starts`` are offsets where the phrase's first half occurs, ``ends`` offsets
    where its second half ends; the exact length is preferred, then one less or more.
    """
    size = len(phrase)
    found: set[tuple[int, int]] = set()
    lengths = (size, size - 1, size + 1)
    for start in starts:
        for length in lengths:
            window = text[start : start + length]
            if len(window) == length and within_one_edit(window, phrase):
                found.add((start, start + length))
                break
    for end in ends:
        for length in lengths:
            begin = end - length
            if begin >= 0 and within_one_edit(text[begin:end], phrase):
                found.add((begin, end))
                break
    return sorted(found)
