"""A small rulebook of our own, so the tests do not move when the shipped packs are tuned."""

from pathlib import Path

import pytest

from scenarios import services
from tests.factories import ScenarioFactory

CURSING_ZH = """\
language: zh
concepts:
  apology:
    zh: [抱歉, 对不起]
    ko: [죄송합니다]
    en: [sorry]
rules:
  - id: test.no-retaliation
    title: {zh: 不回骂, ko: 맞대응 금지, en: Never hit back}
    scenarios: [customer-cursing]
    severity: critical
    weight: 3
    check:
      forbids: [你骂谁, 爱打不打]
    feedback:
      pass: {zh: 没有回骂。, ko: 맞대응하지 않았습니다., en: You did not hit back.}
      fail:
        {zh: 回骂是严重违规。, ko: 맞대응은 중대한 위반입니다., en: Never hit back.}
    source: {document: "002", section: "四.4"}
  - id: test.apologise
    title: {zh: 先致歉, ko: 먼저 사과, en: Apologise first}
    scenarios: [customer-cursing]
    severity: major
    weight: 2
    check:
      requires_any: ["@apology"]
    feedback:
      pass: {zh: 先道了歉。, ko: 먼저 사과했습니다., en: You apologised.}
      fail: {zh: 请先道歉。, ko: 먼저 사과하세요., en: Apologise first.}
    source: {document: "002", section: "四.4"}
  - id: test.offer-help
    title: {zh: 提供帮助, ko: 도움 제안, en: Offer help}
    scenarios: [customer-cursing, opening-greeting]
    severity: minor
    check:
      requires_any: [帮您, 为您]
    feedback:
      pass: {zh: 表示愿意帮忙。, ko: 도움을 제안했습니다., en: You offered help.}
      fail: {zh: 请表示愿意帮忙。, ko: 도움을 제안하세요., en: Offer to help.}
    source: {document: "000", section: "§5 B"}
"""

POLITE_KO = """\
language: ko
rules:
  - id: test.ko-polite
    title: {zh: 敬语, ko: 존댓말, en: Polite endings}
    scenarios: [customer-cursing]
    severity: major
    check: {register: polite}
    feedback:
      pass: {zh: 用了敬语。, ko: 존댓말을 썼습니다., en: Polite endings.}
      fail: {zh: 请用敬语。, ko: 존댓말을 쓰세요., en: Use polite endings.}
    source: {document: "001", section: "기본 요구"}
"""

RULEBOOK = {"zh/cursing.yaml": CURSING_ZH, "ko/polite.yaml": POLITE_KO}

GOOD_REPLY = "非常抱歉给您带来不便，我马上为您处理。"
RUDE_REPLY = "你骂谁呢？爱打不打。"


def write_rulebook(folder: Path, files: dict[str, str] = RULEBOOK) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    return write_rulebook(tmp_path / "rules")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A content folder holding only our rulebook under rules/."""
    write_rulebook(tmp_path / "content" / "rules")
    return tmp_path / "content"


@pytest.fixture
def published_pack(db):  # type: ignore[no-untyped-def]
    pack, _changed = services.publish_rule_sources(sources=RULEBOOK)
    return pack


@pytest.fixture
def cursing(db):  # type: ignore[no-untyped-def]
    return ScenarioFactory(slug="customer-cursing")
