"""Text normalisation with a map back to the original text.

Replies and phrases go through the same function, so a phrase matches whenever the
reply says the same words, whatever the width, case, script variant, spacing or
punctuation. Every normalised character remembers which original characters it came
from, so matches can be highlighted in the text the learner typed.

What normalisation does, per character (results are cached in a translate table):

1. NFKC (full-width letters and digits become ASCII, compatibility forms fold), then
   case folding, then NFKC again (case folding may leave unnormalised text).
2. Traditional → simplified Chinese, character by character through OpenCC ``t2s``.
   Character level is deliberate: phrases and replies are folded the same way, so the
   result is consistent even where phrase-level conversion would pick another
   character. A small variant table then fixes spellings OpenCC leaves alone
   (甚麼 → 甚么 → 什么, 妳 → 你 ...).
3. Spaces, punctuation (ASCII, full-width, CJK), symbols and emoji, control and
   format characters (zero-width spaces, BOM, soft hyphen) and lone surrogates are
   dropped.

Decomposed Hangul and other combining sequences are composed as a cluster first, so
``죄송`` typed as conjoining jamo matches ``죄송``. Hangul compatibility jamo
(ㅋㅋ, ㅠㅠ) are kept as they are: NFKC would turn them into conjoining jamo that fuse
with their neighbours.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from itertools import compress
from typing import Final

import opencc

__all__ = ["Normalised", "normalise"]

_T2S: Final = opencc.OpenCC("t2s")

# Spellings that character-level t2s leaves alone or gets wrong for matching.
# Keys and values have the same length, which keeps the offset map valid.
VARIANTS: Final[dict[str, str]] = {
    "甚么": "什么",
    "瞭解": "了解",
    "彷佛": "仿佛",
    "妳": "你",
    "祇": "只",
    "衹": "只",
    "麽": "么",
    "著急": "着急",
}
for _key, _value in VARIANTS.items():
    if len(_key) != len(_value):  # pragma: no cover - guards future edits of the table
        raise ValueError(f"variant {_key!r} → {_value!r} must keep the length")
_VARIANT_RE: Final = re.compile("|".join(sorted(map(re.escape, VARIANTS), key=len, reverse=True)))
_VARIANT_TRIGGERS: Final = tuple(sorted({key[0] for key in VARIANTS}))

_DROPPED_CATEGORIES: Final = frozenset("PZCS")

# Hangul vowel and final-consonant jamo attach to the preceding initial consonant.
_JAMO_JOINERS: Final = (
    (0x1160, 0x11FF),
    (0xD7B0, 0xD7FF),
)
# Compatibility / half-width jamo stay as typed (see module docstring).
_KEEP_AS_IS: Final = ((0x3130, 0x318F), (0xFFA0, 0xFFDC))


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _fold(chunk: str) -> str:
    """Normalise one character or one combining cluster (no dropping yet)."""
    if len(chunk) == 1 and _in_ranges(ord(chunk), _KEEP_AS_IS):
        return chunk
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", chunk).casefold())
    if folded.isascii():
        return folded
    return "".join(_T2S.convert(char) if not char.isascii() else char for char in folded)


def _keep(char: str) -> bool:
    return unicodedata.category(char)[0] not in _DROPPED_CATEGORIES


def _clean(chunk: str) -> str:
    try:
        folded = _fold(chunk)
    except UnicodeError:  # lone surrogates cannot reach the C++ converter
        return ""
    kept = "".join(char for char in folded if _keep(char))
    # A mark whose base was dropped (or never there) would fuse with whatever
    # happens to precede it in the normalised text: drop it too.
    while kept and _joins_previous(kept[0]):
        kept = kept[1:]
    return kept


def _joins_previous(char: str) -> bool:
    """True when NFKC may fuse this character with the one before it."""
    code = ord(char)
    if _in_ranges(code, _JAMO_JOINERS):
        return True
    if unicodedata.combining(char):
        return True
    decomposed = unicodedata.normalize("NFKD", char)
    return bool(decomposed) and decomposed != char and unicodedata.combining(decomposed[0]) > 0


# Marks a character that needs the slow path; a control character, so it can never
# be part of a normalised text.
_SPECIAL: Final = "\x00"


class _Table(dict[int, str]):
    """Lazily learnt per-character normalisation, shared by every call.

    Used directly as the ``str.translate`` table: an unseen character is learnt on
    first lookup. Characters that expand to several characters or combine with a
    neighbour translate to ``_SPECIAL`` and send the text down the slow path.
    ``keep`` says whether a character survives as one character (1) or disappears
    (0); ``clean`` holds every learnt character's normalised form.
    """

    def __init__(self) -> None:
        super().__init__()
        self.keep: dict[str, int] = {}
        self.clean: dict[int, str] = {}

    def __missing__(self, code: int) -> str:
        char = chr(code)
        result = _clean(char)
        self.clean[code] = result
        if _joins_previous(char) or len(result) > 1:
            value = _SPECIAL
        else:
            self.keep[char] = len(result)
            value = result
        self[code] = value
        return value


_TABLE: Final = _Table()
# The per-character table, for callers that normalise pieces of a one-to-one text.
TABLE: Final[dict[int, str]] = _TABLE


class Normalised:
    """A normalised text and the map back to the original.

    ``text`` is what phrases are matched against. ``to_original(start, end)`` turns a
    half-open range of ``text`` into the half-open range of ``original`` that
    produced it.
    """

    __slots__ = ("_ends", "_starts", "original", "text")

    def __init__(
        self,
        original: str,
        text: str,
        starts: list[int] | None,
        ends: list[int] | None,
    ) -> None:
        self.original = original
        self.text = text
        self._starts = starts
        self._ends = ends

    def __repr__(self) -> str:
        return f"Normalised({self.text!r})"

    @property
    def one_to_one(self) -> bool:
        """True when every original character became zero or one character.

        Then a piece of the original normalises on its own, ``piece.translate(TABLE)``,
        to exactly the characters it contributes to ``text``.
        """
        return self._ends is None

    def origin_starts(self) -> list[int]:
        """For each normalised character, the offset of the original it came from."""
        if self._starts is None:
            # Fast path: every original character became zero or one character.
            keep = _TABLE.keep
            self._starts = list(
                compress(range(len(self.original)), map(keep.__getitem__, self.original))
            )
        return self._starts

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised range [start, end)."""
        if end <= start:
            position = self.original_position(start)
            return position, position
        starts = self.origin_starts()
        origin_start = starts[start]
        origin_end = self._ends[end - 1] if self._ends is not None else starts[end - 1] + 1
        return origin_start, origin_end

    def original_position(self, index: int) -> int:
        """Original offset where normalised index ``index`` begins (len at the end)."""
        starts = self.origin_starts()
        if index < len(starts):
            return starts[index]
        return len(self.original)

    def normalised_position(self, original_index: int) -> int:
        """Number of normalised characters produced before ``original_index``."""
        return bisect_left(self.origin_starts(), original_index)


def normalise(text: str) -> Normalised:
    """Normalise ``text`` for matching; see the module docstring for the rules.

    >>> normalise("ＮＩＨＡＯ，您好！").text
    'nihao您好'
    """
    folded = text.translate(_TABLE)
    starts = ends = None
    if _SPECIAL in folded:
        folded, starts, ends = _slow_path(text)
    for trigger in _VARIANT_TRIGGERS:  # a few substring tests beat a regex scan
        if trigger in folded:
            folded = _VARIANT_RE.sub(lambda match: VARIANTS[match.group()], folded)
            break
    return Normalised(text, folded, starts, ends)


def _clusters(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not _joins_previous(text[index]):
            bounds.append((start, index))
            start = index
    return bounds


def _slow_path(text: str) -> tuple[str, list[int], list[int]]:
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    clean = _TABLE.clean
    for start, end in _clusters(text) if text else ():
        chunk = text[start:end]
        result = clean[ord(chunk)] if end - start == 1 else _clean(chunk)
        if result:
            pieces.append(result)
            starts.extend([start] * len(result))
            ends.extend([end] * len(result))
    return "".join(pieces), starts, ends
