"""Built-in detectors that are not phrase lists: sentences, register, questions, time frames.

All functions work on a ``Normalised`` text and return ranges of the normalised text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Final

from .normalise import TABLE, Normalised

__all__ = [
    "Sentence",
    "clause_ends",
    "impolite_spans",
    "question_spans",
    "split_sentences",
    "time_frame_spans",
]

# Sentence ends: CJK and ASCII terminators, ellipses and line breaks. An ASCII full
# stop between two digits is a decimal point, not a sentence end (checked in _split:
# a lookbehind here would slow every search down).
_SENTENCE_END: Final = re.compile(r"[。！？；!?;…\n\r｡︒﹒﹖﹗.]+")
# Clause ends add commas: 반말 hides in "알았어, 기다려" as well as at a full stop.
_CLAUSE_END: Final = re.compile(r"[。！？；!?;…\n\r｡︒﹒﹖﹗.,，、､﹐﹑]+")
# The same patterns with the terminator captured, for re.split.
_SPLITTERS: Final = {
    pattern: re.compile(f"({pattern.pattern})") for pattern in (_SENTENCE_END, _CLAUSE_END)
}
_QUESTION_MARKS: Final = frozenset("?？﹖")
# Cuts that pause a sentence without ending it: commas and ellipses (also "..").
_PAUSE_CHARS: Final = frozenset(",，、､﹐﹑…⋯")

# A non-empty sentence as (start, end, ends_with_a_question_mark), in normalised
# offsets. Plain tuples: they are built for every reply.
Sentence = tuple[int, int, bool]


def _split(
    normalised: Normalised, pattern: re.Pattern[str], flag: Callable[[str], bool]
) -> tuple[Sentence, ...]:
    """Pieces cut where ``pattern`` matches, each flagged by ``flag(terminator)``."""
    if normalised.one_to_one:
        return _split_pieces(normalised, _SPLITTERS[pattern], flag)
    original = normalised.original
    starts = normalised.origin_starts()
    pieces: list[Sentence] = []
    previous = 0
    for match in pattern.finditer(original):
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
    normalised: Normalised, splitter: re.Pattern[str], flag: Callable[[str], bool]
) -> tuple[Sentence, ...]:
    """``_split`` for a text whose characters each became zero or one character.

    The same cuts, found by splitting the original once and normalising each piece
    with the shared table (its length is what the piece contributes): no offset map.
    Terminators are punctuation, which normalisation drops.
    """
    parts = splitter.split(normalised.original)
    pieces: list[Sentence] = []
    previous = cut = 0
    last = len(parts) - 1
    for index in range(0, last, 2):
        text = parts[index]
        cut += len(text.translate(TABLE))
        terminator = parts[index + 1]
        if terminator == "." and text[-1:].isdigit() and parts[index + 2][:1].isdigit():
            continue  # 3.5
        if cut > previous:
            pieces.append((previous, cut, flag(terminator)))
            previous = cut
    cut += len(parts[last].translate(TABLE))
    if cut > previous:
        pieces.append((previous, cut, False))
    return tuple(pieces)


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
    return _split(normalised, _SENTENCE_END, _asks)


def clause_ends(normalised: Normalised) -> tuple[Sentence, ...]:
    """Like ``split_sentences`` but also cutting at commas (，、,).

    The flag of a clause says whether it was cut at a pause (a comma or an ellipsis)
    with more of the sentence after it, rather than at the end of a sentence.
    """
    return _split(normalised, _CLAUSE_END, _pauses)


# --- register ------------------------------------------------------------------------

# 迷你 ("mini") contains 你 without addressing anyone.
_ZH_YOU: Final = re.compile(r"(?<!迷)你(?:们|好)?")

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
_HANGUL_RUN: Final = re.compile(r"[가-힣]+")


def _hangul_tail(clause: str) -> str:
    """The run of Hangul syllables the clause ends with ('' if none).

    Matched on the reversed clause: an end-anchored search would retry at every
    position of a long clause.
    """
    match = _HANGUL_RUN.match(clause[::-1])
    return match.group()[::-1] if match else ""


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


def impolite_spans(normalised: Normalised, language: str) -> list[tuple[int, int]]:
    """Where the reply drops the polite register (empty list: polite throughout).

    zh: every 你 / 你们 / 你好 (the caller is addressed as 您). ko: clauses ending in
    반말 (알았어, 기다려, 뭐야 ...), highlighted on their last few syllables; a clause
    that pauses on a connective ending (-는데, -지만, -고 ... before a comma) is part of
    a longer sentence and is judged by that sentence's ending. Other languages have no
    register rule.
    """
    if language == "zh":
        return [match.span() for match in _ZH_YOU.finditer(normalised.text)]
    if language != "ko":
        return []
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
    parts = _SPLITTERS[_CLAUSE_END].split(normalised.original)
    clause = ""
    cut = 0
    last = len(parts) - 1
    for index in range(0, last, 2):
        piece = parts[index]
        clause += piece.translate(TABLE)
        terminator = parts[index + 1]
        if terminator == "." and piece[-1:].isdigit() and parts[index + 2][:1].isdigit():
            continue  # 3.5
        if clause:
            cut += len(clause)
            yield cut, _pauses(terminator), clause
            clause = ""
    clause += parts[last].translate(TABLE)
    if clause:
        yield cut + len(clause), False, clause


# --- questions -----------------------------------------------------------------------

_ZH_QUESTION: Final = re.compile(
    r"吗|是否|请问|能否|可否|好不好|是不是|可不可以|要不要|行不行|对不对|有没有|怎么样|"
    r"什么|哪|多少|呢$"
)
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
            if asked or text[start:end].endswith(_KO_QUESTION_ENDINGS)
        ]
    pattern = _ZH_QUESTION if language == "zh" else _EN_QUESTION
    return [
        (start, end)
        for start, end, asked in split_sentences(normalised)
        if asked or pattern.search(text[start:end])
    ]


# --- time frames ---------------------------------------------------------------------

# 马上 / 尽快 / 稍后 / 一会儿 promise nothing and are deliberately absent. 一点 is
# left out of the clock times because it also means "a little", 半天 because it
# also means "for ages".
_ZH_TIME: Final = re.compile(
    r"今天|今日|今晚|明天|明日|明早|明晚|后天|本周|这周|下周|周末|本月|下个?月|月底|月初"
    r"|(?:周|星期|礼拜)[一二三四五六日天1-7]"
    r"|(?:[0-9]+|[一二两三四五六七八九十百]+)个?"
    r"(?:分钟|小时|钟头|工作日|天|日|周|星期|礼拜|月)(?:之内|以内|内|后|之后|左右)?"
    r"|半个?(?:小时|钟头|工作日|月)(?:之内|以内|内|后|之后|左右)?"
    r"|(?:[0-9]{1,2}|[两三四五六七八九十]|十[一二])点(?:钟|半|前|之前|以前|[0-9]+分)?"
    r"|上午|下午|中午|傍晚|晚上|早上"
)
_KO_TIME: Final = re.compile(
    r"오늘|내일|모레|금일|익일|이번주|다음주|금주|차주|이번달|다음달|주말|오전|오후"
    r"|[0-9]+(?:분|시간|일|주|개월|달|시)(?:안에|이내|내|후|뒤|까지|정도)?"
    r"|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)시간"
    r"|하루|이틀|사흘|나흘|일주일|한달"
)
_EN_TIME: Final = re.compile(
    r"today|tomorrow|tonight|thismorning|thisafternoon|thisevening|thisweek|nextweek"
    r"|endoftheday|endofday|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|(?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty"
    r"|an|half(?:an)?)(?:minutes?|mins?|hours?|hrs?|days?|businessdays?|workingdays?|weeks?)"
    r"|[0-9]{1,2}(?:am|pm|oclock)"
)


def time_frame_spans(normalised: Normalised, language: str) -> list[tuple[int, int]]:
    """Where the reply commits to a time (今天, 两个工作日内, 3분, 내일 ...)."""
    pattern = {"zh": _ZH_TIME, "ko": _KO_TIME}.get(language, _EN_TIME)
    return [match.span() for match in pattern.finditer(normalised.text)]
