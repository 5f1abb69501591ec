"""A small rulebook of our own, graded replies, and a short policy document to import."""

from typing import Any

import pytest
from django.utils import translation

from scenarios import services as scenario_services
from scenarios.models import Reply, RulePack
from tests.factories import ReplyFactory, ScenarioFactory

CURSING_ZH = """\
language: zh
rules:
  - id: studio.no-retaliation
    title: {zh: 不回骂, ko: 맞대응 금지, en: Never hit back}
    scenarios: [customer-cursing]
    severity: critical
    weight: 3
    check:
      forbids: [你骂谁, 爱打不打]
    feedback:
      fail: {zh: 回骂是严重违规。, ko: 맞대응은 중대한 위반입니다., en: Never hit back.}
    source: {document: "002", section: "四.4"}
  - id: studio.apologise
    title: {zh: 先致歉, ko: 먼저 사과, en: Apologise first}
    scenarios: [customer-cursing]
    severity: major
    weight: 2
    check:
      requires_any: [抱歉, 对不起]
    feedback:
      fail: {zh: 请先道歉。, ko: 먼저 사과하세요., en: Apologise first.}
    source: {document: "002", section: "四.4"}
"""

GREETING_ZH = """\
language: zh
rules:
  - id: studio.greet
    title: {zh: 问候, ko: 인사, en: Greet}
    scenarios: [opening-greeting]
    severity: major
    check:
      requires_any: [您好]
    feedback:
      fail: {zh: 先说“您好”。, ko: 인사하세요., en: Greet the caller.}
"""

RULEBOOK = {"zh/cursing.yaml": CURSING_ZH, "zh/greeting.yaml": GREETING_ZH}

GOOD_REPLY = "非常抱歉给您带来不便，我马上为您处理。"
RUDE_REPLY = "你骂谁呢？爱打不打。"
# Passes today; fails once 马上 is forbidden (the change the regrade tests make).
HURRIED_REPLY = "对不起，我马上处理。"

POLICY_DOCUMENT = """\
# 投诉电话处理规范

## 一、接听

接听电话时先问候：“您好，客户服务中心，请问有什么可以帮您？”

## 二、服务禁语

严禁对客户说“不知道”“这不归我管”。

## 三、结束通话

结束前询问：“请问还有其他可以帮您的吗？”
""".encode()

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    """Pages in English, so assertions read the msgids whatever the catalogues say."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    yield client
    # The test client leaves the last request's language active in this thread; later tests
    # (in other apps) must find the default again.
    translation.deactivate()


@pytest.fixture
def as_trainer(client, trainer):  # type: ignore[no-untyped-def]
    client.force_login(trainer)
    return client


@pytest.fixture
def published(db) -> RulePack:  # type: ignore[no-untyped-def]
    ScenarioFactory(slug="customer-cursing")
    ScenarioFactory(slug="opening-greeting", titles={"zh": "接听问候", "en": "Greeting"})
    pack, _changed = scenario_services.publish_rule_sources(sources=RULEBOOK)
    return pack


def graded_reply(user: Any, text: str, scenario: str = "customer-cursing") -> Reply:
    """A learner's reply graded by the published rules, as the worker would."""
    reply = ReplyFactory(user=user, text=text, scenario=ScenarioFactory(slug=scenario))
    assert scenario_services.grade_pending_reply(reply_id=reply.pk) == "graded"
    return Reply.objects.select_related("verdict").get(pk=reply.pk)


def stricter(sources: dict[str, str]) -> dict[str, str]:
    """The rulebook with 马上 (a vague "right away") forbidden as well."""
    return {
        **sources,
        "zh/cursing.yaml": sources["zh/cursing.yaml"].replace("爱打不打]", "爱打不打, 马上]"),
    }
