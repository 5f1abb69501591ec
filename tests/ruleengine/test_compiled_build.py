"""The compiled build (mypyc) grades exactly like the sources, and never runs stale.

``make setup`` compiles the engine when a C compiler is at hand; CI sets
``REQUIRE_SERVICES=1`` and must then run the compiled build, so a broken build cannot
hide behind the pure-Python fallback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ruleengine import _native, grade

from .test_shipped_packs import DATA_DIR, read_rows, shipped_pack

REPO = Path(__file__).resolve().parents[2]
COMPILED = _native.BUILD.startswith("compiled")

# Grades the labelled replies in a pure-Python interpreter and prints one verdict per line.
PURE_GRADER = """
import json, sys
from ruleengine import _native, grade
from tests.ruleengine.test_shipped_packs import shipped_pack
assert _native.BUILD == "pure Python", _native.BUILD
for line in sys.stdin:
    row = json.loads(line)
    verdict = grade(row["text"], shipped_pack(), scenario=row["scenario"], language=row["language"])
    print(json.dumps(verdict.to_dict(), ensure_ascii=False, sort_keys=True))
"""


def labelled_rows() -> list[dict[str, str]]:
    rows = []
    for name in ("grading_extra_zh.jsonl", "grading_extra_ko.jsonl"):
        for row in read_rows(DATA_DIR / name):
            language = row.get("language") or ("ko" if name.endswith("_ko.jsonl") else "zh")
            rows.append({"scenario": row["scenario"], "text": row["text"], "language": language})
    return rows


def test_ci_runs_the_compiled_build() -> None:
    if os.environ.get("REQUIRE_SERVICES") != "1":
        pytest.skip("only CI requires the compiled build (make setup builds it)")
    if os.environ.get("RULEENGINE_PURE"):
        pytest.skip("RULEENGINE_PURE=1: this run checks the sources")
    assert COMPILED, f"rule engine runs as {_native.BUILD}: the mypyc build failed or is stale"


@pytest.mark.skipif(not COMPILED, reason="the engine is not compiled here")
def test_compiled_and_pure_verdicts_are_identical() -> None:
    rows = labelled_rows()
    assert len(rows) > 500
    pure = subprocess.run(
        [sys.executable, "-c", PURE_GRADER],
        input="\n".join(json.dumps(row, ensure_ascii=False) for row in rows),
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "RULEENGINE_PURE": "1"},
    ).stdout.splitlines()
    compiled = [
        json.dumps(
            grade(
                row["text"], shipped_pack(), scenario=row["scenario"], language=row["language"]
            ).to_dict(),
            ensure_ascii=False,
            sort_keys=True,
        )
        for row in rows
    ]
    assert compiled == pure


def test_a_stale_build_is_never_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing a source after the build makes the engine fall back to the sources."""
    package = tmp_path / "ruleengine"
    package.mkdir()
    for name in _native.COMPILED_MODULES:
        (package / f"{name}.py").write_bytes((_native.PACKAGE_DIR / f"{name}.py").read_bytes())
    compiled_dir = package / "_compiled"
    compiled_dir.mkdir()
    suffix = __import__("importlib.machinery").machinery.EXTENSION_SUFFIXES[0]
    for name in (*_native.COMPILED_MODULES, _native.SHARED_LIBRARY):
        (compiled_dir / f"{name}{suffix}").write_bytes(b"")
    monkeypatch.setattr(_native, "PACKAGE_DIR", package)
    monkeypatch.setattr(_native, "COMPILED_DIR", compiled_dir)
    monkeypatch.delenv("RULEENGINE_PURE", raising=False)
    (compiled_dir / _native.STAMP).write_text(_native.sources_stamp() + "\n", encoding="ascii")
    assert _native.compiled_path() == str(compiled_dir)

    grader = package / "grader.py"
    grader.write_text(grader.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _native.compiled_path() is None

    monkeypatch.setenv("RULEENGINE_PURE", "1")
    (compiled_dir / _native.STAMP).write_text(_native.sources_stamp() + "\n", encoding="ascii")
    assert _native.compiled_path() is None
