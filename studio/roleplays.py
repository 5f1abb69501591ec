"""Role-play scripts in the editor: the script format (content/README.md) ↔ editor rows, and
which node or field each problem of ``scenarios.scripts.validate_script`` belongs to. Pure."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scenarios import scripts

from .roleplay_graph import branches

TURN, ENDING = "turn", "ending"
BRANCH_FIELDS: tuple[str, ...] = ("on_pass", "on_fail", "on_critical", "on_timeout")
# Node ids end up in URLs (#node-…), turn rows (80 characters) and the graph.
NODE_ID_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
NODE_ID_MAX = 80

# A new role-play starts as the smallest playable call: the phone rings, the caller hangs up.
STARTER_LINES = {"zh": "（电话铃响了）", "ko": "(전화벨이 울립니다)"}
STARTER_ENDINGS = {"zh": "客户挂断了电话。", "ko": "고객이 전화를 끊었습니다."}
STARTER_SCENARIO = "opening-greeting"


def script_hash(script: Mapping[str, Any]) -> str:
    """The content hash of a script written in the studio (its normal form, canonical JSON)."""
    text = json.dumps(script, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def starter_script(
    *, slug: str, title: str, language: str, summary: str, scenarios: Sequence[str]
) -> dict[str, Any]:
    scenario = STARTER_SCENARIO if STARTER_SCENARIO in scenarios else next(iter(scenarios), "")
    return {
        "slug": slug,
        "title": title,
        "language": language,
        "summary": summary,
        "course": "",
        "pass_mark": 70,
        "start": "greet",
        "nodes": {
            "greet": {
                "customer": STARTER_LINES.get(language, STARTER_LINES["zh"]),
                "turn": {"scenario": scenario, "seconds": 20},
                "on_pass": "end",
                "on_fail": "end",
                "on_timeout": "end",
            },
            "end": {"ending": STARTER_ENDINGS.get(language, STARTER_ENDINGS["zh"])},
        },
    }


# --- script → rows --------------------------------------------------------------------------------


def node_order(nodes: Mapping[str, Mapping[str, Any]], start: str) -> list[str]:
    """Nodes as a trainer reads the call: breadth first from the start (the pass branch
    first), then any the start does not reach. Stored order is not kept by every database."""
    seen = [start] if start in nodes else []
    for name in seen:
        targets = dict.fromkeys(t for _kind, t in branches(nodes[name]))
        seen += [t for t in targets if t in nodes and t not in seen]
    return seen + [name for name in nodes if name not in seen]


def node_row(name: str, node: Mapping[str, Any]) -> dict[str, Any]:
    """The editor row of one node (``on_critical`` left empty where it is the default)."""
    if "ending" in node:
        return {"node_id": name, "original_id": name, "kind": ENDING, "ending": node["ending"]}
    turn = node.get("turn") or {}
    critical = node.get("on_critical", "")
    return {
        "node_id": name,
        "original_id": name,
        "kind": TURN,
        "customer": node.get("customer", ""),
        "scenario": turn.get("scenario", ""),
        "seconds": turn.get("seconds"),
        "hint": turn.get("hint", ""),
        "on_pass": node.get("on_pass", ""),
        "on_fail": node.get("on_fail", ""),
        "on_critical": "" if critical == node.get("on_fail") else critical,
        "on_timeout": node.get("on_timeout", ""),
    }


def script_rows(script: Mapping[str, Any]) -> list[dict[str, Any]]:
    nodes = script.get("nodes") or {}
    return [node_row(name, nodes[name]) for name in node_order(nodes, script.get("start", ""))]


# --- rows → script --------------------------------------------------------------------------------


def _blank(row: Mapping[str, Any]) -> bool:
    return not any(str(row.get(key) or "").strip() for key in ("node_id", "customer", "ending"))


def kept_rows(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Rows that make nodes: not deleted, not left empty (the row for a new node)."""
    return [row for row in rows if not row.get("DELETE") and not _blank(row)]


def build_script(
    *, slug: str, meta: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """The script in the file format from the editor's fields, for ``validate_script``.

    A node whose id was changed takes the branches that led to it along (and the start),
    unless another node now has its old id. Empty fields are left out, so the validator
    names what is missing.
    """
    kept = kept_rows(rows)
    ids = {str(row.get("node_id") or "").strip() for row in kept}
    renamed = {
        str(row["original_id"]): str(row.get("node_id") or "").strip()
        for row in kept
        if row.get("original_id") and str(row.get("node_id") or "").strip() != row["original_id"]
    }

    def target(value: object) -> str:
        name = str(value or "").strip()
        return renamed[name] if name in renamed and name not in ids else name

    nodes: dict[str, Any] = {}
    for row in kept:
        name = str(row.get("node_id") or "").strip()
        if row.get("kind") == ENDING:
            nodes[name] = {"ending": row.get("ending") or ""}
            continue
        turn: dict[str, Any] = {"scenario": row.get("scenario") or ""}
        if row.get("seconds") is not None:
            turn["seconds"] = row["seconds"]
        if str(row.get("hint") or "").strip():
            turn["hint"] = row["hint"]
        node: dict[str, Any] = {"customer": row.get("customer") or "", "turn": turn}
        for branch in BRANCH_FIELDS:
            if value := target(row.get(branch)):
                node[branch] = value
        nodes[name] = node
    return {
        "slug": slug,
        "title": meta.get("title") or "",
        "language": meta.get("language") or "",
        "summary": meta.get("summary") or "",
        "course": meta.get("course") or "",
        "pass_mark": meta.get("pass_mark"),
        "start": target(meta.get("start")),
        "nodes": nodes,
    }


def file_form(script: Mapping[str, Any]) -> dict[str, Any]:
    """A script in normal form back in the shape of a file: the normal form spells an absent
    hint as "", which the validator refuses in a file."""
    nodes = {}
    for name, node in (script.get("nodes") or {}).items():
        turn = node.get("turn")
        if isinstance(turn, Mapping) and "hint" in turn and not str(turn["hint"] or "").strip():
            node = {**node, "turn": {k: v for k, v in turn.items() if k != "hint"}}
        nodes[name] = node
    return {**script, "nodes": nodes}


# --- problems -------------------------------------------------------------------------------------

_NODE = re.compile(r"""^node (['"])(?P<name>.*?)\1""")
_LOOP = re.compile(r"^a path never reaches an ending: (?P<path>.+)$")
_FIELDS = {
    "start ": "start",
    "pass_mark ": "pass_mark",
    "language ": "language",
    "title ": "title",
    "summary ": "summary",
}


@dataclass
class Problems:
    """``validate_script``'s problems, each where the trainer can fix it."""

    general: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)
    nodes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return (
            len(self.general)
            + sum(map(len, self.fields.values()))
            + sum(map(len, self.nodes.values()))
        )

    def __bool__(self) -> bool:
        return self.count > 0


def sort_problems(problems: Iterable[str], node_ids: Iterable[str]) -> Problems:
    known = set(node_ids)
    sorted_ = Problems()
    for problem in problems:
        if (match := _NODE.match(problem)) and match["name"] in known:
            sorted_.nodes.setdefault(match["name"], []).append(problem)
            continue
        if loop := _LOOP.match(problem):
            # Shown with every node of the loop, and once above the form.
            for name in dict.fromkeys(loop["path"].split(" -> ")):
                if name in known:
                    sorted_.nodes.setdefault(name, []).append(problem)
        for prefix, name in _FIELDS.items():
            if problem.startswith(prefix):
                sorted_.fields.setdefault(name, []).append(problem)
                break
        else:
            sorted_.general.append(problem)
    return sorted_


def validate(
    script: Mapping[str, Any], *, slug: str, scenarios: Iterable[str]
) -> tuple[dict[str, Any] | None, Problems]:
    """(the script in normal form, no problems) or (None, its problems sorted by place)."""
    try:
        return scripts.validate_script(dict(script), file_stem=slug, scenarios=set(scenarios)), (
            Problems()
        )
    except scripts.ScriptError as error:
        return None, sort_problems(error.problems, (script.get("nodes") or {}).keys())
