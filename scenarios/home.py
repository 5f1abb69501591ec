"""This app's section of the learner home page (see core/home.py)."""

from typing import Any


def section(user: Any) -> dict[str, Any] | None:
    return None
