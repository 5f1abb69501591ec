from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """An intake of people enrolled together (e.g. "2026年3月入职"); a person belongs to one."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create_user(email, password, **fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address; names are free text (中文, 한글)."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=120, blank=True)
    employee_number = models.CharField(_("employee number"), max_length=40, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("ko", "한국어"), ("en", "English")],
        default="zh-hans",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("author_content", _("Can author courses, quizzes, role-plays and rules")),
            ("view_people", _("Can see people and certification status of every department")),
            ("manage_certificates", _("Can revoke certificates and enrol people")),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@", 1)[0]

    @property
    def is_trainer(self) -> bool:
        return self.has_perm("accounts.author_content")

    @property
    def is_hr(self) -> bool:
        return self.has_perm("accounts.view_people")


class InvitationState(models.TextChoices):
    WAITING = "waiting", _("Not sent yet")
    SENT = "sent", _("Sent")
    EXPIRED = "expired", _("Link expired")
    ACCEPTED = "accepted", _("Accepted")


class Invitation(models.Model):
    """The e-mail that lets a person HR enrolled set a password; one per person.

    Only a hash of the link's token is stored. Sending again mints a new token (the old link
    stops working); accepting clears it, so a link works once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="invitation",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # NULL, not "", while no link is live: the column is unique.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    send_requested_at = models.DateTimeField(_("sending asked"), null=True, blank=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=0)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} ({self.state_at(timezone.now())})"

    def state_at(self, now: datetime) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.sent_at is None:
            return InvitationState.WAITING
        if self.expires_at is not None and self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.SENT

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def state_label(self) -> str:
        return str(InvitationState(self.state).label)

    @property
    def send_pending(self) -> bool:
        """A send was asked for and has not gone out since."""
        if self.accepted_at is not None or self.send_requested_at is None:
            return False
        return self.sent_at is None or self.sent_at < self.send_requested_at


class EnrolmentBatch(models.Model):
    """One uploaded people file: previewed, then confirmed as a whole or not at all.

    The file is kept until it is confirmed (the preview and the confirmation read the same
    bytes); after that only its hash and the counts stay.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(_("content"), default=bytes, editable=False)
    sha256 = models.CharField(max_length=64)
    create_departments = models.BooleanField(_("create unknown departments"), default=False)
    cohort_name = models.CharField(_("cohort"), max_length=120, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("enrolment upload")
        verbose_name_plural = _("enrolment uploads")

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
