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
from collections.abc import Callable
from functools import partial
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
_VARIANT_TRIGGERS: Final = re.compile("[" + "".join(sorted({key[0] for key in VARIANTS})) + "]")

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


class _Keep(dict[str, int]):
    """Per character: 1 if it becomes one character, 0 if it disappears (learnt lazily)."""

    def __missing__(self, char: str) -> int:
        value = _TABLE[ord(char)]
        size = 1 if value == _SPECIAL else len(value)
        self[char] = size
        return size


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
        self.keep: dict[str, int] = _Keep()
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

    def cleaned(self, code: int) -> str:
        """The normalised form of one character, learnt if new."""
        result = self.clean.get(code)
        if result is None:
            self.__missing__(code)
            result = self.clean[code]
        return result


_TABLE: Final = _Table()
# The per-character table, for callers that normalise pieces of a one-to-one text.
TABLE: Final[dict[int, str]] = _TABLE


# --- the scripts replies are written in, learnt in bulk ----------------------------------
#
# ``str.translate`` looks every character up in the table, about 50 ns a character.
# For the scripts replies are written in, which characters stay exactly as they are
# and which disappear is worked out in bulk on first use, so that a reply is
# normalised by regex passes in C: keep the runs of characters that do not disappear,
# then send the few runs that are not known to stay as they are (traditional
# characters, full-width forms, capitals, anything rarer) through the table. Both
# classes only ever hold characters whose table value is known, so the result is the
# table's whatever the text; a character left out of them only costs time.

_BULK_RANGES: Final = (
    (0x0000, 0x00FF),  # ASCII and Latin-1
    (0x2000, 0x206F),  # general punctuation: quotes, dashes, ellipses, zero-width spaces
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3130, 0x318F),  # Hangul compatibility jamo (kept as typed)
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms, small forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)
# Blocks up to this size are learnt character by character through the table.
_SMALL_BLOCK: Final = 1024


class _Bulk:
    """Regexes over the characters learnt in bulk (see ``_learn_in_bulk``)."""

    __slots__ = ("dropped", "dropped_chars", "kept_runs", "settle", "unsettled_runs")

    def __init__(self, same: list[tuple[int, int]], dropped: list[tuple[int, int]]) -> None:
        #: ranges of the characters known to disappear, and the characters
        self.dropped = dropped
        self.dropped_chars = frozenset(
            chr(code) for first, last in dropped for code in range(first, last + 1)
        )
        self.kept_runs: re.Pattern[str] = re.compile(runs_of(f"[^{character_class(dropped)}]"))
        self.unsettled_runs: re.Pattern[str] = re.compile(runs_of(f"[^{character_class(same)}]"))
        #: the runs not known to stay as typed, through the table (sub, bound once)
        self.settle: Callable[[Callable[[re.Match[str]], str], str], str] = self.unsettled_runs.sub


class _Learnt:
    """Holds the classes once learnt (a module constant, cheap to reach when compiled)."""

    __slots__ = ("classes",)

    def __init__(self) -> None:
        self.classes: _Bulk | None = None


_BULK: Final = _Learnt()


def bulk() -> _Bulk:
    """The classes learnt in bulk, worked out on first use (~20 ms, once per process)."""
    classes = _BULK.classes
    if classes is None:
        classes = _BULK.classes = _Bulk(*_learn_in_bulk(_BULK_RANGES))
    return classes


def dropped_chars() -> frozenset[str]:
    """Every character known to disappear (see ``bulk``)."""
    return bulk().dropped_chars


def dropped_class(except_chars: str) -> str:
    """The inside of a regex character class: every character known to disappear,
    except ``except_chars``."""
    excepted = set(map(ord, except_chars))
    codes = [
        code
        for first, last in bulk().dropped
        for code in range(first, last + 1)
        if code not in excepted
    ]
    return character_class(_ranges(codes))


def respell(text: str) -> str:
    """``text`` with the variant spellings (VARIANTS) replaced, as ``normalise`` does."""
    if _VARIANT_TRIGGERS.search(text) is None:
        return text
    return _VARIANT_RE.sub(_variant, text)


def _learn_in_bulk(
    ranges: tuple[tuple[int, int], ...],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Code ranges the table maps to themselves, and ranges it maps to nothing.

    Small blocks go through the table itself. A large block whose characters are all
    letters or marks that NFKC, case folding and decomposition leave alone (CJK
    ideographs, Hangul syllables) keeps every character OpenCC leaves alone.
    """
    same: list[int] = []
    dropped: list[int] = []
    for low, high in ranges:
        block = "".join(map(chr, range(low, high + 1)))
        if len(block) > _SMALL_BLOCK and _stays_as_typed(block):
            same.extend(_unchanged_by_t2s(block))
            continue
        for char in block:
            value = _TABLE[ord(char)]
            if value == char:
                same.append(ord(char))
            elif not value:
                dropped.append(ord(char))
    # A variant spelling starts with one of these: text with none of them needs no
    # variant pass.
    triggers = {ord(key[0]) for key in VARIANTS}
    return _ranges([code for code in same if code not in triggers]), _ranges(dropped)


def _stays_as_typed(block: str) -> bool:
    """Whether every character of ``block`` is kept and only t2s could change it."""
    return (
        not _overlaps(block, _KEEP_AS_IS + _JAMO_JOINERS)
        and block.casefold() == block
        and all(map(_IS_NFKC, block))
        and max(map(unicodedata.combining, block)) == 0
        and max(map(unicodedata.combining, _first_of_each_decomposition(block))) == 0
        and all(category[0] not in _DROPPED_CATEGORIES for category in _categories(block))
    )


_IS_NFKC: Final = partial(unicodedata.is_normalized, "NFKC")


def _overlaps(block: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    """Whether the block of consecutive characters meets any of ``ranges``."""
    first, last = ord(block[0]), ord(block[-1])
    return any(low <= last and first <= high for low, high in ranges)


def _first_of_each_decomposition(block: str) -> str:
    # NFKD never moves anything across a line break (a starter), so one call gives
    # each character's own decomposition.
    parts = unicodedata.normalize("NFKD", "\n".join(block)).split("\n")
    return "".join(part[:1] for part in parts)


def _categories(block: str) -> set[str]:
    return set(map(unicodedata.category, block))


def _unchanged_by_t2s(block: str) -> list[int]:
    """Codes of the characters of ``block`` OpenCC t2s leaves alone, in one call.

    A line break is in no OpenCC phrase, so each character between line breaks is
    converted as it would be alone.
    """
    converted = _T2S.convert("\n".join(block)).split("\n")
    if len(converted) != len(block):  # pragma: no cover - learn nothing rather than guess
        return []
    return [ord(char) for char, result in zip(block, converted, strict=True) if char == result]


def _ranges(codes: list[int]) -> list[tuple[int, int]]:
    """Sorted codes collapsed into (first, last) ranges."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def runs_of(char_class: str) -> str:
    """A regex for runs of ``char_class``, written ``[x][x]*`` rather than ``[x]+``.

    A pattern that starts with a character class lets the regex engine skip, in a
    tight loop, the characters that cannot start a match; one that starts with a
    repeat tries a match at every position, about twice as slow.
    """
    return f"{char_class}{char_class}*"


def character_class(ranges: list[tuple[int, int]]) -> str:
    """The inside of a regex character class matching exactly the ``ranges``."""
    return "".join(
        _class_char(first) if first == last else f"{_class_char(first)}-{_class_char(last)}"
        for first, last in ranges
    )


def _class_char(code: int) -> str:
    char = chr(code)
    # Written as themselves (an escape per character makes compiling slower), except
    # what a class gives meaning to and what is not printable.
    return char if char.isprintable() and char not in "\\]^-[" else f"\\U{code:08x}"


class Normalised:
    """A normalised text and the map back to the original.

    ``text`` is what phrases are matched against. ``to_original(start, end)`` turns a
    half-open range of ``text`` into the half-open range of ``original`` that
    produced it. ``plain`` is True when every character of the original is known to
    disappear or to stay exactly as typed (no variant spelling either): ``text`` is
    then the original with characters dropped. False only means "not known".
    """

    __slots__ = ("_ends", "_starts", "original", "plain", "text")

    def __init__(
        self,
        original: str,
        text: str,
        starts: list[int] | None,
        ends: list[int] | None,
        plain: bool = False,
    ) -> None:
        self.original = original
        self.text = text
        self._starts = starts
        self._ends = ends
        self.plain = plain

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
    classes = _BULK.classes
    if classes is None:
        classes = bulk()
    # The runs of characters that do not disappear (spaces, the commonest, go first,
    # in one pass: the regex stops at every run); then, through the table, the runs
    # not known to stay as they are. The same as translating the whole text.
    kept = "".join(classes.kept_runs.findall(text.replace(" ", "")))
    settler = _Settler()
    folded = classes.settle(settler, kept)
    if folded is kept:
        # Nothing to change (sub hands back its argument): every character kept
        # stays as typed, and none starts a variant spelling.
        return Normalised(text, kept, None, None, True)
    if _SPECIAL in folded:
        folded, starts, ends = _slow_path(text)
        return Normalised(text, respell(folded), starts, ends)
    # A variant spelling starts with a character that never stays as typed, so only
    # the runs just translated can hold one.
    return Normalised(text, respell(folded) if settler.respell else folded, None, None)


class _Settler:
    """Translates the runs ``normalise`` finds, noting whether one may start a variant."""

    __slots__ = ("respell",)

    def __init__(self) -> None:
        self.respell = False

    def __call__(self, match: re.Match[str]) -> str:
        run: str = match.group().translate(_TABLE)
        if not self.respell and _VARIANT_TRIGGERS.search(run) is not None:
            self.respell = True
        return run


def _variant(match: re.Match[str]) -> str:
    return VARIANTS[match.group()]


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
    for start, end in _clusters(text) if text else ():
        chunk = text[start:end]
        result = _TABLE.cleaned(ord(chunk)) if end - start == 1 else _clean(chunk)
        if result:
            pieces.append(result)
            starts.extend([start] * len(result))
            ends.extend([end] * len(result))
    return "".join(pieces), starts, ends
