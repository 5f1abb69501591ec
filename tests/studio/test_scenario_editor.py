"""The scenario editor: texts per language, stable slugs, linked rules, lessons and questions."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from scenarios.models import Scenario
from tests.factories import LessonFactory, QuestionFactory, ScenarioFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "title_zh": "客户辱骂（新版）",
    "title_ko": "욕설하는 고객",
    "title_en": "An abusive caller",
    "customer_zh": "你们都是废物！",
    "customer_ko": "",
    "customer_en": "",
    "sources": "002 四.4\n004 四.3\n",
}


def test_a_trainer_changes_the_titles_and_the_callers_words(as_trainer, trainer, published):
    url = reverse("studio:scenario", args=["customer-cursing"])

    response = as_trainer.post(url, TEXTS)

    assert response["Location"] == url
    scenario = Scenario.objects.get(slug="customer-cursing")
    assert scenario.titles == {
        "zh": "客户辱骂（新版）",
        "ko": "욕설하는 고객",
        "en": "An abusive caller",
    }
    assert scenario.customer_lines == {"zh": "你们都是废物！"}
    assert scenario.sources == ["002 四.4", "004 四.3"]
    assert AuditEntry.objects.filter(action="studio.scenario.saved", actor=trainer).exists()


def test_an_existing_slug_is_never_renamed(as_trainer, published):
    url = reverse("studio:scenario", args=["customer-cursing"])

    as_trainer.post(url, {**TEXTS, "slug": "renamed"})

    assert Scenario.objects.filter(slug="customer-cursing").exists()
    assert not Scenario.objects.filter(slug="renamed").exists()


def test_a_chinese_title_is_required(as_trainer, published):
    url = reverse("studio:scenario", args=["customer-cursing"])

    response = as_trainer.post(url, {**TEXTS, "title_zh": ""})

    assert response.status_code == 200
    assert Scenario.objects.get(slug="customer-cursing").titles["zh"] == "客户辱骂"


def test_a_new_scenario_needs_a_valid_unused_slug(as_trainer, published):
    url = reverse("studio:scenario-new")

    bad = as_trainer.post(url, {**TEXTS, "slug": "Refund Request"})
    taken = as_trainer.post(url, {**TEXTS, "slug": "customer-cursing"})
    good = as_trainer.post(url, {**TEXTS, "slug": "refund-request"})

    assert "Use lowercase letters and digits" in bad.content.decode()
    assert "exists already" in taken.content.decode()
    assert good["Location"] == reverse("studio:scenario", args=["refund-request"])
    created = Scenario.objects.get(slug="refund-request")
    assert created.position > Scenario.objects.get(slug="customer-cursing").position


def test_the_editor_shows_the_published_rules_lessons_and_questions(as_trainer, published):
    lesson = LessonFactory(title="应对辱骂")
    lesson.scenarios.add(Scenario.objects.get(slug="customer-cursing"))
    QuestionFactory(prompt="客户骂人时你先说什么？")

    page = as_trainer.get(reverse("studio:scenario", args=["customer-cursing"])).content.decode()

    assert "studio.no-retaliation" in page and "zh/cursing.yaml:3" in page
    assert "应对辱骂" in page
    assert "客户骂人时你先说什么？" in page


def test_lessons_are_linked_and_unlinked(as_trainer, trainer, published):
    scenario = Scenario.objects.get(slug="customer-cursing")
    kept, dropped, added = LessonFactory(), LessonFactory(), LessonFactory()
    scenario.lessons.add(kept, dropped)
    url = reverse("studio:scenario-lessons", args=[scenario.slug])

    as_trainer.post(url, {"remove": [dropped.pk], "add": added.pk})

    assert set(scenario.lessons.all()) == {kept, added}
    entry = AuditEntry.objects.get(action="studio.scenario.lessons")
    assert entry.details == {"added": [added.pk], "removed": [dropped.pk]}


def test_the_list_shows_each_scenario_with_its_counts(as_trainer, published):
    ScenarioFactory(slug="silent-line", titles={"zh": "无声电话"})

    page = as_trainer.get(reverse("studio:scenarios")).content.decode()

    assert "无声电话" in page and "silent-line" in page
    assert "2 / 0" in page  # two Chinese rules grade customer-cursing
