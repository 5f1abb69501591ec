from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    authenticated = user.is_authenticated
    return {
        "nav_is_trainer": authenticated and user.has_perm("accounts.author_content"),
        "nav_is_hr": authenticated and user.has_perm("accounts.view_people"),
    }
