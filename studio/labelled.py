"""Read a file of replies a trainer has marked acceptable or not (CSV, XLSX or JSONL).

Pure Python (no Django): bytes in, clean rows and per-row problems out. A row that cannot be
used is reported with its line in the file and left out; only a file that cannot be read at
all (not a spreadsheet, not text, no header) raises LabelledFileError.

Columns: scenario, language, text, acceptable (yes/no, 1/0, true/false, 是/否, 예/아니오), and
optionally id and response_seconds. Headers may also be written in Chinese or Korean.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

MAX_ROWS = 5000
MAX_TEXT_CHARS = 2000
COLUMNS = ("scenario", "language", "text", "acceptable")
HEADER_ALIASES: dict[str, str] = {
    "scenario": "scenario",
    "slug": "scenario",
    "场景": "scenario",
    "情景": "scenario",
    "시나리오": "scenario",
    "language": "language",
    "lang": "language",
    "语言": "language",
    "언어": "language",
    "text": "text",
    "reply": "text",
    "回复": "text",
    "答复": "text",
    "답변": "text",
    "acceptable": "acceptable",
    "label": "acceptable",
    "可接受": "acceptable",
    "是否可接受": "acceptable",
    "합격": "acceptable",
    "id": "id",
    "response_seconds": "response_seconds",
}
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "是", "对", "可以", "예", "네", "pass", "ok"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "否", "不", "不可以", "아니오", "아니요", "fail"})
LANGUAGE_WORDS: dict[str, str] = {
    "zh": "zh",
    "zh-hans": "zh",
    "zh-cn": "zh",
    "中文": "zh",
    "汉语": "zh",
    "ko": "ko",
    "ko-kr": "ko",
    "한국어": "ko",
    "韩语": "ko",
    "en": "en",
    "english": "en",
}


class LabelledFileError(ValueError):
    """The file cannot be read as labelled replies at all (one line, for the form)."""


@dataclass(frozen=True)
class LabelledRow:
    line: int  # where the row is in the file: spreadsheet row or JSONL line, 1-based
    scenario: str
    language: str
    text: str
    acceptable: bool
    response_seconds: float | None = None
    id: str = ""

    def as_calibration_row(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "language": self.language,
            "text": self.text,
            "acceptable": self.acceptable,
            "response_seconds": self.response_seconds,
        }


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


@dataclass
class LabelledFile:
    rows: list[LabelledRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    truncated: bool = False

    @property
    def rows_read(self) -> int:
        return len(self.rows) + len(self.problems)


def read_labelled_file(data: bytes, filename: str, *, scenarios: Iterable[str]) -> LabelledFile:
    """Every usable row of the file, and a problem for every other non-blank row."""
    known = frozenset(scenarios)
    records = _records(data, filename)
    result = LabelledFile()
    for line, record in records:
        if len(result.rows) + len(result.problems) >= MAX_ROWS:
            result.truncated = True
            break
        if "_problem" not in record and all(_blank(record.get(name)) for name in COLUMNS):
            continue  # spreadsheets often end in empty rows
        row_or_problem = _clean_row(line, record, known)
        if isinstance(row_or_problem, RowProblem):
            result.problems.append(row_or_problem)
        else:
            result.rows.append(row_or_problem)
    return result


# --- file formats ---------------------------------------------------------------------------


def _records(data: bytes, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    if not data.strip():
        raise LabelledFileError(f"{filename} is empty")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx" or data.startswith(b"PK\x03\x04"):
        return _xlsx_records(data, filename)
    text = _decode(data, filename)
    if suffix in (".jsonl", ".ndjson", ".json") or text.lstrip().startswith("{"):
        return _jsonl_records(text)
    return _csv_records(text, filename)


def _decode(data: bytes, filename: str) -> str:
    # Excel's "Unicode text" export is UTF-16 with a byte-order mark (and tabs).
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise LabelledFileError(f"{filename} is not valid UTF-16 text") from None
    if b"\x00" in data[:4096]:
        raise LabelledFileError(f"{filename} is not a text file, a CSV or an XLSX spreadsheet")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LabelledFileError(f"{filename} is neither UTF-8 nor GB18030 text")


def _header(cells: Iterable[Any], filename: str) -> list[str]:
    names = [HEADER_ALIASES.get(str(cell or "").strip().lower(), "") for cell in cells]
    missing = [column for column in ("scenario", "text", "acceptable") if column not in names]
    if missing:
        raise LabelledFileError(
            f"{filename}: the first row must name the columns scenario, language, text and "
            f"acceptable (missing: {', '.join(missing)})"
        )
    return names


def _csv_records(text: str, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header: list[str] | None = None
    try:
        for cells in reader:
            if header is None:
                if any(cell.strip() for cell in cells):
                    header = _header(cells, filename)
                continue
            yield reader.line_num, _zip(header, cells)
    except csv.Error as error:  # e.g. a field longer than the csv module allows
        raise LabelledFileError(f"{filename}, line {reader.line_num}: {error}") from error
    if header is None:
        raise LabelledFileError(f"{filename} has no rows")


def _xlsx_records(data: bytes, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook  # only spreadsheets need it

    unreadable = f"{filename} is not a readable XLSX spreadsheet"
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise LabelledFileError(unreadable) from error
    header: list[str] | None = None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        for number, cells in enumerate(rows, start=1):
            if header is None:
                if any(cell not in (None, "") for cell in cells):
                    header = _header(cells, filename)
                continue
            yield number, _zip(header, cells)
    except LabelledFileError:
        raise
    # The sheet's XML is read lazily and comes from outside: whatever a damaged file makes
    # the reader raise is reported like any unreadable file, never as a server error.
    except Exception as error:
        raise LabelledFileError(unreadable) from error
    finally:
        workbook.close()
    if header is None:
        raise LabelledFileError(f"{filename} has no rows")


def _jsonl_records(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            yield number, {"_problem": "this line is not valid JSON"}
            continue
        if not isinstance(value, dict):
            yield number, {"_problem": "this line is not a JSON object"}
            continue
        yield number, {HEADER_ALIASES.get(str(key).lower(), ""): val for key, val in value.items()}


def _zip(header: list[str], cells: Iterable[Any]) -> dict[str, Any]:
    return {name: cell for name, cell in zip(header, cells, strict=False) if name}


# --- one row --------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_row(
    line: int, record: Mapping[str, Any], known: frozenset[str]
) -> LabelledRow | RowProblem:
    if "_problem" in record:
        return RowProblem(line, record["_problem"])
    scenario = str(record.get("scenario") or "").strip()
    if not scenario:
        return RowProblem(line, "no scenario")
    if scenario not in known:
        return RowProblem(line, f"unknown scenario {scenario!r}")
    language = parse_language(record.get("language"))
    if language is None:
        return RowProblem(line, f"unknown language {record.get('language')!r} (use zh, ko or en)")
    text = record.get("text")
    if _blank(text):
        return RowProblem(line, "no reply text")
    text = str(text).strip()
    if len(text) > MAX_TEXT_CHARS:
        return RowProblem(line, f"the reply has {len(text)} characters; at most 2000 are graded")
    acceptable = parse_acceptable(record.get("acceptable"))
    if acceptable is None:
        return RowProblem(line, f"acceptable must be yes or no, not {record.get('acceptable')!r}")
    try:
        seconds = _seconds(record.get("response_seconds"))
    except (TypeError, ValueError):
        return RowProblem(line, "response_seconds must be a number of seconds")
    identifier = "" if _blank(record.get("id")) else str(record.get("id")).strip()
    return LabelledRow(line, scenario, language, text, acceptable, seconds, identifier)


def parse_acceptable(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = str(value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_language(value: Any) -> str | None:
    if _blank(value):
        return "zh"  # the calibrate command's default
    return LANGUAGE_WORDS.get(str(value).strip().lower())


def _seconds(value: Any) -> float | None:
    if _blank(value):
        return None
    seconds = float(value)  # ValueError for words
    if not seconds >= 0:  # also catches NaN
        raise ValueError(value)
    return seconds
