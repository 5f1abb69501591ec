"""HR reads who did what and when, and narrows it down."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import record
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(hr, trainer):  # type: ignore[no-untyped-def]
    record(hr, "people.enrolled", "三月新员工.csv", created=12, updated=0)
    record(hr, "certificate.revoked", "LS-2026-000007 · 赵敏", reason="考试作弊")
    record(trainer, "rulepack.published", "v14", rules=160)
    old = record(hr, "people.enrolled", "二月新员工.csv", created=3)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))


def entries(client, **params):  # type: ignore[no-untyped-def]
    response = client.get(reverse("certificates:audit-log"), params)
    assert response.status_code == 200
    return [entry.target for entry in response.context["page"].object_list], response


def test_hr_reads_the_log_newest_first(client, hr, history):
    client.force_login(hr)

    targets, response = entries(client)

    assert targets[0] == "v14"
    assert targets[-1] == "二月新员工.csv"
    assert "考试作弊" in response.content.decode()


def test_hr_filters_by_action_family_person_text_and_dates(client, hr, history):
    client.force_login(hr)
    since = (timezone.localdate() - timedelta(days=7)).isoformat()

    assert entries(client, action="people.")[0] == ["三月新员工.csv", "二月新员工.csv"]
    assert entries(client, action="certificate.revoked")[0] == ["LS-2026-000007 · 赵敏"]
    assert entries(client, who="王老师")[0] == ["v14"]
    assert entries(client, target="赵敏")[0] == ["LS-2026-000007 · 赵敏"]
    assert entries(client, action="people.", since=since)[0] == ["三月新员工.csv"]


def test_nonsense_filters_are_ignored(client, hr, history):
    client.force_login(hr)

    assert len(entries(client, since="yesterday", until="2026-99-99")[0]) == 4


def test_learners_cannot_read_the_log(client, learner, history):
    client.force_login(learner)

    assert client.get(reverse("certificates:audit-log")).status_code == 403
