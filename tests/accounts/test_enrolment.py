"""HR enrols this month's new hires from a file: preview, per-row errors, all or nothing,
and the same file twice changes nothing."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services
from accounts.models import EnrolmentBatch, Invitation, User
from certificates.models import Assignment
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW_HIRES = (
    "姓名,邮箱,工号,部门,入职日期,认证\n"
    "张伟,zhang.wei@example.com,10023,客服一部,2026-03-02,电话礼仪认证(一级)\n"
    "李娜,li.na@example.com,10024,客服二部,2026-03-02,电话礼仪认证(一级)\n"
    "김민수,minsu@example.com,K-1001,客服二部,2026-03-09,전화 응대 예절 인증(1급)\n"
)
WITH_ERRORS = (
    "姓名,邮箱,工号,部门,入职日期,认证\n"
    "张伟,zhang.wei@example.com,10023,客服一部,2026-03-02,电话礼仪认证(一级)\n"
    "李娜,li.na@example,10024,客服九部,2026-03-02,电话礼仪认证(一级)\n"
)


def upload(
    client, text: str, *, cohort: str = "2026年3月入职", create: bool = False, name="new-hires.csv"
):  # type: ignore[no-untyped-def]
    data = {"file": SimpleUploadedFile(name, text.encode("utf-8")), "cohort": cohort}
    if create:
        data["create_departments"] = "on"
    response = client.post(reverse("accounts:enrol"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"])


def confirm(client, preview):  # type: ignore[no-untyped-def]
    batch = preview.context["batch"]
    return client.post(reverse("accounts:enrol-confirm", args=[batch.pk]), follow=True)


def test_hr_previews_then_enrols_new_hires(client, hr, tracks, departments):
    client.force_login(hr)

    preview = upload(client, NEW_HIRES)

    assert preview.context["preview"].ok
    assert preview.context["preview"].count_new == 3
    assert not User.objects.filter(email="zhang.wei@example.com").exists()

    done = confirm(client, preview)

    assert done.status_code == 200
    zhang = User.objects.get(email="zhang.wei@example.com")
    assert (zhang.name, zhang.employee_number, zhang.department.name) == (
        "张伟",
        "10023",
        "客服一部",
    )
    assert zhang.cohort.name == "2026年3月入职"
    assert zhang.groups.filter(name="Learner").exists()
    assert not zhang.has_usable_password()
    assignment = Assignment.objects.get(user=zhang)
    assert assignment.track == tracks["zh"]
    assert assignment.due_date == date(2026, 4, 1)  # hire date + the track's 30 days
    assert assignment.assigned_by == hr
    minsu = User.objects.get(email="minsu@example.com")
    assert minsu.preferred_language == "ko"
    assert Assignment.objects.get(user=minsu).due_date == date(2026, 4, 23)  # 45 days
    assert Invitation.objects.filter(send_requested_at__isnull=False).count() == 3


def test_the_preview_shows_each_rows_errors_and_nothing_is_saved(client, hr, tracks, departments):
    client.force_login(hr)

    preview = upload(client, WITH_ERRORS)
    html = preview.content.decode()

    assert not preview.context["preview"].ok
    assert "li.na@example" in html and "客服九部" in html
    assert reverse("accounts:enrol-confirm", args=[preview.context["batch"].pk]) not in html
    refused = confirm(client, preview)
    assert refused.status_code == 400
    assert not User.objects.filter(email__endswith="@example.com").exclude(pk=hr.pk).exists()


def test_a_failure_half_way_leaves_nothing_behind(hr, tracks, departments, monkeypatch):
    batch = services.upload_batch(
        actor=hr,
        filename="x.csv",
        data=NEW_HIRES.encode(),
        create_departments=False,
        cohort_name="",
    )

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_save_assignments", broken)
    with pytest.raises(RuntimeError):
        services.confirm_batch(batch=batch, actor=hr)

    assert not User.objects.filter(email="zhang.wei@example.com").exists()
    assert not Invitation.objects.exists()
    assert EnrolmentBatch.objects.get(pk=batch.pk).confirmed_at is None


def test_uploading_the_same_file_again_changes_nothing(client, hr, tracks, departments):
    client.force_login(hr)
    confirm(client, upload(client, NEW_HIRES))
    people, assignments = User.objects.count(), Assignment.objects.count()

    again = upload(client, NEW_HIRES)
    confirm(client, again)

    assert again.context["preview"].count_unchanged == 3
    assert (User.objects.count(), Assignment.objects.count()) == (people, assignments)
    assert Invitation.objects.count() == 3


def test_a_changed_row_updates_the_person_and_moves_the_due_date(client, hr, tracks, departments):
    client.force_login(hr)
    confirm(client, upload(client, NEW_HIRES))
    moved = NEW_HIRES.replace(
        "李娜,li.na@example.com,10024,客服二部,2026-03-02",
        "李娜,li.na@example.com,10024,客服一部,2026-03-16",
    )

    preview = upload(client, moved)
    confirm(client, preview)

    [changed] = [row for row in preview.context["preview"].rows if row.action == "update"]
    assert changed.row.email == "li.na@example.com"
    li = User.objects.get(email="li.na@example.com")
    assert (li.department.name, li.hire_date) == ("客服一部", date(2026, 3, 16))
    assert Assignment.objects.get(user=li).due_date == date(2026, 4, 15)


def test_departments_are_created_only_when_hr_ticks_the_box(client, hr, tracks, departments):
    client.force_login(hr)
    text = NEW_HIRES.replace("客服二部", "客服三部")

    refused = upload(client, text)
    accepted = upload(client, text, create=True)
    confirm(client, accepted)

    assert not refused.context["preview"].ok
    assert accepted.context["preview"].new_departments == ["客服三部"]
    assert User.objects.get(email="li.na@example.com").department.name == "客服三部"


def test_an_employee_number_of_someone_else_is_an_error(client, hr, tracks, departments):
    User.objects.create_user("old.hand@example.com", employee_number="10023")
    client.force_login(hr)

    preview = upload(client, NEW_HIRES)

    [row] = preview.context["preview"].rows_with_errors
    assert "old.hand@example.com" in row.errors[0]


def test_enrolment_is_audited_with_its_counts(client, hr, tracks, departments):
    client.force_login(hr)

    confirm(client, upload(client, NEW_HIRES))

    entry = AuditEntry.objects.get(action="people.enrolled")
    assert entry.actor == hr
    assert entry.target == "new-hires.csv"
    assert (
        entry.details["created"],
        entry.details["assignments"],
        entry.details["invitations"],
    ) == (3, 3, 3)


def test_confirming_twice_enrols_once(client, hr, tracks, departments):
    client.force_login(hr)
    preview = upload(client, NEW_HIRES)
    confirm(client, preview)

    second = confirm(client, preview)

    assert second.status_code == 200
    assert AuditEntry.objects.filter(action="people.enrolled").count() == 1


def test_invitations_are_sent_by_a_worker_after_the_commit(
    hr, tracks, departments, monkeypatch, django_capture_on_commit_callbacks
):
    from accounts import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.send_invitation, "delay", queued.append)
    batch = services.upload_batch(
        actor=hr,
        filename="x.csv",
        data=NEW_HIRES.encode(),
        create_departments=False,
        cohort_name="",
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_batch(batch=batch, actor=hr)

    assert sorted(queued) == sorted(Invitation.objects.values_list("pk", flat=True))


def test_an_empty_template_downloads_with_the_column_names(client, hr):
    client.force_login(hr)

    response = client.get(reverse("accounts:enrol-template"))

    assert response.content.decode("utf-8").startswith("\ufeff姓名,邮箱,工号,部门,入职日期,认证")


def test_a_wrong_file_type_is_refused_on_the_form(client, hr):
    client.force_login(hr)

    response = client.post(
        reverse("accounts:enrol"), {"file": SimpleUploadedFile("people.pdf", b"%PDF-1.4")}
    )

    assert response.status_code == 400
    assert not EnrolmentBatch.objects.exists()


def test_only_hr_may_enrol(client, learner, trainer):
    for person in (learner, trainer):
        client.force_login(person)

        assert client.get(reverse("accounts:enrol")).status_code == 403


def test_hr_group_is_what_grants_enrolment(client, tracks, departments):
    person = User.objects.create_user("new.hr@example.com", password="x-long-password-1")
    client.force_login(person)
    assert client.get(reverse("accounts:enrol")).status_code == 403

    person.groups.add(Group.objects.get(name="HR"))

    assert client.get(reverse("accounts:enrol")).status_code == 200
