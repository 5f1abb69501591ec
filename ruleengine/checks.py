"""Compiled checks and the per-reply context they read.

Every check returns ``(status, ranges)``: ``status`` is PASS, FAIL or NA and
``ranges`` are the normalised (start, end) ranges that explain it. A check is
*static* when its result depends only on which phrases occur where; static checks
are pre-evaluated for a reply with no phrase at all, so the grader only re-runs
them when one of their phrases occurs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Final, NamedTuple, Union, cast

from . import fuzzy, language
from .language import Sentence
from .normalise import Normalised
from .verdict import Span

__all__ = [
    "FAIL",
    "NA",
    "PASS",
    "AllOf",
    "AnyOf",
    "AsksQuestion",
    "Check",
    "Context",
    "Deferred",
    "Explanation",
    "Forbids",
    "FuzzyPhrase",
    "Hits",
    "LazySpans",
    "Length",
    "Near",
    "Not",
    "Order",
    "PhraseSet",
    "Position",
    "Register",
    "RequiresAll",
    "RequiresAny",
    "ResponseTime",
    "Result",
    "TimeFrame",
]

PASS: Final = 0
FAIL: Final = 1
NA: Final = 2

Range = tuple[int, int]
# What a check points at, resolved into spans only when someone reads them: concrete
# normalised ranges, "every occurrence of this phrase set", or several of these.
Explanation = Union[list[Range], "PhraseSet", tuple["Explanation", ...], "Deferred"]
Result = tuple[int, Explanation]

_NO_RANGES: Final[list[Range]] = []


class FuzzyPhrase(NamedTuple):
    """A phrase of a fuzzy rule, with the automaton ids of its two halves."""

    phrase_id: int
    text: str
    head_id: int
    tail_id: int


class PhraseSet:
    """A compiled phrase list: automaton ids, plus typo-tolerant phrases if fuzzy.

    The compiler interns phrase sets, so rules sharing a concept share the object
    and a reply computes its occurrences once.
    """

    __slots__ = ("fuzzy", "ids", "order")

    def __init__(self, ids: Iterable[int], fuzzy_phrases: Iterable[FuzzyPhrase] = ()) -> None:
        self.order: tuple[int, ...] = tuple(sorted(set(ids)))
        self.ids: frozenset[int] = frozenset(self.order)
        self.fuzzy: tuple[FuzzyPhrase, ...] = tuple(fuzzy_phrases)

    def all_ids(self) -> frozenset[int]:
        anchors = {anchor for item in self.fuzzy for anchor in (item.head_id, item.tail_id)}
        return self.ids | anchors


class Hits:
    """The automaton's matches in one reply: ``found`` phrase ids, ends on demand.

    Most checks only ask whether a phrase occurs; grouping the matches by phrase
    (for positions and highlights) waits until something asks where.
    """

    __slots__ = ("_ends", "found", "pairs")

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        self.pairs = pairs  # (inclusive end, phrase id), in text order
        # (Typed ``object`` as in ``table``: compiled, the ids are not converted.)
        matches: Sequence[tuple[object, object]] = pairs
        found: set[object] = set()
        for match in matches:
            found.add(match[1])
        self.found = cast("set[int]", found)
        self._ends: dict[int, list[int]] | None = None

    def ends(self, phrase_id: int) -> list[int]:
        """Inclusive end offsets of one phrase's occurrences, in text order."""
        return (self._ends or self.table()).get(phrase_id, _NO_ENDS)

    def table(self) -> dict[int, list[int]]:
        """Phrase id → inclusive end offsets, built on first use."""
        table = self._ends
        if table is None:
            # Typed ``object`` so that compiled code moves the numbers the automaton
            # gave as they are, without turning each into a native int and back.
            pairs: Sequence[tuple[object, object]] = self.pairs
            built: dict[object, list[object]] = {}
            for end, found_id in pairs:
                ends = built.get(found_id)
                if ends is None:
                    built[found_id] = [end]
                else:
                    ends.append(end)
            table = self._ends = cast("dict[int, list[int]]", built)
        return table

    def add(self, phrase_id: int, ends: list[int]) -> None:
        """Record a derived phrase (e.g. a word-bounded variant) and its ends."""
        self.table()[phrase_id] = ends
        self.found.add(phrase_id)


_NO_ENDS: Final[list[int]] = []


class Context:
    """What the checks of one reply read: the normalised text and its phrase hits.

    ``hits`` holds the automaton's matches (see ``Hits``).

    Occurrences, spans and the whole-text detectors are computed at most once per
    reply and shared by every rule that asks.
    """

    __slots__ = (
        "_asks",
        "_fuzzy_cache",
        "_impolite",
        "_memo",
        "_occurrences",
        "_sentences",
        "_spans",
        "_time_frame",
        "found",
        "hits",
        "language",
        "lengths",
        "normalised",
        "response_seconds",
        "text",
    )

    def __init__(
        self,
        normalised: Normalised,
        hits: Hits,
        lengths: Sequence[int],
        language: str,
        response_seconds: float | None,
    ) -> None:
        self.normalised = normalised
        self.text = normalised.text
        self.hits = hits
        self.found = hits.found
        self.lengths = lengths
        self.language = language
        self.response_seconds = response_seconds
        # Caches, made on first use: most replies need few of them.
        self._sentences: tuple[Sentence, ...] | None = None
        self._fuzzy_cache: dict[int, list[Range]] | None = None
        self._occurrences: dict[PhraseSet, list[Range]] | None = None
        self._spans: dict[Range, Span] | None = None
        self._memo: dict[str, list[Range]] | None = None
        self._impolite: bool | None = None
        self._asks: bool | None = None
        self._time_frame: bool | None = None

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        if self._sentences is None:
            self._sentences = language.split_sentences(self.normalised)
        return self._sentences

    def detected(
        self, name: str, detector: Callable[[Normalised, str], list[Range]]
    ) -> list[Range]:
        """The result of a whole-text detector, computed once per reply."""
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        found = memo.get(name)
        if found is None:
            found = memo[name] = detector(self.normalised, self.language)
        return found

    # The whole-text yes/no detectors, each computed once per reply.

    def impolite(self) -> bool:
        found = self._impolite
        if found is None:
            found = self._impolite = language.is_impolite(self.normalised, self.language)
        return found

    def asks_question(self) -> bool:
        found = self._asks
        if found is None:
            found = self._asks = language.asks_question(self.normalised, self.language)
        return found

    def has_time_frame(self) -> bool:
        found = self._time_frame
        if found is None:
            found = self._time_frame = language.has_time_frame(self.normalised, self.language)
        return found

    def present(self, phrases: PhraseSet) -> bool:
        """Whether any phrase of the set occurs (cheaper than listing occurrences)."""
        if phrases.fuzzy:
            return bool(self.occurrences(phrases))
        return not self.found.isdisjoint(phrases.ids)

    def ranges(self, explanation: Explanation) -> list[Range]:
        """The normalised ranges an explanation stands for."""
        if isinstance(explanation, PhraseSet):
            return self.occurrences(explanation)
        if isinstance(explanation, tuple):
            return [item for part in explanation for item in self.ranges(part)]
        if isinstance(explanation, Deferred):
            return self.ranges(explanation.finish(self))
        return explanation

    def occurrences(self, phrases: PhraseSet) -> list[Range]:
        """Sorted (start, end) ranges of every occurrence of any phrase of the set."""
        cache = self._occurrences
        if cache is None:
            cache = self._occurrences = {}
        found = cache.get(phrases)
        if found is None:
            found = cache[phrases] = self._find(phrases)
        return found

    def _find(self, phrases: PhraseSet) -> list[Range]:
        hits = self.hits
        # Intersecting two sets walks the smaller one.
        present = hits.found & phrases.ids
        if not present and not phrases.fuzzy:
            return _NO_RANGES
        lengths = self.lengths
        table = hits.table()
        found: list[Range] = []
        for phrase_id in present:
            size = lengths[phrase_id] - 1
            found.extend([(end - size, end + 1) for end in table[phrase_id]])
        for item in phrases.fuzzy:
            found.extend(self._near_misses(item))
        if len(present) > 1 or phrases.fuzzy:
            found = sorted(set(found))
        return found

    def _near_misses(self, item: FuzzyPhrase) -> list[Range]:
        cache = self._fuzzy_cache
        if cache is None:
            cache = self._fuzzy_cache = {}
        cached = cache.get(item.phrase_id)
        if cached is None:
            heads = self.hits.ends(item.head_id)
            tails = self.hits.ends(item.tail_id)
            if heads or tails:
                head_size = self.lengths[item.head_id] - 1
                starts = [end - head_size for end in heads]
                ends = [end + 1 for end in tails]
                cached = fuzzy.find_near(self.text, item.text, starts, ends)
            else:
                cached = []
            cache[item.phrase_id] = cached
        return cached

    def spans(self, ranges: list[Range]) -> tuple[Span, ...]:
        """Original-text spans of normalised ranges; a range inside another is dropped."""
        if len(ranges) == 1:
            return (self._span(ranges[0]),)
        kept: list[Range] = []
        reach = -1
        for start, end in sorted(set(ranges)):
            if end <= reach:
                continue
            if kept and kept[-1][0] == start:
                kept[-1] = (start, end)  # same start, longer: the shorter one is inside
            else:
                kept.append((start, end))
            reach = end
        spans = [self._span(item) for item in kept]
        return tuple(
            span
            for index, span in enumerate(spans)
            if index == 0
            or spans[index - 1].end != span.end
            or spans[index - 1].start != span.start
        )

    def _span(self, item: Range) -> Span:
        cache = self._spans
        if cache is None:
            cache = self._spans = {}
        span = cache.get(item)
        if span is None:
            begin, finish = self.normalised.to_original(item[0], item[1])
            span = cache[item] = Span(begin, finish, self.normalised.original[begin:finish])
        return span


class LazySpans:
    """The spans of one outcome, worked out from its explanation on first read."""

    __slots__ = ("context", "explanation")

    def __init__(self, context: Context, explanation: Explanation) -> None:
        self.context = context
        self.explanation = explanation

    def resolve(self) -> tuple[Span, ...]:
        ranges = self.context.ranges(self.explanation)
        return self.context.spans(ranges) if ranges else ()


class Check:
    """Base class of compiled checks."""

    __slots__ = ()
    dynamic: bool = False

    def evaluate(self, context: Context) -> Result:
        raise NotImplementedError

    def phrase_ids(self) -> frozenset[int]:
        return frozenset()


def _first(ranges: list[Range]) -> Range | None:
    return ranges[0] if ranges else None


class RequiresAny(Check):
    __slots__ = ("phrases",)

    def __init__(self, phrases: PhraseSet) -> None:
        self.phrases = phrases

    def evaluate(self, context: Context) -> Result:
        # Occurrences are listed lazily, when the highlights are read.
        return (PASS, self.phrases) if context.present(self.phrases) else (FAIL, _NO_RANGES)

    def phrase_ids(self) -> frozenset[int]:
        return self.phrases.all_ids()


class RequiresAll(Check):
    __slots__ = ("items",)

    def __init__(self, items: Sequence[PhraseSet]) -> None:
        self.items = tuple(items)

    def evaluate(self, context: Context) -> Result:
        for item in self.items:
            if not context.present(item):
                return FAIL, _NO_RANGES
        return PASS, self.items

    def phrase_ids(self) -> frozenset[int]:
        return frozenset().union(*[item.all_ids() for item in self.items])


class Forbids(Check):
    __slots__ = ("allow", "followed", "phrases", "plain", "preceded", "unless", "window")

    def __init__(
        self,
        phrases: PhraseSet,
        *,
        preceded: PhraseSet | None = None,
        followed: PhraseSet | None = None,
        allow: PhraseSet | None = None,
        unless: PhraseSet | None = None,
        window: int = 6,
    ) -> None:
        self.phrases = phrases
        self.preceded = preceded
        self.followed = followed
        self.allow = allow
        self.unless = unless
        self.window = window
        # Without occurrence guards every occurrence offends: no need to list them.
        self.plain = preceded is None and followed is None and allow is None

    def evaluate(self, context: Context) -> Result:
        if not context.present(self.phrases):
            return PASS, _NO_RANGES
        if self.unless is not None and context.present(self.unless):
            return PASS, _NO_RANGES
        if self.plain:
            return FAIL, self.phrases
        found = context.occurrences(self.phrases)
        surviving = [span for span in found if not self._excused(span, context)]
        return (FAIL, surviving) if surviving else (PASS, _NO_RANGES)

    def _excused(self, span: Range, context: Context) -> bool:
        start, end = span
        window = self.window
        if self.allow is not None:
            for allow_start, allow_end in context.occurrences(self.allow):
                if allow_start <= start and end <= allow_end and (allow_start, allow_end) != span:
                    return True
        if self.preceded is not None:
            for guard_start, guard_end in context.occurrences(self.preceded):
                if guard_start < start and start - window <= guard_end <= end:
                    return True
        if self.followed is not None:
            for guard_start, guard_end in context.occurrences(self.followed):
                if guard_end > end and start <= guard_start <= end + window:
                    return True
        return False

    def phrase_ids(self) -> frozenset[int]:
        guards = (self.preceded, self.followed, self.allow, self.unless)
        ids = self.phrases.all_ids()
        return ids.union(*[guard.all_ids() for guard in guards if guard is not None])


class Order(Check):
    __slots__ = ("first", "then")

    def __init__(self, first: PhraseSet, then: PhraseSet) -> None:
        self.first = first
        self.then = then

    def evaluate(self, context: Context) -> Result:
        then = _first(context.occurrences(self.then))
        if then is None:
            return NA, _NO_RANGES
        first = _first(context.occurrences(self.first))
        if first is None:
            return FAIL, [then]
        return (PASS if first[0] < then[0] else FAIL), [first, then]

    def phrase_ids(self) -> frozenset[int]:
        return self.first.all_ids() | self.then.all_ids()


class Position(Check):
    """A phrase within the first N characters / sentences, or in the last sentence."""

    __slots__ = ("at_end", "phrases", "within_chars", "within_sentences")

    def __init__(
        self,
        phrases: PhraseSet,
        *,
        within_chars: int | None = None,
        within_sentences: int | None = None,
        at_end: bool = False,
    ) -> None:
        self.phrases = phrases
        self.within_chars = within_chars
        self.within_sentences = within_sentences
        self.at_end = at_end

    def evaluate(self, context: Context) -> Result:
        found = context.occurrences(self.phrases)
        if not found:
            return FAIL, _NO_RANGES
        if self.within_chars is not None:
            inside = [span for span in found if span[0] < self.within_chars]
        else:
            sentences = context.sentences
            if self.at_end:
                last_start = sentences[-1][0] if sentences else 0
                inside = [span for span in found if span[0] >= last_start]
            else:
                count = self.within_sentences or 0
                limit = sentences[count - 1][1] if len(sentences) >= count else len(context.text)
                inside = [span for span in found if span[0] < limit]
        return (PASS, inside) if inside else (FAIL, _NO_RANGES)

    def phrase_ids(self) -> frozenset[int]:
        return self.phrases.all_ids()


class Near(Check):
    __slots__ = ("a", "b", "within")

    def __init__(self, a: PhraseSet, b: PhraseSet, within: int) -> None:
        self.a = a
        self.b = b
        self.within = within

    def evaluate(self, context: Context) -> Result:
        found_a = context.occurrences(self.a)
        found_b = context.occurrences(self.b) if found_a else _NO_RANGES
        best: tuple[int, Range, Range] | None = None
        for span_a in found_a:
            for span_b in found_b:
                gap = max(0, span_b[0] - span_a[1], span_a[0] - span_b[1])
                if best is None or gap < best[0]:
                    best = (gap, span_a, span_b)
        if best is not None and best[0] <= self.within:
            return PASS, [best[1], best[2]]
        return FAIL, _NO_RANGES

    def phrase_ids(self) -> frozenset[int]:
        return self.a.all_ids() | self.b.all_ids()


class Register(Check):
    __slots__ = ()
    dynamic = True

    def evaluate(self, context: Context) -> Result:
        if context.language not in ("zh", "ko"):
            return NA, _NO_RANGES
        if context.impolite():
            return FAIL, (_IMPOLITE_KO if context.language == "ko" else _IMPOLITE)
        return PASS, _NO_RANGES


class Length(Check):
    __slots__ = ("maximum", "minimum")
    dynamic = True

    def __init__(self, minimum: int | None, maximum: int | None) -> None:
        self.minimum = minimum
        self.maximum = maximum

    def evaluate(self, context: Context) -> Result:
        size = len(context.text)
        too_short = self.minimum is not None and size < self.minimum
        too_long = self.maximum is not None and size > self.maximum
        return (FAIL if too_short or too_long else PASS), _NO_RANGES


class AsksQuestion(Check):
    __slots__ = ("expected",)
    dynamic = True

    def __init__(self, expected: bool) -> None:
        self.expected = expected

    def evaluate(self, context: Context) -> Result:
        if context.asks_question():
            return (PASS if self.expected else FAIL), _QUESTIONS
        return (FAIL if self.expected else PASS), _NO_RANGES


class TimeFrame(Check):
    __slots__ = ("expected",)
    dynamic = True

    def __init__(self, expected: bool) -> None:
        self.expected = expected

    def evaluate(self, context: Context) -> Result:
        if context.has_time_frame():
            return (PASS if self.expected else FAIL), _TIME_FRAMES
        return (FAIL if self.expected else PASS), _NO_RANGES


class ResponseTime(Check):
    __slots__ = ("max_seconds",)
    dynamic = True

    def __init__(self, max_seconds: float) -> None:
        self.max_seconds = max_seconds

    def evaluate(self, context: Context) -> Result:
        if context.response_seconds is None:
            return NA, _NO_RANGES
        return (PASS if context.response_seconds <= self.max_seconds else FAIL), _NO_RANGES


class Deferred:
    """An explanation worked out only when the highlights are read.

    Deciding a status takes less than listing what explains it: whether a reply
    has any 반말 clause, not where each one is.
    """

    __slots__ = ()

    def finish(self, context: Context) -> Explanation:
        raise NotImplementedError


class _DetectedSpans(Deferred):
    """Everything a whole-text detector finds."""

    __slots__ = ("detector", "name")

    def __init__(self, name: str, detector: Callable[[Normalised, str], list[Range]]) -> None:
        self.name = name
        self.detector = detector

    def finish(self, context: Context) -> Explanation:
        return context.detected(self.name, self.detector)


def _impolite_clauses(normalised: Normalised, _language: str) -> list[Range]:
    return language.impolite_clauses(normalised)


class _DecidingChildren(Deferred):
    """The children of a combination with the status that decided it, in order.

    A combination is decided as soon as one child has the deciding status (any pass
    for ``any``, any failure for ``all``); the children that read the whole text are
    asked last, so they are often never asked while grading.
    """

    __slots__ = ("children", "status")

    def __init__(self, children: tuple[Check, ...], status: int) -> None:
        self.children = children
        self.status = status

    def finish(self, context: Context) -> Explanation:
        status = self.status
        results = [child.evaluate(context) for child in self.children]
        return tuple(why for child_status, why in results if child_status == status)


_IMPOLITE: Final = _DetectedSpans("register", language.impolite_spans)
# A Korean reply graded impolite needs no quick check before its clauses are listed.
_IMPOLITE_KO: Final = _DetectedSpans("register", _impolite_clauses)
_QUESTIONS: Final = _DetectedSpans("question", language.question_spans)
_TIME_FRAMES: Final = _DetectedSpans("time_frame", language.time_frame_spans)


class _Combination(Check):
    __slots__ = ("children", "deciding", "dynamic", "order")

    def __init__(self, children: Sequence[Check], deciding: int) -> None:
        self.children = tuple(children)
        self.dynamic = any(child.dynamic for child in self.children)
        # The status that decides the combination, and the order children are asked
        # in: those that only look up phrases before those that read the whole text.
        self.deciding = deciding
        self.order = tuple(
            sorted(range(len(self.children)), key=lambda index: self.children[index].dynamic)
        )

    def phrase_ids(self) -> frozenset[int]:
        return frozenset().union(*[child.phrase_ids() for child in self.children])

    def evaluate(self, context: Context) -> Result:
        deciding = self.deciding
        children = self.children
        results = [_NOT_ASKED] * len(children)
        for index in self.order:
            result = children[index].evaluate(context)
            if result[0] == deciding:
                return deciding, _DecidingChildren(children, deciding)
            results[index] = result
        other = FAIL if deciding == PASS else PASS
        parts = tuple(why for status, why in results if status == other)
        if parts:
            return other, parts
        return NA, _NO_RANGES


_NOT_ASKED: Final[Result] = (NA, _NO_RANGES)


class AllOf(_Combination):
    """Fails if any child fails; passes if some child passes; NA when all are NA."""

    __slots__ = ()

    def __init__(self, children: Sequence[Check]) -> None:
        super().__init__(children, FAIL)


class AnyOf(_Combination):
    """Passes if any child passes; fails if some child fails; NA when all are NA."""

    __slots__ = ()

    def __init__(self, children: Sequence[Check]) -> None:
        super().__init__(children, PASS)


class Not(Check):
    __slots__ = ("child", "dynamic")

    def __init__(self, child: Check) -> None:
        self.child = child
        self.dynamic = child.dynamic

    def evaluate(self, context: Context) -> Result:
        status, ranges = self.child.evaluate(context)
        if status == NA:
            return NA, ranges
        return (FAIL if status == PASS else PASS), ranges

    def phrase_ids(self) -> frozenset[int]:
        return self.child.phrase_ids()
