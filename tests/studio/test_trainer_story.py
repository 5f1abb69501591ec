"""The issue's "done when", as one story: a trainer turns a new policy document into a published
module with a quiz question and a rule, checks the rule against marked replies, and publishes —
without a developer, a YAML file or the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import CandidateRule, Lesson, Module
from quizzes.models import Question
from scenarios.models import RulePack
from studio.models import CalibrationRun, RuleDraft
from tests.factories import CourseFactory, QuizFactory

from .conftest import POLICY_DOCUMENT, graded_reply

pytestmark = pytest.mark.django_db

MARKED = """scenario,language,text,acceptable
customer-cursing,zh,非常抱歉，我马上帮您查。,yes
customer-cursing,zh,对不起，这不归我管。,no
""".encode()


def test_a_trainer_takes_a_policy_document_all_the_way_to_learners(
    as_trainer, client, learner, published
):
    course = CourseFactory(slug="phone-etiquette-zh", language="zh", is_published=True)
    quiz = QuizFactory(scenario=None, pool_scenarios=["customer-cursing"])

    # 1. Upload, preview, accept into the published course.
    kept = as_trainer.post(
        reverse("studio:imports"),
        {"file": SimpleUploadedFile("投诉规范.md", POLICY_DOCUMENT), "language": "auto"},
    )
    as_trainer.post(kept["Location"], {"course": course.pk})
    module = Module.objects.get(course=course)

    # 2. Edit a lesson, link it to the scenario, publish the module.
    lesson = module.lessons.get(title="服务禁语")
    as_trainer.post(
        reverse("studio:lesson", args=[lesson.pk]),
        {
            "title": "服务禁语",
            "body_markdown": "## 不推诿\n\n不说“这不归我管”，要说“我帮您转给负责的同事”。",
        },
    )
    as_trainer.post(
        reverse("studio:scenario-lessons", args=["customer-cursing"]), {"add": lesson.pk}
    )
    as_trainer.post(reverse("studio:module-publish", args=[module.pk]), {"published": "1"})

    # 3. Write a quiz question for the scenario.
    question_data = {
        "scenario": "customer-cursing",
        "language": "zh",
        "type": "best-reply",
        "prompt": "客户问的事不归你负责，你怎么说？",
        "source": "投诉规范.md 二",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-text": "这个我帮您转给负责的同事。",
        "items-0-correct": "on",
        "items-0-explanation": "主动转接，不推诿。",
        "items-1-text": "这不归我管。",
        "items-1-explanation": "推诿是服务禁语。",
    }
    as_trainer.post(reverse("studio:question-new"), question_data)

    # 4. Accept the candidate rule, turn it into a draft rule, calibrate, preview, publish.
    candidate = CandidateRule.objects.get(module=module, phrase="这不归我管")
    as_trainer.post(
        reverse("courses:review-item", args=["rule", candidate.pk]), {"status": "accepted"}
    )
    CandidateRule.objects.filter(module=module).exclude(pk=candidate.pk).update(status="rejected")
    as_trainer.post(
        reverse("studio:module-draft-rules", args=[module.pk]),
        {"scenario": "customer-cursing", "severity": "critical"},
    )
    draft = RuleDraft.objects.get()
    as_trainer.post(
        reverse("studio:draft-calibrate", args=[draft.pk]),
        {"file": SimpleUploadedFile("marked.csv", MARKED)},
    )
    assert CalibrationRun.objects.get().report["accuracy"] == 1.0
    assert as_trainer.get(reverse("studio:draft-preview", args=[draft.pk])).status_code == 200
    as_trainer.post(reverse("studio:draft-publish", args=[draft.pk]), {"confirm": "on"})

    # The learner reads the lesson, meets the question, and is graded by the new rule.
    client.force_login(learner)
    assert client.get(Lesson.objects.get(pk=lesson.pk).get_absolute_url()).status_code == 200
    assert Question.objects.get(prompt__startswith="客户问的事") in quiz.pool()
    assert RulePack.objects.current() != published
    assert not graded_reply(learner, "对不起，这不归我管。").verdict.passed
