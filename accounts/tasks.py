"""Invitation e-mails: tasks take ids and call one service; the service sends each link once."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_invitation(invitation_id: int) -> bool:
    return services.send_invitation(invitation_id=invitation_id)


@shared_task(acks_late=True)
def send_waiting_invitations() -> int:
    """Beat: invitations whose e-mail never went out (a lost task, a mail outage)."""
    return services.send_waiting_invitations()
