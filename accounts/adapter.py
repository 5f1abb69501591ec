from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Courtesy has no open sign-up: people arrive through HR's invitations."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Invitations (HR bulk enrolment) mark the session; nothing else may sign up.
        return bool(request.session.get("courtesy_invitation_id"))
