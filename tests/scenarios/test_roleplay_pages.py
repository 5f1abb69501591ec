"""The role-play pages: choosing a call, playing it against the clock, the report, access."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from scenarios import roleplays, services
from scenarios.models import RolePlaySession
from scenarios.scripts import validate_script
from tests.factories import SHORT_CALL, RolePlayFactory

from .conftest import BAD_GREETING, GOOD_GREETING, GOOD_REPLY, GOODBYE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_broker", "call_pack")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def in_chinese(message: str) -> str:
    """A message as the (Chinese by default) interface shows it, whatever the catalogue holds."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture
def as_learner(client: Client, learner) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(learner)
    return client


@pytest.fixture
def korean_call(call):  # type: ignore[no-untyped-def]
    script = validate_script(
        {**SHORT_CALL, "slug": "short-call-ko", "language": "ko", "title": "욕하는 고객"},
        file_stem="short-call-ko",
        scenarios={"opening-greeting", "customer-cursing", "closing-call"},
    )
    return RolePlayFactory(script=script, position=0)


def start(client: Client, call, mode: str = "practice") -> RolePlaySession:  # type: ignore[no-untyped-def]
    response = client.post(reverse("scenarios:roleplay-start", args=[call.slug]), {"mode": mode})
    session = RolePlaySession.objects.get(status="active")
    assert response["Location"] == reverse("scenarios:session", args=[session.pk])
    return session


def page(client: Client, session: RolePlaySession) -> str:
    return client.get(reverse("scenarios:session", args=[session.pk])).content.decode()


def reply(client: Client, session: RolePlaySession, text: str, turn: int) -> None:
    url = reverse("scenarios:session-reply", args=[session.pk])
    response = client.post(url, {"text": text, "turn": turn})
    assert response.status_code == 302


def grade_latest(session: RolePlaySession) -> None:
    turn = session.turns.exclude(reply=None).order_by("-index").first()
    services.grade_pending_reply(reply_id=turn.reply_id)


def state(client: Client, session: RolePlaySession, turn: int):  # type: ignore[no-untyped-def]
    url = reverse("scenarios:session-state", args=[session.pk])
    return client.get(url, {"turn": turn}, **HTMX)


# --- choosing a call -----------------------------------------------------------------------------


def test_the_list_shows_chinese_role_plays_first_for_a_chinese_interface(
    as_learner, call, korean_call
):
    html = as_learner.get(reverse("scenarios:roleplays")).content.decode()

    assert html.index("骂人的客户") < html.index("욕하는 고객")
    assert reverse("scenarios:roleplay", args=["short-call-zh"]) in html


def test_the_list_shows_korean_role_plays_first_for_a_korean_interface(
    as_learner, call, korean_call
):
    as_learner.cookies["django_language"] = "ko"

    html = as_learner.get(reverse("scenarios:roleplays")).content.decode()

    assert html.index("욕하는 고객") < html.index("骂人的客户")


def test_the_detail_page_offers_practice_and_assessment(as_learner, call):
    html = as_learner.get(reverse("scenarios:roleplay", args=[call.slug])).content.decode()

    assert "一位生气的客户打来电话。" in html
    assert 'name="mode" value="practice"' in html and 'name="mode" value="assessment"' in html


def test_a_retired_role_play_is_not_found(as_learner, call):
    call.is_active = False
    call.save()

    response = as_learner.get(reverse("scenarios:roleplay", args=[call.slug]))

    assert response.status_code == 404


def test_starting_twice_resumes_the_same_call(as_learner, call):
    first = start(as_learner, call)

    response = as_learner.post(
        reverse("scenarios:roleplay-start", args=[call.slug]), {"mode": "assessment"}
    )

    assert response["Location"] == reverse("scenarios:session", args=[first.pk])
    detail = as_learner.get(reverse("scenarios:roleplay", args=[call.slug])).content.decode()
    assert reverse("scenarios:session", args=[first.pk]) in detail and 'name="restart"' in detail


def test_start_over_hangs_up_the_call_in_progress(as_learner, call):
    first = start(as_learner, call)

    as_learner.post(
        reverse("scenarios:roleplay-start", args=[call.slug]), {"mode": "practice", "restart": "1"}
    )

    first.refresh_from_db()
    assert first.status == "abandoned"
    assert RolePlaySession.objects.filter(status="active").exclude(pk=first.pk).count() == 1


# --- playing against the clock -------------------------------------------------------------------


def test_the_page_counts_down_from_the_servers_clock_and_a_reload_keeps_draft_and_clock(
    as_learner, call, clock
):
    session = start(as_learner, call)
    first = page(as_learner, session)
    clock.advance(6.5)
    as_learner.post(
        reverse("scenarios:session-draft", args=[session.pk]),
        {"text": "您好，这里是", "turn": 1},
        **HTMX,
    )
    clock.advance(1)

    again = page(as_learner, session)

    assert 'data-seconds-left="20.00"' in first and 'data-total="20"' in first
    assert 'data-seconds-left="12.50"' in again
    assert re.search(r"<textarea[^>]*>您好，这里是</textarea>", again)
    assert "（电话铃响了）" in again and "先问候。" in again


def test_a_sent_reply_shows_grading_then_the_verdict_and_the_next_line(as_learner, call, clock):
    session = start(as_learner, call)
    page(as_learner, session)
    reply(as_learner, session, GOOD_GREETING, turn=1)

    waiting = page(as_learner, session)
    polled = state(as_learner, session, 1)
    grade_latest(session)
    settled = state(as_learner, session, 1)
    after = page(as_learner, session)

    assert "turn-waiting" in waiting and 'hx-trigger="load delay:200ms"' in waiting
    assert polled.status_code == 200 and "turn-waiting" in polled.content.decode()
    assert (settled.status_code, settled["HX-Refresh"]) == (204, "true")
    assert "你们这什么破公司！" in after and 'name="turn" value="2"' in after
    assert '<mark class="hit-good">您好</mark>' in after and "badge badge-ok" in after


def test_a_reply_sent_by_htmx_swaps_the_form_for_the_waiting_panel(as_learner, call, clock):
    session = start(as_learner, call)
    page(as_learner, session)
    url = reverse("scenarios:session-reply", args=[session.pk])

    sent = as_learner.post(url, {"text": GOOD_GREETING, "turn": 1}, **HTMX)
    again = as_learner.post(url, {"text": GOOD_GREETING, "turn": 1}, **HTMX)

    html = sent.content.decode()
    assert sent.status_code == 200 and 'id="turn-panel"' in html
    assert GOOD_GREETING in html and "turn-waiting" in html and "?turn=1" in html
    assert again["HX-Refresh"] == "true"  # the turn was answered: the page shows why
    assert session.turns.get().status == "answered"
    assert str(next(iter(get_messages(again.wsgi_request)))) == in_chinese(
        "That line was already answered: here is where the call stands now."
    )


def test_the_state_of_an_open_turn_is_empty_until_its_time_runs_out(as_learner, call, clock):
    session = start(as_learner, call)
    page(as_learner, session)

    open_now = state(as_learner, session, 1)
    clock.advance(24)
    timed_out = state(as_learner, session, 1)

    assert open_now.status_code == 204 and not open_now.has_header("HX-Refresh")
    assert timed_out["HX-Refresh"] == "true"
    assert "喂？有人吗？" in page(as_learner, session)


def test_reloading_the_page_after_the_deadline_moves_the_call_on_without_the_sweeper(
    as_learner, call, clock
):
    session = start(as_learner, call)
    page(as_learner, session)
    clock.advance(20)
    assert "喂？有人吗？" not in page(as_learner, session)  # still inside the time and grace

    clock.advance(10)

    assert "喂？有人吗？" in page(as_learner, session)
    assert session.turns.get(index=1).status == "timed_out"


def test_a_reply_after_the_timeout_is_refused_with_a_message(as_learner, call, clock):
    session = start(as_learner, call)
    page(as_learner, session)
    clock.advance(30)
    roleplays.time_out_overdue_turns()

    url = reverse("scenarios:session-reply", args=[session.pk])
    response = as_learner.post(url, {"text": GOOD_GREETING, "turn": 1}, follow=True)

    html = response.content.decode()
    assert "message-warning" in html and "喂？有人吗？" in html
    assert str(next(iter(get_messages(response.wsgi_request)))) == in_chinese(
        "Your reply came too late: the caller did not wait for it."
    )
    assert not session.turns.exclude(reply=None).exists()


def test_an_empty_reply_keeps_the_turn_open_with_an_error(as_learner, call, clock):
    session = start(as_learner, call)
    page(as_learner, session)

    response = as_learner.post(
        reverse("scenarios:session-reply", args=[session.pk]), {"text": " ", "turn": 1}, follow=True
    )

    assert "message-error" in response.content.decode()
    assert session.turns.get().status == "open"


def test_the_draft_endpoint_reloads_the_page_once_the_turn_is_over(as_learner, call, clock):
    session = start(as_learner, call)
    page(as_learner, session)
    url = reverse("scenarios:session-draft", args=[session.pk])

    saved = as_learner.post(url, {"text": "您好", "turn": 1}, **HTMX)
    clock.advance(30)
    roleplays.time_out_overdue_turns()
    closed = as_learner.post(url, {"text": "您好，", "turn": 1}, **HTMX)

    saved_at = timezone.localtime(clock.now - timedelta(seconds=30)).strftime("%H:%M:%S")
    assert saved.status_code == 200 and saved_at in saved.content.decode()
    assert closed["HX-Refresh"] == "true"


def test_assessment_mode_shows_only_reply_received_until_the_report(as_learner, call, clock):
    session = start(as_learner, call, mode="assessment")
    for number, text in enumerate((BAD_GREETING, GOOD_REPLY), start=1):
        page(as_learner, session)
        reply(as_learner, session, text, turn=number)
        grade_latest(session)

    during = page(as_learner, session)
    reply(as_learner, session, GOODBYE, turn=3)
    grade_latest(session)
    report = page(as_learner, session)

    assert "连个招呼都不会打？" in during  # the branch followed the failed greeting
    assert "badge-ok" not in during and "badge-bad" not in during and "hit-bad" not in during
    assert "report-summary" in report and "rule-fail" in report


def test_the_final_report_shows_score_result_times_and_what_to_practise(as_learner, call, clock):
    session = start(as_learner, call)
    for number, text in enumerate((BAD_GREETING, GOOD_REPLY, GOODBYE), start=1):
        page(as_learner, session)
        clock.advance(4)
        reply(as_learner, session, text, turn=number)
        grade_latest(session)

    html = page(as_learner, session)

    session.refresh_from_db()
    assert session.status == "finished"
    assert f"<strong>{session.score}</strong>" in html
    assert 'class="data report-table"' in html
    assert html.count("4.0") >= 3  # every response time
    assert "客户平静地挂断了电话。" in html
    assert reverse("scenarios:practice", args=["opening-greeting"]) in html
    assert "先问候" in html  # the missed rule, by its title


def test_other_learners_calls_do_not_exist_for_them(as_learner, outsider, call, client):
    session = start(as_learner, call)
    other = Client()
    other.force_login(outsider)

    urls = [
        ("get", reverse("scenarios:session", args=[session.pk])),
        ("get", reverse("scenarios:session-state", args=[session.pk]) + "?turn=1"),
        ("post", reverse("scenarios:session-reply", args=[session.pk])),
        ("post", reverse("scenarios:session-draft", args=[session.pk])),
        ("post", reverse("scenarios:session-abandon", args=[session.pk])),
    ]

    for method, url in urls:
        assert getattr(other, method)(url).status_code == 404, url
    session.refresh_from_db()
    assert session.status == "active" and session.turns.get().draft == ""


def test_the_pages_need_a_signed_in_learner(client, call):
    response = client.get(reverse("scenarios:roleplays"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the home page -------------------------------------------------------------------------------


def test_home_offers_role_plays_and_shows_the_last_results(as_learner, learner, call, clock):
    session = start(as_learner, call)
    for number, text in enumerate((GOOD_GREETING, GOOD_REPLY, GOODBYE), start=1):
        page(as_learner, session)
        reply(as_learner, session, text, turn=number)
        grade_latest(session)

    with translation.override("zh-hans"):
        html = as_learner.get(reverse("home")).content.decode()

    assert reverse("scenarios:roleplay", args=[call.slug]) in html
    assert reverse("scenarios:session", args=[session.pk]) in html
    assert reverse("scenarios:roleplays") in html
