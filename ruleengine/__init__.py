"""Courtesy's rule engine: compile rule packs once, grade replies in microseconds.

Pure Python: no Django, no Celery, no I/O, no clock. The rule-pack format is
described in ``ruleengine/README.md`` (binding summary: ``CONTRACT.md``).

    >>> pack = compile_pack({"demo.yaml": SOURCE})          # doctest: +SKIP
    >>> verdict = grade("您好，请问有什么可以帮您？", pack,     # doctest: +SKIP
    ...                 scenario="opening-greeting", language="zh")
    >>> verdict.passed, verdict.score                        # doctest: +SKIP
    (True, 100)
"""

# First: chooses between the compiled modules and the sources (see _native).
from . import _native as _native
from .calibrate import CalibrationReport, Disagreement, RuleShare, calibrate
from .catalogue import LANGUAGES, SCENARIO_SLUGS, SEVERITIES
from .compiler import CompiledPack, Rule, compile_pack
from .errors import PackError, PackIssue, ReplyTooLong, UnknownScenario
from .grader import DEFAULT_MAX_CHARS, grade
from .normalise import Normalised, normalise
from .verdict import Citation, Localised, RuleOutcome, Span, Verdict

__all__ = [
    "DEFAULT_MAX_CHARS",
    "LANGUAGES",
    "SCENARIO_SLUGS",
    "SEVERITIES",
    "CalibrationReport",
    "Citation",
    "CompiledPack",
    "Disagreement",
    "Localised",
    "Normalised",
    "PackError",
    "PackIssue",
    "ReplyTooLong",
    "Rule",
    "RuleOutcome",
    "RuleShare",
    "Span",
    "UnknownScenario",
    "Verdict",
    "calibrate",
    "compile_pack",
    "grade",
    "normalise",
]
