from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict[str, object]:
    """Whether to show the studio and HR links. Lazy: the htmx fragments a call page polls
    for never show the navigation, so they never look up permissions."""
    user = request.user

    def may(permission: str) -> SimpleLazyObject:
        return SimpleLazyObject(lambda: user.is_authenticated and user.has_perm(permission))

    return {
        "nav_is_trainer": may("accounts.author_content"),
        "nav_is_hr": may("accounts.view_people"),
    }
