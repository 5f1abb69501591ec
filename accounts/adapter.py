from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Courtesy has no open sign-up: people arrive through HR's invitations.

    HR's enrolment creates the account; the invitation link (accounts.views.invitation) only
    lets its owner choose a password. So allauth's sign-up form never creates anyone.
    """

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
