"""CSV and XLSX exports of exactly what the board shows: same columns, rows and order."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.dashboard import COLUMNS
from core.models import AuditEntry

COLUMNS_BY_KEY = [(column.key, column.label) for column in COLUMNS]

pytestmark = pytest.mark.django_db


def page_headers(html: str) -> list[str]:
    table = re.search(r'<table class="data people-table[^"]*">.*?</thead>', html, re.S).group(0)
    cells = re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)
    return [re.sub(r"<[^>]+>|[▲▼]", "", cell).strip() for cell in cells]


def export_csv(client, **params):  # type: ignore[no-untyped-def]
    response = client.get(reverse("certificates:hr-export", args=["csv"]), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads UTF-8
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_csv_has_the_pages_columns_and_rows_in_its_order(client, hr, one_of_each, service_two):
    client.force_login(hr)
    params = {"department": service_two.pk, "sort": "name"}

    page = client.get(reverse("hr-dashboard"), params)
    rows = export_csv(client, **params)

    assert rows[0] == page_headers(page.content.decode())
    assert [row[0] for row in rows[1:]] == [row.name for row in page.context["board"].page]


def test_the_export_takes_every_page_of_the_filtered_view(client, hr, one_of_each):
    client.force_login(hr)

    overdue = export_csv(client, status="overdue")
    everyone = export_csv(client)

    assert [row[0] for row in overdue[1:]] == ["杨磊"]
    assert len(everyone) == 1 + 7


def test_the_xlsx_matches_the_csv_with_real_dates(client, hr, one_of_each):
    client.force_login(hr)

    response = client.get(reverse("certificates:hr-export", args=["xlsx"]), {"sort": "name"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]

    as_csv = export_csv(client, sort="name")
    assert [str(value) for value in cells[0]] == as_csv[0]
    assert [row[0] for row in cells[1:]] == [row[0] for row in as_csv[1:]]
    due = [key for key, _label in COLUMNS_BY_KEY].index("due_date")
    due_dates = [row[due].date() for row in cells[1:]]
    assert due_dates == [date.fromisoformat(row[due]) for row in as_csv[1:]]


def test_cells_that_look_like_formulas_stay_text(client, hr, track):
    from tests.hr.conftest import enrol

    enrol('=HYPERLINK("http://evil")', track)
    client.force_login(hr)

    rows = export_csv(client)

    assert rows[1][0].startswith("'=")


def test_exports_are_audited(client, hr, one_of_each):
    client.force_login(hr)

    export_csv(client, status="overdue")

    entry = AuditEntry.objects.get(action="people.exported")
    assert (entry.actor, entry.target, entry.details["rows"]) == (hr, "csv", 1)
    assert entry.details["status"] == "overdue"


def test_an_unknown_format_is_not_found(client, hr):
    client.force_login(hr)

    assert client.get(reverse("certificates:hr-export", args=["pdf"])).status_code == 404
