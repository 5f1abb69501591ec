"""Loading the question bank and quizzes: validation, idempotency and versioning."""

from collections import Counter
from pathlib import Path
from textwrap import dedent, indent

import pytest
from django.conf import settings

from core.content import ContentError
from quizzes.content import load_quizzes
from quizzes.models import Question, Quiz
from scenarios.content import load_scenarios
from tests.factories import scenario_named

pytestmark = pytest.mark.django_db

BANK = """\
scenario: customer-cursing
language: zh
questions:
  - key: zh-cursing-best-1
    type: best-reply
    lesson: phone-etiquette-zh/complaints/02-abusive-callers
    prompt: 客户骂人，你怎么回答？
    options:
      - text: 非常抱歉给您带来不便，请您慢慢说。
        correct: true
        explanation: 先致歉，再引导。
        source: 002 四.4
      - text: 你骂谁呢？
        correct: false
        explanation: 回嘴会激化矛盾。
        rule: cursing.no-retaliation
        source: 002 四.4
  - key: zh-cursing-order-1
    type: order-steps
    prompt: 排列步骤。
    source: 002 四.4
    steps:
      - text: 致歉
      - text: 引回问题
"""

QUIZ = """\
slug: customer-cursing-zh
title: 情景测验：客户辱骂
language: zh
pool:
  language: zh
  scenarios: [customer-cursing]
draw: 2
pass_mark: 80
max_attempts: 0
time_limit_seconds: null
review: after-submit
"""


def write_content(root: Path, bank: str = BANK, quiz: str = QUIZ) -> Path:
    bank_dir = root / "quizzes" / "questions" / "zh"
    bank_dir.mkdir(parents=True, exist_ok=True)
    (bank_dir / "customer-cursing.yaml").write_text(bank, encoding="utf-8")
    (root / "quizzes" / "customer-cursing-zh.yaml").write_text(quiz, encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path: Path) -> Path:
    scenario_named("customer-cursing")
    return write_content(tmp_path)


def test_it_loads_the_bank_and_the_quiz(content):
    summary = load_quizzes(content)

    assert "2 questions (2 new" in summary
    quiz = Quiz.objects.get(slug="customer-cursing-zh")
    assert quiz.scenario.slug == "customer-cursing"
    assert quiz.pool().count() == 2
    best = Question.objects.get(key="zh-cursing-best-1")
    assert best.payload["items"][1]["rule"] == "cursing.no-retaliation"
    assert best.payload["items"][0]["correct"] is True


def test_a_second_load_changes_nothing(content):
    load_quizzes(content)
    rows_before = list(Question.objects.values_list("pk", "version", "active"))

    summary = load_quizzes(content)

    assert "(0 new, 0 new versions, 0 reactivated, 0 retired)" in summary
    assert "(0 new, 0 changed, 0 unpublished)" in summary
    assert list(Question.objects.values_list("pk", "version", "active")) == rows_before


def test_a_changed_question_becomes_a_new_version_and_the_old_row_stays(content):
    load_quizzes(content)
    first = Question.objects.get(key="zh-cursing-best-1")

    write_content(content, BANK.replace("先致歉，再引导。", "先致歉、共情，再引导。"))
    load_quizzes(content)

    versions = Question.objects.filter(key="zh-cursing-best-1").order_by("version")
    assert [(q.version, q.active) for q in versions] == [(1, False), (2, True)]
    assert versions[0].pk == first.pk
    assert versions[0].payload == first.payload


def test_a_question_removed_from_content_is_retired_not_deleted(content):
    load_quizzes(content)
    without_order = BANK.split("  - key: zh-cursing-order-1")[0]

    write_content(content, without_order)
    load_quizzes(content)

    retired = Question.objects.get(key="zh-cursing-order-1")
    assert not retired.active


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            BANK.replace("        correct: true\n", "        correct: false\n"),
            "exactly one correct",
        ),
        (BANK.replace("type: best-reply", "type: essay"), "`type` must be one of"),
        (BANK.replace("        explanation: 先致歉，再引导。\n", ""), "`explanation` is missing"),
        (BANK.replace("scenario: customer-cursing", "scenario: wrong-number"), "but the file is"),
        (BANK.replace("    source: 002 四.4\n    steps:", "    steps:"), "needs a `source`"),
        (BANK + "  - : [\n", "cannot read it as YAML"),
    ],
)
def test_a_malformed_bank_file_fails_naming_the_file_and_the_problem(content, broken, message):
    write_content(content, broken)

    with pytest.raises(ContentError) as error:
        load_quizzes(content)

    assert "customer-cursing.yaml" in str(error.value)
    assert message in str(error.value)


def test_a_spot_violation_question_must_mark_an_agent_line(content):
    bank = BANK + indent(
        dedent("""\
      - key: zh-cursing-spot-1
        type: spot-violation
        prompt: 哪一句违规？
        transcript:
          - speaker: customer
            text: 破公司！
            violation: true
            explanation: x
            source: 002 四.4
          - speaker: agent
            text: 您好
    """),
        "  ",
    )
    write_content(content, bank)

    with pytest.raises(ContentError, match="only an agent line"):
        load_quizzes(content)


def test_a_quiz_naming_an_unknown_scenario_fails(content):
    write_content(content, quiz=QUIZ.replace("[customer-cursing]", "[no-such-thing]"))

    with pytest.raises(ContentError, match=r"customer-cursing-zh\.yaml.*no-such-thing"):
        load_quizzes(content)


def test_a_key_used_twice_in_the_bank_fails(content):
    other = content / "quizzes" / "questions" / "zh" / "wrong-number.yaml"
    scenario_named("wrong-number")
    other.write_text(BANK.replace("customer-cursing", "wrong-number"), encoding="utf-8")

    with pytest.raises(ContentError, match="already used"):
        load_quizzes(content)


# --- the bundled content ---------------------------------------------------------------------


@pytest.fixture
def bundled(db) -> Path:
    load_scenarios(settings.CONTENT_DIR)
    load_quizzes(settings.CONTENT_DIR)
    return settings.CONTENT_DIR


def test_the_bundled_bank_has_three_chinese_questions_per_situation_in_all_four_types(bundled):
    from scenarios.models import Scenario

    zh = Question.objects.filter(active=True, language="zh")
    per_scenario = Counter(zh.values_list("scenario__slug", flat=True))

    assert {
        slug: per_scenario[slug]
        for slug in Scenario.objects.values_list("slug", flat=True)
        if per_scenario[slug] < 3
    } == {}
    assert set(zh.values_list("type", flat=True)) == {
        "best-reply",
        "acceptable-replies",
        "order-steps",
        "spot-violation",
    }


def test_the_bundled_bank_has_a_korean_set_and_every_quiz_has_questions(bundled):
    assert Question.objects.filter(active=True, language="ko").exists()
    for quiz in Quiz.objects.filter(published=True):
        assert quiz.pool().exists(), quiz.slug


def test_every_situation_has_a_chinese_scenario_quiz(bundled):
    from scenarios.models import Scenario

    covered = set(
        Quiz.objects.filter(published=True, language="zh").values_list("scenario__slug", flat=True)
    )

    assert set(Scenario.objects.values_list("slug", flat=True)) <= covered


def test_loading_the_bundled_content_twice_is_idempotent(bundled):
    summary = load_quizzes(bundled)

    assert "(0 new, 0 new versions, 0 reactivated, 0 retired)" in summary


def test_every_bundled_question_links_to_a_lesson_that_exists(bundled):
    from courses.content import load_courses
    from quizzes.feedback import lesson_url

    load_courses(bundled)
    refs = set(Question.objects.filter(active=True).values_list("lesson_ref", flat=True))

    assert sorted(ref for ref in refs if not lesson_url(ref)) == []


def test_an_attempt_keeps_its_version_when_content_changes_underneath(content, learner):
    from quizzes.services import start_attempt

    load_quizzes(content)
    attempt = start_attempt(user=learner, quiz=Quiz.objects.get())
    taken_on = {slot["question"] for slot in attempt.layout}

    write_content(content, BANK.replace("你骂谁呢？", "你骂谁呢？！"))
    load_quizzes(content)

    attempt.refresh_from_db()
    assert {slot["question"] for slot in attempt.layout} == taken_on
    assert Question.objects.get(key="zh-cursing-best-1", active=True).pk not in taken_on
