"""A new person's invitation: a one-time link to choose a password, resendable by HR."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitee(hr):  # type: ignore[no-untyped-def]
    person = UserFactory(email="zhang.wei@example.com", name="张伟")
    person.set_unusable_password()
    person.save()
    Invitation.objects.create(user=person, invited_by=hr, send_requested_at=timezone.now())
    return person


def sent_link() -> str:
    """The path of the link in the last e-mail."""
    match = re.search(r"https?://[^/\s]+(/people/invitation/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def send(person) -> str:  # type: ignore[no-untyped-def]
    assert services.send_invitation(invitation_id=person.invitation.pk)
    return sent_link()


def test_the_invitation_e_mail_carries_a_one_time_link_stored_only_as_a_hash(invitee):
    link = send(invitee)

    invitation = Invitation.objects.get(user=invitee)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert mail.outbox[-1].to == ["zhang.wei@example.com"]
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.token_hash == services.token_hash(token)
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert not invitation.send_pending


def test_the_invitee_chooses_a_password_and_is_signed_in(client, invitee):
    link = send(invitee)

    page = client.get(link)
    weak = client.post(link, {"new_password1": "123", "new_password2": "123"})
    good = client.post(
        link, {"new_password1": "电话礼仪-2026-春", "new_password2": "电话礼仪-2026-春"}
    )

    assert page.status_code == 200 and "zhang.wei@example.com" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    assert weak.status_code == 400
    assert good.status_code == 302 and good["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == invitee
    assert User.objects.get(pk=invitee.pk).check_password("电话礼仪-2026-春")
    assert AuditEntry.objects.filter(action="invitation.accepted", actor=invitee).exists()


def test_a_link_works_once(client, invitee):
    link = send(invitee)
    client.post(link, {"new_password1": "电话礼仪-2026-春", "new_password2": "电话礼仪-2026-春"})
    client.logout()

    again = client.get(link)

    assert again.status_code == 410


def test_an_expired_link_says_to_ask_hr(client, invitee):
    link = send(invitee)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(link)

    assert response.status_code == 410
    assert response.context["expired"]


def test_a_made_up_link_is_refused(client, invitee):
    send(invitee)

    assert client.get(reverse("accounts:invitation", args=["not-a-real-token"])).status_code == 410


def test_hr_resends_and_only_the_newest_link_works(
    client, hr, invitee, django_capture_on_commit_callbacks, monkeypatch
):
    from accounts import tasks

    monkeypatch.setattr(
        tasks.send_invitation, "delay", lambda pk: services.send_invitation(invitation_id=pk)
    )
    old_link = send(invitee)
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:resend-invitation", args=[invitee.pk]))
    new_link = sent_link()
    client.logout()

    assert response.status_code == 302
    assert new_link != old_link
    assert client.get(old_link).status_code == 410
    assert client.get(new_link).status_code == 200
    assert Invitation.objects.get(user=invitee).times_sent == 2
    assert AuditEntry.objects.filter(action="invitation.resent", actor=hr).exists()


def test_someone_who_chose_a_password_gets_no_new_invitation(client, hr, invitee):
    link = send(invitee)
    client.post(link, {"new_password1": "电话礼仪-2026-春", "new_password2": "电话礼仪-2026-春"})
    sent = len(mail.outbox)
    client.force_login(hr)

    client.post(reverse("accounts:resend-invitation", args=[invitee.pk]))

    assert Invitation.objects.get(user=invitee).send_pending is False
    assert len(mail.outbox) == sent
    with pytest.raises(services.InvitationNotNeeded):
        services.request_invitation(user=invitee, actor=hr)


def test_the_sweeper_sends_what_the_worker_never_did_and_only_once(invitee):
    later = timezone.now() + timedelta(minutes=10)

    fresh = services.send_waiting_invitations()
    swept = services.send_waiting_invitations(now=later)
    again = services.send_waiting_invitations(now=later + timedelta(minutes=10))

    assert (fresh, swept, again) == (0, 1, 0)
    assert len(mail.outbox) == 1


def test_a_failed_send_stays_waiting_for_the_next_sweep(invitee, monkeypatch):
    def smtp_down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", smtp_down)

    assert services.send_invitation(invitation_id=invitee.invitation.pk) is False
    invitation = Invitation.objects.get(user=invitee)
    assert invitation.send_pending and invitation.token_hash is None


def test_a_deactivated_person_cannot_use_the_link(client, invitee):
    link = send(invitee)
    User.objects.filter(pk=invitee.pk).update(is_active=False)

    assert client.get(link).status_code == 410
