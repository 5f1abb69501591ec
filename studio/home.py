"""This app's section of the learner home page (see core/home.py): results a regrade changed."""

from typing import Any

from .services import take_unseen_notices


def section(user: Any) -> dict[str, Any] | None:
    """Shown once, like a message: the notices count as seen when the page renders them."""
    notices = take_unseen_notices(user=user)
    if not notices:
        return None
    return {"template": "studio/home_section.html", "notices": notices}
