"""HR's status board: counts, filters, search, sorting, pages, charts and a bounded query count."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates import status
from certificates.dashboard import PAGE_SIZE
from tests.factories import CohortFactory, DepartmentFactory
from tests.hr.conftest import certify, enrol, open_a_lesson

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 20


def board(client, **params):  # type: ignore[no-untyped-def]
    response = client.get(reverse("hr-dashboard"), params)
    assert response.status_code == 200
    return response.context["board"], response.content.decode()


def names_on(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.name for row in page.object_list]


def test_hr_sees_how_many_people_stand_where(client, hr, one_of_each):
    client.force_login(hr)

    found, html = board(client)

    assert found.total == 7
    assert all(found.totals[name] == 1 for name in status.STATUSES)
    assert names_on(found.page)[0] == "杨磊"  # the most urgent first: overdue
    assert "杨磊" in html


def test_filtering_overdue_people_of_one_department(client, hr, one_of_each, service_two):
    client.force_login(hr)

    found, _ = board(client, department=service_two.pk, status="overdue")

    assert names_on(found.page) == ["杨磊"]
    assert found.page.paginator.count == 1
    # The cards still count every status of the department, so HR sees the whole picture.
    assert found.totals == {"expiring": 1, "expired": 1, "overdue": 1, "revoked": 1}


def test_search_finds_people_by_name_email_or_employee_number(client, hr, one_of_each):
    one_of_each["certified"].employee_number = "E-10023"
    one_of_each["certified"].save()
    client.force_login(hr)

    by_name, _ = board(client, q="王芳")
    by_number, _ = board(client, q="10023")
    by_email, _ = board(client, q=one_of_each["revoked"].email.split("@")[0])

    assert names_on(by_name.page) == ["王芳"]
    assert names_on(by_number.page) == ["张伟"]
    assert names_on(by_email.page) == ["赵敏"]


def test_a_cohort_shows_who_started(client, hr, one_of_each, march):
    client.force_login(hr)

    found, _ = board(client, cohort=march.pk)

    assert {row.name: row.status for row in found.page.object_list} == {
        "王芳": "not_started",
        "李娜": "in_progress",
        "杨磊": "overdue",
    }


def test_columns_sort_both_ways(client, hr, one_of_each):
    client.force_login(hr)

    ascending, html = board(client, sort="name")
    descending, _ = board(client, sort="-name")

    assert names_on(ascending.page) == sorted(names_on(ascending.page))
    assert names_on(descending.page) == names_on(ascending.page)[::-1]
    assert 'aria-sort="ascending"' in html


def test_unknown_filter_values_are_ignored(client, hr, one_of_each):
    client.force_login(hr)

    found, _ = board(client, status="bogus", department="x", sort="password", page="999")

    assert found.total == 7
    assert found.page.number == 1


def test_people_come_fifty_to_a_page(client, hr, track, service_one):
    due = timezone.localdate() + timedelta(days=5)
    for number in range(PAGE_SIZE + 3):
        enrol(f"员工{number:03d}", track, department=service_one, due=due)
    client.force_login(hr)

    first, html = board(client, sort="name")
    second, _ = board(client, sort="name", page=2)

    assert len(first.page.object_list) == PAGE_SIZE
    assert names_on(second.page) == ["员工050", "员工051", "员工052"]
    assert "page=2" in html


def test_department_and_cohort_tables_add_up(client, hr, one_of_each, service_one, march):
    client.force_login(hr)

    found, _ = board(client)

    departments = {group.name: group.counts for group in found.by_department}
    assert departments["客服一部"] == {"not_started": 1, "in_progress": 1, "certified": 1}
    assert sum(group.total for group in found.by_department) == 7
    cohorts = {group.name: group.total for group in found.by_cohort}
    assert cohorts[march.name] == 3
    assert sum(cohorts.values()) == 7


def test_charts_are_accessible_svg_with_the_numbers_in_text(client, hr, one_of_each):
    client.force_login(hr)

    found, html = board(client)

    svgs = re.findall(r"<svg[^>]*role=\"img\".*?</svg>", html, re.S)
    assert len(svgs) == 2
    assert all("<title" in svg and "<desc" in svg for svg in svgs)
    assert 'class="chart-value"' in svgs[0]
    # 张伟 and 赵敏 were certified within the last 40 days; the others a year ago.
    assert sum(count for _month, count in found.months) == 2
    assert "2 " in svgs[1] or ">2<" in svgs[1]


def test_the_query_count_stays_bounded_as_people_grow(client, hr, track):
    departments = [DepartmentFactory(code=f"team-{n}", name=f"客服{n}部") for n in range(4)]
    cohorts = [CohortFactory(name=f"2026年{n}月入职") for n in range(1, 4)]
    client.force_login(hr)
    client.get(reverse("hr-dashboard"))  # sessions, permissions: warm

    def queries_with(people: int) -> int:
        for number in range(people):
            person = enrol(
                f"员工{people}-{number}",
                track,
                department=departments[number % 4],
                cohort=cohorts[number % 3],
                due=timezone.localdate() + timedelta(days=number % 7 - 3),
            )
            if number % 5 == 0:
                open_a_lesson(person)
            if number % 6 == 0:
                now = timezone.now()
                certify(person, track, issued=now, expires=now + timedelta(days=number * 9 + 1))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("hr-dashboard")).status_code == 200
        return len(captured)

    few, many = queries_with(6), queries_with(60)

    assert many == few
    assert many <= QUERY_BUDGET


def test_learners_and_trainers_are_refused(client, learner, trainer):
    for person in (learner, trainer):
        client.force_login(person)

        assert client.get(reverse("hr-dashboard")).status_code == 403
        assert client.get(reverse("certificates:hr-export", args=["csv"])).status_code == 403
        assert client.get(reverse("certificates:audit-log")).status_code == 403


def test_a_superuser_sees_the_board_without_the_hr_role(client, one_of_each):
    from accounts.models import User

    admin = User.objects.create_superuser("root@example.com", password="x-long-password-1")
    client.force_login(admin)

    found, _ = board(client)

    assert found.total == 7
