"""A small rulebook of our own, so the tests do not move when the shipped packs are tuned."""

from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone

from scenarios import services
from tests.factories import RolePlayFactory, ScenarioFactory

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


# --- role-plays ----------------------------------------------------------------------------------

CALL_ZH = """\
language: zh
rules:
  - id: call.greet
    title: {zh: 先问候, ko: 먼저 인사, en: Greet first}
    scenarios: [opening-greeting]
    severity: major
    check: {requires_any: [您好]}
    feedback:
      fail: {zh: 接起电话先说“您好”。, ko: 먼저 인사하세요., en: Say hello first.}
    source: {document: "000", section: "§1"}
  - id: call.goodbye
    title: {zh: 道别, ko: 작별 인사, en: Say goodbye}
    scenarios: [closing-call]
    severity: major
    check: {requires_any: [再见]}
    feedback:
      fail: {zh: 结束前要道别。, ko: 작별 인사를 하세요., en: Say goodbye.}
    source: {document: "000", section: "§8"}
"""

# The same rules and one that judges the response time of a greeting.
QUICK_ZH = """\
language: zh
rules:
  - id: call.quick
    title: {zh: 及时应答, ko: 신속한 응답, en: Answer promptly}
    scenarios: [opening-greeting]
    severity: minor
    check: {response_time: {max_seconds: 20}}
    feedback:
      fail: {zh: 回应太慢。, ko: 응답이 늦었습니다., en: Too slow.}
    source: {document: "000", section: "§2"}
"""

CALL_RULEBOOK = {**RULEBOOK, "zh/call.yaml": CALL_ZH}
TIMED_RULEBOOK = {**CALL_RULEBOOK, "zh/quick.yaml": QUICK_ZH}

GOOD_GREETING = "您好，这里是客服中心，请问有什么可以帮您？"
BAD_GREETING = "喂？说。"
GOODBYE = "感谢您的来电，再见。"


class Clock:
    """The server's clock, under the test's control."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:  # type: ignore[no-untyped-def]
    fixed = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", fixed)
    return fixed


@pytest.fixture
def call_pack(db):  # type: ignore[no-untyped-def]
    pack, _changed = services.publish_rule_sources(sources=CALL_RULEBOOK)
    return pack


@pytest.fixture
def call(db):  # type: ignore[no-untyped-def]
    """The short call of tests/factories.py, with the scenarios its turns name."""
    for slug in ("opening-greeting", "customer-cursing", "closing-call"):
        ScenarioFactory(slug=slug, titles={"zh": slug, "ko": slug, "en": slug})
    return RolePlayFactory()


@pytest.fixture
def no_broker():  # type: ignore[no-untyped-def]
    """Tests grade by hand; the enqueues are only observed."""
    with (
        mock.patch.object(services, "enqueue_grading") as enqueue,
        mock.patch.object(services, "request_certificate_check"),
    ):
        yield enqueue
