from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def pick_language(texts: dict[str, str], language: str | None = None) -> str:
    """The text in the current UI language, falling back to Chinese, then anything."""
    code = (language or get_language() or "zh-hans").lower()
    key = "zh" if code.startswith("zh") else code[:2]
    return texts.get(key) or texts.get("zh") or next(iter(texts.values()), "")


class ScenarioQuerySet(models.QuerySet["Scenario"]):
    def with_last_result(self, user: Any) -> "ScenarioQuerySet":
        """Annotate ``last_score`` / ``last_passed``: the user's latest graded reply, if any."""
        latest = Reply.objects.filter(
            user=user, scenario=models.OuterRef("pk"), status=Reply.Status.GRADED
        ).order_by("-submitted_at", "-id")
        return self.annotate(
            last_score=models.Subquery(latest.values("verdict__score")[:1]),
            last_passed=models.Subquery(latest.values("verdict__passed")[:1]),
        )


class Scenario(models.Model):
    """A catalogued situation (SCENARIOS.md), identified by its stable slug."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    titles = models.JSONField(_("titles"), default=dict, help_text="{zh, ko, en}")
    customer_lines = models.JSONField(_("customer line"), default=dict, help_text="{zh, ko, en}")
    sources = models.JSONField(_("sources"), default=list)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.slug

    @property
    def title(self) -> str:
        return pick_language(self.titles)

    @property
    def customer_line(self) -> str:
        return pick_language(self.customer_lines)

    @property
    def customer_line_is_action(self) -> bool:
        """A stage direction such as "(The phone rings)" rather than words to quote."""
        return self.customer_line.startswith(("(", "（"))


class RulePackQuerySet(models.QuerySet["RulePack"]):
    def published(self) -> "RulePackQuerySet":
        return self.filter(status=RulePack.Status.PUBLISHED)

    def current(self) -> "RulePack | None":
        """The published version replies are graded with now (the latest one published)."""
        return self.published().order_by("-published_at", "-id").first()


class RulePack(models.Model):
    """One version of the rulebook: its YAML files as they were, identified by their hash.

    Rows are never edited: a changed file set is a new version, and the old one stays so that
    every verdict can say which rules judged it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    version = models.CharField(_("version"), max_length=32, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    sources = models.JSONField(_("sources"), default=dict, help_text="file name → YAML text")
    rule_count = models.PositiveIntegerField(_("rules"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = RulePackQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("rule pack")
        verbose_name_plural = _("rule packs")

    def __str__(self) -> str:
        return f"{self.version} ({self.get_status_display()})"


class ReplyQuerySet(models.QuerySet["Reply"]):
    def of(self, user: Any) -> "ReplyQuerySet":
        return self.filter(user=user)

    def waiting_since(self, *, submitted_before: Any, claimed_before: Any) -> "ReplyQuerySet":
        """Replies still waiting for a verdict: pending since before ``submitted_before``, or
        claimed by a worker before ``claimed_before`` and never finished (the worker died)."""
        return self.filter(
            models.Q(status=Reply.Status.PENDING, submitted_at__lt=submitted_before)
            | models.Q(status=Reply.Status.GRADING, claimed_at__lt=claimed_before)
        )


class Reply(models.Model):
    """A learner's free-text reply to a scenario, saved before anything grades it.

    The database is the record: a reply stays ``pending`` until a worker claims it
    (``grading``), then ends ``graded`` (with a Verdict) or ``failed`` (with ``last_error``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be graded")
        GRADING = "grading", _("being graded")
        GRADED = "graded", _("graded")
        FAILED = "failed", _("could not be graded")

    class Language(models.TextChoices):
        ZH = "zh", "中文"
        KO = "ko", "한국어"
        EN = "en", "English"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="scenario_replies",
    )
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.PROTECT, related_name="replies"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    text = models.TextField(_("reply"))
    # Where the reply was given when not on the practice page, e.g. "roleplay:<id>:<turn>".
    source = models.CharField(_("given in"), max_length=80, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    response_seconds = models.FloatField(_("response time (s)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("grading attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # Fencing token of the current claim: only the run holding it may write the verdict.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="reply_status_submitted")]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"#{self.pk} {self.scenario_id} {self.get_status_display()}"


class Verdict(models.Model):
    """The grade of one reply, with the rule-pack version that produced it."""

    reply = models.OneToOneField(
        Reply, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="verdict"
    )
    passed = models.BooleanField(_("passed"))
    score = models.PositiveSmallIntegerField(_("score"))
    # ruleengine.Verdict.to_dict(): per-rule outcomes, messages in zh/ko/en, spans, citations.
    outcomes = models.JSONField(_("rule outcomes"))
    pack = models.ForeignKey(
        RulePack, verbose_name=_("rule pack"), on_delete=models.PROTECT, related_name="verdicts"
    )
    graded_at = models.DateTimeField(_("graded"), default=timezone.now)

    class Meta:
        ordering = ["-graded_at"]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")

    def __str__(self) -> str:
        return f"reply #{self.reply_id}: {self.score} {'pass' if self.passed else 'fail'}"

    @property
    def rule_outcomes(self) -> list[dict[str, Any]]:
        """Per-rule outcomes as stored (``RuleOutcome.to_dict()`` each)."""
        return list(self.outcomes.get("outcomes", []))

    @property
    def pass_score(self) -> int:
        return int(self.outcomes.get("pass_score", 60))


# --- role-plays -------------------------------------------------------------------------------


class RolePlayQuerySet(models.QuerySet["RolePlay"]):
    def active(self) -> "RolePlayQuerySet":
        return self.filter(is_active=True)

    def for_language_first(self, language: str) -> "RolePlayQuerySet":
        """Role-plays in ``language`` (zh, ko) first, then the others."""
        first = models.Case(
            models.When(language=language, then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        )
        return self.annotate(language_rank=first).order_by("language_rank", "position", "slug")


class RolePlay(models.Model):
    """A scripted call (content/roleplays/*.yaml): customer lines and the learner's turns.

    ``script`` is the validated graph in normal form (``scripts.validate_script``). A session
    plays a snapshot of it, so editing a script never breaks a call in progress.
    """

    class Language(models.TextChoices):
        ZH = "zh", "中文"
        KO = "ko", "한국어"

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    summary = models.TextField(_("summary"))
    course_slug = models.SlugField(_("course"), max_length=80, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=70)
    script = models.JSONField(_("script"))
    turns_in_complete_call = models.PositiveSmallIntegerField(_("turns in a complete call"))
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False)
    # Where the script came from: a file of content/roleplays/ (blank: written in the studio),
    # and the hash that file last gave. A content_hash that differs means a trainer has
    # edited the bundled script since, and the loader leaves it alone.
    source_file = models.CharField(_("file"), max_length=200, blank=True, editable=False)
    file_hash = models.CharField(_("file hash"), max_length=64, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A script removed from content/ is retired, not deleted: sessions keep pointing at it.
    is_active = models.BooleanField(_("active"), default=True)

    objects = RolePlayQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("role-play")
        verbose_name_plural = _("role-plays")

    def __str__(self) -> str:
        return self.slug

    @property
    def scenario_slugs(self) -> list[str]:
        nodes = self.script.get("nodes", {}).values()
        return sorted({node["turn"]["scenario"] for node in nodes if "turn" in node})


class RolePlaySessionQuerySet(models.QuerySet["RolePlaySession"]):
    def of(self, user: Any) -> "RolePlaySessionQuerySet":
        """The user's own calls as a learner: a trainer's trial calls from the studio are left
        out, so they never count toward progress, pass records or the one active call."""
        return self.filter(user=user, is_trial=False)

    def trials(self) -> "RolePlaySessionQuerySet":
        return self.filter(is_trial=True)

    def active(self) -> "RolePlaySessionQuerySet":
        return self.filter(status=RolePlaySession.Status.ACTIVE)

    def finished(self) -> "RolePlaySessionQuerySet":
        return self.filter(status=RolePlaySession.Status.FINISHED)


class RolePlaySession(models.Model):
    """One learner playing one role-play, turn by turn, against the server's clock."""

    class Mode(models.TextChoices):
        PRACTICE = "practice", _("practice")
        ASSESSMENT = "assessment", _("assessment")

    class Status(models.TextChoices):
        ACTIVE = "active", _("in progress")
        FINISHED = "finished", _("finished")
        ABANDONED = "abandoned", _("abandoned")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="roleplay_sessions",
    )
    roleplay = models.ForeignKey(
        RolePlay, verbose_name=_("role-play"), on_delete=models.PROTECT, related_name="sessions"
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    language = models.CharField(_("language"), max_length=2)
    # The script as it was when the call started (see RolePlay.script).
    script = models.JSONField(_("script"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    ending_node = models.CharField(_("ending"), max_length=80, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    critical_violation = models.BooleanField(_("critical violation"), default=False)
    # A trainer playing the saved script from the studio ("play as learner"): timed and graded
    # like any call, never counted (see RolePlaySessionQuerySet.of).
    is_trial = models.BooleanField(_("trial call"), default=False)

    objects = RolePlaySessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("role-play session")
        verbose_name_plural = _("role-play sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "roleplay"],
                condition=models.Q(status="active", is_trial=False),
                name="one_active_roleplay_session",
            ),
            # Trials are held apart, so a trainer's trial never blocks their own call.
            models.UniqueConstraint(
                fields=["user", "roleplay"],
                condition=models.Q(status="active", is_trial=True),
                name="one_active_roleplay_trial",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "roleplay", "status"], name="roleplay_session_lookup")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.roleplay_id} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def shows_verdicts_now(self) -> bool:
        """Practice shows each verdict as it comes; assessment only in the final report."""
        return self.mode == self.Mode.PRACTICE or self.status == self.Status.FINISHED

    @property
    def ending_text(self) -> str:
        node = self.script.get("nodes", {}).get(self.ending_node) or {}
        return str(node.get("ending", ""))


class RolePlayTurn(models.Model):
    """One customer line and the learner's answer to it, with the server-held clock.

    ``shown_at`` is when the line was first put on the learner's screen; the deadline follows
    from it. A turn is ``open`` until the reply arrives (``answered``) or time runs out
    (``timed_out``), and ``answered`` until its verdict settles it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for the reply")
        ANSWERED = "answered", _("reply received")
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")
        CRITICAL = "critical", _("critical violation")
        TIMED_OUT = "timed_out", _("no reply in time")
        UNGRADED = "ungraded", _("could not be graded")

    SETTLED = ("passed", "failed", "critical", "timed_out", "ungraded")

    session = models.ForeignKey(
        RolePlaySession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="turns"
    )
    index = models.PositiveSmallIntegerField(_("turn"))
    node = models.CharField(_("node"), max_length=80)
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.PROTECT, related_name="+"
    )
    customer = models.TextField(_("customer line"))
    hint = models.CharField(_("hint"), max_length=200, blank=True)
    seconds = models.PositiveSmallIntegerField(_("time limit (s)"))
    shown_at = models.DateTimeField(_("shown"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reply = models.OneToOneField(
        Reply,
        verbose_name=_("reply"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roleplay_turn",
    )
    draft = models.TextField(_("draft"), blank=True)
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    response_seconds = models.FloatField(_("response time (s)"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    late_penalty = models.PositiveSmallIntegerField(_("late penalty"), default=0)
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    next_node = models.CharField(_("next node"), max_length=80, blank=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        ordering = ["session", "index"]
        verbose_name = _("role-play turn")
        verbose_name_plural = _("role-play turns")
        constraints = [
            models.UniqueConstraint(fields=["session", "index"], name="one_turn_per_position")
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="roleplay_turn_overdue")]

    def __str__(self) -> str:
        return f"session #{self.session_id} turn {self.index} {self.status}"

    @property
    def is_settled(self) -> bool:
        return self.status in self.SETTLED

    @property
    def customer_is_action(self) -> bool:
        """A stage direction such as "(The phone rings)" rather than words to quote."""
        return self.customer.startswith(("(", "（")) and self.customer.rstrip().endswith(
            (")", "）")
        )

    def seconds_left(self, now: Any) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, (self.deadline - now).total_seconds())
