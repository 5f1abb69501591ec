"""How long new hires have to certify is part of each track (`due_days` in its YAML)."""

import pytest

from certificates.content import load_tracks
from certificates.models import Track
from core.content import ContentError
from tests.certificates.test_content import GOOD, write_track
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_a_track_says_how_many_days_new_hires_have(tmp_path):
    CourseFactory(slug="c1")
    write_track(tmp_path, "small.yaml", GOOD + "due_days: 45\n")

    load_tracks(tmp_path)

    assert Track.objects.get(slug="small").due_days == 45


def test_without_due_days_new_hires_have_thirty(tmp_path):
    CourseFactory(slug="c1")
    write_track(tmp_path, "small.yaml", GOOD)

    load_tracks(tmp_path)

    assert Track.objects.get(slug="small").due_days == 30


@pytest.mark.parametrize("value", ["0", "400", "soon", "true"])
def test_an_impossible_due_days_names_the_file(tmp_path, value):
    CourseFactory(slug="c1")
    write_track(tmp_path, "small.yaml", GOOD + f"due_days: {value}\n")

    with pytest.raises(ContentError, match=r"tracks/small.yaml: 'due_days'"):
        load_tracks(tmp_path)
