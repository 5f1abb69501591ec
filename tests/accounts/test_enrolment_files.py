"""Reading people files as HR's spreadsheets actually come: encodings, Excel, CJK headers."""

import codecs
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from accounts import enrolment
from accounts.enrolment import FileProblem, check_rows, read_table

DEPARTMENTS = {"客服一部": "客服一部", "service-1": "客服一部", "고객센터": "고객센터"}
TRACKS = {
    "phone-etiquette-zh-level-1": "phone-etiquette-zh-level-1",
    "电话礼仪认证(一级)": "phone-etiquette-zh-level-1",
    "phone-etiquette-ko-level-1": "phone-etiquette-ko-level-1",
}
CHINESE_CSV = (
    "姓名,邮箱,工号,部门,入职日期,认证\r\n"
    "张伟,Zhang.Wei@Example.com,10023,客服一部,2026-03-02,电话礼仪认证(一级)\r\n"
    "李娜,li.na@example.com,10024,客服一部,2026/3/2,phone-etiquette-zh-level-1\r\n"
)


def checked(data: bytes, filename: str = "people.csv", create: bool = False):  # type: ignore[no-untyped-def]
    return check_rows(
        read_table(data, filename),
        departments={enrolment.lookup_key(k): v for k, v in DEPARTMENTS.items()},
        tracks={enrolment.lookup_key(k): v for k, v in TRACKS.items()},
        create_departments=create,
    )


@pytest.mark.parametrize(
    "encoded",
    [
        CHINESE_CSV.encode("utf-8"),
        codecs.BOM_UTF8 + CHINESE_CSV.encode("utf-8"),
        CHINESE_CSV.encode("gbk"),
        CHINESE_CSV.encode("utf-16"),
        CHINESE_CSV.replace(",", "\t").encode("utf-16"),
    ],
    ids=["utf-8", "utf-8 with BOM", "gbk (Excel on Chinese Windows)", "utf-16", "utf-16 tabs"],
)
def test_chinese_csv_reads_the_same_in_every_encoding_excel_writes(encoded):
    rows = checked(encoded)

    assert [(row.name, row.email, row.hire_date) for row in rows] == [
        ("张伟", "zhang.wei@example.com", date(2026, 3, 2)),
        ("李娜", "li.na@example.com", date(2026, 3, 2)),
    ]
    assert all(row.ok for row in rows)
    assert rows[0].tracks == ["phone-etiquette-zh-level-1"]
    assert rows[0].employee_number == "10023"


def test_korean_headers_and_cp949_are_understood():
    text = (
        "이름,이메일,사번,부서,입사일,트랙\r\n"
        "김민수,minsu@example.com,K-1001,고객센터,2026.03.02,phone-etiquette-ko-level-1\r\n"
    )

    [row] = checked(text.encode("cp949"))

    assert (row.name, row.department, row.hire_date, row.errors) == (
        "김민수",
        "고객센터",
        date(2026, 3, 2),
        [],
    )


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_date_cells_serial_dates_and_numeric_employee_numbers():
    data = xlsx(
        [
            ["Name", "E-mail", "Employee No", "Department", "Hire date", "Track", "Notes"],
            [
                "王芳",
                "wang.fang@example.com",
                10025,
                "service-1",
                datetime(2026, 3, 2),
                "电话礼仪认证(一级)",
                "x",
            ],
            [
                "刘洋",
                "liu.yang@example.com",
                10026.0,
                "客服一部",
                46083,
                "电话礼仪认证(一级)",
                None,
            ],
        ]
    )

    table = read_table(data, "新员工.xlsx")
    rows = checked(data, "新员工.xlsx")

    assert table.ignored_headers == ["Notes"]
    assert [row.hire_date for row in rows] == [date(2026, 3, 2), date(2026, 3, 2)]
    assert [row.employee_number for row in rows] == ["10025", "10026"]
    assert all(row.ok for row in rows)


def test_every_row_gets_its_own_errors():
    text = (
        "姓名,邮箱,部门,入职日期,认证\n"
        "张伟,zhang.wei@example,客服一部,2026-03-02,电话礼仪认证(一级)\n"
        ",li.na@example.com,客服九部,2026-02-30,不存在的认证\n"
        "王芳,same@example.com,客服一部,03/02/2026,电话礼仪认证(一级)\n"
        "刘洋,SAME@example.com,客服一部,2026-03-02,\n"
    )

    rows = checked(text.encode("utf-8"))

    errors = {row.line: " ".join(row.errors) for row in rows}
    assert "zhang.wei@example" in errors[2]
    assert all(word in errors[3] for word in ("客服九部", "2026-02-30", "不存在的认证"))
    assert "03/02/2026" in errors[4] and "5" in errors[4]  # same e-mail as line 5
    assert "4" in errors[5]  # …and as line 4


def test_unknown_departments_can_be_created_when_hr_says_so():
    text = (
        "姓名,邮箱,部门,入职日期,认证\n张伟,z@example.com,客服三部,2026-03-02,电话礼仪认证(一级)\n"
    )

    [refused] = checked(text.encode("utf-8"))
    [accepted] = checked(text.encode("utf-8"), create=True)

    assert refused.errors and not accepted.errors
    assert accepted.new_department and accepted.department == "客服三部"


def test_one_cell_may_name_several_tracks():
    text = (
        "姓名,邮箱,部门,入职日期,认证\n"
        "张伟,z@example.com,客服一部,2026-03-02,"
        "phone-etiquette-zh-level-1；phone-etiquette-ko-level-1\n"
    )

    [row] = checked(text.encode("utf-8"))

    assert row.tracks == ["phone-etiquette-zh-level-1", "phone-etiquette-ko-level-1"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "people.csv", "empty"),
        ("姓名,部门\n张伟,客服一部\n".encode(), "people.csv", "Missing columns"),
        ("姓名,邮箱,部门,入职日期,认证\n".encode(), "people.csv", "no people"),
        (b"\xd0\xcf\x11\xe0old excel", "people.xls", ".xlsx"),
        (b"PK\x03\x04broken", "people.xlsx", "cannot be opened"),
        ("姓名,邮箱,Email,部门,入职日期,认证\n".encode(), "people.csv", "Two columns"),
    ],
)
def test_files_that_cannot_be_read_say_why(data, filename, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(FileProblem, match=message):
        read_table(data, filename)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-02", date(2026, 3, 2)),
        ("2026/3/2", date(2026, 3, 2)),
        ("2026年3月2日", date(2026, 3, 2)),
        ("2026-03-02 00:00:00", date(2026, 3, 2)),
        ("46083", date(2026, 3, 2)),
        (46083, date(2026, 3, 2)),
        (datetime(2026, 3, 2, 9, 0), date(2026, 3, 2)),
    ],
)
def test_hire_dates_in_the_forms_spreadsheets_produce(value, expected):
    assert enrolment.parse_date(value) == expected


@pytest.mark.parametrize("value", ["2026-13-01", "02/03/2026", "yesterday", "1899-12-31", "3"])
def test_ambiguous_or_impossible_dates_are_refused(value):
    with pytest.raises(ValueError):
        enrolment.parse_date(value)
