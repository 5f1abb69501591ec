"""The drawn graph of a role-play script: layers, flags and a readable picture (pure layout)."""

from itertools import combinations
from pathlib import Path

import pytest
import yaml

from studio.roleplay_graph import BOX_W, MISSING, clip, layout, text_width

BUNDLED = sorted((Path(__file__).resolve().parents[2] / "content" / "roleplays").glob("*.yaml"))


def turn(on_pass: str, on_fail: str, on_timeout: str, **more: str) -> dict[str, object]:
    return {
        "customer": "喂？",
        "turn": {"scenario": "opening-greeting", "seconds": 20},
        "on_pass": on_pass,
        "on_fail": on_fail,
        "on_timeout": on_timeout,
        **more,
    }


# greet ─pass→ curse ─pass→ end-good;  greet ─fail→ angry;  curse ─critical→ end-bad
SCRIPT = {
    "greet": turn("curse", "angry", "angry"),
    "curse": turn("end-good", "angry", "end-bad", on_critical="end-bad"),
    "angry": turn("end-good", "end-bad", "end-bad", on_critical="end-bad"),
    "end-good": {"ending": "客户满意地挂断了电话。"},
    "end-bad": {"ending": "客户生气地挂断了电话。"},
}


def overlapping(a, b) -> bool:  # type: ignore[no-untyped-def]
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def test_turns_sit_at_their_distance_from_the_start_and_endings_share_the_last_row():
    graph = layout(SCRIPT, "greet")

    layers = {box.id: box.layer for box in graph.boxes}
    assert layers == {"greet": 0, "curse": 1, "angry": 1, "end-good": 2, "end-bad": 2}
    assert graph.box("greet").start and not graph.box("curse").start
    assert graph.box("curse").y == graph.box("angry").y < graph.box("end-good").y


def test_branches_to_the_same_node_are_one_bundle_with_a_stroke_per_kind():
    graph = layout(SCRIPT, "greet")

    edges = {(edge.source, edge.target): edge for edge in graph.edges}
    assert edges[("greet", "angry")].kinds == ("fail", "timeout")
    assert [stroke.kind for stroke in edges[("greet", "angry")].strokes] == ["fail", "timeout"]
    assert edges[("curse", "end-bad")].kinds == ("critical", "timeout")
    # on_critical equal to on_fail is the default and is not drawn twice
    assert edges[("angry", "end-bad")].kinds == ("fail", "timeout")
    assert len(graph.edges) == 7


def test_edge_labels_use_the_words_given():
    graph = layout(SCRIPT, "greet", labels={"fail": "未通过", "timeout": "超时"})

    edge = next(e for e in graph.edges if (e.source, e.target) == ("greet", "angry"))
    assert edge.label == (("fail", "未通过"), ("timeout", "超时"))
    assert edge.label_w >= text_width("未通过 / 超时", 11)


def test_a_node_the_start_never_reaches_is_flagged_in_a_band_below():
    script = {**SCRIPT, "lost": turn("end-good", "end-bad", "end-bad")}

    graph = layout(script, "greet")

    lost = graph.box("lost")
    assert graph.unreachable == ("lost",) and not lost.reachable and lost.flagged
    assert graph.band_y is not None
    assert lost.y > graph.band_y > max(b.y for b in graph.boxes if b.reachable)


def test_a_branch_to_a_node_that_does_not_exist_points_at_a_missing_box():
    script = {**SCRIPT, "curse": turn("end-good", "angry", "nowhere")}

    graph = layout(script, "greet")

    assert graph.dangling == (("curse", "on_timeout", "nowhere"),)
    missing = graph.box("nowhere")
    assert missing.kind == MISSING and missing.flagged
    assert any(edge.dangling and edge.target == "nowhere" for edge in graph.edges)


def test_a_half_written_script_is_still_drawn():
    script = {
        "greet": {"customer": "", "turn": {}, "on_pass": "", "on_fail": "greet"},
        "loop": {"customer": "x", "on_pass": "greet"},
    }

    graph = layout(script, "missing-start")

    assert {box.id for box in graph.boxes} == {"greet", "loop"}
    assert set(graph.unreachable) == {"greet", "loop"}


def test_text_is_clipped_to_the_box():
    long_line = "您好，这里是客户服务中心，请问有什么可以帮您？" * 3

    clipped = clip(long_line, BOX_W - 18, 13)

    assert clipped.endswith("…") and text_width(clipped, 13) <= BOX_W - 18
    assert clip("short", 100, 13) == "short"


@pytest.mark.parametrize("path", BUNDLED, ids=[path.stem for path in BUNDLED])
def test_every_bundled_script_is_drawn_readably(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    graph = layout(data["nodes"], data["start"])

    assert {box.id for box in graph.boxes} == set(data["nodes"])
    assert not graph.unreachable and not graph.dangling
    assert not any(overlapping(a, b) for a, b in combinations(graph.boxes, 2))
    assert all(box.x >= 0 and box.x + box.w <= graph.width for box in graph.boxes)
    assert all(box.y >= 0 and box.y + box.h <= graph.height for box in graph.boxes)
    # about as wide as the widest row needs, so that a phone scrolls it and a desk shows most
    assert graph.width <= 2200 and graph.height <= 1200
