"""`manage.py import_document`: documents become unpublished drafts for a trainer to review."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.models import CandidateRule, Course, Lesson, ModelPhrase, Module, ReviewStatus
from tests.conftest import REPO, _database_url_for_subprocess
from tests.factories import CourseFactory

SEEDS = REPO.parent / "shared" / "seeds"
CHINESE_SEED = SEEDS / "000_b297d35887f639af.txt"
KOREAN_SEED = SEEDS / "001_34f58d99c35d00c2.txt"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not CHINESE_SEED.exists(), reason=f"seed documents missing in {SEEDS}"),
]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_document", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def nothing_written() -> bool:
    return not (Module.objects.exists() or Lesson.objects.exists() or Course.objects.exists())


def test_json_prints_what_the_importer_found_and_a_dry_run_writes_nothing():
    out, _ = run(str(CHINESE_SEED), "--json", "--dry-run")

    document = json.loads(out)
    assert document["title"] == "电话接听服务的基本原则"
    assert document["language"] == "zh"
    assert document["lessons"] and {"title", "body_markdown", "phrases"} <= set(
        document["lessons"][0]
    )
    assert all({"kind", "phrase", "source"} <= set(rule) for rule in document["candidate_rules"])
    assert set(document["dropped"]) == {"boilerplate_lines", "duplicate_sections"}
    assert nothing_written()


def test_json_for_several_documents_is_a_list():
    out, _ = run(str(CHINESE_SEED), str(KOREAN_SEED), "--json", "--dry-run")

    documents = json.loads(out)
    assert [document["language"] for document in documents] == ["zh", "ko"]


def test_an_import_creates_an_unpublished_draft_module_with_its_provenance():
    out, _ = run(str(CHINESE_SEED))

    module = Module.objects.get()
    course = module.course
    assert course.slug == "imports-zh" and not course.is_published
    assert not module.is_published
    assert module.source_document == CHINESE_SEED.name
    assert len(module.source_sha256) == 64
    assert module.lessons.exists()
    assert not module.lessons.filter(is_published=True).exists()
    assert all(lesson.sources[0].startswith(CHINESE_SEED.name) for lesson in module.lessons.all())
    assert f"draft module {module.slug!r}" in out


def test_model_phrases_and_candidate_rules_wait_for_review_with_their_source():
    run(str(CHINESE_SEED))

    phrases = ModelPhrase.objects.all()
    rules = CandidateRule.objects.all()
    assert phrases.exists() and rules.exists()
    assert set(phrases.values_list("status", flat=True)) == {ReviewStatus.PENDING}
    assert set(rules.values_list("status", flat=True)) == {ReviewStatus.PENDING}
    assert set(rules.values_list("source_document", flat=True)) == {CHINESE_SEED.name}
    assert all(rule.source_section for rule in rules)
    assert ModelPhrase.objects.filter(text__contains="对不起，让您久等了").exists()


def test_the_json_matches_what_was_stored():
    out, _ = run(str(CHINESE_SEED), "--json")

    document = json.loads(out)
    module = Module.objects.get()
    assert module.title == document["title"]
    assert module.lessons.count() == len(document["lessons"])
    assert module.candidate_rules.count() == len(document["candidate_rules"])


def test_a_draft_import_is_invisible_to_learners(client, learner):
    run(str(CHINESE_SEED))
    lesson = Lesson.objects.filter(module__origin="imported").first()
    client.force_login(learner)

    assert client.get(lesson.get_absolute_url()).status_code == 404
    assert client.get(lesson.module.course.get_absolute_url()).status_code == 404
    assert lesson.module.title not in client.get(reverse("courses:catalog")).content.decode()


def test_importing_the_same_document_again_keeps_one_draft():
    run(str(CHINESE_SEED))

    out, _ = run(str(CHINESE_SEED))

    assert Module.objects.count() == 1
    assert "already imported" in out


def test_a_korean_document_goes_to_the_korean_drafts_course():
    run(str(KOREAN_SEED))

    assert Module.objects.get().course.slug == "imports-ko"


def test_a_named_course_receives_the_draft():
    course = CourseFactory(slug="phone-etiquette-zh", language="zh")

    run(str(CHINESE_SEED), "--course", "phone-etiquette-zh")

    module = Module.objects.get()
    assert module.course == course and not module.is_published


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_empty_or_binary_input_stops_with_status_2_and_writes_nothing(tmp_path, content, complaint):
    path = tmp_path / "upload.txt"
    path.write_bytes(content)

    with pytest.raises(CommandError) as error:
        run(str(CHINESE_SEED), str(path))

    assert error.value.returncode == 2
    assert complaint in str(error.value)
    assert "\n" not in str(error.value)
    assert nothing_written()


def test_a_missing_file_or_course_stops_with_status_2(tmp_path):
    with pytest.raises(CommandError) as missing_file:
        run(str(tmp_path / "nope.txt"))
    with pytest.raises(CommandError) as missing_course:
        run(str(CHINESE_SEED), "--course", "no-such-course")

    assert missing_file.value.returncode == missing_course.value.returncode == 2
    assert nothing_written()


def test_a_document_in_the_wrong_language_for_the_course_is_refused():
    CourseFactory(slug="korean", language="ko")

    with pytest.raises(CommandError, match="is in zh but course 'korean' is in ko"):
        run(str(CHINESE_SEED), "--course", "korean")

    assert not Module.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_real_command_line_exits_2_with_one_line_on_stderr(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url_for_subprocess(),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "import_document", str(empty)],
        cwd=Path(REPO),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "empty.txt is empty" in result.stderr
    assert nothing_written()
