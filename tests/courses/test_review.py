"""Trainers review imported drafts; learners never reach the review pages."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from courses.models import CandidateRule, ModelPhrase, Origin, ReviewStatus
from tests.factories import CourseFactory, LessonFactory, ModuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():  # type: ignore[no-untyped-def]
    course = CourseFactory(slug="imports-zh", is_published=False)
    module = ModuleFactory(
        course=course,
        title="呼叫中心礼仪标准",
        is_published=False,
        origin=Origin.IMPORTED,
        source_document="004_b42cfbc054f58963.txt",
        source_sha256="a" * 64,
        import_report={"dropped": {"boilerplate_lines": 57, "duplicate_sections": 10}},
    )
    lesson = LessonFactory(module=module, title="服务禁语", is_published=False, say=[])
    phrase = ModelPhrase.objects.create(
        lesson=lesson, text="请您稍等，我马上为您查询。", source_section="四 › 2"
    )
    rule = CandidateRule.objects.create(
        module=module, phrase="不知道", source_document=module.source_document, source_section="五"
    )
    return module, lesson, phrase, rule


def test_a_learner_cannot_open_the_review_pages(client, learner, draft):
    module, _, _, rule = draft
    client.force_login(learner)

    assert client.get(reverse("courses:review")).status_code == 403
    assert client.get(reverse("courses:review-module", args=[module.pk])).status_code == 403
    response = client.post(
        reverse("courses:review-item", args=["rule", rule.pk]), {"status": "accepted"}
    )
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.status == ReviewStatus.PENDING


def test_a_trainer_sees_each_draft_with_what_is_left_to_review(client, trainer, draft):
    client.force_login(trainer)

    page = client.get(reverse("courses:review")).content.decode()

    assert "呼叫中心礼仪标准" in page
    assert "004_b42cfbc054f58963.txt" in page
    assert "1 phrases, 1 rules" in page


def test_the_draft_page_shows_provenance_phrases_and_rules(client, trainer, draft):
    module, *_ = draft
    client.force_login(trainer)

    page = client.get(reverse("courses:review-module", args=[module.pk])).content.decode()

    assert "57 boilerplate lines, 10 duplicate sections" in page
    assert "请您稍等，我马上为您查询。" in page
    assert "不知道" in page
    assert "四 › 2" in page


def test_accepting_a_rule_records_who_decided_and_never_publishes_anything(client, trainer, draft):
    module, _, _, rule = draft
    client.force_login(trainer)

    response = client.post(
        reverse("courses:review-item", args=["rule", rule.pk]),
        {"status": "accepted"},
        headers={"HX-Request": "true"},
    )

    rule.refresh_from_db()
    module.refresh_from_db()
    assert response.status_code == 200
    assert f'id="rule-{rule.pk}"' in response.content.decode()
    assert rule.status == ReviewStatus.ACCEPTED and rule.reviewed_by == trainer
    assert not module.is_published
    assert AuditEntry.objects.filter(action="courses.candidate_rule.accepted").exists()


def test_an_accepted_model_phrase_becomes_a_say_this_card(client, trainer, draft):
    _, lesson, phrase, _ = draft
    client.force_login(trainer)

    response = client.post(
        reverse("courses:review-item", args=["phrase", phrase.pk]), {"status": "accepted"}
    )
    page = client.get(lesson.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert "Say this" in page and "请您稍等，我马上为您查询。" in page


def test_an_unknown_review_decision_is_refused(client, trainer, draft):
    *_, rule = draft
    client.force_login(trainer)

    response = client.post(
        reverse("courses:review-item", args=["rule", rule.pk]), {"status": "published"}
    )

    assert response.status_code == 400
    rule.refresh_from_db()
    assert rule.status == ReviewStatus.PENDING
