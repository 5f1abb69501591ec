"""Rule packs: validation and compilation into one automaton plus rule evaluators."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, cast

import ahocorasick

from . import fuzzy
from ._yaml import LineDict, LineList, YamlProblem, load
from .catalogue import LANGUAGES, SCENARIO_SLUGS, SEVERITIES, Language, Severity
from .checks import (
    NA,
    PASS,
    AllOf,
    AnyOf,
    AsksQuestion,
    Check,
    Forbids,
    FuzzyPhrase,
    Hits,
    Length,
    Near,
    Not,
    Order,
    PhraseSet,
    Position,
    Register,
    RequiresAll,
    RequiresAny,
    ResponseTime,
    TimeFrame,
)
from .errors import PackError, PackIssue
from .normalise import normalise
from .verdict import Citation, Judgement, Localised, RuleOutcome

__all__ = ["DEFAULT_PASS_SCORE", "CompiledPack", "Rule", "compile_pack"]

DEFAULT_PASS_SCORE: Final = 60
DEFAULT_WINDOW: Final = 6

_FILE_KEYS: Final = frozenset({"language", "concepts", "rules", "pass_scores"})
_RULE_KEYS: Final = frozenset(
    {
        "id",
        "title",
        "scenarios",
        "language",
        "severity",
        "weight",
        "fuzzy",
        "check",
        "feedback",
        "source",
        "applies_if",
        "examples",
    }
)
_RULE_ID: Final = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*$")
_CONCEPT_NAME: Final = re.compile(r"^\w[\w.-]*$")
_LATIN_EDGE: Final = re.compile(r"[a-z0-9]")

NOT_APPLICABLE: Final = Localised(
    zh="本条不适用于这条回复。",
    ko="이 답변에는 해당하지 않습니다.",
    en="Does not apply to this reply.",
)


@dataclass(frozen=True)
class Rule:
    """A validated rule, as written in the pack (what ``rules_for`` returns)."""

    id: str
    title: Localised
    scenarios: tuple[str, ...]
    language: Language
    severity: Severity
    weight: int | float  # as written: a whole number stays an int (JSON shows 1, not 1.0)
    fuzzy: bool
    check: str
    feedback_pass: Localised
    feedback_fail: Localised
    citation: Citation | None
    file: str
    line: int


@dataclass
class _CompiledRule:
    rule: Rule
    check: Check
    applies_if: PhraseSet | None
    phrase_ids: frozenset[int]
    dynamic: bool
    examples: Any = None
    # The outcome without highlights for each status, indexed by PASS, FAIL, NA.
    outcomes: tuple[RuleOutcome, ...] = ()

    def outcome(self, status: int) -> RuleOutcome:
        return self.outcomes[status]


@dataclass
class Group:
    """The rules of one (scenario, language), precomputed for grading."""

    rules: tuple[_CompiledRule, ...]
    # Status and outcome of each rule for a reply in which none of its phrases
    # occurs: the grader only re-evaluates rules whose phrases occur, plus dynamic ones.
    baseline_status: tuple[int, ...]
    baseline: tuple[RuleOutcome, ...]
    # Phrase id → the rules that read it. Keyed by ``object`` so that compiled code
    # looks up the id objects the automaton reports as they are, without turning
    # each into a native int and back.
    by_phrase: dict[object, tuple[int, ...]]
    phrase_ids: frozenset[int]
    dynamic: tuple[int, ...]
    # For each rule: whether it reads the whole text (it is evaluated for every reply).
    dynamic_mask: tuple[bool, ...]
    weights: tuple[float, ...]
    blocking: tuple[bool, ...]
    pass_score: int
    # Per rule, what the grader's inner loop needs, without attribute lookups:
    # (applies_if, the check, outcome templates by status).
    plan: tuple[tuple[PhraseSet | None, Check, tuple[RuleOutcome, ...]], ...] = ()
    # An automaton over this group's phrases only: a reply's pass reports just the
    # phrases its rules read, not every phrase of every scenario and language.
    automaton: Any = None
    # The pack's word-bounded variants of this group's phrases, and phrase lengths.
    word_bounded: dict[int, tuple[tuple[int, bool, bool], ...]] = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)
    # Score and blocking of the baseline: what a reply gets when no rule's status
    # differs from it.
    baseline_score: int = 100
    baseline_blocked: bool = False


class CompiledPack:
    """A validated, compiled rulebook. Build it with ``compile_pack``.

    ``version`` is the content hash of the sources; ``scenarios`` the slugs that have
    rules; ``rules`` every rule in pack order (files sorted by name).
    """

    def __init__(
        self,
        *,
        version: str,
        rules: tuple[Rule, ...],
        groups: dict[tuple[str, str], Group],
        automaton: Any,
        lengths: list[int],
        texts: list[str],
        compiled_rules: Sequence[_CompiledRule],
        word_bounded: dict[int, tuple[tuple[int, bool, bool], ...]],
        pass_scores: Mapping[str, int],
        known_scenarios: frozenset[str] | None,
        phrase_count: int,
    ) -> None:
        self.version = version
        self.rules = rules
        self.scenarios: tuple[str, ...] = tuple(
            sorted({scenario for rule in rules for scenario in rule.scenarios})
        )
        self.pass_scores: Mapping[str, int] = dict(pass_scores)
        self.known_scenarios = known_scenarios
        self.phrase_count = phrase_count
        self._groups = groups
        self._automaton = automaton
        self._lengths = lengths
        self._texts = texts
        self._compiled = {item.rule.id: item for item in compiled_rules}
        self._word_bounded = word_bounded

    def __repr__(self) -> str:
        return f"<CompiledPack {self.version} rules={len(self.rules)}>"

    def rules_for(self, scenario: str, language: str) -> tuple[Rule, ...]:
        """The rules that grade replies to ``scenario`` in ``language``, in pack order."""
        group = self._groups.get((scenario, language))
        return tuple(item.rule for item in group.rules) if group else ()

    def phrases_of(self, rule_id: str) -> tuple[str, ...]:
        """The normalised phrases a rule looks for (concepts expanded), sorted."""
        item = self._compiled[rule_id]
        return tuple(sorted({self._texts[phrase_id] for phrase_id in item.phrase_ids}))

    def pass_score(self, scenario: str) -> int:
        """The score a reply to ``scenario`` needs (``pass_scores`` or 60)."""
        return self.pass_scores.get(scenario, DEFAULT_PASS_SCORE)

    def knows(self, scenario: str) -> bool:
        if self.known_scenarios is None:
            return True
        return scenario in self.known_scenarios

    def group(self, scenario: str, language: str) -> Group | None:
        return self._groups.get((scenario, language))

    def match(self, text: str, *, scenario: str | None = None, language: str | None = None) -> Hits:
        """Every phrase occurrence in the normalised ``text``: one automaton pass.

        With ``scenario`` and ``language``, only the phrases of that group's rules
        (what ``grade`` runs); without, every phrase of the pack.
        """
        if scenario is None or language is None:
            automaton = self._automaton
        else:
            group = self._groups.get((scenario, language))
            automaton = None if group is None else group.automaton
        if automaton is None or not text:
            return Hits([])
        return Hits(list(automaton.iter(text)))

    @property
    def word_bounded(self) -> dict[int, tuple[tuple[int, bool, bool], ...]]:
        """Plain phrase id → (variant id, bounded on the left, on the right) for each
        Latin-edged phrase that must not run into a neighbouring letter or digit."""
        return self._word_bounded

    @property
    def phrase_texts(self) -> tuple[str, ...]:
        """The normalised text of every phrase id (word-bounded variants included)."""
        return tuple(self._texts)

    @property
    def lengths(self) -> list[int]:
        return self._lengths


# --- entry point ---------------------------------------------------------------------

_CACHE: dict[str, CompiledPack] = {}
_CACHE_SIZE: Final = 16


def pack_version(sources: Mapping[str, str]) -> str:
    """Content hash of a rulebook: the same files always give the same version."""
    digest = hashlib.sha256()
    for name in sorted(sources):
        for part in (name, sources[name]):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()[:16]


def compile_pack(
    sources: Mapping[str, str],
    *,
    scenarios: Collection[str] | None = SCENARIO_SLUGS,
) -> CompiledPack:
    """Validate and compile a rulebook.

    ``sources`` maps a file name (used in error messages) to its YAML text; the
    engine reads no files itself. ``scenarios`` is the set of slugs rules may name
    (the catalogue by default; ``None`` accepts any slug).

    Compiled packs are cached by content: compiling the same sources twice returns
    the same object. Raises ``PackError`` listing every problem found.
    """
    known = None if scenarios is None else frozenset(scenarios)
    version = pack_version(sources)
    cache_key = version + "|" + ("*" if known is None else ",".join(sorted(known)))
    cached = _CACHE.get(cache_key)
    if cached is not None:
        return cached
    pack = _Compiler(sources, known, version).run()
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[cache_key] = pack
    return pack


# --- the compiler --------------------------------------------------------------------


@dataclass
class _ConceptSource:
    items: Any
    file: str
    line: int


@dataclass
class _Where:
    file: str
    rule_id: str


class _Compiler:
    def __init__(
        self, sources: Mapping[str, str], known: frozenset[str] | None, version: str
    ) -> None:
        self.sources = sources
        self.known = known
        self.version = version
        self.issues: list[PackIssue] = []
        self.concepts: dict[tuple[str, str], _ConceptSource] = {}
        self.concept_names: set[str] = set()
        self.expanded: dict[tuple[str, str], tuple[tuple[str, str], ...] | None] = {}
        self.raw_rules: list[tuple[str, Language | None, LineDict]] = []
        self.pass_scores: dict[str, tuple[int, str]] = {}
        # Phrase registry: normalised text -> automaton id; word-bounded variants get
        # their own ids, derived from the plain id's hits.
        self.automaton_ids: dict[str, int] = {}
        self.lengths: list[int] = []
        self.texts: list[str] = []
        self.bounded_ids: dict[tuple[str, bool, bool], int] = {}
        self.word_bounded: dict[int, list[tuple[int, bool, bool]]] = {}
        self.rule_ids: dict[str, tuple[str, int]] = {}
        self.phrase_sets: dict[tuple[frozenset[int], tuple[FuzzyPhrase, ...]], PhraseSet] = {}

    def error(self, file: str, line: int, rule_id: str, message: str) -> None:
        self.issues.append(PackIssue(file, line, rule_id, message))

    # -- files -------------------------------------------------------------------------

    def run(self) -> CompiledPack:
        for name in sorted(self.sources):
            self._read_file(name, self.sources[name])
        rules = [self._rule(file, language, raw) for file, language, raw in self.raw_rules]
        compiled = [rule for rule in rules if rule is not None]
        if self.issues:
            raise PackError(self.issues)
        pack = self._build(compiled)
        self._check_examples(pack, compiled)
        if self.issues:
            raise PackError(self.issues)
        return pack

    def _read_file(self, name: str, text: str) -> None:
        if not isinstance(text, str):
            self.error(name, 0, "", "file content must be text")
            return
        try:
            document = load(text)
        except YamlProblem as problem:
            self.error(name, problem.line, "", problem.message)
            return
        if document is None:
            return
        if not isinstance(document, LineDict):
            self.error(name, 1, "", "a rule file is a mapping (language, concepts, rules)")
            return
        for key in document:
            if key == "pass_score":
                self.error(
                    name,
                    document.line_of(key),
                    "",
                    "pass_score is not a file setting; use pass_scores: {scenario-slug: N}",
                )
            elif key not in _FILE_KEYS:
                self.error(name, document.line_of(key), "", f"unknown key {key!r}")
        language = self._language(document, name, "")
        self._read_concepts(name, document, language)
        self._read_pass_scores(name, document)
        rules = document.get("rules")
        if rules is None:
            return
        if not isinstance(rules, LineList):
            self.error(name, document.line_of("rules"), "", "rules must be a list")
            return
        for index, raw in enumerate(rules):
            if not isinstance(raw, LineDict):
                self.error(name, rules.line_of(index), "", "each rule must be a mapping")
                continue
            self.raw_rules.append((name, language, raw))

    def _language(self, holder: LineDict, file: str, rule_id: str) -> Language | None:
        value = holder.get("language")
        if value is None:
            return None
        if value not in LANGUAGES:
            self.error(
                file,
                holder.line_of("language"),
                rule_id,
                f"language must be one of zh, ko, en (got {value!r})",
            )
            return None
        return cast(Language, value)

    def _read_pass_scores(self, file: str, document: LineDict) -> None:
        scores = document.get("pass_scores")
        if scores is None:
            return
        if not isinstance(scores, LineDict):
            self.error(file, document.line_of("pass_scores"), "", "pass_scores must be a mapping")
            return
        for scenario, value in scores.items():
            line = scores.line_of(scenario)
            if self.known is not None and scenario not in self.known:
                self.error(file, line, "", f"unknown scenario {scenario!r} in pass_scores")
            elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                self.error(
                    file, line, "", f"pass score must be a whole number 0–100 (got {value!r})"
                )
            elif scenario in self.pass_scores and self.pass_scores[scenario][0] != value:
                other = self.pass_scores[scenario][1]
                self.error(file, line, "", f"pass score of {scenario!r} is also set in {other}")
            else:
                self.pass_scores[scenario] = (value, file)

    # -- concepts ------------------------------------------------------------------------

    def _read_concepts(self, file: str, document: LineDict, language: Language | None) -> None:
        concepts = document.get("concepts")
        if concepts is None:
            return
        if not isinstance(concepts, LineDict):
            self.error(file, document.line_of("concepts"), "", "concepts must be a mapping")
            return
        for name, value in concepts.items():
            line = concepts.line_of(name)
            if not _CONCEPT_NAME.match(name):
                self.error(file, line, "", f"bad concept name {name!r} (letters, digits, _ - .)")
                continue
            self.concept_names.add(name)
            if isinstance(value, LineDict):
                for lang, items in value.items():
                    if lang not in LANGUAGES:
                        self.error(
                            file,
                            value.line_of(lang),
                            "",
                            f"concept @{name}: language must be zh, ko or en (got {lang!r})",
                        )
                        continue
                    self._add_concept(name, lang, items, file, value.line_of(lang))
            elif isinstance(value, LineList | str):
                if language is None:
                    self.error(
                        file,
                        line,
                        "",
                        f"concept @{name} is a plain list: set the file's language, "
                        "or give the phrases per language ({zh: [...], ko: [...]})",
                    )
                    continue
                self._add_concept(name, language, value, file, line)
            else:
                self.error(file, line, "", f"concept @{name} must be a list or a mapping")

    def _add_concept(self, name: str, lang: str, items: Any, file: str, line: int) -> None:
        existing = self.concepts.get((name, lang))
        if existing is not None:
            self.error(
                file,
                line,
                "",
                f"concept @{name} ({lang}) is already defined in {existing.file}:{existing.line}",
            )
            return
        self.concepts[(name, lang)] = _ConceptSource(items, file, line)

    def _expand(
        self, name: str, lang: str, stack: tuple[str, ...], where: _Where, line: int
    ) -> tuple[tuple[str, str], ...] | None:
        """Literal phrases (original, normalised) of concept ``name`` in ``lang``."""
        if name in stack:
            cycle = " → ".join(f"@{item}" for item in (*stack[stack.index(name) :], name))
            looped = self.concepts[(name, lang)]
            self.error(looped.file, looped.line, "", f"concept cycle: {cycle}")
            return None
        key = (name, lang)
        if key in self.expanded:
            return self.expanded[key]
        source = self.concepts.get(key)
        if source is None:
            if name in self.concept_names:
                message = f"concept @{name} has no {lang} phrases"
            else:
                message = f"unknown concept @{name}"
            self.error(where.file, line, where.rule_id, message)
            return None
        self.expanded[key] = None  # provisional, so a failed cycle is reported once
        inner = _Where(source.file, "")
        phrases = self._literals(source.items, source.line, lang, (*stack, name), inner, "")
        self.expanded[key] = phrases
        return phrases

    # -- phrase lists --------------------------------------------------------------------

    def _literals(
        self,
        value: Any,
        line: int,
        lang: str,
        stack: tuple[str, ...],
        where: _Where,
        label: str,
    ) -> tuple[tuple[str, str], ...] | None:
        """Expand a phrase list into (original, normalised) literal phrases."""
        label = f"{label}: " if label else ""
        if isinstance(value, str):
            items: list[tuple[Any, int, str | None]] = [(value, line, value)]
        elif isinstance(value, LineList):
            items = [(item, value.line_of(i), value.raw[i]) for i, item in enumerate(value)]
            if not items:
                self.error(where.file, line, where.rule_id, f"{label}phrase list is empty")
                return None
        else:
            self.error(where.file, line, where.rule_id, f"{label}expected a list of phrases")
            return None
        phrases: list[tuple[str, str]] = []
        ok = True
        for item, item_line, raw in items:
            if not isinstance(item, str):
                if raw is None or isinstance(item, LineDict | LineList):
                    self.error(
                        where.file,
                        item_line,
                        where.rule_id,
                        f"{label}a phrase must be text (got {item!r})",
                    )
                    ok = False
                    continue
                item = raw
            item = item.strip()
            if item.startswith("@"):
                expanded = self._expand(item[1:], lang, stack, where, item_line)
                if expanded is None:
                    ok = False
                else:
                    phrases.extend(expanded)
                continue
            if not normalise(item.strip("*")).text:
                self.error(
                    where.file,
                    item_line,
                    where.rule_id,
                    f"{label}empty phrase {item!r} (nothing left after removing "
                    "spaces and punctuation)",
                )
                ok = False
                continue
            phrases.append((item, normalise(item.strip("*")).text))
        return tuple(dict.fromkeys(phrases)) if ok else None

    def _phrase_set(
        self,
        value: Any,
        line: int,
        lang: str,
        where: _Where,
        label: str,
        fuzzy_rule: bool,
    ) -> PhraseSet | None:
        literals = self._literals(value, line, lang, (), where, label)
        if literals is None:
            return None
        ids: set[int] = set()
        near: list[FuzzyPhrase] = []
        for original, text in literals:
            phrase_id = self._phrase_id(original, text)
            ids.add(phrase_id)
            if fuzzy_rule and len(text) >= fuzzy.MIN_FUZZY_LENGTH:
                head, tail = fuzzy.anchors(text)
                near.append(
                    FuzzyPhrase(phrase_id, text, self._automaton_id(head), self._automaton_id(tail))
                )
        key = (frozenset(ids), tuple(near))
        interned = self.phrase_sets.get(key)
        if interned is None:
            interned = self.phrase_sets[key] = PhraseSet(ids, near)
        return interned

    def _automaton_id(self, text: str) -> int:
        phrase_id = self.automaton_ids.get(text)
        if phrase_id is None:
            phrase_id = len(self.lengths)
            self.automaton_ids[text] = phrase_id
            self.lengths.append(len(text))
            self.texts.append(text)
        return phrase_id

    def _phrase_id(self, original: str, text: str) -> int:
        """The id to look up for a phrase: word-bounded when it has Latin edges."""
        plain = self._automaton_id(text)
        stripped = original.strip()
        left = not stripped.startswith("*") and bool(_LATIN_EDGE.match(text[0]))
        right = not stripped.endswith("*") and bool(_LATIN_EDGE.match(text[-1]))
        if not (left or right):
            return plain
        key = (text, left, right)
        bounded = self.bounded_ids.get(key)
        if bounded is None:
            bounded = len(self.lengths)
            self.lengths.append(len(text))
            self.texts.append(text)
            self.bounded_ids[key] = bounded
            self.word_bounded.setdefault(plain, []).append((bounded, left, right))
        return bounded

    # -- rules ---------------------------------------------------------------------------

    def _rule(
        self, file: str, file_language: Language | None, raw: LineDict
    ) -> _CompiledRule | None:
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
            shown = "" if not isinstance(rule_id, str) else rule_id
            self.error(
                file,
                raw.line_of("id"),
                shown,
                "rule id is required: lowercase words joined by dots "
                f"(e.g. cursing.no-retaliation), got {rule_id!r}",
            )
            rule_id = shown
        elif rule_id in self.rule_ids:
            first_file, first_line = self.rule_ids[rule_id]
            self.error(
                file,
                raw.line_of("id"),
                rule_id,
                f"duplicate rule id (first defined in {first_file}:{first_line})",
            )
        else:
            self.rule_ids[rule_id] = (file, raw.line)
        errors_before = len(self.issues)
        for key in raw:
            if key not in _RULE_KEYS:
                self.error(file, raw.line_of(key), rule_id, f"unknown rule key {key!r}")
        language = self._language(raw, file, rule_id) or file_language
        if language is None and "language" not in raw:
            self.error(
                file,
                raw.line,
                rule_id,
                "no language: set language: zh|ko|en on the file or the rule",
            )
        where = _Where(file, rule_id)
        scenarios = self._scenarios(raw, where)
        severity = self._severity(raw, where)
        weight = self._weight(raw, where)
        fuzzy_rule = self._flag(raw, "fuzzy", where)
        title = self._localised(raw, "title", where, language, required=True)
        feedback_pass, feedback_fail = self._feedback(raw, where, language, title)
        citation = self._citation(raw, where)
        check = None
        applies_if = None
        if "check" not in raw:
            self.error(file, raw.line, rule_id, "check is required")
        elif language is not None:
            check = self._check(raw["check"], raw.line_of("check"), language, where, fuzzy_rule)
            if "applies_if" in raw:
                applies_if = self._phrase_set(
                    raw["applies_if"],
                    raw.line_of("applies_if"),
                    language,
                    where,
                    "applies_if",
                    fuzzy_rule,
                )
        if len(self.issues) > errors_before or check is None or language is None:
            return None
        assert severity is not None and title is not None and scenarios is not None
        assert feedback_pass is not None and feedback_fail is not None
        rule = Rule(
            id=rule_id,
            title=title,
            scenarios=scenarios,
            language=language,
            severity=severity,
            weight=weight,
            fuzzy=fuzzy_rule,
            check=next(iter(raw["check"])),
            feedback_pass=feedback_pass,
            feedback_fail=feedback_fail,
            citation=citation,
            file=file,
            line=raw.line,
        )
        ids = check.phrase_ids() | (applies_if.all_ids() if applies_if else frozenset())
        return _CompiledRule(rule, check, applies_if, ids, check.dynamic, raw.get("examples"))

    def _scenarios(self, raw: LineDict, where: _Where) -> tuple[str, ...] | None:
        value = raw.get("scenarios")
        line = raw.line_of("scenarios")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.error(
                where.file,
                line,
                where.rule_id,
                "scenarios is required: a list of scenario slugs this rule grades",
            )
            return None
        good: list[str] = []
        for index, slug in enumerate(value):
            slug_line = value.line_of(index) if isinstance(value, LineList) else line
            if not isinstance(slug, str):
                self.error(where.file, slug_line, where.rule_id, f"bad scenario slug {slug!r}")
            elif self.known is not None and slug not in self.known:
                self.error(where.file, slug_line, where.rule_id, f"unknown scenario {slug!r}")
            else:
                good.append(slug)
        return tuple(dict.fromkeys(good)) if len(good) == len(value) else None

    def _severity(self, raw: LineDict, where: _Where) -> Severity | None:
        value = raw.get("severity")
        if value not in SEVERITIES:
            shown = "missing" if value is None else repr(value)
            self.error(
                where.file,
                raw.line_of("severity"),
                where.rule_id,
                f"severity must be critical, major or minor ({shown})",
            )
            return None
        return cast(Severity, value)

    def _weight(self, raw: LineDict, where: _Where) -> int | float:
        value = raw.get("weight", 1)
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            self.error(
                where.file,
                raw.line_of("weight"),
                where.rule_id,
                f"weight must be a positive number (got {value!r})",
            )
            return 1
        if value != value or value == float("inf"):
            self.error(where.file, raw.line_of("weight"), where.rule_id, "weight must be finite")
            return 1
        return value

    def _flag(self, raw: LineDict, key: str, where: _Where) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            self.error(
                where.file,
                raw.line_of(key),
                where.rule_id,
                f"{key} must be true or false (got {value!r})",
            )
            return False
        return value

    def _localised(
        self,
        holder: LineDict,
        key: str,
        where: _Where,
        language: str | None,
        *,
        required: bool,
        label: str = "",
    ) -> Localised | None:
        label = label or key
        value = holder.get(key)
        line = holder.line_of(key)
        if value is None:
            if required:
                self.error(where.file, line, where.rule_id, f"{label} is required")
            return None
        if isinstance(value, str) and value.strip():
            return Localised(value, value, value)
        if not isinstance(value, LineDict) or not value:
            self.error(
                where.file,
                line,
                where.rule_id,
                f"{label} must be text or a mapping {{zh: ..., ko: ..., en: ...}}",
            )
            return None
        texts: dict[str, str] = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.error(
                    where.file,
                    value.line_of(lang),
                    where.rule_id,
                    f"{label}: language must be zh, ko or en (got {lang!r})",
                )
            elif not isinstance(text, str) or not text.strip():
                self.error(
                    where.file,
                    value.line_of(lang),
                    where.rule_id,
                    f"{label}.{lang} must be non-empty text",
                )
            else:
                texts[lang] = text.strip()
        if not texts:
            return None
        preferred = [lang for lang in (language, "en", "zh", "ko") if lang in texts]
        fallback = texts[preferred[0]] if preferred else next(iter(texts.values()))
        return Localised(
            zh=texts.get("zh", fallback), ko=texts.get("ko", fallback), en=texts.get("en", fallback)
        )

    def _feedback(
        self, raw: LineDict, where: _Where, language: str | None, title: Localised | None
    ) -> tuple[Localised | None, Localised | None]:
        feedback = raw.get("feedback")
        if not isinstance(feedback, LineDict):
            self.error(
                where.file,
                raw.line_of("feedback"),
                where.rule_id,
                "feedback is required: {pass: ..., fail: ...} in zh/ko/en",
            )
            return None, None
        for key in feedback:
            if key not in ("pass", "fail"):
                self.error(
                    where.file,
                    feedback.line_of(key),
                    where.rule_id,
                    f"unknown feedback key {key!r} (pass, fail)",
                )
        fail = self._localised(
            feedback, "fail", where, language, required=True, label="feedback.fail"
        )
        passed = self._localised(
            feedback, "pass", where, language, required=False, label="feedback.pass"
        )
        return passed or title, fail

    def _citation(self, raw: LineDict, where: _Where) -> Citation | None:
        value = raw.get("source")
        line = raw.line_of("source")
        if value is None:
            return None
        if isinstance(value, str) and value.strip():
            number, _, label = value.strip().partition(" ")
            return Citation(number, label.strip())
        if isinstance(value, LineDict):
            document = value.get("document")
            section = value.get("section", "")
            unknown = [key for key in value if key not in ("document", "section")]
            for key in unknown:
                self.error(
                    where.file,
                    value.line_of(key),
                    where.rule_id,
                    f"unknown source key {key!r} (document, section)",
                )
            if isinstance(document, int) and not isinstance(document, bool):
                document = f"{document:03d}"
            if isinstance(section, int | float) and not isinstance(section, bool):
                section = str(section)
            if isinstance(document, str) and document and isinstance(section, str) and not unknown:
                return Citation(document, section)
        self.error(
            where.file,
            line,
            where.rule_id,
            'source must be {document: "002", section: "四.4"} or "002 四.4"',
        )
        return None

    # -- checks --------------------------------------------------------------------------

    def _check(
        self, value: Any, line: int, lang: str, where: _Where, fuzzy_rule: bool
    ) -> Check | None:
        if not isinstance(value, LineDict) or len(value) != 1:
            self.error(
                where.file,
                line,
                where.rule_id,
                f"check must be a mapping with exactly one key ({', '.join(sorted(_CHECKS))})",
            )
            return None
        key, argument = next(iter(value.items()))
        builder = _CHECKS.get(key)
        if builder is None:
            hint = " (applies_if belongs on the rule, beside check)" if key == "applies_if" else ""
            self.error(
                where.file,
                value.line_of(key),
                where.rule_id,
                f"unknown check {key!r}{hint}; one of {', '.join(sorted(_CHECKS))}",
            )
            return None
        return builder(self, _Arg(argument, value.line_of(key), lang, where, fuzzy_rule, key))

    def phrases_of(self, arg: _Arg, value: Any, line: int, label: str) -> PhraseSet | None:
        return self._phrase_set(value, line, arg.lang, arg.where, label, arg.fuzzy)

    def bad(self, arg: _Arg, message: str, line: int | None = None) -> None:
        self.error(
            arg.where.file,
            arg.line if line is None else line,
            arg.where.rule_id,
            f"{arg.key}: {message}",
        )

    def mapping(
        self, arg: _Arg, allowed: Iterable[str], required: Iterable[str]
    ) -> LineDict | None:
        value = arg.value
        if not isinstance(value, LineDict):
            self.bad(arg, f"expected a mapping with {', '.join(required)}")
            return None
        allowed = set(allowed)
        ok = True
        for key in value:
            if key not in allowed:
                self.bad(
                    arg,
                    f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})",
                    value.line_of(key),
                )
                ok = False
        for key in required:
            if key not in value:
                self.bad(arg, f"{key} is required")
                ok = False
        return value if ok else None

    def count(self, arg: _Arg, holder: LineDict, key: str, *, minimum: int = 0) -> int | None:
        value = holder.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.bad(
                arg,
                f"{key} must be a whole number ≥ {minimum} (got {value!r})",
                holder.line_of(key),
            )
            return None
        return value

    # -- examples ------------------------------------------------------------------------

    def _build(self, compiled: list[_CompiledRule]) -> CompiledPack:
        automaton = _automaton(self.automaton_ids.items())
        pass_scores = {scenario: value for scenario, (value, _) in self.pass_scores.items()}
        plain_of = {
            variant: plain
            for plain, variants in self.word_bounded.items()
            for variant, _, _ in variants
        }
        word_bounded = {key: tuple(value) for key, value in self.word_bounded.items()}
        groups = _groups(compiled, pass_scores, self.texts, plain_of, word_bounded, self.lengths)
        return CompiledPack(
            version=self.version,
            rules=tuple(item.rule for item in compiled),
            groups=groups,
            automaton=automaton,
            lengths=self.lengths,
            texts=self.texts,
            compiled_rules=compiled,
            word_bounded=word_bounded,
            pass_scores=pass_scores,
            known_scenarios=self.known,
            phrase_count=len(self.automaton_ids),
        )

    def _check_examples(self, pack: CompiledPack, compiled: list[_CompiledRule]) -> None:
        from .grader import evaluate_rule  # the grader imports this module

        for item in compiled:
            examples = item.examples
            if examples is None:
                continue
            where = _Where(item.rule.file, item.rule.id)
            if not isinstance(examples, LineDict):
                self.error(
                    where.file,
                    item.rule.line,
                    where.rule_id,
                    "examples must be a mapping {pass: [...], fail: [...]}",
                )
                continue
            for expected, texts in examples.items():
                line = examples.line_of(expected)
                if expected not in ("pass", "fail", "na") or not isinstance(texts, LineList):
                    self.error(
                        where.file,
                        line,
                        where.rule_id,
                        "examples: pass / fail / na, each a list of replies",
                    )
                    continue
                for index, text in enumerate(texts):
                    if not isinstance(text, str):
                        text = texts.raw[index] or ""
                    status = evaluate_rule(pack, item, text)
                    if status != expected:
                        self.error(
                            where.file,
                            texts.line_of(index),
                            where.rule_id,
                            f"example should {expected} but the rule says {status}: {text!r}",
                        )


@dataclass
class _Arg:
    value: Any
    line: int
    lang: str
    where: _Where
    fuzzy: bool
    key: str


# --- check builders ------------------------------------------------------------------


def _requires_any(compiler: _Compiler, arg: _Arg) -> Check | None:
    phrases = compiler.phrases_of(arg, arg.value, arg.line, arg.key)
    return None if phrases is None else RequiresAny(phrases)


def _requires_all(compiler: _Compiler, arg: _Arg) -> Check | None:
    value = arg.value
    if not isinstance(value, LineList) or not value:
        compiler.bad(arg, "expected a list whose items are phrases or phrase lists")
        return None
    items = [
        compiler.phrases_of(arg, item, value.line_of(index), arg.key)
        for index, item in enumerate(value)
    ]
    if any(item is None for item in items):
        return None
    return RequiresAll([item for item in items if item is not None])


def _forbids(compiler: _Compiler, arg: _Arg) -> Check | None:
    if not isinstance(arg.value, LineDict):
        phrases = compiler.phrases_of(arg, arg.value, arg.line, arg.key)
        return None if phrases is None else Forbids(phrases)
    guards = ("not_preceded_by", "not_followed_by", "allow", "unless")
    holder = compiler.mapping(arg, ("phrases", "window", *guards), ("phrases",))
    if holder is None:
        return None
    sets: dict[str, PhraseSet | None] = {}
    ok = True
    for key in ("phrases", *guards):
        if key in holder:
            sets[key] = compiler.phrases_of(arg, holder[key], holder.line_of(key), f"forbids.{key}")
            ok = ok and sets[key] is not None
    window: int | None = DEFAULT_WINDOW
    if "window" in holder:
        window = compiler.count(arg, holder, "window")
    main = sets.get("phrases")
    if not ok or main is None or window is None:
        return None
    return Forbids(
        main,
        preceded=sets.get("not_preceded_by"),
        followed=sets.get("not_followed_by"),
        allow=sets.get("allow"),
        unless=sets.get("unless"),
        window=window,
    )


def _order(compiler: _Compiler, arg: _Arg) -> Check | None:
    holder = compiler.mapping(arg, ("first", "then"), ("first", "then"))
    if holder is None:
        return None
    first = compiler.phrases_of(arg, holder["first"], holder.line_of("first"), "order.first")
    then = compiler.phrases_of(arg, holder["then"], holder.line_of("then"), "order.then")
    return None if first is None or then is None else Order(first, then)


def _position(compiler: _Compiler, arg: _Arg) -> Check | None:
    modes = ("within_chars", "within_sentences", "at_end")
    holder = compiler.mapping(arg, ("phrases", *modes), ("phrases",))
    if holder is None:
        return None
    given = [mode for mode in modes if mode in holder]
    if len(given) != 1:
        compiler.bad(arg, "give exactly one of within_chars, within_sentences, at_end")
        return None
    phrases = compiler.phrases_of(
        arg, holder["phrases"], holder.line_of("phrases"), "position.phrases"
    )
    mode = given[0]
    if mode == "at_end":
        if holder["at_end"] is not True:
            compiler.bad(arg, "at_end must be true", holder.line_of("at_end"))
            return None
        return None if phrases is None else Position(phrases, at_end=True)
    number = compiler.count(arg, holder, mode, minimum=1)
    if phrases is None or number is None:
        return None
    if mode == "within_chars":
        return Position(phrases, within_chars=number)
    return Position(phrases, within_sentences=number)


def _near(compiler: _Compiler, arg: _Arg) -> Check | None:
    holder = compiler.mapping(arg, ("a", "b", "within"), ("a", "b", "within"))
    if holder is None:
        return None
    a = compiler.phrases_of(arg, holder["a"], holder.line_of("a"), "near.a")
    b = compiler.phrases_of(arg, holder["b"], holder.line_of("b"), "near.b")
    within = compiler.count(arg, holder, "within")
    return None if a is None or b is None or within is None else Near(a, b, within)


def _register(compiler: _Compiler, arg: _Arg) -> Check | None:
    if arg.value != "polite":
        compiler.bad(arg, f"the only register is polite (got {arg.value!r})")
        return None
    return Register()


def _length(compiler: _Compiler, arg: _Arg) -> Check | None:
    holder = compiler.mapping(arg, ("min", "max"), ())
    if holder is None:
        return None
    if not holder:
        compiler.bad(arg, "give min, max or both")
        return None
    minimum = compiler.count(arg, holder, "min") if "min" in holder else None
    maximum = compiler.count(arg, holder, "max") if "max" in holder else None
    if ("min" in holder and minimum is None) or ("max" in holder and maximum is None):
        return None
    if minimum is not None and maximum is not None and minimum > maximum:
        compiler.bad(arg, f"min ({minimum}) is larger than max ({maximum})")
        return None
    return Length(minimum, maximum)


def _boolean(make: Callable[[bool], Check]) -> Callable[[_Compiler, _Arg], Check | None]:
    def build(compiler: _Compiler, arg: _Arg) -> Check | None:
        if not isinstance(arg.value, bool):
            compiler.bad(arg, f"must be true or false (got {arg.value!r})")
            return None
        return make(arg.value)

    return build


def _response_time(compiler: _Compiler, arg: _Arg) -> Check | None:
    holder = compiler.mapping(arg, ("max_seconds",), ("max_seconds",))
    if holder is None:
        return None
    value = holder["max_seconds"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        compiler.bad(
            arg,
            f"max_seconds must be a positive number (got {value!r})",
            holder.line_of("max_seconds"),
        )
        return None
    return ResponseTime(float(value))


def _combination(kind: type[AllOf] | type[AnyOf]) -> Callable[[_Compiler, _Arg], Check | None]:
    def build(compiler: _Compiler, arg: _Arg) -> Check | None:
        value = arg.value
        if not isinstance(value, LineList) or not value:
            compiler.bad(arg, "expected a non-empty list of checks")
            return None
        children = [
            compiler._check(item, value.line_of(index), arg.lang, arg.where, arg.fuzzy)
            for index, item in enumerate(value)
        ]
        if any(child is None for child in children):
            return None
        return kind([child for child in children if child is not None])

    return build


def _not(compiler: _Compiler, arg: _Arg) -> Check | None:
    child = compiler._check(arg.value, arg.line, arg.lang, arg.where, arg.fuzzy)
    return None if child is None else Not(child)


_CHECKS: Final[dict[str, Callable[[_Compiler, _Arg], Check | None]]] = {
    "requires_any": _requires_any,
    "requires_all": _requires_all,
    "forbids": _forbids,
    "order": _order,
    "position": _position,
    "near": _near,
    "register": _register,
    "length": _length,
    "asks_question": _boolean(AsksQuestion),
    "time_frame": _boolean(TimeFrame),
    "response_time": _response_time,
    "all": _combination(AllOf),
    "any": _combination(AnyOf),
    "not": _not,
}


# --- grouping ------------------------------------------------------------------------


def _outcomes(rule: Rule) -> tuple[RuleOutcome, ...]:
    from .checks import FAIL

    def make(status: str, message: Localised) -> RuleOutcome:
        judgement = Judgement(
            rule_id=rule.id,
            title=rule.title,
            status=cast(Any, status),
            severity=rule.severity,
            weight=rule.weight,
            message=message,
            citation=rule.citation,
        )
        return RuleOutcome(judgement)

    by_status = {
        PASS: make("pass", rule.feedback_pass),
        FAIL: make("fail", rule.feedback_fail),
        NA: make("na", NOT_APPLICABLE),
    }
    return tuple(by_status[status] for status in sorted(by_status))


def _automaton(
    phrases: Iterable[tuple[str, int]], frequency: Mapping[str, int] | None = None
) -> Any:
    """An Aho–Corasick automaton over (normalised text, id) pairs; None if there are none.

    A trie node looks its children up one by one, in the order they were added. With
    ``frequency`` (how often each character occurs in the rulebook's phrases, a
    stand-in for replies) phrases starting with common characters go in first, so
    the root finds those characters sooner. The matches are the same in any order.
    """
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
    pairs = list(phrases)
    if frequency is not None:
        pairs.sort(key=lambda pair: (-frequency.get(pair[0][:1], 0), pair[1]))
    for text, phrase_id in pairs:
        automaton.add_word(text, phrase_id)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _groups(
    compiled: Sequence[_CompiledRule],
    pass_scores: Mapping[str, int],
    texts: Sequence[str],
    plain_of: Mapping[int, int],
    word_bounded: dict[int, tuple[tuple[int, bool, bool], ...]],
    lengths: list[int],
) -> dict[tuple[str, str], Group]:
    """The rules of each (scenario, language), precomputed for grading.

    ``texts`` gives each phrase id's normalised text; ``plain_of`` maps a word-bounded
    variant id to the plain id the automaton reports (the grader derives the variant).
    """
    from .grader import baseline_status, score_of  # the grader imports this module

    frequency = Counter("".join(texts))

    members: dict[tuple[str, str], list[_CompiledRule]] = {}
    for item in compiled:
        item.outcomes = _outcomes(item.rule)
        for scenario in item.rule.scenarios:
            members.setdefault((scenario, item.rule.language), []).append(item)
    groups: dict[tuple[str, str], Group] = {}
    for (scenario, language), rules in members.items():
        by_phrase: dict[int, list[int]] = {}
        for index, item in enumerate(rules):
            for phrase_id in item.phrase_ids:
                by_phrase.setdefault(phrase_id, []).append(index)
        statuses = tuple(baseline_status(item, language) for item in rules)
        plain_ids = {plain_of.get(phrase_id, phrase_id) for phrase_id in by_phrase}
        weights = tuple(float(item.rule.weight) for item in rules)
        blocking = tuple(item.rule.severity != "minor" for item in rules)
        baseline_score, baseline_blocked = score_of(list(statuses), weights, blocking)
        groups[(scenario, language)] = Group(
            rules=tuple(rules),
            baseline_status=statuses,
            baseline=tuple(
                item.outcome(status) for item, status in zip(rules, statuses, strict=True)
            ),
            by_phrase={key: tuple(value) for key, value in by_phrase.items()},
            phrase_ids=frozenset(by_phrase),
            dynamic=tuple(index for index, item in enumerate(rules) if item.dynamic),
            dynamic_mask=tuple(item.dynamic for item in rules),
            weights=weights,
            blocking=blocking,
            pass_score=pass_scores.get(scenario, DEFAULT_PASS_SCORE),
            plan=tuple((item.applies_if, item.check, item.outcomes) for item in rules),
            automaton=_automaton([(texts[plain], plain) for plain in plain_ids], frequency),
            word_bounded={
                plain: variants for plain, variants in word_bounded.items() if plain in plain_ids
            },
            lengths=lengths,
            baseline_score=baseline_score,
            baseline_blocked=baseline_blocked,
        )
    return groups
