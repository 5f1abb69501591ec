"""The rule editor: a draft copy of the published rules, edited one file at a time, checked as
a whole on every save, with a "try a reply" box graded by the draft."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from studio.models import RuleDraft

from .conftest import HTMX, RUDE_REPLY, RULEBOOK

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(as_trainer, published) -> RuleDraft:  # type: ignore[no-untyped-def]
    as_trainer.post(reverse("studio:draft-start"), {"title": "更严格的致歉"})
    return RuleDraft.objects.get()


def file_url(draft: RuleDraft, name: str = "zh/cursing.yaml") -> str:
    return reverse("studio:draft-file", kwargs={"pk": draft.pk, "filename": name})


def test_a_new_draft_is_a_copy_of_the_published_rules(draft, published):
    assert draft.sources == RULEBOOK
    assert draft.base_pack == published
    assert draft.title == "更严格的致歉"
    assert AuditEntry.objects.filter(action="studio.rule_draft.started").exists()


def test_the_draft_page_lists_its_files_and_says_it_compiles(as_trainer, draft):
    page = as_trainer.get(reverse("studio:draft", args=[draft.pk])).content.decode()

    assert "The draft compiles" in page
    assert "zh/cursing.yaml" in page and "zh/greeting.yaml" in page
    assert "Nothing differs from the published version yet." in page


def test_a_broken_file_is_saved_and_its_problems_shown_next_to_the_line(as_trainer, draft):
    broken = RULEBOOK["zh/cursing.yaml"].replace("severity: major", "severity: high")

    response = as_trainer.post(file_url(draft), {"text": broken}, follow=True)

    page = response.content.decode()
    draft.refresh_from_db()
    assert draft.sources["zh/cursing.yaml"] == broken
    assert "Saved, but the draft has 1 problem." in page
    assert "zh/cursing.yaml:16" in page
    assert "[studio.apologise]" in page
    assert "severity must be critical, major or minor" in page
    assert 'class="has-issue">16<' in page


def test_a_yaml_syntax_error_names_its_line(as_trainer, draft):
    as_trainer.post(file_url(draft, "zh/greeting.yaml"), {"text": "language: zh\nrules: [\n"})

    page = as_trainer.get(reverse("studio:draft", args=[draft.pk])).content.decode()

    assert "zh/greeting.yaml:" in page
    assert "1 problem" in page


def test_a_valid_save_reports_the_rule_count_and_the_changed_file(as_trainer, draft):
    changed = RULEBOOK["zh/cursing.yaml"].replace("[抱歉, 对不起]", "[抱歉, 对不起, 不好意思]")

    response = as_trainer.post(file_url(draft), {"text": changed}, follow=True)

    page = response.content.decode()
    assert "Saved. The whole draft compiles: 3 rules." in page
    assert "Changes from the published version" in page
    assert "+      requires_any: [抱歉, 对不起, 不好意思]" in page


def test_windows_line_endings_from_the_browser_are_stored_as_unix_ones(as_trainer, draft):
    as_trainer.post(file_url(draft), {"text": RULEBOOK["zh/cursing.yaml"].replace("\n", "\r\n")})

    draft.refresh_from_db()
    assert draft.sources == RULEBOOK


def test_trying_a_reply_grades_it_with_the_draft_and_marks_the_words(as_trainer, draft):
    url = reverse("studio:draft-try", args=[draft.pk])
    data = {"try-scenario": "customer-cursing", "try-language": "zh", "try-text": RUDE_REPLY}

    response = as_trainer.post(url, data, **HTMX)

    page = response.content.decode()
    assert "Fails" in page
    assert '<mark class="hit-bad">你骂谁</mark>' in page
    assert "studio.no-retaliation" in page and "broken" in page
    assert f"{file_url(draft)}#L3" in page


def test_trying_a_reply_uses_the_unsaved_draft_not_the_published_rules(as_trainer, draft):
    stricter = RULEBOOK["zh/cursing.yaml"].replace("爱打不打]", "爱打不打, 马上]")
    as_trainer.post(file_url(draft), {"text": stricter})
    data = {
        "try-scenario": "customer-cursing",
        "try-language": "zh",
        "try-text": "抱歉，我马上处理。",
    }

    page = as_trainer.post(reverse("studio:draft-try", args=[draft.pk]), data, **HTMX)

    assert '<mark class="hit-bad">马上</mark>' in page.content.decode()


def test_trying_a_reply_on_a_broken_draft_asks_to_fix_it_first(as_trainer, draft):
    as_trainer.post(file_url(draft), {"text": "rules: 3"})
    data = {"try-scenario": "customer-cursing", "try-language": "zh", "try-text": RUDE_REPLY}

    page = as_trainer.post(reverse("studio:draft-try", args=[draft.pk]), data, **HTMX)

    assert "The draft has 1 problem; fix it to try replies." in page.content.decode()


def test_trying_a_reply_without_htmx_shows_a_whole_page(as_trainer, draft):
    data = {"try-scenario": "customer-cursing", "try-language": "zh", "try-text": RUDE_REPLY}

    response = as_trainer.post(reverse("studio:draft-try", args=[draft.pk]), data)

    assert response.status_code == 200
    assert "<html" in response.content.decode() and "Fails" in response.content.decode()


def test_a_file_can_be_added_and_removed(as_trainer, draft):
    response = as_trainer.post(
        reverse("studio:draft-add-file", args=[draft.pk]), {"filename": "zh/refunds"}
    )

    assert response["Location"] == file_url(draft, "zh/refunds.yaml")
    draft.refresh_from_db()
    assert draft.sources["zh/refunds.yaml"].startswith("# zh/refunds.yaml")
    as_trainer.post(
        reverse("studio:draft-delete-file", args=[draft.pk]), {"filename": "zh/refunds.yaml"}
    )
    draft.refresh_from_db()
    assert "zh/refunds.yaml" not in draft.sources


@pytest.mark.parametrize("name", ["../etc/passwd", "ZH/Upper.yaml", "a b.yaml", ""])
def test_a_file_name_outside_the_pattern_is_refused(as_trainer, draft, name):
    as_trainer.post(reverse("studio:draft-add-file", args=[draft.pk]), {"filename": name})

    draft.refresh_from_db()
    assert draft.sources == RULEBOOK


def test_an_unknown_file_of_the_draft_is_a_404(as_trainer, draft):
    assert as_trainer.get(file_url(draft, "zh/nothing.yaml")).status_code == 404


def test_a_published_draft_can_no_longer_change(as_trainer, draft):
    as_trainer.post(reverse("studio:draft-publish", args=[draft.pk]), {"confirm": "on"})

    as_trainer.post(file_url(draft), {"text": "language: zh\nrules: []\n"})

    draft.refresh_from_db()
    assert draft.published_pack is not None
    assert draft.sources == RULEBOOK


def test_an_open_draft_can_be_discarded(as_trainer, draft):
    as_trainer.post(reverse("studio:draft-discard", args=[draft.pk]))

    assert not RuleDraft.objects.exists()
