"""What trainers do in the studio: rule drafts, trying replies, calibration, re-grade previews,
publishing rule versions, regrading past replies, and editing scenarios and role-plays.

Everything a learner sees is written through the owning app's models and services
(scenarios, courses, quizzes); this module adds the authoring steps around them.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import ruleengine
from core import audit
from core.models import AuditEntry
from courses import services as course_services
from courses.importer import DocumentError, ImportedDocument, parse_document
from courses.models import CandidateRule, Course, Lesson, Module, ReviewStatus
from courses.services import ImportResult
from scenarios import roleplays as scenario_roleplays
from scenarios import services as scenario_services
from scenarios.content import RULES_FOLDER, read_rule_sources, roleplay_values
from scenarios.feedback import highlight
from scenarios.models import RolePlay, RolePlaySession, RulePack, Scenario, Verdict
from scenarios.scripts import validate_script

from . import roleplays, rulebook
from .labelled import LabelledFile, read_labelled_file
from .models import (
    CalibrationRun,
    DocumentUpload,
    Regrade,
    ResultNotice,
    RuleDraft,
    VerdictRevision,
)

logger = logging.getLogger(__name__)

# --- rule drafts ------------------------------------------------------------------------------

MAX_RULE_FILE_CHARS = 200_000
MAX_RULE_FILES = 200


class DraftClosed(ValidationError):
    """The draft was published: its files can no longer change."""


def check_draft(draft: RuleDraft) -> rulebook.DraftCheck:
    return rulebook.compile_sources(draft.sources)


def current_rule_sources() -> tuple[RulePack | None, dict[str, str]]:
    """The published version and its files; the bundled files when nothing is published."""
    pack = RulePack.objects.current()
    if pack is not None:
        return pack, dict(pack.sources)
    return None, read_rule_sources(Path(settings.CONTENT_DIR) / RULES_FOLDER)


def _base_sources(draft: RuleDraft) -> dict[str, str]:
    """The files the draft started from (the published ones, for a draft started before
    anything was published)."""
    base = draft.base_pack or RulePack.objects.current()
    return dict(base.sources) if base else {}


def changed_files(draft: RuleDraft) -> dict[str, str]:
    """File → "changed", "added" or "removed", compared with where the draft started."""
    return rulebook.changed_files(_base_sources(draft), draft.sources)


def file_diff(draft: RuleDraft, filename: str) -> str:
    """A unified diff of one file against where the draft started."""
    before = _base_sources(draft).get(filename, "")
    return rulebook.unified_diff(before, draft.sources.get(filename, ""))


@transaction.atomic
def start_rule_draft(*, actor: Any, title: str = "") -> RuleDraft:
    """A new working copy of the published rulebook."""
    pack, sources = current_rule_sources()
    draft = RuleDraft.objects.create(
        title=title.strip()[:120], sources=sources, base_pack=pack, created_by=actor
    )
    audit.record(actor, "studio.rule_draft.started", draft, base=pack.version if pack else "")
    return draft


def _require_open(draft: RuleDraft) -> None:
    if not draft.is_open:
        raise DraftClosed(_("This draft was published; start a new draft to change the rules."))


def clean_rule_file_name(name: str) -> str:
    cleaned = (name or "").strip().strip("/")
    if not cleaned.endswith(".yaml"):
        cleaned += ".yaml"
    if not rulebook.RULE_FILE_NAME.match(cleaned):
        raise ValidationError(
            _(
                "Use lowercase letters, digits, - and _, folders separated by /, ending in "
                ".yaml (for example zh/customer-cursing.yaml)."
            ),
            code="file_name",
        )
    return cleaned


def _edit_sources(
    draft: RuleDraft,
    *,
    actor: Any,
    action: str,
    filename: str,
    edit: Callable[[dict[str, str]], None],
) -> None:
    """Apply one change to the draft's files under a row lock, so that two trainers saving
    different files of one draft never undo each other's work."""
    with transaction.atomic():
        locked = RuleDraft.objects.select_for_update().get(pk=draft.pk)
        _require_open(locked)
        edit(locked.sources)
        locked.save(update_fields=["sources", "updated_at"])
        audit.record(actor, action, locked, file=filename)
    draft.sources, draft.updated_at = locked.sources, locked.updated_at


def save_rule_file(
    *, draft: RuleDraft, filename: str, text: str, actor: Any
) -> rulebook.DraftCheck:
    """Keep one file's new text in the draft (even if it does not compile) and check the whole
    draft, so the trainer sees every problem it causes, in this file or another."""
    if len(text) > MAX_RULE_FILE_CHARS:
        raise ValidationError(
            _("A rule file may hold at most %(limit)s characters."),
            code="too_long",
            params={"limit": MAX_RULE_FILE_CHARS},
        )

    def replace(sources: dict[str, str]) -> None:
        if filename not in sources:
            raise ValidationError(_("This draft has no such file."), code="missing")
        # Textareas send CRLF; the bundled files use LF, and the version hash sees the bytes.
        sources[filename] = text.replace("\r\n", "\n")

    _edit_sources(
        draft, actor=actor, action="studio.rule_draft.file_saved", filename=filename, edit=replace
    )
    return check_draft(draft)  # compiling takes a moment: outside the transaction


def add_rule_file(*, draft: RuleDraft, filename: str, actor: Any) -> str:
    name = clean_rule_file_name(filename)

    def add(sources: dict[str, str]) -> None:
        if name in sources:
            raise ValidationError(_("The draft already has a file of that name."), code="exists")
        if len(sources) >= MAX_RULE_FILES:
            raise ValidationError(_("A draft holds at most 200 files."), code="too_many")
        sources[name] = rulebook.new_file_text(name)

    _edit_sources(
        draft, actor=actor, action="studio.rule_draft.file_added", filename=name, edit=add
    )
    return name


def delete_rule_file(*, draft: RuleDraft, filename: str, actor: Any) -> None:
    def delete(sources: dict[str, str]) -> None:
        if sources.pop(filename, None) is None:
            raise ValidationError(_("This draft has no such file."), code="missing")

    _edit_sources(
        draft, actor=actor, action="studio.rule_draft.file_deleted", filename=filename, edit=delete
    )


def append_rules_to_draft(*, draft: RuleDraft, filename: str, yaml_text: str, actor: Any) -> str:
    """Add rules (YAML list items under ``rules:``) to a file of the draft, creating it when
    needed; the trainer then finishes them in the editor."""
    _require_open(draft)
    name = clean_rule_file_name(filename)
    if name not in draft.sources:
        add_rule_file(draft=draft, filename=name, actor=actor)
    text = rulebook.append_rules(draft.sources[name], yaml_text)
    save_rule_file(draft=draft, filename=name, text=text, actor=actor)
    return name


def candidate_rule_id(candidate: CandidateRule) -> str:
    return f"imported.m{candidate.module_id}.c{candidate.pk}"


def draft_candidate_rules(
    *, module: Module, scenario: str, severity: str, actor: Any
) -> tuple[RuleDraft, str, int]:
    """Write the module's accepted, quoted candidate rules into an open rule draft (the newest,
    or a new one) as a file of their own; rules already there are not added twice."""
    draft = RuleDraft.objects.open().first() or start_rule_draft(
        actor=actor, title=_("Rules from %(document)s") % {"document": module.source_document}
    )
    filename = f"{module.course.language}/imported-{module.pk}.yaml"
    existing = draft.sources.get(filename, "")
    accepted = [
        candidate
        for candidate in module.candidate_rules.filter(status=ReviewStatus.ACCEPTED)
        if f"id: {candidate_rule_id(candidate)}\n" not in existing
    ]
    forbidden = [
        rulebook.ForbiddenPhrase(
            rule_id=candidate_rule_id(candidate),
            phrase=candidate.phrase,
            document=candidate.source_document,
            section=candidate.source_section,
        )
        for candidate in accepted
        if candidate.quoted  # a prohibition sentence: the trainer turns it into phrases by hand
    ]
    text, count = rulebook.forbid_rules_yaml(forbidden, scenario=scenario, severity=severity)
    if count:
        append_rules_to_draft(draft=draft, filename=filename, yaml_text=text, actor=actor)
    return draft, filename, count


# --- calibration --------------------------------------------------------------------------------


def calibrate_upload(
    *,
    data: bytes,
    filename: str,
    pack: ruleengine.CompiledPack,
    draft: RuleDraft | None,
    actor: Any,
) -> CalibrationRun:
    """Grade an uploaded file of labelled replies and keep the report.

    Raises labelled.LabelledFileError when the file cannot be read at all; rows that cannot be
    used are listed in the run's ``row_errors`` with their line in the file.
    """
    labelled = read_labelled_file(data, filename, scenarios=ruleengine.SCENARIO_SLUGS)
    report = ruleengine.calibrate([row.as_calibration_row() for row in labelled.rows], pack)
    run = CalibrationRun.objects.create(
        draft=draft,
        pack_version=pack.version,
        filename=filename[:255],
        rows_read=labelled.rows_read,
        report=_report_with_lines(report.to_dict(), labelled),
        row_errors=_row_errors(labelled, report),
        created_by=actor,
    )
    audit.record(
        actor,
        "studio.calibration",
        run,
        version=pack.version,
        graded=report.graded,
        accuracy=report.accuracy,
    )
    return run


def _report_with_lines(report: dict[str, Any], labelled: LabelledFile) -> dict[str, Any]:
    """Point every disagreement at its line in the uploaded file (and its id, if given)."""
    for kind in ("false_accepts", "false_rejects"):
        for item in report[kind]:
            row = labelled.rows[item["index"]]
            item["line"], item["id"] = row.line, row.id
            item["segments"] = [
                {"text": segment.text, "mark": segment.mark}
                for segment in highlight(item["text"], item["outcomes"])
            ]
    return report


def _row_errors(
    labelled: LabelledFile, report: ruleengine.CalibrationReport
) -> list[dict[str, Any]]:
    problems = [{"row": problem.line, "message": problem.message} for problem in labelled.problems]
    problems += [
        {"row": labelled.rows[error.index].line, "message": error.message}
        for error in report.errors
    ]
    if labelled.truncated:
        problems.append(
            {"row": 0, "message": f"only the first {labelled.rows_read} rows were read"}
        )
    return sorted(problems, key=lambda problem: problem["row"])


# --- which verdicts a version would change -------------------------------------------------------

PREVIEW_LIMIT = 5000
REGRADE_BATCH = 500


@dataclass(frozen=True)
class VerdictChange:
    """A stored verdict that grading again with another version would change."""

    reply_id: int
    learner: str
    scenario: str
    language: str
    text: str
    old_passed: bool
    old_score: int
    new_passed: bool
    new_score: int
    flipped: tuple[tuple[str, str, str], ...]  # (rule id, old status, new status)

    @property
    def kind(self) -> str:
        if self.old_passed != self.new_passed:
            return "now-passes" if self.new_passed else "now-fails"
        return "score"


@dataclass(frozen=True)
class RegradePreview:
    examined: int
    changes: list[VerdictChange]
    limit: int
    skipped: int = 0

    @property
    def capped(self) -> bool:
        return self.examined >= self.limit

    @property
    def now_fails(self) -> int:
        return sum(change.kind == "now-fails" for change in self.changes)

    @property
    def now_passes(self) -> int:
        return sum(change.kind == "now-passes" for change in self.changes)


def _regradable() -> QuerySet[Verdict]:
    """Verdicts of practice-page replies. A role-play turn keeps its verdict: the call already
    branched and scored on it, and that cannot be replayed."""
    return Verdict.objects.filter(reply__source="")


_VERDICT_COLUMNS = (
    "pk",
    "reply_id",
    "reply__text",
    "reply__scenario__slug",
    "reply__language",
    "reply__response_seconds",
    "passed",
    "score",
)


def _regrade_one(pack: ruleengine.CompiledPack, row: Sequence[Any]) -> ruleengine.Verdict | None:
    _pk, _reply, text, scenario, language, seconds, _passed, _score = row
    try:
        return ruleengine.grade(
            text, pack, scenario=scenario, language=language, response_seconds=seconds
        )
    except (ruleengine.ReplyTooLong, ruleengine.UnknownScenario, ValueError):
        return None


def _flipped(old: Iterable[Mapping[str, Any]], new: ruleengine.Verdict) -> tuple[Any, ...]:
    before = {outcome.get("rule_id"): outcome.get("status") for outcome in old}
    after = {outcome.rule_id: outcome.status for outcome in new.outcomes}
    rules = [rule for rule in after if before.get(rule, "na") != after[rule]]
    rules += [rule for rule in before if rule not in after and before[rule] != "na"]
    return tuple((str(rule), before.get(rule) or "na", after.get(rule, "na")) for rule in rules)


def preview_regrade(*, pack: ruleengine.CompiledPack, limit: int = PREVIEW_LIMIT) -> RegradePreview:
    """Grade the latest ``limit`` graded replies with ``pack`` and list the verdicts whose
    pass/fail or score would change. Nothing is written."""
    rows = list(
        _regradable()
        .order_by("-reply__submitted_at", "-reply_id")
        .values_list(*_VERDICT_COLUMNS)[:limit]
    )
    changed: dict[int, tuple[Sequence[Any], ruleengine.Verdict]] = {}
    skipped = 0
    for row in rows:
        verdict = _regrade_one(pack, row)
        if verdict is None:
            skipped += 1
        elif (verdict.passed, verdict.score) != (row[6], row[7]):
            changed[row[0]] = (row, verdict)
    return RegradePreview(
        examined=len(rows), changes=_describe_changes(changed), limit=limit, skipped=skipped
    )


def _describe_changes(
    changed: Mapping[int, tuple[Sequence[Any], ruleengine.Verdict]],
) -> list[VerdictChange]:
    stored = Verdict.objects.filter(pk__in=list(changed)).select_related("reply__user")
    by_pk = {verdict.pk: verdict for verdict in stored}
    changes = []
    for pk, (row, new) in changed.items():
        old = by_pk[pk]
        changes.append(
            VerdictChange(
                reply_id=row[1],
                learner=old.reply.user.display_name,
                scenario=row[3],
                language=row[4],
                text=row[2],
                old_passed=row[6],
                old_score=row[7],
                new_passed=new.passed,
                new_score=new.score,
                flipped=_flipped(old.rule_outcomes, new),
            )
        )
    return changes


# --- publishing and regrading ------------------------------------------------------------------


def publish_draft(*, draft: RuleDraft, actor: Any) -> RulePack:
    """Publish the draft's files as the version every new reply is graded with.

    Raises ruleengine.PackError when the draft does not compile, DraftClosed when it was
    published already. The draft then stays as the record of what was published.
    """
    _require_open(draft)
    with transaction.atomic():
        pack = scenario_services.create_draft_pack(sources=draft.sources)
        scenario_services.publish_pack(pack=pack, actor=actor)
        draft.published_pack = pack
        draft.save(update_fields=["published_pack", "updated_at"])
        audit.record(actor, "studio.rule_draft.published", draft, version=pack.version)
    return pack


def regrade_replies(*, pack: RulePack, actor: Any) -> Regrade:
    """Grade every practice reply judged by another version again with ``pack`` (the current
    one); role-play turns keep theirs (see ``_regradable``).

    A verdict whose pass/fail or score changes is updated in place and its earlier state kept
    as a VerdictRevision; its learner gets a notice on their home page and an e-mail. Replies
    whose result is the same keep their verdict and the version that gave it.
    """
    if pack != RulePack.objects.current():
        raise ValidationError(_("Only the published version can regrade past replies."))
    compiled = ruleengine.compile_pack(pack.sources)
    # Ids first: SQLite gives no isolation between a cursor and writes on the same connection.
    verdict_ids = list(_regradable().exclude(pack=pack).order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        regrade = Regrade.objects.create(pack=pack, actor=actor)
        for start in range(0, len(verdict_ids), REGRADE_BATCH):
            chunk = verdict_ids[start : start + REGRADE_BATCH]
            rows = Verdict.objects.filter(pk__in=chunk).values_list(*_VERDICT_COLUMNS)
            batch: list[tuple[Sequence[Any], ruleengine.Verdict]] = []
            for row in rows:
                regrade.examined += 1
                verdict = _regrade_one(compiled, row)
                if verdict is None:
                    regrade.skipped += 1
                elif (verdict.passed, verdict.score) != (row[6], row[7]):
                    batch.append((row, verdict))
            _apply_regrade(regrade, batch)
        regrade.learners_notified = (
            ResultNotice.objects.filter(regrade=regrade).values("user").distinct().count()
        )
        regrade.save(update_fields=["examined", "changed", "skipped", "learners_notified"])
        audit.record(
            actor,
            "studio.regrade",
            pack.version,
            regrade=regrade.pk,
            examined=regrade.examined,
            changed=regrade.changed,
            learners=regrade.learners_notified,
        )
        transaction.on_commit(lambda: notify_changed_results(regrade_id=regrade.pk), robust=True)
        transaction.on_commit(lambda: _recheck_certificates(regrade.pk), robust=True)
    return regrade


def _recheck_certificates(regrade_id: int) -> None:
    """A changed result can change what a learner has earned: as after any new verdict, the
    certificates app re-evaluates each learner concerned (it decides what follows)."""
    users = ResultNotice.objects.filter(regrade_id=regrade_id).values_list("user_id", flat=True)
    for user_id in sorted(set(users)):
        scenario_services.request_certificate_check(user_id)


def _apply_regrade(
    regrade: Regrade, batch: Sequence[tuple[Sequence[Any], ruleengine.Verdict]]
) -> None:
    if not batch:
        return
    now = timezone.now()
    verdicts = Verdict.objects.select_related("reply").in_bulk([row[0] for row, _new in batch])
    revisions, notices = [], []
    for row, new in batch:
        verdict = verdicts[row[0]]
        revisions.append(
            VerdictRevision(
                verdict=verdict,
                regrade=regrade,
                passed=verdict.passed,
                score=verdict.score,
                outcomes=verdict.outcomes,
                pack_id=verdict.pack_id,
                graded_at=verdict.graded_at,
            )
        )
        notices.append(
            ResultNotice(
                user_id=verdict.reply.user_id,
                reply_id=verdict.reply_id,
                regrade=regrade,
                old_passed=verdict.passed,
                old_score=verdict.score,
                new_passed=new.passed,
                new_score=new.score,
            )
        )
        verdict.passed, verdict.score, verdict.outcomes = new.passed, new.score, new.to_dict()
        verdict.pack_id, verdict.graded_at = regrade.pack_id, now
    VerdictRevision.objects.bulk_create(revisions)
    ResultNotice.objects.bulk_create(notices)
    Verdict.objects.bulk_update(
        verdicts.values(), ["passed", "score", "outcomes", "pack", "graded_at"]
    )
    regrade.changed += len(batch)


def notify_changed_results(*, regrade_id: int) -> int:
    """E-mail each learner whose results a regrade changed (one message each); returns how
    many were sent. A mail server that fails is logged: the notices on the home page stay."""
    notices = ResultNotice.objects.filter(regrade_id=regrade_id).select_related(
        "user", "reply__scenario"
    )
    by_user: dict[int, list[ResultNotice]] = defaultdict(list)
    for notice in notices:
        by_user[notice.user_id].append(notice)
    sent = 0
    for user_notices in by_user.values():
        try:
            _mail_changed_results(user_notices)
        except Exception:
            logger.warning("could not e-mail changed results", exc_info=True)
        else:
            sent += 1
    return sent


def _mail_changed_results(notices: list[ResultNotice]) -> None:
    user = notices[0].user
    site = settings.SITE_URL.rstrip("/")
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "name": user.display_name,
            "notices": [
                {
                    "notice": notice,
                    "scenario": notice.reply.scenario.title,
                    "url": site + reverse("scenarios:reply", args=[notice.reply_id]),
                }
                for notice in notices
            ],
        }
        subject = render_to_string("studio/email/results_changed_subject.txt", context)
        body = render_to_string("studio/email/results_changed_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def take_unseen_notices(*, user: Any) -> list[ResultNotice]:
    """The learner's notices not shown yet; they count as seen once returned (like a message)."""
    notices = list(ResultNotice.objects.unseen_by(user).select_related("reply__scenario")[:20])
    if notices:
        ResultNotice.objects.filter(pk__in=[notice.pk for notice in notices]).update(
            seen_at=timezone.now()
        )
    return notices


# --- scenarios -----------------------------------------------------------------------------------

SCENARIO_LANGUAGES = ("zh", "ko", "en")


@transaction.atomic
def save_scenario(
    *,
    scenario: Scenario | None,
    actor: Any,
    titles: Mapping[str, str],
    customer_lines: Mapping[str, str],
    sources: Sequence[str],
    slug: str = "",
) -> Scenario:
    """Create a scenario (with a new, valid slug) or change an existing one's texts.

    Slugs never change: rules, questions and verdicts refer to them.
    """
    values = {
        "titles": {lang: titles[lang].strip() for lang in SCENARIO_LANGUAGES if titles.get(lang)},
        "customer_lines": {
            lang: customer_lines[lang].strip()
            for lang in SCENARIO_LANGUAGES
            if customer_lines.get(lang)
        },
        "sources": [source.strip() for source in sources if source.strip()],
    }
    if scenario is None:
        last = Scenario.objects.aggregate(last=Max("position"))["last"]
        scenario = Scenario.objects.create(slug=slug, position=(last or 0) + 1, **values)
        audit.record(actor, "studio.scenario.created", scenario)
        return scenario
    for name, value in values.items():
        setattr(scenario, name, value)
    scenario.save(update_fields=list(values))
    audit.record(actor, "studio.scenario.saved", scenario)
    return scenario


@transaction.atomic
def link_lessons(
    *, scenario: Scenario, add: Iterable[Lesson], remove: Iterable[Lesson], actor: Any
) -> None:
    """Change which lessons teach a scenario (the lesson page links to its practice)."""
    added, removed = list(add), list(remove)
    if added:
        scenario.lessons.add(*added)
    if removed:
        scenario.lessons.remove(*removed)
    if added or removed:
        audit.record(
            actor,
            "studio.scenario.lessons",
            scenario,
            added=[lesson.pk for lesson in added],
            removed=[lesson.pk for lesson in removed],
        )


# --- document import ----------------------------------------------------------------------------

UPLOADS_KEPT_FOR = timedelta(days=1)


def read_document(*, data: bytes, filename: str, language: str) -> ImportedDocument:
    """Parse an uploaded document; DocumentError (one line, for the form) when it cannot be.

    The importer is careful with bad input, but the file comes from outside: anything else it
    raises is logged and reported the same way, never as a server error.
    """
    try:
        return parse_document(data, filename, language=language)
    except DocumentError:
        raise
    except Exception as error:
        logger.warning("importer failed on %s", filename, exc_info=True)
        raise DocumentError(f"{filename} could not be read as a policy document") from error


def keep_upload(
    *, data: bytes, filename: str, language: str, actor: Any
) -> tuple[DocumentUpload, ImportedDocument]:
    """Parse an uploaded document and keep its bytes for the preview and the import.

    Raises DocumentError for a file that cannot be imported; nothing is kept then.
    """
    document = read_document(data=data, filename=filename, language=language)
    DocumentUpload.objects.filter(uploaded_at__lt=timezone.now() - UPLOADS_KEPT_FOR).delete()
    upload = DocumentUpload.objects.create(
        filename=filename[:255],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        language=language,
        uploaded_by=actor,
    )
    return upload, document


def read_upload(upload: DocumentUpload) -> ImportedDocument:
    return read_document(
        data=bytes(upload.data), filename=upload.filename, language=upload.language
    )


@transaction.atomic
def accept_upload(*, upload: DocumentUpload, course: Course | None, actor: Any) -> ImportResult:
    """Store the uploaded document as an unpublished draft module (as `import_document` does)
    and forget the upload. Raises DocumentError or courses' ImportTargetError."""
    document = read_upload(upload)
    result = course_services.import_document(
        document=document,
        data=bytes(upload.data),
        filename=upload.filename,
        course=course,
        imported_by=actor,
    )
    upload.delete()
    return result


# --- role-plays -----------------------------------------------------------------------------------


class StaleRolePlay(Exception):
    """Someone saved the role-play after the trainer opened it; nothing was saved."""

    def __init__(self, current: RolePlay) -> None:
        super().__init__(current.slug)
        self.current = current


def roleplay_scenario_slugs() -> list[str]:
    """The scenarios a turn may name: the catalogue, as the content loader checks them."""
    return list(Scenario.objects.values_list("slug", flat=True))


def _stored_values(script: dict[str, Any], *, position: int, is_active: bool) -> dict[str, Any]:
    # The content loader's own mapping (turns of a complete call included), with the
    # studio's hash, the row's place in the list and the trainer's choice of active.
    values = roleplay_values(script, roleplays.script_hash(script), position)
    return {**values, "is_active": is_active}


def edit_version(roleplay: RolePlay) -> str:
    """What an editor page was opened on: the script and whether learners may play it (a
    trainer who only withdrew a role-play changed no script, and must not be undone)."""
    return f"{roleplay.content_hash}:{'active' if roleplay.is_active else 'draft'}"


@transaction.atomic
def create_roleplay(*, slug: str, title: str, language: str, summary: str, actor: Any) -> RolePlay:
    """A new role-play as a draft (not active): the smallest playable call, to edit from.
    Raises ScriptError when the catalogue has no scenario for its first turn."""
    slugs = roleplay_scenario_slugs()
    start = roleplays.starter_script(
        slug=slug, title=title, language=language, summary=summary, scenarios=slugs
    )
    script = validate_script(start, file_stem=slug, scenarios=set(slugs))
    last = RolePlay.objects.aggregate(last=Max("position"))["last"]
    position = (last or 0) + 1
    roleplay = RolePlay.objects.create(
        slug=slug, **_stored_values(script, position=position, is_active=False)
    )
    audit.record(actor, "studio.roleplay.created", roleplay, content_hash=roleplay.content_hash)
    return roleplay


@transaction.atomic
def save_roleplay(
    *,
    roleplay: RolePlay,
    script: Mapping[str, Any],
    is_active: bool,
    base_hash: str,
    actor: Any,
    overwrite: bool = False,
) -> tuple[RolePlay, bool]:
    """Validate a script from the editor and store it: (role-play, whether anything changed).

    Raises ScriptError with every problem (nothing is stored), or StaleRolePlay when the
    role-play was saved by someone else after ``base_hash`` (``edit_version``) was read
    (unless ``overwrite``).
    Calls in progress keep playing their own copy of the script.
    """
    normal = validate_script(
        roleplays.file_form(script),
        file_stem=roleplay.slug,
        scenarios=set(roleplay_scenario_slugs()),
    )
    current = RolePlay.objects.select_for_update().get(pk=roleplay.pk)
    if edit_version(current) != base_hash and not overwrite:
        raise StaleRolePlay(current)
    values = _stored_values(normal, position=current.position, is_active=is_active)
    changed = sorted(key for key, value in values.items() if getattr(current, key) != value)
    if current.script == normal:  # the same script: keep its hash, whatever produced it
        values["content_hash"] = current.content_hash
        changed = [key for key in changed if key not in ("content_hash", "script")]
    if not changed:
        return current, False
    RolePlay.objects.filter(pk=current.pk).update(**values)
    audit.record(
        actor,
        "studio.roleplay.saved",
        current,
        changed=changed,
        content_hash=values["content_hash"],
        previous_hash=current.content_hash,
    )
    current.refresh_from_db()
    return current, True


def last_roleplay_save(roleplay: RolePlay) -> AuditEntry | None:
    """Who saved the role-play last in the studio, and when (for a stale-edit message)."""
    return (
        AuditEntry.objects.filter(
            action__in=["studio.roleplay.saved", "studio.roleplay.created"], target=str(roleplay)
        )
        .select_related("actor")
        .first()
    )


def start_trial_call(*, roleplay: RolePlay, mode: str, actor: Any) -> RolePlaySession:
    """Play the saved script as a learner would ("play as learner"): the same pages, clock and
    grading, in a call that counts for nobody. Raises ValidationError for an unknown mode."""
    with transaction.atomic():
        session = scenario_roleplays.start_trial_session(user=actor, roleplay=roleplay, mode=mode)
        audit.record(actor, "studio.roleplay.trial", roleplay, session=session.pk, mode=mode)
    return session
