"""`load_content` loads the role-play scripts: all of them, idempotently, or none when one is
broken (with the file and the problem named)."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from core.content import ContentError
from scenarios.content import load_roleplays, load_scenarios
from scenarios.models import RolePlay

pytestmark = pytest.mark.django_db

BUNDLED = Path(settings.CONTENT_DIR)


@pytest.fixture
def catalogue(db):  # type: ignore[no-untyped-def]
    load_scenarios(BUNDLED)


@pytest.fixture
def content(tmp_path: Path, catalogue) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the bundled role-plays to break."""
    shutil.copytree(BUNDLED / "roleplays", tmp_path / "roleplays")
    return tmp_path


def test_every_bundled_role_play_is_loaded_with_its_complete_call(catalogue):
    summary = load_roleplays(BUNDLED)

    files = sorted(path.stem for path in (BUNDLED / "roleplays").glob("*.yaml"))
    assert summary == f"role-plays: {len(files)} scripts, {len(files)} created or changed"
    assert sorted(RolePlay.objects.values_list("slug", flat=True)) == files
    meeting = RolePlay.objects.get(slug="colleague-in-meeting-zh")
    assert (meeting.language, meeting.course_slug, meeting.pass_mark) == (
        "zh",
        "phone-etiquette-zh",
        70,
    )
    assert meeting.turns_in_complete_call == 4
    assert meeting.script["nodes"]["greet"]["on_critical"] == "absent"
    assert RolePlay.objects.filter(language="ko").exists()


def test_the_bundled_chinese_role_plays_cover_every_scenario(catalogue):
    from scenarios.models import Scenario

    load_roleplays(BUNDLED)

    covered = {slug for rp in RolePlay.objects.filter(language="zh") for slug in rp.scenario_slugs}
    assert covered == set(Scenario.objects.values_list("slug", flat=True))


def test_loading_twice_changes_nothing(content):
    load_roleplays(content)
    before = list(RolePlay.objects.values())

    summary = load_roleplays(content)

    assert summary.endswith(", 0 created or changed")
    assert list(RolePlay.objects.values()) == before


def test_an_edited_script_is_updated_and_a_removed_one_retired(content):
    load_roleplays(content)
    path = content / "roleplays" / "colleague-in-meeting-zh.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pass_mark: 70", "pass_mark: 80"))
    (content / "roleplays" / "wrong-number-praise-zh.yaml").unlink()  # the last: no reordering

    summary = load_roleplays(content)

    assert summary.endswith(", 1 created or changed, 1 retired")
    assert RolePlay.objects.get(slug="colleague-in-meeting-zh").pass_mark == 80
    assert not RolePlay.objects.get(slug="wrong-number-praise-zh").is_active


def test_a_role_play_written_in_the_studio_is_never_retired(content, trainer):
    from studio import services as studio

    load_roleplays(content)
    made = studio.create_roleplay(
        slug="studio-call", title="新通话", language="zh", summary="一通新电话。", actor=trainer
    )
    RolePlay.objects.filter(pk=made.pk).update(is_active=True)
    (content / "roleplays" / "wrong-number-praise-zh.yaml").unlink()

    summary = load_roleplays(content)

    assert summary.endswith(", 1 retired")
    assert RolePlay.objects.get(slug="studio-call").is_active


def test_a_bundled_script_edited_in_the_studio_keeps_the_trainers_version(content, trainer):
    from studio import services as studio

    load_roleplays(content)
    meeting = RolePlay.objects.get(slug="colleague-in-meeting-zh")
    script = {**meeting.script, "pass_mark": 85}
    studio.save_roleplay(
        roleplay=meeting,
        script=script,
        is_active=True,
        base_hash=studio.edit_version(meeting),
        actor=trainer,
    )
    path = content / "roleplays" / "colleague-in-meeting-zh.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pass_mark: 70", "pass_mark: 80"))

    summary = load_roleplays(content)

    assert "1 kept as edited in the studio" in summary
    assert RolePlay.objects.get(slug="colleague-in-meeting-zh").pass_mark == 85


def test_a_bundled_role_play_withdrawn_in_the_studio_stays_withdrawn(content, trainer):
    from studio import services as studio

    load_roleplays(content)
    meeting = RolePlay.objects.get(slug="colleague-in-meeting-zh")
    studio.save_roleplay(
        roleplay=meeting,
        script=meeting.script,
        is_active=False,
        base_hash=studio.edit_version(meeting),
        actor=trainer,
    )
    other = content / "roleplays" / "harassment-caller-zh.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("pass_mark: 70", "pass_mark: 75"))

    load_roleplays(content)

    assert not RolePlay.objects.get(slug="colleague-in-meeting-zh").is_active
    assert RolePlay.objects.get(slug="harassment-caller-zh").pass_mark == 75


def test_a_file_never_replaces_a_role_play_written_in_the_studio_under_its_slug(content, trainer):
    from studio import services as studio

    studio.create_roleplay(
        slug="wrong-number-praise-zh",
        title="培训师的版本",
        language="zh",
        summary="一通新电话。",
        actor=trainer,
    )

    summary = load_roleplays(content)

    assert "1 kept as edited in the studio" in summary
    assert RolePlay.objects.get(slug="wrong-number-praise-zh").title == "培训师的版本"


def test_a_broken_script_stops_the_load_naming_the_file_and_every_problem(content):
    path = content / "roleplays" / "colleague-in-meeting-zh.yaml"
    script = yaml.safe_load(path.read_text(encoding="utf-8"))
    script["nodes"]["greet"]["on_pass"] = "nowhere"
    script["nodes"]["transfer"]["turn"]["scenario"] = "small-talk"
    path.write_text(yaml.safe_dump(script, allow_unicode=True), encoding="utf-8")

    with pytest.raises(ContentError) as error:
        load_roleplays(content)

    message = str(error.value)
    assert message.startswith(f"{path}: ")
    assert "node 'transfer': unknown scenario 'small-talk'" in message
    assert not RolePlay.objects.exists()


def test_a_script_that_is_not_yaml_is_named(content):
    path = content / "roleplays" / "wrong-number-praise-zh.yaml"
    path.write_text("slug: [unclosed", encoding="utf-8")

    with pytest.raises(ContentError, match=r"wrong-number-praise-zh\.yaml"):
        load_roleplays(content)


def test_load_content_runs_the_role_play_loader_after_the_rule_packs():
    from core.content import CONTENT_LOADERS

    names = [getattr(loader, "dotted", loader) for loader in CONTENT_LOADERS]
    assert names.index("scenarios.content.load_roleplays") == (
        names.index("scenarios.content.load_rule_packs") + 1
    )


POLITE = {
    "zh": "您好，非常抱歉让您久等了。我马上为您查询，请您稍等。感谢您的来电，再见。",
    "ko": "안녕하세요, 불편을 드려 정말 죄송합니다. 바로 확인해 드리겠습니다. 감사합니다.",
}


@pytest.fixture
def bundled(catalogue):  # type: ignore[no-untyped-def]
    from scenarios.content import load_rule_packs

    load_rule_packs(BUNDLED)
    load_roleplays(BUNDLED)
    return list(RolePlay.objects.all())


def play_to_the_end(session, reply) -> int:  # type: ignore[no-untyped-def]
    """Answer every line with ``reply(turn)`` (None: stay silent); returns the turns played."""
    from datetime import timedelta

    from django.utils import timezone

    from scenarios import roleplays, services

    for played in range(1, 13):
        turn = roleplays.show_current_turn(session=session)
        text = reply(turn)
        if text is None:
            later = timezone.now() + timedelta(seconds=turn.seconds + 10)
            roleplays.time_out_overdue_turns(now=later, session=session)
        else:
            answered = roleplays.submit_turn_reply(session=session, text=text)
            services.grade_pending_reply(reply_id=answered.reply_id)
        session.refresh_from_db()
        if session.status == "finished":
            return played
    raise AssertionError(f"{session.roleplay.slug} did not end within 12 turns")


def test_every_bundled_role_play_can_be_played_to_its_end_and_reported(bundled, learner, no_broker):
    from scenarios import roleplays

    for roleplay in bundled:
        session, _started = roleplays.start_session(
            user=learner, roleplay=roleplay, mode="practice"
        )

        played = play_to_the_end(session, lambda turn, rp=roleplay: POLITE[rp.language])

        report = roleplays.build_report(session)
        assert played == len(report.turns) and report.session.ending_text, roleplay.slug
        assert all(view.verdict is not None for view in report.turns), roleplay.slug


def test_every_bundled_role_play_ends_when_the_learner_stays_silent(bundled, learner, no_broker):
    from scenarios import roleplays

    for roleplay in bundled:
        session, _started = roleplays.start_session(
            user=learner, roleplay=roleplay, mode="practice"
        )

        play_to_the_end(session, lambda turn: None)

        assert (session.score, session.passed) == (0, False), roleplay.slug
