"""Compile the rule engine's grading path with mypyc: ``python -m ruleengine._build_native``.

The modules of ``_native.COMPILED_MODULES`` become C extensions in
``ruleengine/_compiled/``, with a stamp of the sources they were built from; the
``.py`` files stay the source of truth (see ``_native``). Grading is about 2.5 times
faster compiled; the results are the same.

Needs a C compiler, the Python headers, mypy (its mypyc) and setuptools. Without them
the build reports why and leaves the engine pure Python: it exits 0 either way, so
``make setup`` never fails over it. A build of the same sources is kept (``--force``
rebuilds); ``--check`` only says whether the build is current (exit 1 if not).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from ruleengine import _native

__all__ = ["build", "main"]


def build() -> str:
    """Build into ``_compiled/`` (replacing it whole); returns what happened."""
    missing = _missing_tool()
    if missing:
        return f"not compiled ({missing}): the engine runs as pure Python"
    setuptools: Any = importlib.import_module("setuptools")
    mypyc_build: Any = importlib.import_module("mypyc.build")
    root = _native.PACKAGE_DIR.parent
    stamp = _native.sources_stamp()
    with tempfile.TemporaryDirectory(prefix="ruleengine-build-") as scratch:
        work = Path(scratch)
        cwd = Path.cwd()
        os.chdir(root)  # mypyc names modules after their paths from here
        try:
            extensions = mypyc_build.mypycify(
                [f"ruleengine/{name}.py" for name in _native.COMPILED_MODULES],
                opt_level="3",
                group_name=_native.GROUP_NAME,
                target_dir=str(work / "c"),
            )
            setuptools.setup(
                name="ruleengine-compiled",
                packages=[],
                py_modules=[],
                ext_modules=extensions,
                script_args=[
                    "--quiet",
                    "build_ext",
                    "--build-lib",
                    str(work / "lib"),
                    "--build-temp",
                    str(work / "tmp"),
                ],
            )
        except (SystemExit, Exception) as failure:  # a compiler error exits setup()
            return f"not compiled ({failure}): the engine runs as pure Python"
        finally:
            os.chdir(cwd)
        built = work / "lib" / "ruleengine"
        if _native.sources_stamp() != stamp:
            return "not compiled: the sources changed during the build; run it again"
        fresh = _native.PACKAGE_DIR / "_compiled.new"
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(built, fresh)
        (fresh / _native.STAMP).write_text(stamp + "\n", encoding="ascii")
        shutil.rmtree(_native.COMPILED_DIR, ignore_errors=True)
        fresh.rename(_native.COMPILED_DIR)
    return f"compiled {len(_native.COMPILED_MODULES)} modules into {_native.COMPILED_DIR}"


def _missing_tool() -> str:
    """What the build lacks, checked up front (type-checking alone takes a while)."""
    for module in ("setuptools", "mypyc.build"):
        if importlib.util.find_spec(module) is None:
            return f"{module.partition('.')[0]} is not installed"
    compiler = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    if shutil.which(compiler.split()[0]) is None:
        return f"no C compiler ({compiler.split()[0]})"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        return "no Python headers"
    return ""


def current() -> bool:
    """Whether ``_compiled/`` holds a complete build of the current sources."""
    environment = os.environ.pop("RULEENGINE_PURE", None)
    try:
        return _native.compiled_path() is not None
    finally:
        if environment is not None:
            os.environ["RULEENGINE_PURE"] = environment


def main(argv: list[str]) -> int:
    fresh = current()
    if "--check" in argv:
        print("rule engine: compiled build is " + ("current" if fresh else "missing or stale"))
        return 0 if fresh else 1
    if fresh and "--force" not in argv:
        # Same sources as the build (only their times changed): keep it, and tell make.
        (_native.COMPILED_DIR / _native.STAMP).touch()
        print("rule engine: compiled build is current")
        return 0
    print("rule engine: " + build())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
