"""This app's section of the learner home page (see core/home.py)."""

from typing import Any

from . import services
from .models import Course


def section(user: Any) -> dict[str, Any] | None:
    """My courses with progress and a continue button, or the way into the catalog."""
    outlines = services.list_enrolled_outlines(user=user)
    available = Course.objects.published().exclude(enrollments__user=user).count()
    if not outlines and not available:
        return None
    return {
        "template": "courses/home_section.html",
        "outlines": outlines,
        "available": available,
    }
