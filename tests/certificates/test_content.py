"""Bundled tracks load from content/tracks/, idempotently, with clear errors for bad files."""

from pathlib import Path

import pytest
from django.conf import settings

from certificates.content import load_tracks
from certificates.models import Track
from core.content import ContentError
from courses.content import load_courses
from quizzes.content import load_quizzes
from scenarios.content import load_scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundled(db):  # type: ignore[no-untyped-def]
    load_scenarios(settings.CONTENT_DIR)
    load_courses(settings.CONTENT_DIR)
    load_quizzes(settings.CONTENT_DIR)


def test_the_bundled_tracks_load_and_a_second_run_changes_nothing(bundled):
    first = load_tracks(settings.CONTENT_DIR)
    second = load_tracks(settings.CONTENT_DIR)

    chinese = Track.objects.get(slug="phone-etiquette-zh-level-1")
    korean = Track.objects.get(slug="phone-etiquette-ko-level-1")
    assert chinese.titles["zh"] == "电话礼仪认证(一级)"
    assert korean.titles["ko"] == "전화 응대 예절 인증(1급)"
    assert korean.language == "ko" and chinese.validity_months == 12
    assert {r["type"] for r in chinese.requirements} == {"lessons", "quiz"}
    assert "2 new" in first and "0 new, 0 changed, 0 retired" in second


def write_track(folder: Path, name: str, text: str) -> None:
    (folder / "tracks").mkdir(exist_ok=True)
    (folder / "tracks" / name).write_text(text, encoding="utf-8")


GOOD = """slug: small
language: zh
title: {zh: 小认证}
validity_months: 6
requirements:
  - {type: lessons, course: c1}
"""


def test_a_changed_file_updates_and_a_removed_one_retires(tmp_path, db):
    from tests.factories import CourseFactory

    CourseFactory(slug="c1")
    write_track(tmp_path, "small.yaml", GOOD)
    load_tracks(tmp_path)

    write_track(tmp_path, "small.yaml", GOOD.replace("6", "24"))
    assert "1 changed" in load_tracks(tmp_path)
    assert Track.objects.get(slug="small").validity_months == 24

    (tmp_path / "tracks" / "small.yaml").unlink()
    assert "1 retired" in load_tracks(tmp_path)
    assert not Track.objects.get(slug="small").is_active


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("language: zh", "language: ja"), "'language' must be zh or ko"),
        (GOOD.replace("validity_months: 6", "validity_months: 0"), "validity_months"),
        (GOOD.replace("type: lessons", "type: essay"), "unknown type 'essay'"),
        (GOOD.replace("course: c1", "course: nowhere"), "no course 'nowhere'"),
        (GOOD.replace("{zh: 小认证}", "{ko: 작은}"), "Chinese"),
        ("slug: [", "not valid YAML"),
    ],
)
def test_a_bad_file_is_named_with_its_problem(tmp_path, db, text, message):
    from tests.factories import CourseFactory

    CourseFactory(slug="c1")
    write_track(tmp_path, "broken.yaml", text)

    with pytest.raises(ContentError, match=message) as error:
        load_tracks(tmp_path)

    assert "tracks/broken.yaml" in str(error.value)
    assert not Track.objects.exists()


def test_load_content_runs_the_track_loader(bundled, capsys):
    from django.core.management import call_command

    call_command("load_content")

    assert Track.objects.filter(is_active=True).count() == 2
