"""Document import in the studio: upload → preview (nothing stored) → accept as a draft module
→ edit lessons with a sanitised live preview → review candidate rules → publish."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import ruleengine
from core.models import AuditEntry
from courses.models import CandidateRule, Lesson, Module, ReviewStatus
from studio.models import DocumentUpload, RuleDraft
from tests.factories import CourseFactory

from .conftest import HTMX, POLICY_DOCUMENT

pytestmark = pytest.mark.django_db


def upload(client, data: bytes = POLICY_DOCUMENT, name: str = "投诉规范.md", **extra):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("studio:imports"), {"file": file, "language": "auto", **extra})


def test_uploading_shows_a_preview_and_stores_no_module(as_trainer):
    response = upload(as_trainer)

    kept = DocumentUpload.objects.get()
    assert response["Location"] == reverse("studio:import-preview", args=[kept.pk])
    page = as_trainer.get(response["Location"]).content.decode()
    assert "投诉电话处理规范" in page
    assert "接听" in page and "服务禁语" in page and "结束通话" in page
    assert "您好，客户服务中心，请问有什么可以帮您？" in page
    assert "这不归我管" in page
    assert not Module.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "The submitted file is empty."),
        (b"  \n\n ", "blank.txt", "blank.txt is empty"),
        (b"%PDF-1.7 binary", "policy.pdf", "PDF import is not supported yet"),
        (b"\x00\x01\x02\x03" * 50, "blob.txt", "binary"),
    ],
)
def test_a_file_that_cannot_be_imported_shows_one_line_and_writes_nothing(
    as_trainer, data, name, message
):
    response = upload(as_trainer, data, name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DocumentUpload.objects.exists() and not Module.objects.exists()


def test_a_document_over_5_mb_is_refused(as_trainer):
    response = upload(as_trainer, POLICY_DOCUMENT + b"a" * (5 * 1024 * 1024))

    assert "larger than 5 MB" in response.content.decode()
    assert not DocumentUpload.objects.exists()


def test_an_upload_is_only_for_the_trainer_who_made_it(as_trainer, client):
    from tests.factories import UserFactory

    upload(as_trainer)
    other = UserFactory(roles=["Trainer", "Learner"])
    client.force_login(other)

    response = client.get(reverse("studio:import-preview", args=[DocumentUpload.objects.get().pk]))

    assert response.status_code == 404


@pytest.fixture
def module(as_trainer) -> Module:  # type: ignore[no-untyped-def]
    kept = upload(as_trainer)
    as_trainer.post(kept["Location"], {"course": ""})
    return Module.objects.get()


def test_accepting_stores_a_draft_module_and_forgets_the_upload(as_trainer, trainer, module):
    assert not module.is_published and not module.course.is_published
    assert module.course.slug == "imports-zh"
    assert module.imported_by == trainer
    assert list(module.lessons.values_list("title", flat=True)) == ["接听", "服务禁语", "结束通话"]
    assert not module.lessons.filter(is_published=True).exists()
    assert CandidateRule.objects.filter(module=module, phrase="这不归我管").exists()
    assert not DocumentUpload.objects.exists()
    assert AuditEntry.objects.filter(action="courses.import_document").exists()


def test_a_document_can_go_into_an_existing_course_of_its_language(as_trainer):
    course = CourseFactory(slug="phone-etiquette-zh", language="zh")
    CourseFactory(slug="phone-etiquette-ko", language="ko")
    kept = upload(as_trainer)

    page = as_trainer.get(kept["Location"]).content.decode()
    as_trainer.post(kept["Location"], {"course": course.pk})

    assert "phone-etiquette-ko" not in page
    assert Module.objects.get().course == course


def test_the_lesson_editor_saves_a_new_version(as_trainer, trainer, module):
    lesson = module.lessons.get(title="接听")
    url = reverse("studio:lesson", args=[lesson.pk])

    response = as_trainer.post(
        url, {"title": "接听电话", "body_markdown": "## 三声之内\n\n先问候。"}
    )

    assert response["Location"] == url
    lesson.refresh_from_db()
    assert (lesson.title, lesson.version) == ("接听电话", 2)
    assert lesson.body_markdown == "## 三声之内\n\n先问候。"
    assert AuditEntry.objects.filter(action="courses.lesson.edited", actor=trainer).exists()


def test_the_live_preview_renders_markdown_and_removes_scripts(as_trainer):
    body = (
        "## 要点\n\n**先问候**<script>alert(1)</script> [x](javascript:alert(1)) "
        "<img src=x onerror=alert(1)>"
    )

    html = as_trainer.post(reverse("studio:lesson-preview"), {"body_markdown": body}, **HTMX)

    text = html.content.decode()
    assert "<h2>要点</h2>" in text and "<strong>先问候</strong>" in text
    for unsafe in ("<script", "javascript:", "onerror", "<img"):
        assert unsafe not in text


def test_the_lesson_editor_shows_the_rendered_lesson(as_trainer, module):
    lesson = module.lessons.get(title="接听")

    page = as_trainer.get(reverse("studio:lesson", args=[lesson.pk])).content.decode()

    assert "您好，客户服务中心" in page and 'id="lesson-preview"' in page


def test_publishing_the_module_publishes_its_lessons_and_can_be_undone(as_trainer, module):
    url = reverse("studio:module-publish", args=[module.pk])

    published = as_trainer.post(url, {"published": "1"}, follow=True)

    module.refresh_from_db()
    assert module.is_published
    assert not Lesson.objects.filter(module=module, is_published=False).exists()
    assert "its course is not" in published.content.decode()
    as_trainer.post(url, {"published": "0"})
    module.refresh_from_db()
    assert not module.is_published
    assert not Lesson.objects.filter(module=module, is_published=True).exists()


def test_the_module_page_lets_the_trainer_accept_or_reject_each_candidate_rule(as_trainer, module):
    rule = CandidateRule.objects.get(module=module, phrase="这不归我管")

    page = as_trainer.get(reverse("studio:module", args=[module.pk])).content.decode()

    assert reverse("courses:review-item", args=["rule", rule.pk]) in page
    assert 'value="accepted"' in page and 'value="rejected"' in page


def test_accepted_candidate_rules_become_rules_in_a_draft_that_compiles(
    as_trainer, module, published
):
    rule = CandidateRule.objects.get(module=module, phrase="这不归我管")
    as_trainer.post(reverse("courses:review-item", args=["rule", rule.pk]), {"status": "accepted"})
    CandidateRule.objects.filter(module=module).exclude(pk=rule.pk).update(
        status=ReviewStatus.REJECTED
    )
    url = reverse("studio:module-draft-rules", args=[module.pk])

    response = as_trainer.post(url, {"scenario": "customer-cursing", "severity": "major"})

    draft = RuleDraft.objects.get()
    filename = f"zh/imported-{module.pk}.yaml"
    assert response["Location"] == reverse(
        "studio:draft-file", kwargs={"pk": draft.pk, "filename": filename}
    )
    pack = ruleengine.compile_pack(draft.sources)
    verdict = ruleengine.grade("这不归我管。", pack, scenario="customer-cursing", language="zh")
    assert verdict.outcome(f"imported.m{module.pk}.c{rule.pk}").status == "fail"
    as_trainer.post(url, {"scenario": "customer-cursing", "severity": "major"})
    draft.refresh_from_db()
    assert draft.sources[filename].count(f"imported.m{module.pk}.c{rule.pk}") == 1
