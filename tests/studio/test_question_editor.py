"""The question editor: a form per type, checked by the content rules, a preview as the learner
sees it (never the answer), and a new version for every saved change."""

from typing import Any

import pytest
from django.urls import reverse

from core.models import AuditEntry
from quizzes import services as quiz_services
from quizzes.models import Question
from tests.factories import QuestionFactory, QuizFactory, scenario_named

from .conftest import HTMX

pytestmark = pytest.mark.django_db


def item_rows(rows: list[dict[str, Any]], extra: int = 0) -> dict[str, Any]:
    """Formset data for the given rows (plus empty ones, as the page sends)."""
    data: dict[str, Any] = {
        "items-TOTAL_FORMS": str(len(rows) + extra),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is True:
                data[f"items-{index}-{name}"] = "on"
            elif value is not False:
                data[f"items-{index}-{name}"] = value
    return data


BEST_REPLY_ROWS = [
    {"text": "非常抱歉，请您慢慢说。", "correct": True, "explanation": "先致歉。", "ORDER": "1"},
    {"text": "你骂谁呢？", "correct": False, "explanation": "回嘴会激化矛盾。", "ORDER": "2"},
    {"text": "爱打不打。", "correct": False, "explanation": "赌气挂断。", "ORDER": "3"},
]


def new_question(client, question_type: str = "best-reply", rows=None, **fields):  # type: ignore[no-untyped-def]
    data = {
        "scenario": "customer-cursing",
        "language": "zh",
        "type": question_type,
        "prompt": "客户骂人，你怎么回答？",
        "source": "002 四.4",
        **fields,
        **item_rows(rows if rows is not None else BEST_REPLY_ROWS, extra=2),
    }
    return client.post(reverse("studio:question-new"), data)


@pytest.fixture
def scenario(db):  # type: ignore[no-untyped-def]
    return scenario_named("customer-cursing")


def test_a_trainer_creates_a_best_reply_question_that_joins_the_scenario_quiz(
    as_trainer, trainer, scenario
):
    quiz = QuizFactory(scenario=scenario)

    response = new_question(as_trainer)

    question = Question.objects.get()
    assert response["Location"] == reverse("studio:question", args=[question.key])
    assert question.key == "zh-customer-cursing-studio-1" and question.version == 1
    assert [item["correct"] for item in question.items] == [True, False, False]
    assert question.items[0]["source"] == "002 四.4"
    assert question.source_file == "studio"
    assert question in quiz.pool()
    assert AuditEntry.objects.filter(action="quiz.question.created", actor=trainer).exists()


def test_a_best_reply_without_a_correct_option_is_refused_with_the_reason(as_trainer, scenario):
    rows = [dict(row, correct=False) for row in BEST_REPLY_ROWS]

    response = new_question(as_trainer, rows=rows)

    assert response.status_code == 200
    assert "a best-reply question needs exactly one correct option" in response.content.decode()
    assert not Question.objects.exists()


def test_an_item_without_an_explanation_is_refused_naming_the_item(as_trainer, scenario):
    rows = [*BEST_REPLY_ROWS[:2], dict(BEST_REPLY_ROWS[2], explanation="")]

    page = new_question(as_trainer, rows=rows).content.decode()

    assert "option 3: `explanation` is missing" in page


def test_rows_are_stored_in_the_order_the_trainer_numbered_them(as_trainer, scenario):
    rows = [
        {"text": "先致歉", "explanation": "接住情绪。", "ORDER": "2"},
        {"text": "引回问题", "explanation": "回到解决。", "ORDER": "3"},
        {"text": "问候", "explanation": "开场。", "ORDER": "1"},
    ]

    new_question(as_trainer, "order-steps", rows=rows)

    assert [item["text"] for item in Question.objects.get().items] == ["问候", "先致歉", "引回问题"]


def test_a_spot_the_violation_transcript_keeps_speakers_and_the_marked_line(as_trainer, scenario):
    rows = [
        {"speaker": "customer", "text": "你们这什么破公司！"},
        {"speaker": "agent", "text": "非常抱歉，请您慢慢说。"},
        {"speaker": "agent", "text": "爱打不打。", "violation": True, "explanation": "赌气。"},
    ]

    new_question(as_trainer, "spot-violation", rows=rows)

    items = Question.objects.get().items
    assert [(item["speaker"], item["violation"]) for item in items] == [
        ("customer", False),
        ("agent", False),
        ("agent", True),
    ]


def test_editing_a_question_makes_a_new_version_and_old_attempts_keep_theirs(
    as_trainer, learner, scenario
):
    question = QuestionFactory(type="best-reply")
    quiz = QuizFactory(scenario=scenario, draw=1)
    attempt = quiz_services.start_attempt(user=learner, quiz=quiz)
    data = {"prompt": "改过的题目：客户骂人怎么办？", "source": "002 四.4"}
    rows = [{**item, "ORDER": str(i + 1)} for i, item in enumerate(question.items)]

    response = as_trainer.post(
        reverse("studio:question", args=[question.key]), {**data, **item_rows(rows)}, follow=True
    )

    versions = Question.objects.filter(key=question.key).order_by("version")
    assert [(v.version, v.active) for v in versions] == [(1, False), (2, True)]
    assert versions[1].prompt == "改过的题目：客户骂人怎么办？"
    assert attempt.layout[0]["question"] == question.pk
    assert quiz_services.shown_questions(attempt)[0].prompt == question.prompt
    assert "Saved as version 2" in response.content.decode()


def test_saving_without_a_change_keeps_the_version(as_trainer, scenario):
    new_question(as_trainer)
    question = Question.objects.get()
    rows = [{**item, "ORDER": str(i + 1)} for i, item in enumerate(question.items)]
    data = {"prompt": question.prompt, "source": question.source, "lesson_ref": ""}

    response = as_trainer.post(
        reverse("studio:question", args=[question.key]), {**data, **item_rows(rows)}, follow=True
    )

    assert "Nothing changed." in response.content.decode()
    assert Question.objects.count() == 1


def test_the_editor_shows_the_question_with_its_versions(as_trainer, scenario):
    question = QuestionFactory(type="acceptable-replies")

    page = as_trainer.get(reverse("studio:question", args=[question.key])).content.decode()

    assert question.prompt in page
    assert "很抱歉让您着急了，我马上帮您查。" in page
    assert "v1" in page and "As the learner sees it" in page


def preview_html(client, question_type: str, rows: list[dict[str, Any]]) -> str:  # type: ignore[no-untyped-def]
    data = {"prompt": "哪个回答最好？", **item_rows(rows)}
    url = reverse("studio:question-preview", args=[question_type])
    return client.post(url, data, **HTMX).content.decode()


def test_the_preview_shows_the_items_as_choices_and_never_the_answer(as_trainer, scenario):
    html = preview_html(as_trainer, "best-reply", BEST_REPLY_ROWS)

    assert 'type="radio"' in html and "非常抱歉，请您慢慢说。" in html
    for secret in ("先致歉。", "回嘴会激化矛盾。", "correct", "002 四.4", "checked"):
        assert secret not in html


def test_the_preview_never_shows_the_steps_in_their_right_order(as_trainer, scenario):
    rows = [{"text": f"第{n}步", "explanation": "", "ORDER": str(n)} for n in range(1, 5)]

    html = preview_html(as_trainer, "order-steps", rows)

    positions = [html.index(f"第{n}步") for n in range(1, 5)]
    assert positions != sorted(positions)


def test_the_preview_of_a_transcript_lets_only_agent_lines_be_picked(as_trainer, scenario):
    rows = [
        {"speaker": "customer", "text": "你们这什么破公司！"},
        {"speaker": "agent", "text": "爱打不打。", "violation": True, "explanation": "赌气。"},
    ]

    html = preview_html(as_trainer, "spot-violation", rows)

    assert html.count('type="checkbox"') == 1
    assert "赌气。" not in html
    named = html.count("Spot the violation") + html.count("question-spot-violation")
    assert html.count("violation") == named  # no attribute tells the marked line apart


def test_the_list_filters_by_scenario_and_language(as_trainer, scenario):
    QuestionFactory(prompt="中文的题")
    QuestionFactory(prompt="한국어 문제", language="ko", key="ko-q-1")

    page = as_trainer.get(reverse("studio:questions"), {"language": "ko"}).content.decode()

    assert "한국어 문제" in page and "中文的题" not in page


def test_a_question_can_be_taken_out_of_the_quizzes(as_trainer, scenario):
    question = QuestionFactory()

    as_trainer.post(reverse("studio:question-retire", args=[question.key]))

    question.refresh_from_db()
    assert not question.active


@pytest.mark.parametrize("question_type", ["best-reply", "order-steps", "nonsense"])
def test_a_preview_of_an_empty_or_broken_form_is_a_friendly_blank(as_trainer, question_type):
    url = reverse("studio:question-preview", args=[question_type])

    response = as_trainer.post(url, {"items-TOTAL_FORMS": "x"}, **HTMX)

    assert response.status_code == 200
    assert "Write the question and its items" in response.content.decode()


def test_a_save_without_the_item_rows_is_refused_without_an_error_page(as_trainer, scenario):
    question = QuestionFactory()

    response = as_trainer.post(reverse("studio:question", args=[question.key]), {"prompt": "x"})

    assert response.status_code == 200
    assert Question.objects.filter(key=question.key).count() == 1
