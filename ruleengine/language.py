"""Built-in detectors that are not phrase lists: sentences, register, questions, time frames.

All functions work on a ``Normalised`` text and return ranges of the normalised text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Final

from .normalise import (
    TABLE,
    Normalised,
    bulk,
    dropped_chars,
    dropped_class,
    runs_of,
)

__all__ = [
    "Sentence",
    "asks_question",
    "clause_ends",
    "has_time_frame",
    "impolite_clauses",
    "impolite_spans",
    "is_impolite",
    "question_spans",
    "split_sentences",
    "time_frame_spans",
]

# Sentence ends: CJK and ASCII terminators, ellipses and line breaks. An ASCII full
# stop between two digits is a decimal point, not a sentence end (checked in _split:
# a lookbehind in the pattern would slow every search down).
_SENTENCE_CHARS: Final = "。！？；!?;…\n\r｡︒﹒﹖﹗."
# Clause ends add commas: 반말 hides in "알았어, 기다려" as well as at a full stop.
_CLAUSE_CHARS: Final = _SENTENCE_CHARS + ",，、､﹐﹑"
_CLAUSE_SET: Final = frozenset(_CLAUSE_CHARS)


class _Terminators:
    """One kind of cut: runs of its terminators, the same captured for re.split, and
    (built on first use) what ``_cut_fast`` needs."""

    __slots__ = ("chars", "ends", "merged", "others", "splitter")

    def __init__(self, chars: str) -> None:
        self.chars = chars
        terminator = f"[{re.escape(chars)}]"
        self.ends: re.Pattern[str] = re.compile(runs_of(terminator))
        self.splitter: re.Pattern[str] = re.compile(f"({runs_of(terminator)})")
        # Runs of what normalisation drops, except these terminators; and such a run
        # between two terminators.
        self.others: re.Pattern[str] | None = None
        self.merged: re.Pattern[str] | None = None

    def learn(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        others, merged = self.others, self.merged
        if others is None or merged is None:
            dropped = dropped_class(self.chars)
            terminator = f"[{re.escape(self.chars)}]"
            others = self.others = re.compile(runs_of(f"[^{dropped}]"))
            merged = self.merged = re.compile(f"{terminator}[{dropped}]+{terminator}")
        return others, merged


_SENTENCES: Final = _Terminators(_SENTENCE_CHARS)
_CLAUSES: Final = _Terminators(_CLAUSE_CHARS)
_QUESTION_MARKS: Final = frozenset("?？﹖")
_QUESTION_MARK: Final = re.compile("[?？﹖]")
# Cuts that pause a sentence without ending it: commas and ellipses (also "..").
_PAUSE_CHARS: Final = frozenset(",，、､﹐﹑…⋯")

# A non-empty sentence as (start, end, ends_with_a_question_mark), in normalised
# offsets. Plain tuples: they are built for every reply.
Sentence = tuple[int, int, bool]


def _split(
    normalised: Normalised, cuts: _Terminators, flag: Callable[[str], bool]
) -> tuple[Sentence, ...]:
    """Pieces cut at runs of terminators, each flagged by ``flag(terminator)``."""
    if normalised.one_to_one:
        return _split_pieces(normalised, cuts, flag)
    original = normalised.original
    starts = normalised.origin_starts()
    pieces: list[Sentence] = []
    previous = 0
    for match in cuts.ends.finditer(original):
        begin, end = match.span()
        if (
            end - begin == 1
            and original[begin] == "."
            and begin > 0
            and end < len(original)
            and original[begin - 1].isdigit()
            and original[end].isdigit()
        ):
            continue  # 3.5
        cut = bisect_left(starts, end)
        if cut > previous:
            pieces.append((previous, cut, flag(match.group())))
            previous = cut
    size = len(normalised.text)
    if size > previous:
        pieces.append((previous, size, False))
    return tuple(pieces)


def _split_pieces(
    normalised: Normalised, cuts: _Terminators, flag: Callable[[str], bool]
) -> tuple[Sentence, ...]:
    """``_split`` for a text whose characters each became zero or one character.

    The same cuts, found by splitting the original once and normalising each piece
    on its own (its length is what the piece contributes): no offset map.
    """
    pieces, terminators, cleaned = _cut(normalised, cuts)
    sentences: list[Sentence] = []
    previous = cut = 0
    for index, terminator in enumerate(terminators):
        cut += len(cleaned[index])
        if terminator == "." and pieces[index][-1:].isdigit() and pieces[index + 1][:1].isdigit():
            continue  # 3.5
        if cut > previous:
            sentences.append((previous, cut, flag(terminator)))
            previous = cut
    cut += len(cleaned[-1])
    if cut > previous:
        sentences.append((previous, cut, False))
    return tuple(sentences)


def _cut(
    normalised: Normalised, cuts: _Terminators, texts: bool = False
) -> tuple[list[str], list[str], list[str]]:
    """A one-to-one text cut at terminators: pieces, terminators, pieces normalised.

    Terminators are punctuation, which normalisation drops, so the normalised pieces
    make up the normalised text. Without ``texts`` only their lengths are sure.
    """
    cut = _cut_fast(normalised, cuts, texts)
    if cut is not None:
        return cut
    parts = cuts.splitter.split(normalised.original)
    pieces = parts[0::2]
    return pieces, parts[1::2], [piece.translate(TABLE) for piece in pieces]


def _cut_fast(
    normalised: Normalised, cuts: _Terminators, texts: bool
) -> tuple[list[str], list[str], list[str]] | None:
    """``_cut`` without normalising the pieces one by one, or None.

    Dropping what normalisation is known to drop, except the terminators, leaves
    each piece as long as what it contributes to the normalised text; a dropped
    character not known would make it longer, which the total length shows. Of a
    plain text (``Normalised.plain``) the pieces are then the normalised ones. Two
    cases go the exact way: dropped characters between two terminators (dropping
    them merges the two) and a full stop that now stands between digits (3 .5 is no
    decimal point, 3.5 is).
    """
    original = normalised.original
    others, merged = cuts.learn()
    if merged.search(original) is not None:
        return None
    # (Spaces, the commonest, go first in one pass: the regex stops at every run.)
    parts = cuts.splitter.split("".join(others.findall(original.replace(" ", ""))))
    pieces = parts[0::2]
    terminators = parts[1::2]
    if "." in terminators:
        for index, terminator in enumerate(terminators):
            if (
                terminator == "."
                and pieces[index][-1:].isdigit()
                and pieces[index + 1][:1].isdigit()
            ):
                return None  # perhaps a decimal point: the exact way decides
    if sum(map(len, pieces)) != len(normalised.text):
        return None
    if texts and not normalised.plain:
        return pieces, terminators, [piece.translate(TABLE) for piece in pieces]
    return pieces, terminators, pieces


def _asks(terminator: str) -> bool:
    """A question mark among the terminators: the sentence asks something."""
    return not _QUESTION_MARKS.isdisjoint(terminator)


def _pauses(terminator: str) -> bool:
    """A comma or a trailing-off ellipsis: the sentence goes on after it."""
    if _PAUSE_CHARS.issuperset(terminator):
        return True
    return len(terminator) > 1 and terminator.count(".") == len(terminator)


def split_sentences(normalised: Normalised) -> tuple[Sentence, ...]:
    """Sentences cut at CJK and ASCII sentence punctuation (。！？；… .?! line breaks).

    A piece that normalises to nothing (only punctuation or emoji) is not a sentence.
    """
    return _split(normalised, _SENTENCES, _asks)


def clause_ends(normalised: Normalised) -> tuple[Sentence, ...]:
    """Like ``split_sentences`` but also cutting at commas (，、,).

    The flag of a clause says whether it was cut at a pause (a comma or an ellipsis)
    with more of the sentence after it, rather than at the end of a sentence.
    """
    return _split(normalised, _CLAUSES, _pauses)


# --- register ------------------------------------------------------------------------

# 迷你 ("mini") contains 你 without addressing anyone.
# (The look-behind comes after 你 so that the search can skip ahead to each 你.)
_ZH_YOU: Final = re.compile(r"你(?<!迷你)(?:们|好)?")

_KO_POLITE_ENDINGS: Final = ("요", "니다", "니까", "시오", "죠", "소서")
_KO_POLITE_WORDS: Final = frozenset({"네", "예", "아니요", "아니오"})
# 반말 endings (해체/해라체) and bare 반말 words. Sentences ending in a noun match
# none of these and are left alone.
_KO_BANMAL_ENDINGS: Final = (
    "거든",
    "는데",
    "잖아",
    "해",
    "야",
    "냐",
    "지",
    "자",
    "라",
    "래",
    "게",
    "걸",
    "군",
    "네",
    "다",
    "어",
    "아",
    "줘",
    "봐",
    "돼",
    "와",
    "까",
    "려",
    "워",
    "져",
    "쳐",
    "겨",
    "셔",
    "마",
)
_KO_BANMAL_WORDS: Final = frozenset({"응", "어", "야", "그래", "뭐", "왜", "아니", "됐어"})
_KO_INTERJECTIONS: Final = frozenset({"아", "어", "음", "오", "아이고", "어머"})


def _hangul_tail(clause: str) -> str:
    """The run of Hangul syllables the clause ends with ('' if none).

    Callers pass the last few characters only, so a backward walk is short.
    """
    start = len(clause)
    while start and "가" <= clause[start - 1] <= "힣":
        start -= 1
    return clause[start:]


def _ko_banmal(clause: str) -> bool:
    if clause.endswith(_KO_POLITE_ENDINGS):
        return False  # the common case, decided without looking further
    # The last five syllables are enough: the longest ending or bare word checked
    # below is three syllables long.
    word = _hangul_tail(clause[-5:])
    if not word:
        return False
    if word in _KO_POLITE_WORDS or word.endswith(_KO_POLITE_ENDINGS):
        return False
    if word in _KO_BANMAL_WORDS:
        return True
    if word in _KO_INTERJECTIONS or len(word) < 2:
        return False
    return word.endswith(_KO_BANMAL_ENDINGS)


# Connective endings join two clauses of one sentence (잘 들리지 않는데, 다시 …;
# 확인해 보니, …; 크게 들리게, …). Before a pause they end nothing, so they say nothing
# about the register: the sentence-final ending does. At the end of a sentence the same
# forms are 반말 trailing off (안 계시는데.), and stay so.
_KO_CONNECTIVE_ENDINGS: Final = (
    "데",
    "지만",
    "고",
    "서",
    "면",
    "니까",
    "니",
    "도록",
    "며",
    "면서",
    "거나",
    "려고",
    "러",
    "다가",
    "자마자",
    "더라도",
    "도",
    "므로",
    "기에",
    "든지",
)
_HANGUL_BASE: Final = 0xAC00
_FINAL_NIEUN: Final = 4  # ㄴ as a final consonant: 는지 / 은지 / 인지 ask "whether"
_FINAL_RIEUL: Final = 8  # ㄹ as a final consonant: 줄게 / 드릴게 promise, in 반말


def _final_consonant(syllable: str) -> int:
    """Index of a Hangul syllable's final consonant (0: none; -1: not a syllable)."""
    code = ord(syllable) - _HANGUL_BASE
    return code % 28 if 0 <= code < 11172 else -1


def _ko_connective(clause: str) -> bool:
    """Whether a clause ends in a connective ending rather than a sentence ending."""
    if clause.endswith(_KO_CONNECTIVE_ENDINGS):
        return True
    if len(clause) < 2 or clause[-1] not in "게지":
        return False
    final = _final_consonant(clause[-2])
    if clause[-1] == "지":
        return final == _FINAL_NIEUN  # 되는지, 어떤 건지 — not 그렇지, 맞지
    return final not in (_FINAL_RIEUL, -1)  # 들리게, 편하게 — not 줄게, 할게


class _KoEnds:
    """Where the clauses of a plain text could end in 반말, found on the REVERSED text.

    A 반말 clause ends in the last syllable of a 반말 ending or word (never 요, nor
    the last syllable of a polite ending such as 니다 right after the rest of it),
    followed only by dropped characters up to a clause terminator or the end.
    Reversed, such an end starts with a terminator, which is rare, so the search
    skips ahead in C; and the clause's last syllables follow, so the match takes
    them too (group 1, with the dropped characters among them): up to five
    normalised characters, all that _ko_banmal and _ko_connective read. Built on
    first use, from the characters normalisation drops.
    """

    __slots__ = ("after_terminator", "alnum_kept", "at_start", "dropped")

    def __init__(self) -> None:
        lasts = {word[-1] for word in (*_KO_BANMAL_ENDINGS, *_KO_BANMAL_WORDS)}
        lasts -= {ending for ending in _KO_POLITE_ENDINGS if len(ending) == 1}
        polite = "".join(f"(?!{ending[::-1]})" for ending in _KO_POLITE_ENDINGS if len(ending) > 1)
        others = dropped_class(_CLAUSE_CHARS)  # dropped, not clause terminators
        kept = f"[^{dropped_class('')}]"
        tail = f"([{''.join(sorted(lasts))}](?:[{others}]*{kept}){{0,4}})"
        self.after_terminator: re.Pattern[str] = re.compile(
            f"[{re.escape(_CLAUSE_CHARS)}][{others}]*{polite}{tail}"
        )
        self.at_start: re.Pattern[str] = re.compile(f"[{others}]*{polite}{tail}")
        self.dropped: re.Pattern[str] = re.compile(f"[{others}]*")
        # No letter or digit is dropped: a run of them is all kept.
        self.alnum_kept = not any(char.isalnum() for char in dropped_chars())


class _Later:
    """Holds what is built on first use (a module constant, cheap to reach compiled)."""

    __slots__ = ("ko_ends",)

    def __init__(self) -> None:
        self.ko_ends: _KoEnds | None = None


_LATER: Final = _Later()


def impolite_spans(normalised: Normalised, language: str) -> list[tuple[int, int]]:
    """Where the reply drops the polite register (empty list: polite throughout).

    zh: every 你 / 你们 / 你好 (the caller is addressed as 您). ko: clauses ending in
    반말 (알았어, 기다려, 뭐야 ...), highlighted on their last few syllables; a clause
    that pauses on a connective ending (-는데, -지만, -고 ... before a comma) is part of
    a longer sentence and is judged by that sentence's ending. Other languages have no
    register rule.
    """
    if language == "zh":
        if "你" not in normalised.text:
            return []
        return [match.span() for match in _ZH_YOU.finditer(normalised.text)]
    if language != "ko":
        return []
    if normalised.plain and not is_impolite(normalised, language):
        return []  # the quick answer, exact for a plain text
    return impolite_clauses(normalised)


def impolite_clauses(normalised: Normalised) -> list[tuple[int, int]]:
    """``impolite_spans`` of a Korean reply, without the quick check first (for a
    reply already known to be impolite)."""
    spans: list[tuple[int, int]] = []
    # A connective clause is excused only if another clause follows it.
    pending: tuple[int, int] | None = None
    for end, paused, clause in _ko_clauses(normalised):
        pending = None
        if not _ko_banmal(clause):
            continue
        tail = _hangul_tail(clause[-3:])
        span = (end - min(len(tail), 3), end)
        if paused and _ko_connective(clause):
            pending = span
        else:
            spans.append(span)
    if pending is not None:
        spans.append(pending)
    return spans


def is_impolite(normalised: Normalised, language: str) -> bool:
    """Whether ``impolite_spans`` finds anything, without listing what."""
    if language == "zh":
        text = normalised.text
        return "你" in text and _ZH_YOU.search(text) is not None
    if language != "ko":
        return False
    if not normalised.plain:
        return bool(impolite_spans(normalised, language))
    ends = _LATER.ko_ends
    if ends is None:
        ends = _LATER.ko_ends = _KoEnds()
    original = normalised.original
    reverse = original[::-1]
    last = ends.at_start.match(reverse)
    if last is not None and _ko_banmal(_ko_tail(original, reverse, last, ends)):
        return True  # the last clause: 반말 whatever it ends in
    for match in ends.after_terminator.finditer(reverse):
        clause = _ko_tail(original, reverse, match, ends)
        if _ko_banmal(clause) and _ko_offends(original, len(original) - match.start(), clause):
            return True
    return False


def _ko_tail(original: str, reverse: str, match: re.Match[str], ends: _KoEnds) -> str:
    """The last five (or fewer) normalised characters of a candidate clause."""
    taken = match.group(1).replace(" ", "")
    if not (taken.isalnum() and ends.alnum_kept):
        taken = "".join(bulk().kept_runs.findall(taken))  # drop what else is dropped
    if len(taken) < 5:
        # The clause starts where the match stopped, unless that is a full stop
        # between digits (no terminator): then walk the original, which checks.
        stop = ends.dropped.match(reverse, match.end(1))
        if stop is not None and reverse[stop.end() : stop.end() + 1] == ".":
            return _clause_tail(original, len(original) - 1 - match.start(1))
    return taken[::-1]


def _ko_offends(original: str, after: int, clause: str) -> bool:
    """Whether a 반말 clause of a plain text that a terminator ends counts, as in
    ``impolite_spans``: a connective clause cut at a pause is excused unless no
    clause follows it. ``after`` is just past the terminator's first character."""
    terminator = _CLAUSES.ends.match(original, after - 1)
    assert terminator is not None
    if not (_pauses(terminator.group()) and _ko_connective(clause)):
        return True
    return bulk().kept_runs.search(original, terminator.end()) is None


def _clause_tail(original: str, last: int) -> str:
    """The last five (or fewer) normalised characters of the clause of a plain text
    that ends with the character at ``last``."""
    dropped = dropped_chars()
    chars = [original[last]]
    index = last - 1
    while index >= 0 and len(chars) < 5:
        char = original[index]
        if char in _CLAUSE_SET:
            if not (
                char == "."
                and index + 1 < len(original)
                and original[index - 1 : index].isdigit()
                and original[index + 1].isdigit()
            ):
                break  # the clause starts after this terminator (3.5 is no terminator)
        elif char not in dropped:
            chars.append(char)
        index -= 1
    chars.reverse()
    return "".join(chars)


def _ko_clauses(normalised: Normalised) -> Iterator[tuple[int, bool, str]]:
    """(end, paused at a comma or ellipsis, normalised text) of each non-empty clause.

    The same clauses as ``clause_ends``; for a one-to-one text each piece of the
    original is normalised on its own, which spares the offset map.
    """
    if not normalised.one_to_one:
        text = normalised.text
        for start, end, paused in clause_ends(normalised):
            yield end, paused, text[start:end]
        return
    pieces, terminators, cleaned = _cut(normalised, _CLAUSES, texts=True)
    clause = ""
    cut = 0
    for index, terminator in enumerate(terminators):
        clause += cleaned[index]
        if terminator == "." and pieces[index][-1:].isdigit() and pieces[index + 1][:1].isdigit():
            continue  # 3.5
        if clause:
            cut += len(clause)
            yield cut, _pauses(terminator), clause
            clause = ""
    clause += cleaned[-1]
    if clause:
        yield cut + len(clause), False, clause


# --- questions -----------------------------------------------------------------------

_ZH_QUESTION: Final = re.compile(
    r"吗|是否|请问|能否|可否|好不好|是不是|可不可以|要不要|行不行|对不对|有没有|怎么样|"
    r"什么|哪|多少|呢$"
)
# The same words wherever they stand (呢 only counts at the end of a sentence).
_ZH_QUESTION_ANYWHERE: Final = re.compile(_ZH_QUESTION.pattern.replace("呢$", "呢"))
_KO_QUESTION_ENDINGS: Final = (
    "까",
    "까요",
    "나요",
    "가요",
    "니까",
    "을래요",
    "실래요",
    "시겠어요",
    "신가요",
    "어떠세요",
    "괜찮으세요",
)
_EN_QUESTION: Final = re.compile(
    r"^(?:could|would|can|may|shall|will|do|does|did|is|are|was|were|have|has)"
    r"(?:you|i|we|it|there|this|that)|anythingelse|howcanihelp|whatcanido"
)


def question_spans(normalised: Normalised, language: str) -> list[tuple[int, int]]:
    """Sentences that ask the caller something: ending in ? / ？ or worded as a question."""
    text = normalised.text
    if language == "ko":
        return [
            (start, end)
            for start, end, asked in split_sentences(normalised)
            if asked or text.endswith(_KO_QUESTION_ENDINGS, start, end)
        ]
    if language == "zh":
        # (No anchor or look-behind in the pattern: searching within the bounds is
        # searching the slice.)
        return [
            (start, end)
            for start, end, asked in split_sentences(normalised)
            if asked or _ZH_QUESTION.search(text, start, end)
        ]
    return [
        (start, end)
        for start, end, asked in split_sentences(normalised)
        if asked or _EN_QUESTION.search(text[start:end])
    ]


def asks_question(normalised: Normalised, language: str) -> bool:
    """Whether ``question_spans`` finds anything, without listing what.

    No question mark and no question word anywhere: no sentence asks anything.
    """
    if _QUESTION_MARK.search(normalised.original) is None and not _may_ask(
        normalised.text, language
    ):
        return False
    if language not in ("zh", "ko"):
        return bool(question_spans(normalised, language))
    text = normalised.text
    for start, end, asked in split_sentences(normalised):
        if asked:
            return True
        if language == "ko":
            if text.endswith(_KO_QUESTION_ENDINGS, start, end):
                return True
        elif _ZH_QUESTION.search(text, start, end):
            return True
    return False


def _may_ask(text: str, language: str) -> bool:
    if language == "ko":
        return any(ending in text for ending in _KO_QUESTION_ENDINGS)
    if language == "zh":
        return _ZH_QUESTION_ANYWHERE.search(text) is not None
    return True


# --- time frames ---------------------------------------------------------------------

# 马上 / 尽快 / 稍后 / 一会儿 promise nothing and are deliberately absent. 一点 is
# left out of the clock times because it also means "a little", 半天 because it
# also means "for ages".
# Every alternative starts with a literal character: the regex engine then skips the
# characters no alternative starts with in C. ``[0-9]+X`` is written as one
# alternative per first digit (see _per_first_char); the matches are the same.
_ZH_WITHIN: Final = r"(?:之内|以内|内|后|之后|左右)?"
_ZH_CLOCK: Final = r"点(?:钟|半|前|之前|以前|[0-9]+分)?"
_ZH_COUNT: Final = r"个?(?:分钟|小时|钟头|工作日|天|日|周|星期|礼拜|月)" + _ZH_WITHIN
_ZH_NUMERALS: Final = "一二两三四五六七八九十百"
_DIGITS: Final = "0123456789"


def _per_first_char(chars: str, rest: str) -> str:
    """``[chars]rest`` as one alternative per first character (same matches)."""
    return "|".join(char + rest for char in chars)


_ZH_TIME: Final = re.compile(
    r"今天|今日|今晚|明天|明日|明早|明晚|后天|本周|这周|下周|周末|本月|下个?月|月底|月初"
    r"|周[一二三四五六日天1-7]|星期[一二三四五六日天1-7]|礼拜[一二三四五六日天1-7]"
    f"|{_per_first_char(_DIGITS, '[0-9]*' + _ZH_COUNT)}"
    f"|{_per_first_char(_ZH_NUMERALS, f'[{_ZH_NUMERALS}]*' + _ZH_COUNT)}"
    f"|半个?(?:小时|钟头|工作日|月){_ZH_WITHIN}"
    f"|{_per_first_char(_DIGITS, '[0-9]?' + _ZH_CLOCK)}"
    f"|{_per_first_char('两三四五六七八九十', _ZH_CLOCK)}"
    f"|十[一二]{_ZH_CLOCK}"
    r"|上午|下午|中午|傍晚|晚上|早上"
)
_KO_COUNT: Final = r"[0-9]*(?:분|시간|일|주|개월|달|시)(?:안에|이내|내|후|뒤|까지|정도)?"
_KO_TIME: Final = re.compile(
    r"오늘|내일|모레|금일|익일|이번주|다음주|금주|차주|이번달|다음달|주말|오전|오후"
    f"|{_per_first_char(_DIGITS, _KO_COUNT)}"
    r"|한시간|두시간|세시간|네시간|다섯시간|여섯시간|일곱시간|여덟시간|아홉시간|열시간"
    r"|하루|이틀|사흘|나흘|일주일|한달"
)
_EN_TIME: Final = re.compile(
    r"today|tomorrow|tonight|thismorning|thisafternoon|thisevening|thisweek|nextweek"
    r"|endoftheday|endofday|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|(?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty"
    r"|an|half(?:an)?)(?:minutes?|mins?|hours?|hrs?|days?|businessdays?|workingdays?|weeks?)"
    r"|[0-9]{1,2}(?:am|pm|oclock)"
)


_TIME_PATTERNS: Final = {"zh": _ZH_TIME, "ko": _KO_TIME}


def has_time_frame(normalised: Normalised, language: str) -> bool:
    """Whether ``time_frame_spans`` finds anything, without listing what."""
    return _TIME_PATTERNS.get(language, _EN_TIME).search(normalised.text) is not None


def time_frame_spans(normalised: Normalised, language: str) -> list[tuple[int, int]]:
    """Where the reply commits to a time (今天, 两个工作日内, 3분, 내일 ...)."""
    pattern = _TIME_PATTERNS.get(language, _EN_TIME)
    return [match.span() for match in pattern.finditer(normalised.text)]
