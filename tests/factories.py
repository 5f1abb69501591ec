"""factory-boy factories: `<Model>Factory`, one per model the tests build."""

import factory

from accounts.models import Department, User
from accounts.roles import LEARNER, ensure_roles

PASSWORD = "correct-horse-battery"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"客服{n}部")
    code = factory.Sequence(lambda n: f"dept-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Sequence(lambda n: f"员工{n}")
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            # ensure_roles, not a lookup: transactional tests flush the groups migrate made.
            groups = ensure_roles()
            for role in extracted or [LEARNER]:
                self.groups.add(groups[role])


# --- courses -----------------------------------------------------------------------------------

from courses.models import Course, Enrollment, Lesson, LessonProgress, Module  # noqa: E402


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"电话礼仪课程 {n}")
    language = "zh"
    summary = "接听电话的基本功。"
    is_published = True


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    slug = factory.Sequence(lambda n: f"module-{n}")
    title = factory.Sequence(lambda n: f"第{n}单元")
    position = factory.Sequence(lambda n: n)
    is_published = True


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"第{n}课")
    body_markdown = "## 要点\n\n接起电话先说“您好”。"
    minutes = 3
    position = factory.Sequence(lambda n: n)
    is_published = True


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    user = factory.SubFactory(UserFactory)
    lesson = factory.SubFactory(LessonFactory)


# --- scenarios ---------------------------------------------------------------------------------

from scenarios.models import Reply, Scenario  # noqa: E402


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario
        django_get_or_create = ("slug",)

    slug = "customer-cursing"
    titles = factory.LazyFunction(
        lambda: {"zh": "客户辱骂", "ko": "욕설하는 고객", "en": "An abusive caller"}
    )
    customer_lines = factory.LazyFunction(
        lambda: {
            "zh": "你们这什么破公司！一群废物！",
            "ko": "이게 무슨 회사야!",
            "en": "What a useless company!",
        }
    )
    sources = factory.LazyFunction(lambda: ["002 四.4"])


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    user = factory.SubFactory(UserFactory)
    scenario = factory.SubFactory(ScenarioFactory)
    language = "zh"
    text = "非常抱歉给您带来不便，我马上为您处理。"


# --- quizzes -----------------------------------------------------------------------------------

from quizzes.models import Question, Quiz  # noqa: E402
from scenarios.models import Scenario  # noqa: E402


def scenario_named(slug: str = "customer-cursing") -> Scenario:
    scenario, _ = Scenario.objects.get_or_create(
        slug=slug, defaults={"titles": {"zh": "客户辱骂", "ko": "욕설하는 고객", "en": slug}}
    )
    return scenario


def _cited(text: str, explanation: str, **flags: object) -> dict[str, object]:
    return {"text": text, "explanation": explanation, "rule": "", "source": "002 四.4", **flags}


SAMPLE_ITEMS: dict[str, list[dict[str, object]]] = {
    "best-reply": [
        _cited("非常抱歉给您带来不便，请您慢慢说。", "先致歉再引导。", correct=True),
        _cited("你骂谁呢？", "回嘴会激化矛盾。", correct=False),
        _cited("爱打不打。", "赌气挂断是严重违规。", correct=False),
    ],
    "acceptable-replies": [
        _cited("很抱歉让您着急了，我马上帮您查。", "致歉并行动。", correct=True),
        _cited("我理解您的心情，请您慢慢说。", "共情并引导。", correct=True),
        _cited("你再骂我就挂了。", "威胁挂断。", correct=False),
        _cited("嗯。", "敷衍。", correct=False),
    ],
    "order-steps": [
        {"text": "先致歉", "explanation": "接住情绪。", "rule": "", "source": "002 四.4"},
        {"text": "引回问题", "explanation": "回到解决。", "rule": "", "source": "002 四.4"},
        {"text": "提醒文明用语", "explanation": "语气平和。", "rule": "", "source": "002 四.4"},
        {"text": "预告结束通话", "explanation": "不能直接挂断。", "rule": "", "source": "002 四.4"},
    ],
    "spot-violation": [
        {"speaker": "customer", "text": "你们这什么破公司！", "violation": False},
        {"speaker": "agent", "text": "非常抱歉，请您慢慢说。", "violation": False},
        {"speaker": "customer", "text": "说什么说！", "violation": False},
        {
            "speaker": "agent",
            "text": "你有病吧，爱打不打。",
            "violation": True,
            "explanation": "辱骂客户。",
            "rule": "cursing.no-retaliation",
            "source": "002 四.4",
        },
    ],
}


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    key = factory.Sequence(lambda n: f"zh-test-question-{n}")
    version = 1
    scenario = factory.LazyFunction(scenario_named)
    language = "zh"
    type = "best-reply"
    prompt = factory.Sequence(lambda n: f"第{n}题：客户骂人，你怎么回答？")
    payload = factory.LazyAttribute(lambda question: {"items": SAMPLE_ITEMS[question.type]})
    lesson_ref = "phone-etiquette-zh/complaints/02-abusive-callers"
    source = "002 四.4"
    content_hash = factory.Sequence(lambda n: f"{n:064x}")


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    slug = factory.Sequence(lambda n: f"test-quiz-{n}")
    title = factory.Sequence(lambda n: f"情景测验 {n}")
    language = "zh"
    scenario = factory.LazyFunction(scenario_named)
    pool_language = "zh"
    pool_scenarios = factory.LazyAttribute(
        lambda quiz: [quiz.scenario.slug] if quiz.scenario else []
    )
    pass_mark = 80


# --- certificates ------------------------------------------------------------------------------

from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from certificates.models import Assignment, Certificate, Track  # noqa: E402


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"track-{n}")
    titles = factory.LazyFunction(
        lambda: {
            "zh": "电话礼仪认证(一级)",
            "ko": "전화 예절 인증(1급)",
            "en": "Telephone etiquette",
        }
    )
    language = "zh"
    validity_months = 12
    requirements = factory.LazyFunction(lambda: [{"type": "lessons", "course": "course-x"}])


class CertificateFactory(factory.django.DjangoModelFactory):
    """An issued certificate (valid for a year from now unless told otherwise)."""

    class Meta:
        model = Certificate

    user = factory.SubFactory(UserFactory)
    track = factory.SubFactory(TrackFactory)
    cycle = 1
    learner_name = factory.LazyAttribute(lambda cert: cert.user.display_name)
    track_titles = factory.LazyAttribute(lambda cert: dict(cert.track.titles))
    issued_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda cert: cert.issued_at + timedelta(days=365))
    score_summary = factory.LazyFunction(
        lambda: [
            {"kind": "lessons", "label": "电话礼仪入职培训", "done": 29, "total": 29},
            {"kind": "quiz", "label": "结业认证测验", "score": 92, "needed": 80},
        ]
    )
    serial = factory.Sequence(lambda n: f"LS-2026-{n + 900000:06d}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    user = factory.SubFactory(UserFactory)
    track = factory.SubFactory(TrackFactory)


# --- scenarios: role-plays ---------------------------------------------------------------------

from scenarios import scripts as roleplay_scripts  # noqa: E402
from scenarios.models import RolePlay  # noqa: E402

# A short call: greeting → abusive caller → closing (3 turns when every reply passes).
SHORT_CALL: dict[str, object] = {
    "slug": "short-call-zh",
    "title": "骂人的客户",
    "language": "zh",
    "summary": "一位生气的客户打来电话。",
    "course": "",
    "pass_mark": 70,
    "start": "greet",
    "nodes": {
        "greet": {
            "customer": "（电话铃响了）",
            "turn": {"scenario": "opening-greeting", "seconds": 20, "hint": "先问候。"},
            "on_pass": "curse",
            "on_fail": "curse-angrier",
            "on_timeout": "silent",
        },
        "silent": {
            "customer": "喂？有人吗？",
            "turn": {"scenario": "opening-greeting", "seconds": 20},
            "on_pass": "curse",
            "on_fail": "end-hung-up",
            "on_timeout": "end-hung-up",
        },
        "curse": {
            "customer": "你们这什么破公司！",
            "turn": {"scenario": "customer-cursing", "seconds": 30},
            "on_pass": "close",
            "on_fail": "close",
            "on_critical": "end-hung-up",
            "on_timeout": "end-hung-up",
        },
        "curse-angrier": {
            "customer": "连个招呼都不会打？一群废物！",
            "turn": {"scenario": "customer-cursing", "seconds": 30},
            "on_pass": "close",
            "on_fail": "end-hung-up",
            "on_timeout": "end-hung-up",
        },
        "close": {
            "customer": "行吧，就这样。",
            "turn": {"scenario": "closing-call", "seconds": 20},
            "on_pass": "end-good",
            "on_fail": "end-good",
            "on_timeout": "end-good",
        },
        "end-good": {"ending": "客户平静地挂断了电话。"},
        "end-hung-up": {"ending": "客户气冲冲地挂断了电话。"},
    },
}


def _playable(script: dict[str, object]) -> dict[str, object]:
    return roleplay_scripts.validate_script(
        script, file_stem=str(script["slug"]), scenarios=roleplay_scripts_slugs(script)
    )


def roleplay_scripts_slugs(script: dict[str, object]) -> set[str]:
    nodes = script["nodes"]
    assert isinstance(nodes, dict)
    return {node["turn"]["scenario"] for node in nodes.values() if "turn" in node}


class RolePlayFactory(factory.django.DjangoModelFactory):
    """A role-play row; its scenarios must exist (ScenarioFactory) before a call starts."""

    class Meta:
        model = RolePlay
        django_get_or_create = ("slug",)

    script = factory.LazyFunction(lambda: _playable(SHORT_CALL))
    slug = factory.LazyAttribute(lambda rp: rp.script["slug"])
    title = factory.LazyAttribute(lambda rp: rp.script["title"])
    language = factory.LazyAttribute(lambda rp: rp.script["language"])
    summary = factory.LazyAttribute(lambda rp: rp.script["summary"])
    course_slug = factory.LazyAttribute(lambda rp: rp.script["course"])
    pass_mark = factory.LazyAttribute(lambda rp: rp.script["pass_mark"])
    turns_in_complete_call = factory.LazyAttribute(
        lambda rp: roleplay_scripts.main_path_turns(rp.script["nodes"], rp.script["start"])
    )
    content_hash = factory.Sequence(lambda n: f"{n:064x}")


# --- accounts: cohorts (HR enrolment) ----------------------------------------------------------

from accounts.models import Cohort  # noqa: E402


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"2026年{n % 12 + 1}月入职")
