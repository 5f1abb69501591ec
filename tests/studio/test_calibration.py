"""Calibration: a file of replies a trainer marked is graded with a draft (or the published
rules), and the report shows agreement, false accepts and false rejects with rule outcomes."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from studio.labelled import LabelledFileError, read_labelled_file
from studio.models import CalibrationRun, RuleDraft

from .conftest import GOOD_REPLY, RUDE_REPLY

SLUGS = ["customer-cursing", "opening-greeting"]

MARKED_CSV = f"""scenario,language,text,acceptable
customer-cursing,zh,{GOOD_REPLY},yes
customer-cursing,zh,{RUDE_REPLY},否
customer-cursing,zh,请您慢慢说，我来处理。,是
opening-greeting,zh,喂？,1
""".encode()


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reading marked files ---------------------------------------------------------------------


def test_a_csv_with_chinese_labels_gives_one_row_per_line():
    labelled = read_labelled_file(MARKED_CSV, "marked.csv", scenarios=SLUGS)

    assert [(row.line, row.acceptable) for row in labelled.rows] == [
        (2, True),
        (3, False),
        (4, True),
        (5, True),
    ]
    assert labelled.problems == []


def test_a_spreadsheet_is_read_with_its_header_and_numbers_as_labels():
    data = xlsx(
        [
            ["场景", "语言", "回复", "可接受"],
            ["customer-cursing", "中文", GOOD_REPLY, 1],
            [None, None, None, None],
            ["customer-cursing", "zh", RUDE_REPLY, False],
        ]
    )

    labelled = read_labelled_file(data, "marked.xlsx", scenarios=SLUGS)

    assert [(row.line, row.language, row.acceptable) for row in labelled.rows] == [
        (2, "zh", True),
        (4, "zh", False),
    ]


def test_jsonl_lines_are_read_and_a_broken_line_is_reported_with_its_number():
    lines = [
        json.dumps({"scenario": "customer-cursing", "text": GOOD_REPLY, "acceptable": True}),
        "{not json",
        json.dumps({"scenario": "customer-cursing", "text": RUDE_REPLY, "acceptable": "no"}),
    ]

    labelled = read_labelled_file("\n".join(lines).encode(), "marked.jsonl", scenarios=SLUGS)

    assert [row.line for row in labelled.rows] == [1, 3]
    assert [(problem.line, problem.message) for problem in labelled.problems] == [
        (2, "this line is not valid JSON")
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("refund-request,zh,您好,yes", "unknown scenario 'refund-request'"),
        ("customer-cursing,fr,bonjour,yes", "unknown language 'fr' (use zh, ko or en)"),
        ("customer-cursing,zh,,yes", "no reply text"),
        ("customer-cursing,zh,您好,maybe", "acceptable must be yes or no, not 'maybe'"),
        (",zh,您好,yes", "no scenario"),
    ],
)
def test_each_broken_row_is_reported_with_its_line_and_the_rest_are_kept(row, message):
    data = f"scenario,language,text,acceptable\n{row}\ncustomer-cursing,zh,您好,yes\n".encode()

    labelled = read_labelled_file(data, "marked.csv", scenarios=SLUGS)

    assert [(problem.line, problem.message) for problem in labelled.problems] == [(2, message)]
    assert [row.line for row in labelled.rows] == [3]


def test_a_gb18030_csv_from_a_chinese_excel_is_decoded():
    labelled = read_labelled_file(MARKED_CSV.decode().encode("gb18030"), "m.csv", scenarios=SLUGS)

    assert labelled.rows[0].text == GOOD_REPLY


def test_excels_unicode_text_export_is_read():
    exported = MARKED_CSV.decode().replace(",", "\t").encode("utf-16")

    labelled = read_labelled_file(exported, "marked.txt", scenarios=SLUGS)

    assert len(labelled.rows) == 4 and labelled.rows[1].text == RUDE_REPLY


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "empty.csv is empty"),
        (b"\x00\x01\x02binary", "photo.csv", "not a text file"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx", "not a readable XLSX"),
        (b"a,b,c\n1,2,3\n", "wrong.csv", "must name the columns"),
        (
            b'scenario,language,text,acceptable\nx,zh,"' + b"a" * 200_000 + b'",yes\n',
            "huge.csv",
            "line 2: field larger than field limit",
        ),
    ],
)
def test_a_file_that_cannot_be_read_gives_one_clear_error(data, name, message):
    with pytest.raises(LabelledFileError, match=message):
        read_labelled_file(data, name, scenarios=SLUGS)


# --- the upload and the report -----------------------------------------------------------------


@pytest.fixture
def draft(as_trainer, published) -> RuleDraft:  # type: ignore[no-untyped-def]
    as_trainer.post(reverse("studio:draft-start"))
    return RuleDraft.objects.get()


def upload(client, url: str, data: bytes, name: str = "marked.csv"):  # type: ignore[no-untyped-def]
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, follow=True)


@pytest.mark.django_db
def test_uploading_marked_replies_reports_agreement_and_each_disagreement(as_trainer, draft):
    response = upload(as_trainer, reverse("studio:draft-calibrate", args=[draft.pk]), MARKED_CSV)

    run = CalibrationRun.objects.get()
    page = response.content.decode()
    assert run.draft == draft and run.rows_read == 4
    assert run.report["graded"] == 4 and run.report["agreed"] == 2
    assert "50.0%" in page
    # 请您慢慢说… has no apology: the rules reject what the trainer accepted.
    assert "false reject" in page and "row 4" in page and "studio.apologise" in page
    # 喂？ has no greeting, yet the trainer marked it acceptable: a second false reject.
    assert "row 5" in page
    assert "Rules behind the rejections" in page
    editor = reverse("studio:draft-file", kwargs={"pk": draft.pk, "filename": "zh/cursing.yaml"})
    assert f'href="{editor}#L' in page


@pytest.mark.django_db
def test_a_false_accept_shows_the_rules_that_passed_it(as_trainer, draft):
    data = f"scenario,language,text,acceptable\ncustomer-cursing,zh,{GOOD_REPLY},no\n".encode()

    page = upload(as_trainer, reverse("studio:draft-calibrate", args=[draft.pk]), data)

    html = page.content.decode()
    assert "false accept" in html
    assert '<mark class="hit-good">抱歉</mark>' in html


@pytest.mark.django_db
def test_broken_rows_are_listed_by_row_and_the_others_still_graded(as_trainer, draft):
    data = MARKED_CSV + b"nowhere,zh,x,yes\ncustomer-cursing,zh,x,perhaps\n"

    page = upload(as_trainer, reverse("studio:draft-calibrate", args=[draft.pk]), data).content

    run = CalibrationRun.objects.get()
    assert run.report["graded"] == 4
    assert [error["row"] for error in run.row_errors] == [6, 7]
    assert "unknown scenario &#x27;nowhere&#x27;" in page.decode()


@pytest.mark.django_db
def test_an_unreadable_upload_shows_the_error_in_the_form_and_stores_nothing(as_trainer, draft):
    response = upload(
        as_trainer, reverse("studio:draft-calibrate", args=[draft.pk]), b"\x00\xff", "x.xlsx"
    )

    assert response.status_code == 200
    assert "not a readable XLSX spreadsheet" in response.content.decode()
    assert not CalibrationRun.objects.exists()


@pytest.mark.django_db
def test_an_upload_over_5_mb_is_refused(as_trainer, draft):
    data = b"scenario,language,text,acceptable\n" + b"x" * (5 * 1024 * 1024)

    response = upload(as_trainer, reverse("studio:draft-calibrate", args=[draft.pk]), data)

    assert "larger than 5 MB" in response.content.decode()
    assert not CalibrationRun.objects.exists()


@pytest.mark.django_db
def test_the_published_version_can_be_calibrated_with_a_spreadsheet(as_trainer, published):
    data = xlsx(
        [
            ["scenario", "language", "text", "acceptable"],
            ["customer-cursing", "zh", RUDE_REPLY, "no"],
        ]
    )

    upload(as_trainer, reverse("studio:calibrate"), data, "marked.xlsx")

    run = CalibrationRun.objects.get()
    assert run.draft is None and run.pack_version == published.version
    assert run.report["accuracy"] == 1.0


@pytest.mark.django_db
def test_a_draft_with_problems_cannot_be_calibrated(as_trainer, draft):
    url = reverse("studio:draft-file", kwargs={"pk": draft.pk, "filename": "zh/cursing.yaml"})
    as_trainer.post(url, {"text": "rules: 3"})

    response = upload(as_trainer, reverse("studio:draft-calibrate", args=[draft.pk]), MARKED_CSV)

    assert "fix it first" in response.content.decode()
    assert not CalibrationRun.objects.exists()
