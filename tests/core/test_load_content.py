"""load_content seeds the site and never undoes a trainer's edits on a restart."""

import io
import shutil

import pytest
from django.core.management import call_command

from scenarios.models import Scenario

pytestmark = pytest.mark.django_db


def load(content_dir=None, *flags):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    args = ["load_content", *flags]
    if content_dir is not None:
        args += ["--content-dir", str(content_dir)]
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_second_run_skips_every_loader_whose_files_did_not_change():
    load()

    second = load()

    assert second.count("files unchanged since the last load, skipped") == 6


def test_a_restart_keeps_what_a_trainer_edited_in_the_studio():
    load()
    Scenario.objects.filter(slug="wrong-number").update(titles={"zh": "拨错号码（培训师改过）"})

    load()

    assert Scenario.objects.get(slug="wrong-number").titles["zh"] == "拨错号码（培训师改过）"


def test_an_edited_bundled_file_is_loaded_again(tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    load(content)
    catalogue = content / "scenarios.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace('"打错电话"', '"打错了电话"'),
        encoding="utf-8",
    )

    output = load(content)

    assert "scenarios: 17 in the catalogue, 1 created or changed" in output
    assert Scenario.objects.get(slug="wrong-number").titles["zh"] == "打错了电话"


def test_force_loads_unchanged_files_too():
    load()

    forced = load(None, "--force")

    assert "skipped" not in forced
