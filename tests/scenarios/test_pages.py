"""The learner's pages: situations, practising a reply, the polled verdict, object access."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from scenarios import services
from scenarios.models import Reply
from scenarios.tasks import grade_reply
from tests.factories import ReplyFactory, ScenarioFactory

from .conftest import GOOD_REPLY, RUDE_REPLY

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def no_broker():
    """Unit tests grade by hand; the enqueue is only observed."""
    with mock.patch.object(services, "enqueue_grading") as enqueue:
        yield enqueue


@pytest.fixture
def as_learner(client, learner):
    client.force_login(learner)
    return client


def test_the_situation_list_shows_every_loaded_scenario(as_learner, settings):
    from scenarios.content import load_scenarios

    load_scenarios(settings.CONTENT_DIR)

    page = as_learner.get(reverse("scenarios:list")).content.decode()

    assert page.count('class="card scenario-card"') == 17
    assert "客户辱骂" in page and "你们这什么破公司！一群废物！" in page
    assert reverse("scenarios:practice", args=["wrong-number"]) in page


def test_the_list_shows_the_learners_last_result_per_situation(
    as_learner, learner, cursing, published_pack
):
    grade_reply(ReplyFactory(user=learner, scenario=cursing, text=RUDE_REPLY).pk)

    page = as_learner.get(reverse("scenarios:list")).content.decode()

    card = page[page.index("客户辱骂") :]
    assert re.search(r'<span class="badge badge-bad">[^<]*· 0</span>', card)


def test_the_practice_page_shows_the_caller_and_a_labelled_textarea(
    as_learner, cursing, published_pack
):
    page = as_learner.get(reverse("scenarios:practice", args=["customer-cursing"])).content.decode()

    assert "你们这什么破公司！一群废物！" in page
    textarea = re.search(r'<textarea name="text" id="id_text"[^>]*>', page)
    assert textarea and "maxlength" not in textarea.group(0)
    assert '<label for="id_text">' in page
    assert '<option value="zh" selected>' in page and '<option value="ko">' in page


def test_a_sent_reply_shows_grading_and_polls_until_graded(
    as_learner, cursing, published_pack, no_broker
):
    response = as_learner.post(
        reverse("scenarios:practice", args=["customer-cursing"]),
        {"language": "zh", "text": RUDE_REPLY},
    )

    reply = Reply.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scenarios:reply", args=[reply.pk])
    waiting = as_learner.get(response["Location"]).content.decode()
    verdict_url = reverse("scenarios:verdict", args=[reply.pk])
    assert f'hx-get="{verdict_url}" hx-trigger="every 500ms"' in waiting
    assert '<p class="grading">' in waiting
    still_waiting = as_learner.get(verdict_url, **HTMX).content.decode()
    assert 'hx-trigger="every 500ms"' in still_waiting

    grade_reply(reply.pk)

    graded = as_learner.get(verdict_url, **HTMX).content.decode()
    assert "hx-trigger" not in graded
    assert '<mark class="hit-bad">你骂谁</mark>' in graded
    assert '<mark class="hit-bad">爱打不打</mark>' in graded
    assert "回骂是严重违规。" in graded  # the rule's feedback in the UI language (zh-hans)
    assert "002 四.4" in graded


def test_feedback_follows_the_interface_language(as_learner, learner, cursing, published_pack):
    reply = ReplyFactory(user=learner, scenario=cursing, text=RUDE_REPLY)
    grade_reply(reply.pk)

    page = as_learner.get(
        reverse("scenarios:reply", args=[reply.pk]), HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()

    assert "맞대응은 중대한 위반입니다." in page
    assert "回骂是严重违规。" not in page


def test_a_reply_with_markup_is_shown_as_typed_and_highlights_stay_escaped(
    as_learner, learner, cursing, published_pack
):
    reply = ReplyFactory(
        user=learner, scenario=cursing, text='<script>alert(1)</script>你骂谁<b>"对不起"</b>'
    )
    grade_reply(reply.pk)

    page = as_learner.get(reverse("scenarios:reply", args=[reply.pk])).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert (
        '<mark class="hit-bad">你骂谁</mark>&lt;b&gt;&quot;<mark class="hit-good">对不起</mark>'
        in page
    )


def test_an_empty_reply_is_refused_on_the_page(as_learner, cursing, published_pack, no_broker):
    response = as_learner.post(
        reverse("scenarios:practice", args=["customer-cursing"]), {"language": "zh", "text": " "}
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Reply.objects.exists()


def test_a_too_long_reply_is_refused_and_kept_in_the_form(
    as_learner, cursing, published_pack, no_broker
):
    text = "您好，" + "请稍等。" * 600

    response = as_learner.post(
        reverse("scenarios:practice", args=["customer-cursing"]), {"language": "zh", "text": text}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f">{text}</textarea>" in page
    assert "2403" in page
    assert not Reply.objects.exists()


def test_a_failed_reply_says_so_and_stops_polling(as_learner, learner, cursing):
    reply = ReplyFactory(user=learner, scenario=cursing, status="failed", last_error="boom")

    part = as_learner.get(reverse("scenarios:verdict", args=[reply.pk]), **HTMX).content.decode()

    assert "hx-trigger" not in part and "boom" not in part
    assert 'role="alert"' in part


def test_a_long_wait_slows_the_polling_down_and_reassures_the_learner(as_learner, learner, cursing):
    from datetime import timedelta

    from django.utils import timezone

    reply = ReplyFactory(
        user=learner, scenario=cursing, submitted_at=timezone.now() - timedelta(minutes=2)
    )

    part = as_learner.get(reverse("scenarios:verdict", args=[reply.pk]), **HTMX).content.decode()

    assert 'hx-trigger="every 3s"' in part


def test_the_verdict_partial_outside_htmx_leads_to_the_reply_page(as_learner, learner, cursing):
    reply = ReplyFactory(user=learner, scenario=cursing)

    response = as_learner.get(reverse("scenarios:verdict", args=[reply.pk]))

    assert response["Location"] == reverse("scenarios:reply", args=[reply.pk])


def test_a_situation_without_published_rules_cannot_be_practised_yet(as_learner, cursing):
    page = as_learner.get(reverse("scenarios:practice", args=["customer-cursing"])).content.decode()

    assert "<textarea" not in page


def test_an_unknown_situation_is_not_found(as_learner):
    assert as_learner.get(reverse("scenarios:practice", args=["nope"])).status_code == 404


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["scenarios:reply", "scenarios:verdict"])
def test_a_learner_cannot_see_someone_elses_reply(client, learner, outsider, cursing, name):
    reply = ReplyFactory(user=learner, scenario=cursing, text=GOOD_REPLY)
    client.force_login(outsider)

    response = client.get(reverse(name, args=[reply.pk]), **HTMX)

    assert response.status_code == 404


def test_get_reply_for_user_returns_only_the_requesters_own_reply(rf, learner, outsider, cursing):
    from django.http import Http404

    reply = ReplyFactory(user=learner, scenario=cursing)
    request = rf.get("/")

    request.user = learner
    assert services.get_reply_for_user(request, reply.pk) == reply
    request.user = outsider
    with pytest.raises(Http404):
        services.get_reply_for_user(request, reply.pk)


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("scenarios:list"),
        lambda: reverse("scenarios:practice", args=["customer-cursing"]),
        lambda: reverse("scenarios:reply", args=[1]),
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, cursing, url):
    response = client.get(url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- home -----------------------------------------------------------------------------------------


def test_the_home_page_offers_to_practise_a_situation(as_learner, cursing):
    ScenarioFactory(slug="opening-greeting", titles={"zh": "接听来电", "en": "Answering"})

    page = as_learner.get(reverse("home")).content.decode()

    assert reverse("scenarios:list") in page
    assert reverse("scenarios:practice", args=["customer-cursing"]) in page


def test_the_home_section_counts_passed_situations(learner, cursing, published_pack):
    from scenarios.home import section

    grade_reply(ReplyFactory(user=learner, scenario=cursing, text=GOOD_REPLY).pk)

    data = section(learner)

    assert (data["total"], data["practised"], data["passed"], data["next"]) == (1, 1, 1, None)
