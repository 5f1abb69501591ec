"""Fixtures for the rule-engine tests: pure Python, no Django needed.

Run them alone with ``.venv/bin/pytest tests/ruleengine -p no:django``.
"""

from __future__ import annotations

import pytest

from ruleengine import CompiledPack

from .helpers import GREETING_PACK, compile_yaml


@pytest.fixture
def greeting_pack() -> CompiledPack:
    """A small zh + ko pack for the opening-greeting scenario."""
    return compile_yaml(GREETING_PACK)
