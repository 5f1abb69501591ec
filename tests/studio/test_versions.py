"""Versions: the re-grade preview before publishing, publishing a draft, and regrading past
replies with the new version (history kept, audit-logged, learners told)."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from core.models import AuditEntry
from scenarios import services as scenario_services
from scenarios.models import Reply, RulePack, Verdict
from studio import services
from studio.models import Regrade, ResultNotice, RuleDraft, VerdictRevision

from .conftest import GOOD_REPLY, HURRIED_REPLY, RUDE_REPLY, graded_reply, stricter

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_replies(published, learner, outsider):  # type: ignore[no-untyped-def]
    """Three graded replies: two pass today and fail once 马上 is forbidden, one fails anyway."""
    return [
        graded_reply(learner, GOOD_REPLY),
        graded_reply(outsider, HURRIED_REPLY),
        graded_reply(learner, RUDE_REPLY),
    ]


@pytest.fixture
def stricter_draft(as_trainer, published) -> RuleDraft:  # type: ignore[no-untyped-def]
    as_trainer.post(reverse("studio:draft-start"), {"title": "禁止“马上”"})
    draft = RuleDraft.objects.get()
    url = reverse("studio:draft-file", kwargs={"pk": draft.pk, "filename": "zh/cursing.yaml"})
    as_trainer.post(url, {"text": stricter(draft.sources)["zh/cursing.yaml"]})
    draft.refresh_from_db()
    return draft


def test_the_preview_lists_the_past_verdicts_the_draft_would_change(
    as_trainer, past_replies, stricter_draft
):
    page = as_trainer.get(reverse("studio:draft-preview", args=[stricter_draft.pk])).content

    html = page.decode()
    good, hurried, rude = past_replies
    assert f"#{good.pk} ·" in html and f"#{hurried.pk} ·" in html
    assert f"#{rude.pk} ·" not in html
    assert 'studio.no-retaliation</code> <span class="small">pass → fail' in html


def test_the_preview_counts_what_changes_and_writes_nothing(past_replies, stricter_draft):
    before = list(Verdict.objects.values("pk", "passed", "score", "pack"))

    preview = services.preview_regrade(pack=services.check_draft(stricter_draft).pack)

    assert (preview.examined, len(preview.changes), preview.now_fails) == (3, 2, 2)
    assert list(Verdict.objects.values("pk", "passed", "score", "pack")) == before


def test_the_preview_stops_at_its_cap_on_the_latest_replies(past_replies, stricter_draft):
    preview = services.preview_regrade(pack=services.check_draft(stricter_draft).pack, limit=2)

    assert preview.examined == 2 and preview.capped


def test_publishing_needs_the_confirmation(as_trainer, past_replies, stricter_draft):
    page = as_trainer.post(reverse("studio:draft-publish", args=[stricter_draft.pk]), {})

    assert page.status_code == 200
    assert "This field is required." in page.content.decode()
    assert RulePack.objects.count() == 1


def test_publishing_makes_the_draft_the_version_new_replies_are_graded_with(
    as_trainer, trainer, learner, past_replies, stricter_draft, published
):
    response = as_trainer.post(
        reverse("studio:draft-publish", args=[stricter_draft.pk]), {"confirm": "on"}
    )

    assert response["Location"] == reverse("studio:regrade")
    current = RulePack.objects.current()
    assert current != published and current.sources == stricter_draft.sources
    stricter_draft.refresh_from_db()
    assert stricter_draft.published_pack == current
    assert AuditEntry.objects.filter(action="studio.rule_draft.published", actor=trainer).exists()
    assert AuditEntry.objects.filter(action="rulepack.published", target=current.version).exists()
    assert not graded_reply(learner, HURRIED_REPLY).verdict.passed


def test_past_verdicts_keep_their_version_until_a_regrade(
    as_trainer, past_replies, stricter_draft, published
):
    as_trainer.post(reverse("studio:draft-publish", args=[stricter_draft.pk]), {"confirm": "on"})

    assert set(Verdict.objects.values_list("pack", flat=True)) == {published.pk}


@pytest.fixture
def republished(as_trainer, past_replies, stricter_draft):  # type: ignore[no-untyped-def]
    as_trainer.post(reverse("studio:draft-publish", args=[stricter_draft.pk]), {"confirm": "on"})
    return RulePack.objects.current()


def test_the_regrade_page_previews_the_change_with_the_published_version(
    as_trainer, republished, past_replies
):
    page = as_trainer.get(reverse("studio:regrade")).content.decode()

    assert republished.version in page
    assert f"#{past_replies[0].pk} ·" in page


def test_a_regrade_updates_changed_verdicts_and_keeps_the_earlier_ones(
    as_trainer, trainer, republished, past_replies, published
):
    response = as_trainer.post(reverse("studio:regrade"), {"confirm": "on"}, follow=True)

    good, hurried, rude = past_replies
    run = Regrade.objects.get()
    assert (run.examined, run.changed, run.learners_notified) == (3, 2, 2)
    assert "2 of 3 past replies changed result." in response.content.decode()
    for reply in (good, hurried):
        verdict = Verdict.objects.get(reply=reply)
        assert not verdict.passed and verdict.pack == republished
        revision = VerdictRevision.objects.get(verdict=verdict)
        assert revision.passed and revision.pack == published and revision.regrade == run
    untouched = Verdict.objects.get(reply=rude)
    assert untouched.pack == published and not untouched.revisions.exists()
    entry = AuditEntry.objects.get(action="studio.regrade")
    assert entry.actor == trainer and entry.details["changed"] == 2


def test_each_learner_whose_result_changed_gets_one_e_mail_and_a_certificate_check(
    as_trainer, republished, past_replies, learner, outsider, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(scenario_services, "request_certificate_check") as check,
        django_capture_on_commit_callbacks(execute=True),
    ):
        as_trainer.post(reverse("studio:regrade"), {"confirm": "on"})

    assert sorted(call.args[0] for call in check.call_args_list) == sorted(
        [learner.pk, outsider.pk]
    )

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [learner.email, outsider.email]
    )
    body = next(message.body for message in mail.outbox if message.to == [learner.email])
    assert reverse("scenarios:reply", args=[past_replies[0].pk]) in body
    assert "→" in body


def test_the_learner_sees_the_changed_result_once_on_their_home_page(
    as_trainer, republished, past_replies, learner, client
):
    as_trainer.post(reverse("studio:regrade"), {"confirm": "on"})
    client.force_login(learner)

    first = services.take_unseen_notices(user=learner)
    second = services.take_unseen_notices(user=learner)

    assert [(n.old_passed, n.new_passed) for n in first] == [(True, False)]
    assert second == []
    assert ResultNotice.objects.get(user=learner).seen_at is not None


def test_the_studio_home_section_shows_unseen_notices_to_the_learner(
    as_trainer, republished, past_replies, learner
):
    from studio.home import section

    as_trainer.post(reverse("studio:regrade"), {"confirm": "on"})

    shown = section(learner)

    assert shown is not None and shown["template"] == "studio/home_section.html"
    assert section(learner) is None


def test_regrading_twice_changes_nothing_more(as_trainer, republished, past_replies):
    as_trainer.post(reverse("studio:regrade"), {"confirm": "on"})
    as_trainer.post(reverse("studio:regrade"), {"confirm": "on"})

    second = Regrade.objects.first()
    assert second.changed == 0 and VerdictRevision.objects.count() == 2


def test_only_the_published_version_can_regrade(republished, published, trainer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.regrade_replies(pack=published, actor=trainer)


def test_the_regrade_detail_lists_each_changed_reply(as_trainer, republished, past_replies):
    as_trainer.post(reverse("studio:regrade"), {"confirm": "on"})

    page = as_trainer.get(reverse("studio:regrade-detail", args=[Regrade.objects.get().pk]))

    html = page.content.decode()
    assert f"#{past_replies[0].pk} ·" in html and f"#{past_replies[1].pk} ·" in html


def test_new_replies_after_a_regrade_use_the_published_version(republished, as_trainer, learner):
    as_trainer.post(reverse("studio:regrade"), {"confirm": "on"})

    reply = graded_reply(learner, GOOD_REPLY)

    assert reply.verdict.pack == republished
    assert scenario_services.get_published_pack().version == republished.version


def test_role_play_turns_keep_their_verdicts(as_trainer, published, learner, stricter_draft):
    turn = graded_reply(learner, GOOD_REPLY)
    Reply.objects.filter(pk=turn.pk).update(source="roleplay:1:1")
    as_trainer.post(reverse("studio:draft-publish", args=[stricter_draft.pk]), {"confirm": "on"})

    preview = services.preview_regrade(pack=scenario_services.get_published_pack())
    as_trainer.post(reverse("studio:regrade"), {"confirm": "on"})

    assert preview.examined == 0
    verdict = Verdict.objects.get(reply=turn)
    assert verdict.passed and verdict.pack == published
