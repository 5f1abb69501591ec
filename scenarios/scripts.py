"""Role-play scripts as pure data: validation, branching and scoring (no Django, no clock).

A script (content/roleplays/*.yaml, format in content/README.md) is a graph of nodes. A turn
node has the customer's line and a learner turn (which scenario's rules grade the reply, the
time limit, a hint) and names the next node for each outcome; an ending node closes the call.

``validate_script`` returns the script in a normal form (every branch spelled out, including
``on_critical``), which is what sessions snapshot and follow.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

LANGUAGES: tuple[str, ...] = ("zh", "ko")
MIN_SECONDS, MAX_SECONDS = 10, 180
MAX_TURNS_ON_A_PATH = 12
MAX_HINT_CHARS = 60

TOP_LEVEL_REQUIRED = frozenset({"slug", "title", "language", "summary", "pass_mark", "start"})
TOP_LEVEL_OPTIONAL = frozenset({"course", "nodes"})
TURN_NODE_KEYS = frozenset({"customer", "turn", "on_pass", "on_fail", "on_timeout"})
BRANCHES: tuple[str, ...] = ("on_pass", "on_fail", "on_critical", "on_timeout")

# How a settled turn ended, and the branch the call follows from there. A reply the grader
# could never grade goes on like a failed one (the call cannot wait), but is not scored.
PASSED, FAILED, CRITICAL = "passed", "failed", "critical"
TIMED_OUT, UNGRADED = "timed_out", "ungraded"
BRANCH_FOR_RESULT: dict[str, str] = {
    PASSED: "on_pass",
    FAILED: "on_fail",
    CRITICAL: "on_critical",
    TIMED_OUT: "on_timeout",
    UNGRADED: "on_fail",
}
# Points a late reply loses when no rule of its scenario judged the response time itself.
LATE_PENALTY_POINTS = 20

Nodes = dict[str, dict[str, Any]]


class ScriptError(ValueError):
    """A script that cannot be played; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- validation -------------------------------------------------------------------------------


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _key_problems(where: str, keys: Iterable[str], allowed: Collection[str]) -> list[str]:
    # An unknown key is usually a typo (on_fial), which would silently drop a branch.
    return [f"{where}: unknown key {key!r}" for key in sorted(set(keys) - set(allowed))]


def _top_level_problems(data: Mapping[str, Any], file_stem: str) -> list[str]:
    problems = [f"missing {key!r}" for key in sorted(TOP_LEVEL_REQUIRED - set(data))]
    problems += _key_problems("top level", data, TOP_LEVEL_REQUIRED | TOP_LEVEL_OPTIONAL)
    if problems:
        return problems
    if data["slug"] != file_stem:
        problems.append(f"slug {data['slug']!r} differs from the file name {file_stem!r}")
    if data["language"] not in LANGUAGES:
        problems.append(f"language {data['language']!r} is not one of {list(LANGUAGES)}")
    for key in ("title", "summary"):
        if not _is_text(data[key]):
            problems.append(f"{key} must be non-empty text")
    pass_mark = data["pass_mark"]
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 0 < pass_mark <= 100:
        problems.append(f"pass_mark {pass_mark!r} must be a whole percent in 1..100")
    if not isinstance(data.get("nodes"), dict) or not data["nodes"]:
        problems.append("nodes must be a non-empty mapping")
    return problems


def _turn_problems(where: str, turn: object, scenarios: Collection[str]) -> list[str]:
    if not isinstance(turn, dict):
        return [f"{where}: turn must be a mapping"]
    problems = _key_problems(f"{where} turn", turn, {"scenario", "seconds", "hint"})
    scenario, seconds, hint = turn.get("scenario"), turn.get("seconds"), turn.get("hint")
    if scenario not in scenarios:
        problems.append(f"{where}: unknown scenario {scenario!r}")
    # bool is an int in Python; `seconds: yes` must not pass as 1.
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        problems.append(f"{where}: seconds {seconds!r} must be a whole number")
    elif not MIN_SECONDS <= seconds <= MAX_SECONDS:
        problems.append(f"{where}: seconds {seconds} not within {MIN_SECONDS}..{MAX_SECONDS}")
    if hint is not None and not (_is_text(hint) and len(hint) <= MAX_HINT_CHARS):
        problems.append(f"{where}: hint must be short text (at most {MAX_HINT_CHARS} characters)")
    return problems


def _node_problems(name: str, node: object, scenarios: Collection[str]) -> list[str]:
    where = f"node {name!r}"
    if not isinstance(node, dict):
        return [f"{where}: must be a mapping"]
    if "ending" in node:
        problems = _key_problems(where, node, {"ending"})
        return problems + ([] if _is_text(node["ending"]) else [f"{where}: empty ending"])
    problems = [f"{where}: missing {key!r}" for key in sorted(TURN_NODE_KEYS - set(node))]
    problems += _key_problems(where, node, TURN_NODE_KEYS | {"on_critical"})
    if "customer" in node and not _is_text(node["customer"]):
        problems.append(f"{where}: empty customer line")
    if "turn" in node:
        problems += _turn_problems(where, node["turn"], scenarios)
    return problems


def _target_problems(nodes: Nodes, start: str) -> list[str]:
    problems = [] if start in nodes else [f"start {start!r} is not a node"]
    for name, node in nodes.items():
        for branch in BRANCHES:
            if branch in node and node[branch] not in nodes:
                problems.append(f"node {name!r}: {branch} -> {node[branch]!r} is not a node")
    return problems


def _targets(node: Mapping[str, Any]) -> list[str]:
    return [node[branch] for branch in BRANCHES if branch in node]


def _reachable(nodes: Nodes, start: str) -> set[str]:
    seen: set[str] = set()
    waiting = [start]
    while waiting:
        name = waiting.pop()
        if name not in seen and name in nodes:
            seen.add(name)
            waiting += _targets(nodes[name])
    return seen


def most_turns_on_a_path(nodes: Nodes, start: str) -> int:
    """Learner turns on the longest path from ``start``; ValueError naming a loop."""
    most: dict[str, int] = {}
    on_path: list[str] = []

    def visit(name: str) -> int:
        if name in on_path:
            raise ValueError(" -> ".join([*on_path[on_path.index(name) :], name]))
        if name not in most:
            on_path.append(name)
            below = max((visit(target) for target in _targets(nodes[name])), default=0)
            on_path.pop()
            most[name] = below if "ending" in nodes[name] else below + 1
        return most[name]

    return visit(start)


def _graph_problems(nodes: Nodes, start: str) -> list[str]:
    problems = _target_problems(nodes, start)
    if problems:
        return problems
    unreachable = sorted(set(nodes) - _reachable(nodes, start))
    problems = [f"node {name!r} cannot be reached from start" for name in unreachable]
    try:
        turns = most_turns_on_a_path(nodes, start)
    except ValueError as loop:
        return [*problems, f"a path never reaches an ending: {loop}"]
    if turns > MAX_TURNS_ON_A_PATH:
        problems.append(f"a path has {turns} turns (at most {MAX_TURNS_ON_A_PATH})")
    return problems


def _normal_node(node: Mapping[str, Any]) -> dict[str, Any]:
    if "ending" in node:
        return {"ending": node["ending"].strip()}
    turn = node["turn"]
    return {
        "customer": node["customer"].strip(),
        "turn": {
            "scenario": turn["scenario"],
            "seconds": turn["seconds"],
            "hint": (turn.get("hint") or "").strip(),
        },
        "on_pass": node["on_pass"],
        "on_fail": node["on_fail"],
        "on_critical": node.get("on_critical", node["on_fail"]),
        "on_timeout": node["on_timeout"],
    }


def validate_script(data: object, *, file_stem: str, scenarios: Collection[str]) -> dict[str, Any]:
    """The script in normal form; ScriptError listing every problem when it cannot be played.

    ``scenarios`` are the slugs a turn may name (the catalogue).
    """
    if not isinstance(data, dict):
        raise ScriptError(["the top level must be a mapping"])
    problems = _top_level_problems(data, file_stem)
    if problems:
        raise ScriptError(problems)
    nodes: Nodes = data["nodes"]
    for name, node in nodes.items():
        problems += _node_problems(str(name), node, scenarios)
    if problems:
        raise ScriptError(problems)
    problems = _graph_problems(nodes, data["start"])
    if problems:
        raise ScriptError(problems)
    return {
        "slug": data["slug"],
        "title": data["title"].strip(),
        "language": data["language"],
        "summary": " ".join(data["summary"].split()),
        "course": str(data.get("course") or ""),
        "pass_mark": data["pass_mark"],
        "start": data["start"],
        "nodes": {str(name): _normal_node(node) for name, node in nodes.items()},
    }


# --- playing ----------------------------------------------------------------------------------


def next_node(node: Mapping[str, Any], result: str) -> str:
    """The node the call goes to after a turn that ended with ``result``."""
    return str(node[BRANCH_FOR_RESULT[result]])


def is_ending(node: Mapping[str, Any]) -> bool:
    return "ending" in node


def main_path_turns(nodes: Nodes, start: str) -> int:
    """Turns on the path a learner walks when every reply passes: a complete call."""
    count, name, seen = 0, start, set()
    while not is_ending(nodes[name]) and name not in seen:
        seen.add(name)
        count += 1
        name = nodes[name]["on_pass"]
    return count


def turn_points(score: int, *, late: bool, time_judged_by_rules: bool) -> int:
    """A graded turn's points: the verdict score, less the late penalty when no rule judged
    the response time itself (the rules' own response-time checks are never doubled)."""
    if late and not time_judged_by_rules:
        return max(0, score - LATE_PENALTY_POINTS)
    return score


@dataclass(frozen=True)
class TurnResult:
    result: str  # PASSED, FAILED, CRITICAL, TIMED_OUT or UNGRADED
    points: int  # 0 for a timeout; ignored for an ungraded reply


@dataclass(frozen=True)
class SessionResult:
    score: int
    passed: bool
    critical: bool
    counted_turns: int  # the denominator: turns played, at least a complete call's worth
    short_by: int  # turns of a complete call that the call ended without


def session_result(turns: list[TurnResult], *, complete_call: int, pass_mark: int) -> SessionResult:
    """Total score and pass/fail of a finished call.

    score = points of the graded turns ÷ max(graded turns, turns of a complete call), so a call
    that ended early (the caller hung up) counts the turns it never reached as 0. It passes
    when the score reaches the pass mark and no turn broke a critical rule.
    """
    scored = [turn for turn in turns if turn.result != UNGRADED]
    ungraded = len(turns) - len(scored)
    expected = max(complete_call - ungraded, 0)
    denominator = max(len(scored), expected)
    total = sum(turn.points for turn in scored)
    score = int(total / denominator + 0.5) if denominator else 0
    critical = any(turn.result == CRITICAL for turn in turns)
    return SessionResult(
        score=score,
        passed=bool(denominator) and score >= pass_mark and not critical,
        critical=critical,
        counted_turns=denominator,
        short_by=max(expected - len(scored), 0),
    )
