"""The role-play editor: the list, editing turns and branches with validation beside each node,
stale edits, new role-plays, the drawn graph, and trial calls that count for nobody."""

from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import requirements, status
from certificates.eligibility import RolePlayRequirement
from certificates.models import Assignment
from core.models import AuditEntry
from scenarios import roleplays as calls
from scenarios import services as scenario_services
from scenarios.models import RolePlay, RolePlaySession
from scenarios.scripts import MAX_SECONDS
from studio import services
from tests.factories import AssignmentFactory, RolePlayFactory, ScenarioFactory, TrackFactory
from tests.scenarios.conftest import CALL_RULEBOOK, GOOD_GREETING, GOODBYE

pytestmark = pytest.mark.django_db

SCENARIOS = {
    "opening-greeting": "接听问候",
    "customer-cursing": "客户辱骂",
    "closing-call": "结束通话",
}
APOLOGY = "非常抱歉给您带来不便，我马上为您处理。"


@pytest.fixture
def call(db) -> RolePlay:  # type: ignore[no-untyped-def]
    """The short call of tests/factories.py: greet → curse → close, with side branches."""
    for slug, title in SCENARIOS.items():
        ScenarioFactory(slug=slug, titles={"zh": title, "en": title})
    return RolePlayFactory()


def editor_url(roleplay: RolePlay) -> str:
    return reverse("studio:roleplay", args=[roleplay.slug])


def page_data(client: Any, roleplay: RolePlay) -> dict[str, Any]:
    """What the editor page posts back when the trainer changes nothing."""
    context = client.get(editor_url(roleplay)).context
    data: dict[str, Any] = {"action": "save"}
    for form in [context["meta"], context["nodes"].management_form, *context["nodes"].forms]:
        for field in form:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value not in (None, False):
                data[field.html_name] = value
    return data


def set_node(data: dict[str, Any], node: str, **fields: Any) -> dict[str, Any]:
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-node_id") and value == node
    )
    for name, value in fields.items():
        data[f"nodes-{index}-{name}"] = value
    return data


# --- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["learner", "hr"])
def test_learners_and_hr_cannot_open_edit_or_try_a_role_play(client, call, persona, request):
    client.force_login(request.getfixturevalue(persona))

    answers = [
        client.get(reverse("studio:roleplays")).status_code,
        client.get(editor_url(call)).status_code,
        client.post(editor_url(call), {"action": "save"}).status_code,
        client.get(reverse("studio:roleplay-graph", args=[call.slug])).status_code,
        client.post(
            reverse("studio:roleplay-trial", args=[call.slug]), {"mode": "practice"}
        ).status_code,
    ]

    assert answers == [403] * 5
    assert not RolePlaySession.objects.exists()


def test_someone_signed_out_is_sent_to_sign_in(client, call):
    response = client.get(editor_url(call))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_each_role_play_with_its_state_nodes_and_scenarios(as_trainer, call):
    RolePlayFactory(slug="draft-call-zh", is_active=False)

    page = as_trainer.get(reverse("studio:roleplays")).content.decode()

    assert "骂人的客户" in page and "short-call-zh" in page
    assert 'data-state="active"' in page and 'data-state="draft"' in page
    assert 'data-nodes="7"' in page
    assert all(title in page for title in SCENARIOS.values())
    assert reverse("studio:roleplay-new") in page


def test_the_studio_overview_and_menu_lead_to_the_role_plays(as_trainer, call):
    page = as_trainer.get(reverse("studio:index")).content.decode()

    assert page.count(f'href="{reverse("studio:roleplays")}"') >= 2


# --- editing --------------------------------------------------------------------------------------


def test_a_trainer_changes_a_time_limit_and_a_branch_and_it_is_saved(as_trainer, trainer, call):
    data = page_data(as_trainer, call)
    set_node(data, "greet", seconds=45, on_pass="close")
    before = call.content_hash

    response = as_trainer.post(editor_url(call), data)

    assert response.status_code == 302 and response["Location"] == editor_url(call)
    call.refresh_from_db()
    greet = call.script["nodes"]["greet"]
    assert greet["turn"]["seconds"] == 45 and greet["on_pass"] == "close"
    assert greet["on_critical"] == greet["on_fail"] == "curse-angrier"  # the default, spelled out
    assert call.turns_in_complete_call == 2  # greet → close on passing replies
    assert call.content_hash != before
    entry = AuditEntry.objects.get(action="studio.roleplay.saved")
    assert entry.actor == trainer and entry.target == call.slug
    assert entry.details["previous_hash"] == before


def test_the_editor_shows_the_saved_script_again_after_a_save(as_trainer, call):
    data = set_node(page_data(as_trainer, call), "curse", seconds=60, hint="先道歉。")
    as_trainer.post(editor_url(call), data)

    forms = as_trainer.get(editor_url(call)).context["nodes"].forms

    curse = next(form for form in forms if form["node_id"].value() == "curse")
    assert (curse["seconds"].value(), curse["hint"].value()) == (60, "先道歉。")
    assert [form["node_id"].value() for form in forms][:3] == ["greet", "curse", "curse-angrier"]


def test_metadata_is_saved_and_the_role_play_can_be_made_a_draft(as_trainer, call):
    data = page_data(as_trainer, call)
    data.update(title="骂人的客户（新版）", pass_mark=80)
    del data["is_active"]

    as_trainer.post(editor_url(call), data)

    call.refresh_from_db()
    assert (call.title, call.pass_mark, call.is_active) == ("骂人的客户（新版）", 80, False)
    assert call.script["title"] == "骂人的客户（新版）" and call.script["pass_mark"] == 80


def test_an_unplayable_script_shows_each_problem_beside_its_node_and_saves_nothing(
    as_trainer, call
):
    before = (call.script, call.content_hash)
    data = page_data(as_trainer, call)
    set_node(data, "greet", seconds=MAX_SECONDS + 1)
    set_node(data, "close", DELETE="on")  # curse and curse-angrier still lead there

    response = as_trainer.post(editor_url(call), data)

    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems.nodes["greet"] == [f"node 'greet': seconds 181 not within 10..{MAX_SECONDS}"]
    page = response.content.decode()
    assert 'data-node-problems="greet"' in page
    assert 'data-edge="curse→close"' in page and 'data-flag="dangling"' in page  # on the graph
    assert 'value="181"' in page  # the trainer's input is kept
    call.refresh_from_db()
    assert (call.script, call.content_hash) == before
    assert not AuditEntry.objects.filter(action="studio.roleplay.saved").exists()


def test_an_unreachable_node_and_a_bad_pass_mark_are_shown_where_they_are(as_trainer, call):
    data = page_data(as_trainer, call)
    data["pass_mark"] = 0
    set_node(data, "greet", on_timeout="curse")  # nothing leads to "silent" any more

    response = as_trainer.post(editor_url(call), data)

    problems = response.context["problems"]
    assert problems.fields["pass_mark"] == ["pass_mark 0 must be a whole percent in 1..100"]
    call.refresh_from_db()
    assert call.script["nodes"]["greet"]["on_timeout"] == "silent"


def test_a_graph_problem_is_listed_once_the_fields_are_right(as_trainer, call):
    data = set_node(page_data(as_trainer, call), "greet", on_timeout="curse")

    response = as_trainer.post(editor_url(call), data)

    assert response.context["problems"].nodes["silent"] == [
        "node 'silent' cannot be reached from start"
    ]
    assert 'data-flag="unreachable"' in response.content.decode()  # and the graph says so


def test_a_bad_node_id_and_a_duplicate_id_are_refused(as_trainer, call):
    data = set_node(page_data(as_trainer, call), "silent", node_id="Silent Line")
    set_node(data, "close", node_id="curse")

    response = as_trainer.post(editor_url(call), data)

    assert response.status_code == 200
    errors = [form.errors.get("node_id") for form in response.context["nodes"].forms]
    assert any(e and "lowercase" in e[0] for e in errors)
    assert any(e and "Another node has this id" in e[0] for e in errors)
    call.refresh_from_db()
    assert "silent" in call.script["nodes"]


def test_renaming_a_node_takes_its_branches_and_the_start_along(as_trainer, call):
    data = set_node(page_data(as_trainer, call), "greet", node_id="hello")

    as_trainer.post(editor_url(call), data)

    call.refresh_from_db()
    assert call.script["start"] == "hello" and "greet" not in call.script["nodes"]


def test_a_new_node_is_added_and_linked_in_two_steps_without_scripts(as_trainer, call):
    data = page_data(as_trainer, call)
    new = int(data["nodes-TOTAL_FORMS"]) - 1  # the empty row at the end
    data.update(
        {
            f"nodes-{new}-node_id": "end-calm",
            f"nodes-{new}-kind": "ending",
            f"nodes-{new}-ending": "客户语气缓和，挂断了电话。",
            "action": "add",
        }
    )

    added = as_trainer.post(editor_url(call), data)  # nothing saved: a row more, the id listed

    assert len(added.context["nodes"].forms) == new + 2
    assert not any(form.errors for form in added.context["nodes"].forms)
    assert '<option value="end-calm">' in added.content.decode()
    call.refresh_from_db()
    assert "end-calm" not in call.script["nodes"]
    set_node(data, "close", on_pass="end-calm")
    data["action"] = "save"
    as_trainer.post(editor_url(call), data)
    call.refresh_from_db()
    assert call.script["nodes"]["end-calm"] == {"ending": "客户语气缓和，挂断了电话。"}
    assert call.script["nodes"]["close"]["on_pass"] == "end-calm"


def test_a_save_from_an_older_version_is_refused_until_the_trainer_chooses(
    as_trainer, call, hr, trainer
):
    mine = set_node(page_data(as_trainer, call), "greet", seconds=30)
    theirs = dict(call.script, title="另一位培训师的版本")
    services.save_roleplay(
        roleplay=call,
        script=theirs,
        is_active=True,
        base_hash=services.edit_version(call),
        actor=hr,
    )

    refused = as_trainer.post(editor_url(call), mine)

    assert refused.status_code == 200 and refused.context["stale"] is not None
    assert "Someone else saved this role-play" in refused.content.decode()
    assert 'value="30"' in refused.content.decode()  # nothing the trainer typed is lost
    call.refresh_from_db()
    assert (
        call.title == "另一位培训师的版本"
        and call.script["nodes"]["greet"]["turn"]["seconds"] == 20
    )
    replaced = as_trainer.post(editor_url(call), {**mine, "overwrite": "on"})
    assert replaced.status_code == 302
    call.refresh_from_db()
    assert call.title == "骂人的客户" and call.script["nodes"]["greet"]["turn"]["seconds"] == 30


def test_a_role_play_withdrawn_meanwhile_is_not_put_back_by_an_older_page(as_trainer, call, hr):
    mine = set_node(page_data(as_trainer, call), "greet", seconds=30)
    services.save_roleplay(
        roleplay=call,
        script=call.script,
        is_active=False,
        base_hash=services.edit_version(call),
        actor=hr,
    )

    refused = as_trainer.post(editor_url(call), mine)

    assert refused.status_code == 200 and refused.context["stale"] is not None
    call.refresh_from_db()
    assert not call.is_active


def test_saving_what_is_saved_changes_nothing(as_trainer, call):
    before = call.content_hash

    as_trainer.post(editor_url(call), page_data(as_trainer, call))

    call.refresh_from_db()
    assert call.content_hash == before
    assert not AuditEntry.objects.filter(action="studio.roleplay.saved").exists()


def test_a_call_in_progress_keeps_the_script_it_started_with(as_trainer, learner, call):
    session, _started = calls.start_session(user=learner, roleplay=call, mode="practice")

    as_trainer.post(editor_url(call), set_node(page_data(as_trainer, call), "greet", seconds=90))

    session.refresh_from_db()
    assert session.script["nodes"]["greet"]["turn"]["seconds"] == 20
    assert session.turns.get().seconds == 20


# --- new role-plays -------------------------------------------------------------------------------


def test_a_new_role_play_starts_as_a_playable_draft(as_trainer, trainer, call):
    response = as_trainer.post(
        reverse("studio:roleplay-new"),
        {"slug": "refund-zh", "title": "退款", "language": "zh", "summary": "客户要求退款。"},
    )

    roleplay = RolePlay.objects.get(slug="refund-zh")
    assert response["Location"] == editor_url(roleplay)
    assert not roleplay.is_active and roleplay.turns_in_complete_call == 1
    assert roleplay.script["nodes"]["greet"]["turn"]["scenario"] == "opening-greeting"
    assert AuditEntry.objects.filter(action="studio.roleplay.created", actor=trainer).exists()
    assert as_trainer.get(editor_url(roleplay)).status_code == 200


def test_a_new_role_play_needs_an_unused_slug(as_trainer, call):
    response = as_trainer.post(
        reverse("studio:roleplay-new"),
        {"slug": call.slug, "title": "x", "language": "zh", "summary": "x"},
    )

    assert response.status_code == 200
    assert "exists already" in response.content.decode()
    assert RolePlay.objects.count() == 1


# --- the graph ------------------------------------------------------------------------------------


def test_the_graph_draws_every_node_and_every_branch(as_trainer, call):
    page = as_trainer.get(reverse("studio:roleplay-graph", args=[call.slug])).content.decode()

    for name in call.script["nodes"]:
        assert f'data-node="{name}"' in page
    for name, node in call.script["nodes"].items():
        for branch in ("on_pass", "on_fail", "on_timeout"):
            if branch in node:
                assert f'data-edge="{name}→{node[branch]}"' in page
    # curse: on_critical differs from on_fail and shares its target with on_timeout
    assert 'data-edge="curse→end-hung-up" data-kinds="critical timeout"' in page
    assert "<svg" in page and 'data-flag="' not in page


def test_the_editor_redraws_the_graph_of_unsaved_changes(as_trainer, call):
    data = set_node(page_data(as_trainer, call), "close", on_pass="end-missing")

    partial = as_trainer.post(
        reverse("studio:roleplay-graph", args=[call.slug]), data, HTTP_HX_REQUEST="true"
    )

    html = partial.content.decode()
    assert 'data-kind="missing"' in html and 'data-flag="dangling"' in html
    assert "<html" not in html
    call.refresh_from_db()
    assert call.script["nodes"]["close"]["on_pass"] == "end-good"


# --- playing as a learner -------------------------------------------------------------------------


@pytest.fixture
def graded(db):  # type: ignore[no-untyped-def]
    """The published rules of the role-play tests; grading runs here as the worker would."""
    scenario_services.publish_rule_sources(sources=CALL_RULEBOOK)
    with (
        mock.patch.object(scenario_services, "enqueue_grading"),
        mock.patch.object(scenario_services, "request_certificate_check"),
    ):
        yield


def play_through(session: RolePlaySession, replies: list[str]) -> None:
    for text in replies:
        turn = calls.submit_turn_reply(session=session, text=text)
        scenario_services.grade_pending_reply(reply_id=turn.reply_id)
        session.refresh_from_db()


def test_play_as_learner_opens_the_first_customer_line_of_the_saved_script(
    as_trainer, trainer, call
):
    response = as_trainer.post(
        reverse("studio:roleplay-trial", args=[call.slug]), {"mode": "practice"}
    )

    session = RolePlaySession.objects.get()
    assert session.is_trial and session.user == trainer and session.mode == "practice"
    assert response["Location"] == reverse("scenarios:session", args=[session.pk])
    page = as_trainer.get(response["Location"]).content.decode()
    assert "（电话铃响了）" in page and 'name="turn" value="1"' in page
    assert AuditEntry.objects.filter(action="studio.roleplay.trial", actor=trainer).exists()


def test_a_draft_can_be_tried_and_a_new_trial_plays_the_latest_save(trainer, call):
    RolePlay.objects.filter(pk=call.pk).update(is_active=False)
    call.refresh_from_db()
    first = services.start_trial_call(roleplay=call, mode="practice", actor=trainer)
    script = call.script
    script["nodes"]["greet"]["turn"]["seconds"] = 90
    call, _changed = services.save_roleplay(
        roleplay=call,
        script=script,
        is_active=False,
        base_hash=services.edit_version(call),
        actor=trainer,
    )

    second = services.start_trial_call(roleplay=call, mode="practice", actor=trainer)

    first.refresh_from_db()
    assert first.status == "abandoned" and second.status == "active"
    assert second.turns.get().seconds == 90 and first.turns.get().seconds == 20


def test_hanging_up_a_trial_goes_back_to_the_editor(as_trainer, trainer, call):
    session = services.start_trial_call(roleplay=call, mode="practice", actor=trainer)

    response = as_trainer.post(reverse("scenarios:session-abandon", args=[session.pk]))

    assert response["Location"] == editor_url(call)


def test_a_trial_call_page_leads_back_to_the_editor_not_to_the_learners_page(
    as_trainer, trainer, call
):
    session = services.start_trial_call(roleplay=call, mode="practice", actor=trainer)

    html = as_trainer.get(reverse("scenarios:session", args=[session.pk])).content.decode()

    assert f'href="{editor_url(call)}"' in html
    assert reverse("scenarios:roleplay", args=[call.slug]) not in html


def test_playing_a_finished_trial_again_starts_another_trial(as_trainer, trainer, call):
    session = services.start_trial_call(roleplay=call, mode="practice", actor=trainer)
    type(session).objects.filter(pk=session.pk).update(
        status="finished", finished_at=timezone.now(), score=0, passed=False
    )

    html = as_trainer.get(reverse("scenarios:session", args=[session.pk])).content.decode()

    assert f'action="{reverse("studio:roleplay-trial", args=[call.slug])}"' in html
    assert reverse("scenarios:roleplay-start", args=[call.slug]) not in html


def test_a_passed_trial_counts_for_nothing_a_learner_sees_or_a_certificate_needs(
    as_trainer, trainer, call, graded
):
    session = services.start_trial_call(roleplay=call, mode="assessment", actor=trainer)
    play_through(session, [GOOD_GREETING, APOLOGY, GOODBYE])

    assert session.status == "finished" and session.passed
    assert not scenario_services.roleplay_passed(trainer, call.slug)
    progress = requirements.measure_roleplay(RolePlayRequirement(call.slug), user=trainer)
    assert progress.done == 0
    cards = calls.roleplay_cards(user=trainer, language="zh")
    assert [(c.active, c.last, c.best_score, c.passed) for c in cards] == [
        (None, None, None, False)
    ]
    assert calls.recent_results(user=trainer) == []
    page = as_trainer.get(reverse("scenarios:roleplay", args=[call.slug])).content.decode()
    assert reverse("scenarios:session", args=[session.pk]) not in page


def test_a_trial_in_progress_never_blocks_the_trainers_own_call(trainer, call):
    trial = services.start_trial_call(roleplay=call, mode="practice", actor=trainer)

    own, started = calls.start_session(user=trainer, roleplay=call, mode="practice")

    assert started and own.pk != trial.pk and not own.is_trial
    assert calls.active_session(user=trainer, roleplay=call) == own
    trial.refresh_from_db()
    assert trial.status == "active"


@pytest.fixture
def assigned(trainer, call):  # type: ignore[no-untyped-def]
    """The trainer is also a learner on a track that needs this role-play."""
    track = TrackFactory(requirements=[{"type": "roleplay", "roleplay": call.slug}])
    return AssignmentFactory(user=trainer, track=track)


def test_a_trial_never_makes_a_learner_in_progress_on_the_hr_board(trainer, call, assigned):
    services.start_trial_call(roleplay=call, mode="practice", actor=trainer)

    found = Assignment.objects.with_status().get(pk=assigned.pk).status

    assert found == status.NOT_STARTED


def test_hr_never_sees_a_trial_among_a_learners_calls(client, hr, trainer, call, assigned):
    services.start_trial_call(roleplay=call, mode="practice", actor=trainer)
    client.force_login(hr)

    overview = client.get(reverse("certificates:learner", args=[trainer.pk])).context["overview"]

    assert overview.roleplays == []
