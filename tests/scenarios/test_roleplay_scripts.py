"""The bundled role-play scripts (content/roleplays) are sound graphs that train every scenario.

Pure file checks, no database: the format is the "Role-plays" section of content/README.md.
Each checker returns a list of problems, so a failure names every broken node at once.
"""

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "content"
ROLEPLAYS = CONTENT / "roleplays"
SCRIPT_PATHS = sorted(ROLEPLAYS.glob("*.yaml"))

SCENARIO_SLUGS = frozenset(
    {
        "opening-greeting",
        "customer-cursing",
        "asks-for-manager",
        "long-wait-complaint",
        "service-error-complaint",
        "cannot-answer-now",
        "privacy-request",
        "silent-line",
        "cannot-hear-clearly",
        "colleague-absent",
        "transfer-call",
        "hold-request",
        "beyond-authority",
        "harassment-call",
        "customer-suggestion",
        "wrong-number",
        "closing-call",
    }
)
LANGUAGES = frozenset({"zh", "ko"})
MIN_SECONDS, MAX_SECONDS = 10, 180
MAX_TURNS_ON_A_PATH = 12
MAX_HINT_CHARS = 60

TOP_LEVEL_REQUIRED = frozenset(
    {"slug", "title", "language", "summary", "pass_mark", "start", "nodes"}
)
TOP_LEVEL_OPTIONAL = frozenset({"course"})
TURN_NODE_REQUIRED = frozenset({"customer", "turn", "on_pass", "on_fail", "on_timeout"})
TURN_NODE_OPTIONAL = frozenset({"on_critical"})
BRANCHES = ("on_pass", "on_fail", "on_critical", "on_timeout")
TURN_REQUIRED = frozenset({"scenario", "seconds"})
TURN_OPTIONAL = frozenset({"hint"})

Script = dict[str, Any]
Nodes = dict[str, dict[str, Any]]


class CycleError(ValueError):
    """The graph loops back on itself, so some path never reaches an ending."""


@cache
def load_script(path: Path) -> Script:
    script = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(script, dict), f"{path.name}: the top level must be a mapping"
    return script


def is_ending(node: dict[str, Any]) -> bool:
    return "ending" in node


def branch_targets(node: dict[str, Any]) -> list[str]:
    return [node[branch] for branch in BRANCHES if branch in node]


def key_problems(
    where: str, keys: set[str], required: frozenset[str], optional: frozenset[str]
) -> list[str]:
    missing = sorted(required - keys)
    unknown = sorted(keys - required - optional)
    problems = [f"{where}: missing {key!r}" for key in missing]
    # An unknown key is usually a typo (on_fial), which would silently drop a branch.
    return problems + [f"{where}: unknown key {key!r}" for key in unknown]


def is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def top_level_problems(script: Script, file_stem: str) -> list[str]:
    problems = key_problems("top level", set(script), TOP_LEVEL_REQUIRED, TOP_LEVEL_OPTIONAL)
    if problems:
        return problems
    language = script["language"]
    if script["slug"] != file_stem:
        problems.append(f"slug {script['slug']!r} differs from the file name {file_stem!r}")
    if language not in LANGUAGES:
        problems.append(f"language {language!r} is not one of {sorted(LANGUAGES)}")
    elif not file_stem.endswith(f"-{language}"):
        problems.append(f"the file name should end with -{language}")
    for key in ("title", "summary"):
        if not is_text(script[key]):
            problems.append(f"{key} must be non-empty text")
    pass_mark = script["pass_mark"]
    if not (isinstance(pass_mark, int) and 0 < pass_mark <= 100):
        problems.append(f"pass_mark {pass_mark!r} must be a whole percent in 1..100")
    if not isinstance(script["nodes"], dict) or not script["nodes"]:
        problems.append("nodes must be a non-empty mapping")
    if "course" in script:
        problems += course_problems(script["course"], language)
    return problems


def course_problems(course_slug: object, language: str) -> list[str]:
    course_file = CONTENT / "courses" / str(course_slug) / "course.yaml"
    if not course_file.is_file():
        return [f"course {course_slug!r} has no {course_file.relative_to(CONTENT)}"]
    course = yaml.safe_load(course_file.read_text(encoding="utf-8"))
    if course.get("language") != language:
        return [f"course {course_slug!r} is in {course.get('language')!r}, not {language!r}"]
    return []


def node_problems(name: str, node: object) -> list[str]:
    where = f"node {name!r}"
    if not isinstance(node, dict):
        return [f"{where}: must be a mapping"]
    if is_ending(node):
        problems = key_problems(where, set(node), frozenset({"ending"}), frozenset())
        return problems + ([] if is_text(node["ending"]) else [f"{where}: empty ending"])
    problems = key_problems(where, set(node), TURN_NODE_REQUIRED, TURN_NODE_OPTIONAL)
    if "customer" in node and not is_text(node["customer"]):
        problems.append(f"{where}: empty customer line")
    if isinstance(node.get("turn"), dict):
        problems += turn_problems(where, node["turn"])
    elif "turn" in node:
        problems.append(f"{where}: turn must be a mapping")
    return problems


def turn_problems(where: str, turn: dict[str, Any]) -> list[str]:
    problems = key_problems(f"{where} turn", set(turn), TURN_REQUIRED, TURN_OPTIONAL)
    scenario, seconds = turn.get("scenario"), turn.get("seconds")
    if "scenario" in turn and scenario not in SCENARIO_SLUGS:
        problems.append(f"{where}: unknown scenario {scenario!r}")
    # bool is an int in Python; `seconds: yes` must not pass as 1.
    if "seconds" in turn and (
        isinstance(seconds, bool)
        or not isinstance(seconds, int)
        or not MIN_SECONDS <= seconds <= MAX_SECONDS
    ):
        problems.append(f"{where}: seconds {seconds!r} not within {MIN_SECONDS}..{MAX_SECONDS}")
    hint = turn.get("hint")
    if hint is not None and not (is_text(hint) and len(hint) <= MAX_HINT_CHARS):
        problems.append(f"{where}: hint must be short text (at most {MAX_HINT_CHARS} characters)")
    return problems


def structure_problems(script: Script) -> list[str]:
    problems: list[str] = []
    for name, node in script["nodes"].items():
        problems += node_problems(name, node)
    return problems


def target_problems(script: Script) -> list[str]:
    nodes: Nodes = script["nodes"]
    problems = [] if script["start"] in nodes else [f"start {script['start']!r} is not a node"]
    for name, node in nodes.items():
        for branch in BRANCHES:
            if branch in node and node[branch] not in nodes:
                problems.append(f"node {name!r}: {branch} -> {node[branch]!r} is not a node")
    return problems


def reachable_from(nodes: Nodes, start: str) -> set[str]:
    seen: set[str] = set()
    waiting = [start]
    while waiting:
        name = waiting.pop()
        if name in seen or name not in nodes:
            continue
        seen.add(name)
        waiting += branch_targets(nodes[name])
    return seen


def unreachable_problems(script: Script) -> list[str]:
    nodes: Nodes = script["nodes"]
    unreachable = sorted(set(nodes) - reachable_from(nodes, script["start"]))
    return [f"node {name!r} cannot be reached from start" for name in unreachable]


def most_turns_on_a_path(nodes: Nodes, start: str) -> int:
    """The number of learner turns on the longest path from start; CycleError on a loop."""
    most: dict[str, int] = {}
    on_path: list[str] = []

    def visit(name: str) -> int:
        if name in on_path:
            loop = [*on_path[on_path.index(name) :], name]
            raise CycleError(" -> ".join(loop))
        if name not in most:
            node = nodes[name]
            on_path.append(name)
            below = max((visit(target) for target in branch_targets(node)), default=0)
            on_path.pop()
            most[name] = below if is_ending(node) else below + 1
        return most[name]

    return visit(start)


def path_problems(script: Script) -> list[str]:
    try:
        turns = most_turns_on_a_path(script["nodes"], script["start"])
    except CycleError as loop:
        return [f"a path never reaches an ending: {loop}"]
    if turns > MAX_TURNS_ON_A_PATH:
        return [f"a path has {turns} turns (at most {MAX_TURNS_ON_A_PATH})"]
    return []


def main_path(script: Script) -> list[dict[str, Any]]:
    """The nodes met when every reply passes: the path a good learner walks."""
    nodes: Nodes = script["nodes"]
    path, name = [], script["start"]
    while not is_ending(nodes[name]):
        path.append(nodes[name])
        name = nodes[name]["on_pass"]
    return path


def scenarios_of(script: Script) -> set[str]:
    return {node["turn"]["scenario"] for node in script["nodes"].values() if "turn" in node}


def scripts_in(language: str) -> list[Script]:
    return [load_script(path) for path in SCRIPT_PATHS if load_script(path)["language"] == language]


def ids(path: Path) -> str:
    return path.stem


# --- every bundled script -------------------------------------------------------------------------

GRAPH_CHECKS: dict[str, Callable[[Script], list[str]]] = {
    "targets": target_problems,
    "reachable": unreachable_problems,
    "paths": path_problems,
}


@pytest.mark.parametrize("path", SCRIPT_PATHS, ids=ids)
def test_the_script_parses_with_the_required_top_level_keys(path: Path) -> None:
    assert top_level_problems(load_script(path), path.stem) == []


@pytest.mark.parametrize("path", SCRIPT_PATHS, ids=ids)
def test_every_node_is_a_well_formed_turn_or_ending(path: Path) -> None:
    assert structure_problems(load_script(path)) == []


@pytest.mark.parametrize("check", GRAPH_CHECKS, ids=str)
@pytest.mark.parametrize("path", SCRIPT_PATHS, ids=ids)
def test_the_graph_is_sound(path: Path, check: str) -> None:
    """Targets exist, every node is reachable, every path ends within the turn limit."""
    script = load_script(path)
    assert structure_problems(script) == [], "fix the node structure first"
    assert GRAPH_CHECKS[check](script) == []


@pytest.mark.parametrize("path", SCRIPT_PATHS, ids=ids)
def test_the_main_path_has_four_to_seven_turns_and_ends_the_call(path: Path) -> None:
    script = load_script(path)
    assert structure_problems(script) + path_problems(script) == [], "fix the graph first"
    turns = [node["turn"]["scenario"] for node in main_path(script)]
    assert 4 <= len(turns) <= 7, turns
    assert turns[-1] in {"closing-call", "transfer-call"}, turns


@pytest.mark.parametrize("path", SCRIPT_PATHS, ids=ids)
def test_every_turn_has_a_rule_pack_in_its_language(path: Path) -> None:
    script = load_script(path)
    rules = CONTENT / "rules" / script["language"]
    missing = sorted(
        slug for slug in scenarios_of(script) if not (rules / f"{slug}.yaml").is_file()
    )
    assert missing == []


# --- the bundled set ------------------------------------------------------------------------------


def test_the_chinese_role_plays_cover_every_scenario() -> None:
    scripts = scripts_in("zh")
    assert len(scripts) >= 6
    covered = set().union(*(scenarios_of(script) for script in scripts))
    assert sorted(SCENARIO_SLUGS - covered) == []


def test_there_is_at_least_one_korean_role_play() -> None:
    assert scripts_in("ko")


def test_the_slugs_here_are_the_catalogue_slugs() -> None:
    catalogue = yaml.safe_load((CONTENT / "scenarios.yaml").read_text(encoding="utf-8"))
    assert {entry["slug"] for entry in catalogue} == SCENARIO_SLUGS


# --- the checks themselves catch broken scripts ---------------------------------------------------


def tiny_script(**node_changes: dict[str, Any]) -> Script:
    nodes: Nodes = {
        "greet": {
            "customer": "（电话铃响了）",
            "turn": {"scenario": "opening-greeting", "seconds": 20},
            "on_pass": "close",
            "on_fail": "close",
            "on_timeout": "end",
        },
        "close": {
            "customer": "好的。",
            "turn": {"scenario": "closing-call", "seconds": 30},
            "on_pass": "end",
            "on_fail": "end",
            "on_timeout": "end",
        },
        "end": {"ending": "客户挂断了电话。"},
    }
    for name, changes in node_changes.items():
        nodes[name] = {**nodes.get(name, {}), **changes}
    return {
        "slug": "tiny-zh",
        "title": "小剧本",
        "language": "zh",
        "summary": "测试用。",
        "pass_mark": 70,
        "start": "greet",
        "nodes": nodes,
    }


def test_a_tiny_sound_script_has_no_problems() -> None:
    script = tiny_script()
    problems = top_level_problems(script, "tiny-zh") + structure_problems(script)
    assert problems + [p for check in GRAPH_CHECKS.values() for p in check(script)] == []


def test_the_checks_catch_a_missing_target_and_an_unreachable_node() -> None:
    script = tiny_script(greet={"on_fail": "nowhere"}, orphan={"ending": "没人来过这里。"})
    assert target_problems(script) == ["node 'greet': on_fail -> 'nowhere' is not a node"]
    assert unreachable_problems(script) == ["node 'orphan' cannot be reached from start"]


def test_the_checks_catch_a_loop() -> None:
    script = tiny_script(close={"on_timeout": "greet"})
    assert path_problems(script) == ["a path never reaches an ending: greet -> close -> greet"]


def test_the_checks_count_turns_on_the_longest_path() -> None:
    nodes: Nodes = {"end": {"ending": "结束。"}}
    for step in range(MAX_TURNS_ON_A_PATH + 1):
        target = f"t{step + 1}" if step < MAX_TURNS_ON_A_PATH else "end"
        nodes[f"t{step}"] = {
            "customer": "……",
            "turn": {"scenario": "silent-line", "seconds": 30},
            "on_pass": "end",
            "on_fail": target,
            "on_timeout": "end",
        }
    script = {**tiny_script(), "start": "t0", "nodes": nodes}
    assert most_turns_on_a_path(nodes, "t0") == MAX_TURNS_ON_A_PATH + 1
    assert path_problems(script) == [f"a path has 13 turns (at most {MAX_TURNS_ON_A_PATH})"]


def test_the_checks_catch_bad_turns_and_typos() -> None:
    script = tiny_script(
        greet={"turn": {"scenario": "small-talk", "seconds": 5}, "on_fial": "end"},
        close={"turn": {"scenario": "closing-call", "seconds": True}},
    )
    assert structure_problems(script) == [
        "node 'greet': unknown key 'on_fial'",
        "node 'greet': unknown scenario 'small-talk'",
        "node 'greet': seconds 5 not within 10..180",
        "node 'close': seconds True not within 10..180",
    ]


def test_the_checks_catch_a_wrong_language_or_slug() -> None:
    script = {**tiny_script(), "language": "ja"}
    assert top_level_problems(script, "tiny-ja-other") == [
        "slug 'tiny-zh' differs from the file name 'tiny-ja-other'",
        "language 'ja' is not one of ['ko', 'zh']",
    ]
