"""Reading and checking a people file (CSV or XLSX) before anything is written.

No database here: `read_table` turns the uploaded bytes into rows keyed by field, and
`check_rows` validates every row against lookups the caller passes in (departments and tracks
by every name people write for them). The services decide what the rows change.

Accepted: CSV in UTF-8 (with or without BOM), UTF-16, GBK/GB18030 or CP949 as Excel writes
them, comma, tab or semicolon separated; XLSX (the first sheet). Headers in English, Chinese
or Korean (see HEADER_ALIASES), in any order; dates as YYYY-MM-DD (also / . 年月日) or Excel
dates.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import charset_normalizer
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

NAME = "name"
EMAIL = "email"
EMPLOYEE_NUMBER = "employee_number"
DEPARTMENT = "department"
HIRE_DATE = "hire_date"
TRACK = "track"
COHORT = "cohort"
FIELDS = (NAME, EMAIL, EMPLOYEE_NUMBER, DEPARTMENT, HIRE_DATE, TRACK, COHORT)
REQUIRED = (NAME, EMAIL, DEPARTMENT, HIRE_DATE, TRACK)

# Header spellings, compared after lower-casing and dropping spaces, "_", "-" and "*".
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    NAME: ("name", "fullname", "姓名", "名字", "员工姓名", "이름", "성명"),
    EMAIL: (
        "email",
        "mail",
        "emailaddress",
        "邮箱",
        "电子邮箱",
        "邮件",
        "电子邮件",
        "邮箱地址",
        "이메일",
        "메일",
        "전자우편",
    ),
    EMPLOYEE_NUMBER: (
        "employeenumber",
        "employeeno",
        "employeeid",
        "empno",
        "staffid",
        "工号",
        "员工编号",
        "员工号",
        "사번",
        "사원번호",
        "직원번호",
    ),
    DEPARTMENT: ("department", "dept", "team", "部门", "所属部门", "부서", "소속"),
    HIRE_DATE: ("hiredate", "startdate", "入职日期", "入职时间", "입사일", "입사일자"),
    TRACK: (
        "track",
        "certification",
        "认证",
        "认证项目",
        "认证路径",
        "트랙",
        "인증",
        "인증과정",
    ),
    COHORT: ("cohort", "intake", "批次", "入职批次", "기수", "입사기수"),
}
_HEADER_LOOKUP = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
_HEADER_NOISE = re.compile(r"[\s_\-*:：()（）]+")

# Several tracks in one cell: 、 ; ； or a comma.
_TRACK_SEPARATORS = re.compile(r"[;；、,，\n]+")
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
# Excel counts days from 1899-12-30 (the 1900 leap-year bug included).
_EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST_HIRE = date(1950, 1, 1)
LATEST_HIRE = date(2100, 12, 31)


class FileProblem(Exception):
    """The file as a whole cannot be read (the message is for HR)."""


@dataclass(frozen=True)
class Table:
    """The rows of the file by field, with the line each came from (the header is line 1)."""

    rows: list[tuple[int, dict[str, Any]]]
    ignored_headers: list[str]


@dataclass
class CheckedRow:
    line: int
    name: str = ""
    email: str = ""
    employee_number: str = ""
    department: str = ""
    hire_date: date | None = None
    tracks: list[str] = field(default_factory=list)
    cohort: str = ""
    new_department: bool = False
    errors: list[str] = field(default_factory=list)
    # What the file said, to show next to an error.
    written: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading the file --------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> Table:
    if not data:
        raise FileProblem(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise FileProblem(_("The file is larger than 5 MB. Split it into smaller files."))
    if data.startswith(b"PK\x03\x04"):
        records = _xlsx_records(data)
    elif filename.lower().endswith((".xls", ".xlsx", ".xlsm")) or data.startswith(b"\xd0\xcf"):
        raise FileProblem(_("This is not an .xlsx file. Save it as .xlsx or CSV and try again."))
    else:
        records = _csv_records(decode_text(data))
    return _table(records)


def decode_text(data: bytes) -> str:
    """Text from a CSV file: UTF-8 first (what we write), then what the bytes look like."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="strict").lstrip("\ufeff")
    if data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise FileProblem(_("The file's text encoding is not recognised. Save it as UTF-8 CSV."))
    encoding = best.encoding
    # GB2312 and GBK are subsets of GB18030: decode with the superset, so no character is lost.
    if encoding.replace("_", "").lower() in ("gb2312", "gbk", "gb18030", "hz"):
        encoding = "gb18030"
    return data.decode(encoding, errors="replace")


def _csv_records(text: str) -> list[list[Any]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_records(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(_("The .xlsx file cannot be opened. Save it again and retry.")) from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def header_field(header: Any) -> str | None:
    key = _HEADER_NOISE.sub("", str(header or "")).lower()
    return _HEADER_LOOKUP.get(key)


def _table(records: list[list[Any]]) -> Table:
    lines = [(number, row) for number, row in enumerate(records, start=1) if _filled(row)]
    if not lines:
        raise FileProblem(_("The file has no rows."))
    header = lines[0][1]
    columns: dict[int, str] = {}
    ignored = []
    for index, title in enumerate(header):
        key = header_field(title)
        if key is None:
            if _filled([title]):
                ignored.append(str(title).strip())
        elif key in columns.values():
            raise FileProblem(_("Two columns mean “%(column)s”. Keep one.") % {"column": title})
        else:
            columns[index] = key
    missing = [key for key in REQUIRED if key not in columns.values()]
    if missing:
        names = ", ".join(HEADER_ALIASES[key][0] for key in missing)
        raise FileProblem(
            _("Missing columns: %(names)s. The first row must name the columns.") % {"names": names}
        )
    rows = [
        (number, {key: row[index] if index < len(row) else None for index, key in columns.items()})
        for number, row in lines[1:]
    ]
    if len(rows) > MAX_ROWS:
        raise FileProblem(
            _("The file has more than %(limit)s people. Split it into smaller files.")
            % {"limit": MAX_ROWS}
        )
    if not rows:
        raise FileProblem(_("The file has column names but no people."))
    return Table(rows=rows, ignored_headers=ignored)


def _filled(row: list[Any]) -> bool:
    return any(value is not None and str(value).strip() for value in row)


# --- values ------------------------------------------------------------------------------------


def text(value: Any) -> str:
    """A cell as text; Excel stores employee number 10023 as the float 10023.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def parse_date(value: Any) -> date:
    """A hire date from a date cell, an Excel serial number or YYYY-MM-DD text."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        day = _from_excel_serial(value)
    else:
        raw = text(value)
        if re.fullmatch(r"\d{4,5}(\.0+)?", raw):
            day = _from_excel_serial(float(raw))
        else:
            match = _DATE.match(raw)
            if not match:
                raise ValueError(raw)
            year, month, day_of_month = (int(part) for part in match.groups())
            day = date(year, month, day_of_month)
    if not EARLIEST_HIRE <= day <= LATEST_HIRE:
        raise ValueError(str(day))
    return day


def _from_excel_serial(serial: float) -> date:
    if not 1 <= serial < 2958466:
        raise ValueError(str(serial))
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def split_tracks(value: Any) -> list[str]:
    return [part.strip() for part in _TRACK_SEPARATORS.split(text(value)) if part.strip()]


def lookup_key(value: str) -> str:
    """How names are compared: case, width and inner spaces do not matter."""
    return "".join(value.split()).casefold()


# --- checking rows -----------------------------------------------------------------------------


def check_rows(
    table: Table,
    *,
    departments: Mapping[str, str],
    tracks: Mapping[str, str],
    create_departments: bool,
) -> list[CheckedRow]:
    """Validate every row; each gets its own errors (nothing stops at the first problem).

    `departments` and `tracks` map `lookup_key(any name people use)` to the canonical name or
    slug. Duplicate e-mail addresses and employee numbers inside the file are errors on
    every row that has them.
    """
    checked = [
        _check_row(line, values, departments, tracks, create_departments)
        for line, values in table.rows
    ]
    _mark_duplicates(checked, "email", _("E-mail address also on line %(lines)s."))
    _mark_duplicates(checked, "employee_number", _("Employee number also on line %(lines)s."))
    return checked


def _check_row(
    line: int,
    values: Mapping[str, Any],
    departments: Mapping[str, str],
    tracks: Mapping[str, str],
    create_departments: bool,
) -> CheckedRow:
    row = CheckedRow(
        line=line,
        name=text(values.get(NAME))[:120],
        email=text(values.get(EMAIL)).lower(),
        employee_number=text(values.get(EMPLOYEE_NUMBER))[:40],
        cohort=text(values.get(COHORT))[:120],
        written={key: text(values.get(key))[:200] for key in (DEPARTMENT, HIRE_DATE, TRACK)},
    )
    if not row.name:
        row.errors.append(_("The name is missing."))
    _check_email(row)
    _check_department(row, text(values.get(DEPARTMENT)), departments, create_departments)
    _check_hire_date(row, values.get(HIRE_DATE))
    _check_tracks(row, split_tracks(values.get(TRACK)), tracks)
    return row


def _check_email(row: CheckedRow) -> None:
    if not row.email:
        row.errors.append(_("The e-mail address is missing."))
        return
    try:
        validate_email(row.email)
    except ValidationError:
        row.errors.append(_("“%(email)s” is not an e-mail address.") % {"email": row.email})


def _check_department(
    row: CheckedRow, name: str, departments: Mapping[str, str], create: bool
) -> None:
    if not name:
        row.errors.append(_("The department is missing."))
        return
    known = departments.get(lookup_key(name))
    if known is not None:
        row.department = known
    elif create:
        row.department, row.new_department = name[:120], True
    else:
        row.errors.append(
            _("Unknown department “%(name)s” (tick “create unknown departments” to add it).")
            % {"name": name}
        )


def _check_hire_date(row: CheckedRow, value: Any) -> None:
    if not text(value) and not isinstance(value, date | int | float):
        row.errors.append(_("The hire date is missing."))
        return
    try:
        row.hire_date = parse_date(value)
    except ValueError:
        row.errors.append(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text(value)}
        )


def _check_tracks(row: CheckedRow, names: list[str], tracks: Mapping[str, str]) -> None:
    if not names:
        row.errors.append(_("No track is named."))
        return
    for name in names:
        slug = tracks.get(lookup_key(name))
        if slug is None:
            row.errors.append(_("Unknown track “%(name)s”.") % {"name": name})
        elif slug not in row.tracks:
            row.tracks.append(slug)


def _mark_duplicates(rows: list[CheckedRow], attribute: str, message: str) -> None:
    lines_by_value: dict[str, list[int]] = {}
    for row in rows:
        value = getattr(row, attribute)
        if value:
            lines_by_value.setdefault(value.casefold(), []).append(row.line)
    for row in rows:
        value = getattr(row, attribute)
        others = [line for line in lines_by_value.get(value.casefold(), []) if line != row.line]
        if value and others:
            row.errors.append(message % {"lines": ", ".join(map(str, others))})
