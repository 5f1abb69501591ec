"""Rule-pack versions and the reply → verdict grading path.

The database is the record of every reply. ``submit_reply`` saves it and, once the request's
transaction commits, asks a worker to grade it; if the broker is down the reply simply waits
for the sweeper (``requeue_ungraded_replies``). ``grade_pending_reply`` claims a reply with a
conditional UPDATE, so any number of runs for the same reply write exactly one verdict.
"""

import logging
import os
import time
import uuid
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import ruleengine
from core import audit

from . import facts
from .content import RULES_FOLDER, read_rule_sources
from .models import Reply, RulePack, Scenario, Verdict

logger = logging.getLogger(__name__)

MAX_REPLY_CHARS: int = ruleengine.DEFAULT_MAX_CHARS
# A reply waiting this long without a verdict is re-enqueued by the sweeper.
SWEEP_AFTER_SECONDS: float = 30.0
SWEEP_BATCH: int = 500


class NoPublishedPack(LookupError):
    """No rule pack has been published yet (run ``manage.py load_content``)."""


# --- rule packs ---------------------------------------------------------------------------

# Compiled packs by version: each process compiles a version once.
_COMPILED: dict[str, ruleengine.CompiledPack] = {}
_COMPILED_LIMIT = 8


def _compiled(version: str, sources: Mapping[str, str]) -> ruleengine.CompiledPack:
    pack = _COMPILED.get(version)
    if pack is None:
        pack = ruleengine.compile_pack(sources)
        if len(_COMPILED) >= _COMPILED_LIMIT:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[version] = pack
    return pack


def _current_pack() -> tuple[int, ruleengine.CompiledPack]:
    """(RulePack id, compiled pack) of the current published version."""
    row = (
        RulePack.objects.published()
        .order_by("-published_at", "-id")
        .values_list("id", "version")
        .first()
    )
    if row is None:
        raise NoPublishedPack("no rule pack is published; run `manage.py load_content`")
    pack_id, version = row
    if version not in _COMPILED:
        sources = RulePack.objects.values_list("sources", flat=True).get(pk=pack_id)
        _compiled(version, sources)
    return pack_id, _COMPILED[version]


def get_published_pack() -> ruleengine.CompiledPack:
    """The compiled pack of the current published version (compiled once per process).

    Raises ``NoPublishedPack`` when nothing is published.
    """
    return _current_pack()[1]


def _publish(pack: RulePack, actor: Any = None) -> None:
    pack.status = RulePack.Status.PUBLISHED
    pack.published_at = timezone.now()
    pack.save(update_fields=["status", "published_at"])
    audit.record(actor, "rulepack.published", pack.version, rules=pack.rule_count)


@transaction.atomic
def create_draft_pack(*, sources: Mapping[str, str]) -> RulePack:
    """Validate a file set and keep it as a draft version (the same files give the same row).

    Raises ``ruleengine.PackError`` with every problem found.
    """
    compiled = ruleengine.compile_pack(sources)
    pack, _created = RulePack.objects.get_or_create(
        version=compiled.version,
        defaults={"sources": dict(sources), "rule_count": len(compiled.rules)},
    )
    return pack


@transaction.atomic
def publish_pack(*, pack: RulePack, actor: Any = None) -> RulePack:
    """Make ``pack`` the version replies are graded with (it is validated again first)."""
    ruleengine.compile_pack(pack.sources)
    _publish(pack, actor)
    return pack


@transaction.atomic
def publish_rule_sources(*, sources: Mapping[str, str], actor: Any = None) -> tuple[RulePack, bool]:
    """Publish a file set unless it is already the current version.

    Returns the current pack and whether anything changed. Earlier versions stay, so every
    verdict keeps the rules that judged it; going back to an earlier file set publishes that
    earlier version again. Raises ``ruleengine.PackError`` for an invalid file set.
    """
    compiled = ruleengine.compile_pack(sources)
    current = RulePack.objects.current()
    if current is not None and current.version == compiled.version:
        return current, False
    pack, _created = RulePack.objects.get_or_create(
        version=compiled.version,
        defaults={"sources": dict(sources), "rule_count": len(compiled.rules)},
    )
    _publish(pack, actor)
    return pack, True


def load_grading_pack(*, rules_dir: Path | None = None) -> tuple[ruleengine.CompiledPack, str]:
    """The pack the command-line tools grade with, and where it came from.

    ``rules_dir`` compiles that folder. Otherwise the published version in the database, or,
    on a database without one (or without tables yet), the bundled content/rules.
    Raises ``ruleengine.PackError`` for invalid files.
    """
    if rules_dir is None:
        try:
            pack = get_published_pack()
        except (NoPublishedPack, DatabaseError):
            rules_dir = Path(settings.CONTENT_DIR) / RULES_FOLDER
        else:
            return pack, f"published rule pack {pack.version}"
    return ruleengine.compile_pack(read_rule_sources(rules_dir)), f"rule files in {rules_dir}"


def gradable_languages(*, scenario: Scenario) -> list[str]:
    """Reply languages the published pack has rules for in this scenario."""
    try:
        pack = get_published_pack()
    except NoPublishedPack:
        return []
    return [lang for lang in facts.ENGINE_LANGUAGES if pack.rules_for(scenario.slug, lang)]


# --- submitting a reply ---------------------------------------------------------------------


def clean_reply_text(text: str) -> str:
    """The reply as it will be graded; ValidationError when it is empty or too long."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationError(_("Write your reply before sending it."), code="empty")
    if len(cleaned) > MAX_REPLY_CHARS:
        raise ValidationError(
            _(
                "Your reply has %(count)s characters; at most %(limit)s can be graded. "
                "Shorten it and send it again."
            ),
            code="too_long",
            params={"count": len(cleaned), "limit": MAX_REPLY_CHARS},
        )
    return cleaned


def _check_language(scenario: Scenario, language: str) -> None:
    if language not in facts.ENGINE_LANGUAGES:
        raise ValidationError(_("Choose the language of your reply."), code="language")
    languages = gradable_languages(scenario=scenario)
    # With no published pack yet the reply is kept; it is graded once rules are published.
    if languages and language not in languages:
        raise ValidationError(
            _("Replies to this situation cannot be graded in that language yet."),
            code="language",
        )


def submit_reply(
    *,
    user: Any,
    scenario: Scenario,
    language: str,
    text: str,
    response_seconds: float | None = None,
    source: str = "",
) -> Reply:
    """Save a learner's reply and have it graded once the current transaction commits.

    Raises ValidationError for an empty reply, one longer than MAX_REPLY_CHARS or a language
    the scenario has no rules for; nothing is saved then. A broker outage never fails the
    call: the reply stays pending and the sweeper enqueues it later.
    """
    cleaned = validate_reply(scenario=scenario, language=language, text=text)
    with transaction.atomic():
        reply = save_reply(
            user=user,
            scenario=scenario,
            language=language,
            text=cleaned,
            response_seconds=response_seconds,
            source=source,
        )
    return reply


def validate_reply(*, scenario: Scenario, language: str, text: str) -> str:
    """The reply text as it will be graded; ValidationError as in ``submit_reply``.

    Call it before opening a transaction: it may compile the rule pack.
    """
    cleaned = clean_reply_text(text)
    _check_language(scenario, language)
    return cleaned


def save_reply(
    *,
    user: Any,
    scenario: Scenario,
    language: str,
    text: str,
    response_seconds: float | None = None,
    source: str = "",
    submitted_at: Any = None,
) -> Reply:
    """Save an already validated reply inside the caller's transaction; it is enqueued for
    grading when that transaction commits (and never if it rolls back)."""
    reply = Reply.objects.create(
        user=user,
        scenario=scenario,
        language=language,
        text=text,
        response_seconds=response_seconds,
        source=source,
        submitted_at=submitted_at or timezone.now(),
    )
    transaction.on_commit(lambda: enqueue_grading(reply.pk), robust=True)
    return reply


def enqueue_grading(reply_id: int) -> bool:
    """Ask a worker to grade a reply; False (logged) when the broker cannot be reached."""
    from .tasks import grade_reply

    try:
        grade_reply.delay(reply_id)
    # Any publish failure (connection refused, timeout, auth) must leave the reply pending
    # for the sweeper rather than reach the learner as an error page.
    except Exception:
        logger.warning(
            "could not enqueue reply %s; the sweeper will retry", reply_id, exc_info=True
        )
        return False
    return True


# Redis delivers priority 0 first and 9 last: a learner waiting for a verdict never queues
# behind a certificate re-evaluation (the filesystem broker ignores priorities).
CERTIFICATE_CHECK_PRIORITY = 9


def request_certificate_check(user_id: int) -> bool:
    """Ask the certificates app to re-evaluate a learner after a new result.

    A no-op (False) while that app has no ``evaluate_learner`` task; like grading, a broker
    outage is logged, never raised: certificates are also re-evaluated on their own schedule.
    """
    try:
        from certificates.tasks import evaluate_learner
    except ImportError:
        return False
    try:
        evaluate_learner.apply_async((user_id,), priority=CERTIFICATE_CHECK_PRIORITY)
    except Exception:
        logger.warning("could not enqueue the certificate check of user %s", user_id, exc_info=True)
        return False
    return True


@transaction.atomic
def retry_failed_replies(*, replies: QuerySet[Reply]) -> int:
    """Give failed replies a fresh set of attempts (after the cause was fixed)."""
    ids = list(replies.filter(status=Reply.Status.FAILED).values_list("id", flat=True))
    Reply.objects.filter(pk__in=ids, status=Reply.Status.FAILED).update(
        status=Reply.Status.PENDING, attempts=0, claim_token=None
    )
    for reply_id in ids:
        transaction.on_commit(lambda reply_id=reply_id: enqueue_grading(reply_id), robust=True)
    return len(ids)


def get_reply_for_user(request: Any, pk: int) -> Reply:
    """The requester's own reply, or Http404 (other people's replies do not exist for them)."""
    return get_object_or_404(
        Reply.objects.select_related("scenario", "verdict"), pk=pk, user=request.user
    )


# --- grading ----------------------------------------------------------------------------------


def _test_knob(name: str) -> float:
    """Timing knobs for the worker tests (slow grading, short claim timeout).

    Read from the environment under the test settings only, so production ignores them.
    """
    if not str(getattr(settings, "SETTINGS_MODULE", "")).endswith(".test"):
        return 0.0
    try:
        return max(0.0, float(os.environ.get(name) or 0))
    except ValueError:
        return 0.0


def claim_timeout() -> timedelta:
    """How old a ``grading`` claim must be before another run may take it over.

    Longer than the task's hard time limit: by then the run that claimed it is dead.
    """
    seconds = _test_knob("COURTESY_TEST_CLAIM_TIMEOUT") or settings.CELERY_TASK_TIME_LIMIT + 15
    return timedelta(seconds=seconds)


def _claimable(reply_id: int, now: Any) -> Any:
    return Reply.objects.filter(pk=reply_id).filter(
        Q(status=Reply.Status.PENDING)
        | Q(status=Reply.Status.GRADING, claimed_at__lt=now - claim_timeout())
    )


def _give_up_if_capped(reply_id: int, now: Any) -> bool:
    cap = settings.COURTESY_TASK_ATTEMPT_CAP
    capped = _claimable(reply_id, now).filter(attempts__gte=cap)
    previous = capped.values_list("last_error", flat=True).first()
    if previous is None:
        return False
    reason = f"gave up after {cap} attempts" + (f"; last error: {previous}" if previous else "")
    with transaction.atomic():
        if capped.update(status=Reply.Status.FAILED, claim_token=None, last_error=reason):
            _after_final_failure(reply_id)
    logger.error("reply %s: %s", reply_id, reason)
    return True


def _claim(reply_id: int, now: Any) -> uuid.UUID | None:
    """Take the reply for this run; None when it is settled, capped or another run has it."""
    token = uuid.uuid4()
    claimed = (
        _claimable(reply_id, now)
        .filter(attempts__lt=settings.COURTESY_TASK_ATTEMPT_CAP)
        .update(
            status=Reply.Status.GRADING,
            attempts=F("attempts") + 1,
            claimed_at=now,
            claim_token=token,
            # Taking over a stale claim means the run that held it died.
            last_error=Case(
                When(
                    status=Reply.Status.GRADING,
                    then=Value("the previous attempt stopped before it finished"),
                ),
                default=F("last_error"),
                output_field=TextField(),
            ),
        )
    )
    return token if claimed else None


def _release(reply_id: int, token: uuid.UUID, error: str, *, final: bool) -> str:
    """Hand the reply back (pending, for the sweeper) or give up on it (failed)."""
    mine = Reply.objects.filter(pk=reply_id, status=Reply.Status.GRADING, claim_token=token)
    cap = settings.COURTESY_TASK_ATTEMPT_CAP
    if not final and mine.filter(attempts__gte=cap).exists():
        final = True
        error = f"gave up after {cap} attempts; last error: {error}"
    status = Reply.Status.FAILED if final else Reply.Status.PENDING
    with transaction.atomic():
        released = mine.update(status=status, claim_token=None, last_error=error[:2000])
        if released and final:
            _after_final_failure(reply_id)
    return "failed" if final else "retry"


def _after_final_failure(reply_id: int) -> None:
    """A reply given up on: a role-play call cannot wait for it, so its turn moves on."""
    from . import roleplays

    roleplays.settle_turn_of_failed_reply(reply_id=reply_id)


def _save_verdict(
    reply: Reply,
    token: uuid.UUID,
    verdict: ruleengine.Verdict,
    pack: ruleengine.CompiledPack,
    pack_id: int,
) -> bool:
    """Write the verdict and the graded status together, if this run still holds the claim.

    In the same transaction a role-play turn answered by this reply is settled and its call
    moves on; a call that ends here has the learner's certificates re-evaluated once this
    commits (no other verdict can change a certificate requirement).
    """
    from . import roleplays

    with transaction.atomic():
        won = Reply.objects.filter(
            pk=reply.pk, status=Reply.Status.GRADING, claim_token=token
        ).update(status=Reply.Status.GRADED, claim_token=None, last_error="")
        if not won:
            return False
        Verdict.objects.create(reply_id=reply.pk, pack_id=pack_id, **facts.verdict_fields(verdict))
        roleplays.settle_turn_of_graded_reply(reply=reply, verdict=verdict, pack=pack)
    return True


def grade_pending_reply(*, reply_id: int) -> str:
    """Grade one reply if it still needs it; safe to run any number of times, concurrently.

    Returns what happened: ``graded``, ``failed`` (given up: too many attempts or a reply the
    engine can never grade), ``retry`` (handed back for the sweeper), ``skipped`` (already
    settled or being graded by another run) or ``superseded`` (another run took over).
    """
    now = timezone.now()
    token = _claim(reply_id, now)
    if token is None:
        return "failed" if _give_up_if_capped(reply_id, now) else "skipped"
    try:
        reply = Reply.objects.select_related("scenario").get(pk=reply_id)
        pack_id, pack = _current_pack()
        time.sleep(_test_knob("COURTESY_TEST_GRADE_DELAY"))
        verdict = ruleengine.grade(reply.text, pack, **facts.grading_arguments(reply))
    except (ruleengine.ReplyTooLong, ruleengine.UnknownScenario, ValueError) as exc:
        # The same text and pack give the same error every time: retrying cannot help.
        return _release(reply_id, token, str(exc), final=True)
    except NoPublishedPack as exc:
        logger.warning("reply %s waits: %s", reply_id, exc)
        return _release(reply_id, token, f"NoPublishedPack: {exc}", final=False)
    except Exception as exc:
        logger.exception("grading reply %s failed", reply_id)
        return _release(reply_id, token, f"{type(exc).__name__}: {exc}", final=False)
    won = _save_verdict(reply, token, verdict, pack, pack_id)
    return "graded" if won else "superseded"


def requeue_ungraded_replies(
    *, older_than_seconds: float = SWEEP_AFTER_SECONDS, limit: int = SWEEP_BATCH
) -> int:
    """Enqueue replies the broker may have lost; returns how many were sent.

    Pending replies older than ``older_than_seconds`` and replies whose grading claim is
    older than ``claim_timeout()`` (their worker died) are sent again, oldest first.
    """
    now = timezone.now()
    waiting = Reply.objects.waiting_since(
        submitted_before=now - timedelta(seconds=older_than_seconds),
        claimed_before=now - claim_timeout(),
    )
    sent = 0
    for reply_id in waiting.order_by("submitted_at").values_list("id", flat=True)[:limit]:
        if not enqueue_grading(reply_id):
            break  # the broker is down: the next sweep tries again
        sent += 1
    if sent:
        logger.info("re-enqueued %s ungraded replies", sent)
    return sent


# --- role-plays (the certificates app asks this) -----------------------------------------------


def roleplay_passed(user: Any, slug: str, *, since: Any = None) -> bool:
    """Whether ``user`` finished the role-play ``slug`` (practice or assessment mode) with a
    pass and no critical violation; with ``since``, only calls finished from then on count."""
    from .roleplays import has_passed_roleplay

    return has_passed_roleplay(user=user, slug=slug, since=since)
