"""Bundled content for the course tests: the real content folder, or an editable copy of it."""

import shutil
from pathlib import Path

import pytest

from courses.content import load_courses
from scenarios.content import load_scenarios

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
ZH_COURSE = "phone-etiquette-zh"


@pytest.fixture
def scenarios_loaded(db):  # type: ignore[no-untyped-def]
    load_scenarios(CONTENT)


@pytest.fixture
def bundled_courses(scenarios_loaded):  # type: ignore[no-untyped-def]
    """Every bundled course, loaded the way `load_content` does it."""
    return load_courses(CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path, scenarios_loaded) -> Path:  # type: ignore[no-untyped-def]
    """A private copy of the Chinese course a test may edit."""
    shutil.copytree(CONTENT / "courses" / ZH_COURSE, tmp_path / "courses" / ZH_COURSE)
    return tmp_path


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    """Pages in English, so assertions read the msgids whatever the catalogues say."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
