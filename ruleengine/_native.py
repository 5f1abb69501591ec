"""Which build of the engine runs: the compiled modules, when they match the sources.

``python -m ruleengine._build_native`` (``make setup``) compiles the hot modules with
mypyc into ``ruleengine/_compiled/``, next to a stamp of the sources they were built
from. Importing this module (``ruleengine/__init__.py`` does so first) puts that
directory first on the package path only while the stamp matches the sources as they
are now, so an edited module is never shadowed by a stale build: the engine then
simply runs as pure Python, with the same results, only slower. ``RULEENGINE_PURE=1``
asks for pure Python whatever is built. ``BUILD`` says which one runs.

This module itself is never compiled: it decides.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import os
import sys
from pathlib import Path
from typing import Final

__all__ = [
    "BUILD",
    "COMPILED_DIR",
    "COMPILED_MODULES",
    "GROUP_NAME",
    "SHARED_LIBRARY",
    "STAMP",
    "compiled_path",
    "sources_stamp",
]

PACKAGE_DIR: Final = Path(__file__).resolve().parent
COMPILED_DIR: Final = PACKAGE_DIR / "_compiled"
STAMP: Final = "SOURCES"
# The modules on the grading path, compiled together (they call each other directly).
# __init__, this module and the build script decide; _yaml subclasses builtins, which
# compiled classes cannot; calibrate formats report numbers and is not on the path.
COMPILED_MODULES: Final = (
    "catalogue",
    "errors",
    "normalise",
    "language",
    "fuzzy",
    "verdict",
    "checks",
    "grader",
    "compiler",
)
# The compiled modules' shared library: mypycify's group_name, "ruleengine._engine",
# plus "__mypyc".
GROUP_NAME: Final = "ruleengine._engine"
SHARED_LIBRARY: Final = "_engine__mypyc"


def sources_stamp() -> str:
    """What a build must have been made from: the interpreter and every source byte."""
    digest = hashlib.sha256(importlib.machinery.EXTENSION_SUFFIXES[0].encode())
    for name in COMPILED_MODULES:
        digest.update(name.encode() + b"\0")
        digest.update((PACKAGE_DIR / f"{name}.py").read_bytes())
    return digest.hexdigest()


def compiled_path() -> str | None:
    """The directory to load compiled modules from, or None to run as pure Python.

    Every compiled module must be there, built from the current sources: a partial
    or stale build would mix two copies of the engine's classes.
    """
    if os.environ.get("RULEENGINE_PURE"):
        return None
    try:
        stamp = (COMPILED_DIR / STAMP).read_text(encoding="ascii").strip()
        fresh = stamp == sources_stamp()
    except OSError:
        return None
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    names = (*COMPILED_MODULES, SHARED_LIBRARY)
    if not fresh or not all((COMPILED_DIR / f"{name}{suffix}").is_file() for name in names):
        return None
    return str(COMPILED_DIR)


def _choose() -> str:
    package = sys.modules[__name__.rpartition(".")[0]]
    path = compiled_path()
    if path is None:
        return "pure Python"
    package.__path__.insert(0, path)
    return "compiled (mypyc)"


BUILD: Final = _choose()
