"""Small builders for inline test packs."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

from ruleengine import CompiledPack, RuleOutcome, Verdict, compile_pack, grade

SCENARIO = "customer-cursing"


def compile_yaml(text: str, name: str = "test.yaml") -> CompiledPack:
    return compile_pack({name: textwrap.dedent(text)})


def rule(
    check: Any, *, rule_id: str = "test.rule", severity: str = "major", **extra: Any
) -> dict[str, Any]:
    """A rule mapping with sensible defaults around ``check``."""
    return {
        "id": rule_id,
        "title": {"zh": "测试", "ko": "테스트", "en": "Test"},
        "scenarios": [SCENARIO],
        "severity": severity,
        "check": check,
        "feedback": {"pass": "ok", "fail": "not ok"},
        **extra,
    }


def pack_of(*rules: dict[str, Any], language: str = "zh", **top: Any) -> CompiledPack:
    """Compile a one-file pack from Python values (dumped to YAML)."""
    document = {"language": language, "rules": list(rules), **top}
    return compile_pack({"test.yaml": yaml.safe_dump(document, allow_unicode=True)})


def grade_zh(text: str, pack: CompiledPack, **kwargs: Any) -> Verdict:
    kwargs.setdefault("scenario", SCENARIO)
    kwargs.setdefault("language", "zh")
    return grade(text, pack, **kwargs)


def outcome_of(
    check: Any,
    text: str,
    *,
    language: str = "zh",
    concepts: dict[str, Any] | None = None,
    response_seconds: float | None = None,
    **rule_extra: Any,
) -> RuleOutcome:
    """Outcome of a single-rule pack built around ``check`` on ``text``."""
    top = {"concepts": concepts} if concepts else {}
    pack = pack_of(rule(check, **rule_extra), language=language, **top)
    verdict = grade(
        text, pack, scenario=SCENARIO, language=language, response_seconds=response_seconds
    )
    return verdict.outcomes[0]


def status_of(check: Any, text: str, **kwargs: Any) -> str:
    return outcome_of(check, text, **kwargs).status


def span_texts(outcome: RuleOutcome) -> list[str]:
    return [span.text for span in outcome.spans]


GREETING_PACK = """\
    language: zh
    concepts:
      greeting:
        zh: [您好, 你好, 早上好, 下午好]
        ko: [안녕하세요]
      offer_help:
        zh: [有什么可以帮您, 请问有什么需要]
        ko: [무엇을 도와드릴까요, 도와드릴까요]
    pass_scores:
      opening-greeting: 70
    rules:
      - id: greeting.greet
        title: {zh: 问候, ko: 인사, en: Greet}
        scenarios: [opening-greeting]
        severity: major
        weight: 2
        check:
          position: {phrases: ["@greeting"], within_sentences: 1}
        feedback:
          pass: {zh: 开头问候了。, ko: 인사했습니다., en: You greeted.}
          fail: {zh: 开头要先问候。, ko: 먼저 인사하세요., en: Greet first.}
        source: {document: "000", section: "§5 B–C"}
      - id: greeting.offer-help
        title: {zh: 主动询问需求, en: Offer help}
        scenarios: [opening-greeting]
        severity: minor
        check:
          requires_any: ["@offer_help"]
        feedback:
          fail: {zh: 要主动询问需求。, en: Offer help.}
        source: "003 四.2(2)"
      - id: greeting.no-wei
        title: {zh: 不以“喂”开头, en: "Never open with 喂"}
        scenarios: [opening-greeting]
        severity: critical
        check:
          forbids: [喂, 说吧, 什么事]
        feedback:
          fail: {zh: 不能用“喂”“说吧”开场。, en: Do not open with 喂.}
      - id: greeting.polite
        title: 用“您”
        scenarios: [opening-greeting]
        severity: minor
        check: {register: polite}
        feedback:
          fail: 称呼客户要用“您”。
      - id: greeting.ko-greet
        language: ko
        title: {ko: 인사, en: Greet}
        scenarios: [opening-greeting]
        severity: major
        check:
          requires_all: ["@greeting", "@offer_help"]
        feedback:
          fail: {ko: 인사하고 도움을 제안하세요., en: Greet and offer help.}
      - id: greeting.ko-polite
        language: ko
        title: 존댓말
        scenarios: [opening-greeting]
        severity: major
        check: {register: polite}
        feedback:
          fail: 존댓말을 쓰세요.
"""
