"""This app's section of the learner home page (see core/home.py)."""

from typing import Any

from . import services


def section(user: Any) -> dict[str, Any] | None:
    """My certificates: assigned tracks with progress toward each requirement, and what I hold."""
    tracks = services.list_track_progress(user=user)
    if not tracks:
        return None
    return {"template": "certificates/home_section.html", "tracks": tracks}
