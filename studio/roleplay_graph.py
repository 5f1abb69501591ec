"""A role-play script drawn as a graph: the layout only, pure Python (the template draws the SVG).

Turn nodes sit in layers by their breadth-first distance from the start, top to bottom, so a
layer is "the earliest turn at which the caller can say this". Endings are where every path
stops, so they share one row below the deepest turn: edges into them always run downwards
instead of climbing back to the layer where an ending was first reachable.

The rest is a small Sugiyama layout. An edge that spans several layers passes through a
virtual point in each, so it is routed around the boxes between; nodes in a layer are ordered
to cross few edges (barycentre sweeps, then swapping neighbours), and placed as close as they
can be to the nodes they connect to (a weighted least-squares fit that keeps the order and the
spacing, with long edges pulled straight).

Nodes the start never reaches get a band of their own below, and a branch naming a node that
does not exist points at a "missing" box, so both problems show where they are. Edges between
the same two nodes are one bundle of parallel strokes, one per kind of branch (pass, fail,
critical, timeout), with one label; ``on_critical`` equal to ``on_fail`` is the format's
default and is not drawn separately.

The script may be half-written (the editor draws what the trainer typed): missing keys, empty
targets and loops are all drawn rather than refused.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

KINDS: tuple[str, ...] = ("pass", "fail", "critical", "timeout")
BRANCH_OF_KIND = {kind: f"on_{kind}" for kind in KINDS}
DEFAULT_LABELS: dict[str, str] = {
    "pass": "pass",
    "fail": "fail",
    "critical": "critical",
    "timeout": "timeout",
    "start": "start",
    "unreachable": "unreachable",
    "missing": "missing",
}

TURN, ENDING, MISSING = "turn", "ending", "missing"

BOX_W, BOX_H = 188.0, 70.0
END_W = 152.0  # endings share one row, the widest: narrower boxes keep it on a screen
VIRTUAL_W = 14.0  # the room an edge takes where it passes a layer
H_GAP, V_GAP = 40.0, 76.0
MARGIN = 24.0
TOP = 22.0  # room above the first layer for the start tag
BAND_GAP = 44.0  # extra room above the band of unreachable nodes, for its heading
STROKE_GAP = 3.5  # between the parallel strokes of one bundle
TEXT_SIZE, SMALL_SIZE, LABEL_SIZE = 13.0, 11.5, 11.0
LABEL_H = LABEL_SIZE + 5
PADDING = 9.0
SWEEPS = 8
VIRTUAL = "\x00"  # prefix of the virtual points of long edges (never in a node id)


# --- measuring text -------------------------------------------------------------------------------


def text_width(text: str, size: float) -> float:
    """An estimate of the rendered width: wide (CJK, Hangul) characters are a full em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def clip(text: str, width: float, size: float) -> str:
    """``text`` on one line, cut with an ellipsis where it would overflow ``width``."""
    text = " ".join(str(text or "").split())
    if text_width(text, size) <= width:
        return text
    room = width - size  # the ellipsis
    kept = []
    for ch in text:
        room -= text_width(ch, size)
        if room < 0:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + "…"


# --- the result -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    id: str
    kind: str  # TURN, ENDING or MISSING
    layer: int
    x: float
    y: float
    title: str  # the node id, clipped to the box
    line: str  # the customer's line or the ending, clipped
    detail: str  # a turn's scenario, or the rest of an ending, clipped
    seconds: int | None
    start: bool
    reachable: bool
    w: float = BOX_W
    h: float = BOX_H

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def flagged(self) -> bool:
        return self.kind == MISSING or not self.reachable

    @property
    def text_right(self) -> float:
        return self.w - PADDING

    @property
    def description(self) -> str:
        return " · ".join(part for part in (self.id, self.line, self.detail) if part)


@dataclass(frozen=True)
class Stroke:
    kind: str
    d: str  # SVG path data


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kinds: tuple[str, ...]
    strokes: tuple[Stroke, ...]
    label: tuple[tuple[str, str], ...]  # (kind, text) pieces, in KINDS order
    label_x: float
    label_y: float
    label_w: float
    dangling: bool

    @property
    def description(self) -> str:
        return f"{self.source} → {self.target}: " + ", ".join(text for _k, text in self.label)

    @property
    def label_left(self) -> float:
        return self.label_x - self.label_w / 2

    @property
    def label_top(self) -> float:
        return self.label_y - LABEL_H / 2

    @property
    def label_h(self) -> float:
        return LABEL_H

    @property
    def label_baseline(self) -> float:
        return self.label_y + LABEL_SIZE * 0.36


@dataclass(frozen=True)
class Layout:
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    width: float
    height: float
    unreachable: tuple[str, ...]  # nodes the start never reaches
    dangling: tuple[tuple[str, str, str], ...]  # (node, branch, missing target)
    band_y: float | None  # top of the band of unreachable nodes, if any
    labels: Mapping[str, str] = field(default_factory=dict)

    def box(self, node_id: str) -> Box:
        return next(box for box in self.boxes if box.id == node_id)


# --- the graph ------------------------------------------------------------------------------------


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def branches(node: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, target) of a node's branches; critical only where it differs from fail."""
    if "ending" in node:
        return []
    found = []
    for kind in KINDS:
        target = _text(node.get(BRANCH_OF_KIND[kind]))
        if not target:
            continue
        if kind == "critical" and target == _text(node.get("on_fail")):
            continue
        found.append((kind, target))
    return found


def _bfs(start: str, successors: Mapping[str, Sequence[str]]) -> dict[str, int]:
    distance = {start: 0}
    queue = [start]
    for name in queue:
        for target in successors.get(name, ()):
            if target not in distance:
                distance[target] = distance[name] + 1
                queue.append(target)
    return distance


def _rank(distance: Mapping[str, int], sinks: set[str], first: int) -> dict[str, int]:
    """Layers from BFS distances: turns at their distance, endings together one row below."""
    deepest = max((d for name, d in distance.items() if name not in sinks), default=-1)
    return {name: first + (deepest + 1 if name in sinks else d) for name, d in distance.items()}


def _layers(
    order: Sequence[str], start: str, successors: Mapping[str, Sequence[str]], sinks: set[str]
) -> tuple[dict[str, int], list[str], int | None]:
    """The layer of every node and missing target, the nodes the start never reaches, and the
    first layer of their band (None when the start reaches every node)."""
    layer = _rank(_bfs(start, successors), sinks, 0) if start in order else {}
    unreachable = [name for name in order if name not in layer]
    if not unreachable:
        return layer, [], None
    band = max(layer.values(), default=-1) + 1
    left = set(unreachable)
    pointed_at = {t for name in unreachable for t in successors.get(name, ())}
    distance: dict[str, int] = {}
    while left:
        # Roots first (nothing unreachable leads to them); a loop with no root starts anywhere.
        root = next((n for n in unreachable if n in left and n not in pointed_at), None)
        root = root or next(n for n in unreachable if n in left)
        inside = {n: [t for t in successors.get(n, ()) if t in left] for n in left}
        for name, depth in _bfs(root, inside).items():
            distance.setdefault(name, depth)
            left.discard(name)
    for name in unreachable:  # missing targets named only here sit in the band as well
        for target in successors.get(name, ()):
            if target not in layer:
                distance.setdefault(target, distance[name] + 1)
    layer.update(_rank(distance, sinks, band))
    return layer, unreachable, band


def _crossings(upper: Sequence[str], lower: Sequence[str], links: set[tuple[str, str]]) -> int:
    up = {name: i for i, name in enumerate(upper)}
    low = {name: i for i, name in enumerate(lower)}
    pairs = [(up[a], low[b]) for a, b in links if a in up and b in low]
    return sum(
        1
        for i, (a1, b1) in enumerate(pairs)
        for a2, b2 in pairs[i + 1 :]
        if (a1 - a2) * (b1 - b2) < 0
    )


def _row_cost(
    rows: list[list[str]], i: int, links: set[tuple[str, str]], beside: set[tuple[str, str]]
) -> int:
    """Crossings around row ``i``, plus the distance between nodes joined within the row."""
    cost = _crossings(rows[i - 1], rows[i], links) if i > 0 else 0
    cost += _crossings(rows[i], rows[i + 1], links) if i + 1 < len(rows) else 0
    where = {name: k for k, name in enumerate(rows[i])}
    return cost + sum(
        2 * (abs(where[a] - where[b]) - 1) for a, b in beside if a in where and b in where
    )


def _order(
    rows: list[list[str]], links: set[tuple[str, str]], beside: set[tuple[str, str]]
) -> list[list[str]]:
    """Barycentre sweeps down and up, then swaps of neighbours while they help."""

    def total(candidate: list[list[str]]) -> int:
        return sum(_row_cost(candidate, i, links, beside) for i in range(len(candidate)))

    best, best_total = [list(row) for row in rows], total(rows)
    current = [list(row) for row in rows]
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        for i in range(1, len(current)) if down else range(len(current) - 2, -1, -1):
            fixed = {name: k for k, name in enumerate(current[i - 1 if down else i + 1])}
            row = current[i]
            keys = {}
            for k, name in enumerate(row):
                near = [
                    fixed[a if down else b]
                    for a, b in links
                    if (b if down else a) == name and (a if down else b) in fixed
                ]
                keys[name] = sum(near) / len(near) if near else float(k)
            current[i] = sorted(row, key=keys.__getitem__)
        if (found := total(current)) < best_total:
            best, best_total = [list(row) for row in current], found
    improved = True
    while improved:
        improved = False
        for i, row in enumerate(best):
            for k in range(len(row) - 1):
                before = _row_cost(best, i, links, beside)
                row[k], row[k + 1] = row[k + 1], row[k]
                if _row_cost(best, i, links, beside) < before:
                    improved = True
                else:
                    row[k], row[k + 1] = row[k + 1], row[k]
    return best


def _fit(targets: Sequence[float], weights: Sequence[float]) -> list[float]:
    """The non-decreasing sequence closest to ``targets`` (weighted least squares, PAVA)."""
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for target, weight in zip(targets, weights, strict=True):
        blocks.append([target * weight, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, weight_sum, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += weight_sum
            blocks[-1][2] += count
    return [total / weight for total, weight, count in blocks for _ in range(int(count))]


def _gap(a: str, b: str, sinks: set[str]) -> float:
    """Room between neighbours in a row: boxes need space for edges between them; endings
    (edges only come in from above) and the passages of long edges much less."""
    if a in sinks and b in sinks:
        return 16.0
    virtual = a.startswith(VIRTUAL) + b.startswith(VIRTUAL)
    return (H_GAP, 14.0, 6.0)[virtual]


def _place(
    rows: list[list[str]],
    links: set[tuple[str, str]],
    width: Mapping[str, float],
    strong: set[tuple[str, str]],
    sinks: set[str],
) -> dict[str, float]:
    """Centre x of every node: as near the nodes it is linked to as the order and spacing
    allow. The virtual points of long edges weigh more, so that long edges run straight, and
    so do ``strong`` links (the pass branches), so that the call of a learner who does well
    reads straight down."""
    up: dict[str, list[tuple[str, float]]] = {}
    down: dict[str, list[tuple[str, float]]] = {}
    for a, b in links:
        weight = 12.0 if (a, b) in strong else 1.0
        down.setdefault(a, []).append((b, weight))
        up.setdefault(b, []).append((a, weight))
    offsets = []
    for row in rows:
        gaps = [0.0] + [(width[a] + width[b]) / 2 + _gap(a, b, sinks) for a, b in pairwise(row)]
        running, row_offsets = 0.0, []
        for gap in gaps:
            running += gap
            row_offsets.append(running)
        offsets.append(row_offsets)
    x = {
        name: offset
        for row, row_offsets in zip(rows, offsets, strict=True)
        for name, offset in zip(row, row_offsets, strict=True)
    }
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0  # place each row under the one above, then over the one below
        neighbours = up if downward else down
        pairs = list(zip(rows, offsets, strict=True))
        for row, row_offsets in pairs if downward else reversed(pairs):
            wanted, weights = [], []
            for name in row:
                near = neighbours.get(name, ())
                total = sum(weight for _other, weight in near)
                pulled = sum(x[other] * weight for other, weight in near)
                wanted.append(pulled / total if near else x[name])
                # A node held by a pass branch or a long edge moves least; its neighbours give.
                weights.append(max(total, 1.0) * (3.0 if name.startswith(VIRTUAL) else 1.0))
            fitted = _fit([w - o for w, o in zip(wanted, row_offsets, strict=True)], weights)
            for name, value, offset in zip(row, fitted, row_offsets, strict=True):
                x[name] = value + offset
    left = min((x[name] - width[name] / 2 for name in x), default=0.0)
    return {name: value - left + MARGIN for name, value in x.items()}


# --- drawing the edges ----------------------------------------------------------------------------


def _point_at(points: Sequence[tuple[float, float]], t: float) -> tuple[float, float]:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    u = 1 - t
    return (
        u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
        u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
    )


def _curves_to_path(
    curves: Sequence[Sequence[tuple[float, float]]], shift: float, vertical: bool
) -> str:
    def at(point: tuple[float, float]) -> str:
        px, py = point
        return f"{px + shift:.1f},{py:.1f}" if vertical else f"{px:.1f},{py + shift:.1f}"

    parts = [f"M{at(curves[0][0])}"]
    for curve in curves:
        if len(curve) == 2:
            parts.append(f"L{at(curve[1])}")
        else:
            parts.append(f"C{at(curve[1])} {at(curve[2])} {at(curve[3])}")
    return " ".join(parts)


def _ports(count: int, box: Box) -> list[float]:
    """x of ``count`` evenly spread attachment points along a box's top or bottom edge."""
    inner = box.w - 2 * 18
    return [box.x + 18 + inner * (i + 1) / (count + 1) for i in range(count)]


def _down(
    start: tuple[float, float],
    passes: Sequence[tuple[float, float, float]],
    end: tuple[float, float],
) -> list[list[tuple[float, float]]]:
    """Curves from ``start`` through each (x, top, bottom) a long edge passes, to ``end``."""
    curves: list[list[tuple[float, float]]] = []
    here = start
    for px, top, bottom in [*passes, (end[0], end[1], None)]:
        bend = max(22.0, (top - here[1]) * 0.5)
        curves.append([here, (here[0], here[1] + bend), (px, top - bend), (px, top)])
        if bottom is not None:
            curves.append([(px, top), (px, bottom)])
            here = (px, bottom)
    return curves


def _sideways(source: Box, target: Box, apart: int) -> list[tuple[float, float]]:
    """A turn leading to a turn of its own layer or of an earlier one."""
    right = target.cx >= source.cx
    side = 1 if right else -1
    x0 = source.x + source.w if right else source.x
    if target.layer == source.layer:
        x3 = target.x if right else target.x + target.w
        if apart == 1:  # neighbours: straight across
            y = source.y + source.h / 2
            return [(x0, y), (x0 + side * 12, y), (x3 - side * 12, y), (x3, y)]
        y = source.y + source.h * 0.8  # further along the row: an arc through the gap below
        dip = min(V_GAP * 0.7, 22.0 + 10.0 * apart)
        return [(x0, y), (x0 + side * 30, y + dip), (x3 - side * 30, y + dip), (x3, y)]
    x3 = target.x + target.w if right else target.x  # up: out of a side, into the same side
    y0, y3 = source.y + source.h * 0.3, target.y + target.h * 0.7
    reach = H_GAP * 0.9
    return [(x0, y0), (x0 + side * reach, y0), (x3 + side * reach, y3), (x3, y3)]


def _free_spot(
    x: float, y: float, w: float, taken: list[tuple[float, float, float]]
) -> tuple[float, float]:
    """Move a label down (then up) until it no longer sits on another label."""

    def clashes(cy: float) -> bool:
        return any(
            abs(cy - oy) < LABEL_H and abs(x - ox) < (w + ow) / 2 + 2 for ox, oy, ow in taken
        )

    for step in range(8):
        for candidate in (y + step * LABEL_H, y - step * LABEL_H):
            if not clashes(candidate):
                return x, candidate
    return x, y


# --- the layout -----------------------------------------------------------------------------------


def layout(
    nodes: Mapping[str, Mapping[str, Any]],
    start: str,
    *,
    scenario_titles: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Layout:
    """Place the nodes and edges of a script (``nodes`` and ``start`` as in the script format).

    ``scenario_titles`` names a turn's scenario by its title instead of its slug; ``labels``
    are the words drawn for the kinds of branch and the flags (translated by the caller).
    """
    words = {**DEFAULT_LABELS, **(labels or {})}
    titles = scenario_titles or {}
    order = [str(name) for name in nodes]
    links_by_node = {name: branches(nodes[name]) for name in order}
    successors = {name: [t for _k, t in links_by_node[name]] for name in order}
    missing = [t for name in order for t in successors[name] if t not in nodes]
    sinks = {name for name in order if "ending" in nodes[name]} | set(missing)
    layer, unreachable, band = _layers(order, start, successors, sinks)
    reached = set(layer) - set(unreachable)

    bundles: dict[tuple[str, str], list[str]] = {}
    for name in order:
        for kind, target in links_by_node[name]:
            bundles.setdefault((name, target), []).append(kind)

    # Rows in discovery order (breadth first, the pass branch first), with a virtual point
    # wherever a downward edge crosses a layer.
    ranked: list[str] = []
    for name in [start, *order, *missing]:
        if name in layer and name not in ranked:
            ranked.append(name)
    queue = [start] if start in reached else []
    for name in queue:
        # The pass branch between the others, so that it can run straight down.
        kinds = dict(links_by_node.get(name, ()))
        around = [kinds[k] for k in ("fail", "pass", "critical", "timeout") if k in kinds]
        queue += [t for t in dict.fromkeys(around) if t in reached and t not in queue]
    ranked = queue + [name for name in ranked if name not in queue]
    depth = max(layer.values(), default=-1) + 1
    rows = [[name for name in ranked if layer[name] == d] for d in range(depth)]
    width = {name: END_W if name in sinks else BOX_W for name in ranked}
    links: set[tuple[str, str]] = set()
    strong: set[tuple[str, str]] = set()
    beside: set[tuple[str, str]] = set()
    passes: dict[tuple[str, str], list[str]] = {}
    for source, target in bundles:
        low, high = layer[source], layer[target]
        if high == low:
            beside.add((source, target))
        if high <= low:
            continue
        chain = [source]
        for d in range(low + 1, high):
            point = f"{VIRTUAL}{source}\x00{target}\x00{d}"
            rows[d].append(point)
            width[point] = VIRTUAL_W
            layer[point] = d
            chain.append(point)
        passes[(source, target)] = chain[1:]
        links.update(pairwise([*chain, target]))
        if "pass" in bundles[(source, target)]:
            strong.update(pairwise([*chain, target]))
    rows = _order(rows, links, beside)
    centre = _place(rows, links, width, strong, sinks)
    climbs = any(layer[t] < layer[s] for s, t in bundles)
    if climbs:  # an edge climbing to an earlier layer swings out past the side of its boxes
        centre = {name: value + H_GAP for name, value in centre.items()}
    row_top = {}
    for d in range(depth):
        extra = BAND_GAP if band is not None and d >= band else 0.0
        row_top[d] = TOP + MARGIN + d * (BOX_H + V_GAP) + extra

    boxes: dict[str, Box] = {}
    for name in ranked:
        node = nodes.get(name)
        inner = width[name] - 2 * PADDING
        seconds = None
        if node is None:
            kind, line, detail = MISSING, words["missing"], ""
        elif "ending" in node:
            # An ending has no scenario: its text runs on to the second line.
            kind, ending = ENDING, " ".join(_text(node.get("ending")).split())
            line = clip(ending, inner, TEXT_SIZE)
            detail = ending[len(line.rstrip("…")) :] if line.endswith("…") else ""
        else:
            turn = node.get("turn") if isinstance(node.get("turn"), Mapping) else {}
            scenario = _text(turn.get("scenario"))
            kind, line, detail = TURN, _text(node.get("customer")), titles.get(scenario, scenario)
            raw = turn.get("seconds")
            seconds = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        boxes[name] = Box(
            id=name,
            kind=kind,
            layer=layer[name],
            x=round(centre[name] - width[name] / 2, 1),
            w=width[name],
            y=row_top[layer[name]],
            title=clip(name, inner - (34 if seconds is not None else 0), SMALL_SIZE * 1.05),
            line=clip(line, inner, TEXT_SIZE),
            detail=clip(detail, inner, TEXT_SIZE if kind == ENDING else SMALL_SIZE),
            seconds=seconds,
            start=name == start and node is not None,
            reachable=name in reached,
        )

    # Ports: the downward bundles leave a box's bottom and enter a box's top side by side,
    # in the order of where they go next, so that they do not cross at the box.
    def next_x(key: tuple[str, str]) -> float:
        hops = passes.get(key) or [key[1]]
        return centre[hops[0]]

    def last_x(key: tuple[str, str]) -> float:
        hops = passes.get(key) or [key[0]]
        return centre[hops[-1]]

    out_x: dict[tuple[str, str], float] = {}
    in_x: dict[tuple[str, str], float] = {}
    for name in ranked:
        leaving = sorted((k for k in passes if k[0] == name), key=next_x)
        out_x.update(zip(leaving, _ports(len(leaving), boxes[name]), strict=True))
        arriving = sorted((k for k in passes if k[1] == name), key=last_x)
        in_x.update(zip(arriving, _ports(len(arriving), boxes[name]), strict=True))

    edges: list[Edge] = []
    taken: list[tuple[float, float, float]] = []
    for (source, target), kinds in bundles.items():
        a, b = boxes[source], boxes[target]
        key = (source, target)
        vertical = key in passes
        if vertical:
            curves = _down(
                (out_x[key], a.y + a.h),
                [(centre[p], row_top[layer[p]], row_top[layer[p]] + BOX_H) for p in passes[key]],
                (in_x[key], b.y),
            )
        else:
            row = rows[a.layer]
            apart = abs(row.index(target) - row.index(source)) if target in row else 2
            curves = [_sideways(a, b, apart)]
        strokes = tuple(
            Stroke(kind, _curves_to_path(curves, (i - (len(kinds) - 1) / 2) * STROKE_GAP, vertical))
            for i, kind in enumerate(kinds)
        )
        label = tuple((kind, words[kind]) for kind in kinds)
        label_w = text_width(" / ".join(text for _k, text in label), LABEL_SIZE) + 10
        lx, ly = _point_at(curves[0], 0.5)
        lx, ly = _free_spot(lx, ly, label_w, taken)
        taken.append((lx, ly, label_w))
        edges.append(
            Edge(
                source=source,
                target=target,
                kinds=tuple(kinds),
                strokes=strokes,
                label=label,
                label_x=round(lx, 1),
                label_y=round(ly, 1),
                label_w=round(label_w, 1),
                dangling=target not in nodes,
            )
        )

    right = max((box.x + box.w for box in boxes.values()), default=BOX_W)
    right = max([right, *(x + w / 2 for x, _y, w in taken)])
    right = max([right, *(centre[p] + VIRTUAL_W for hops in passes.values() for p in hops)])
    if climbs:
        right += H_GAP
    bottom = max((box.y + box.h for box in boxes.values()), default=BOX_H)
    dangling = tuple(
        (name, BRANCH_OF_KIND[kind], target)
        for name in order
        for kind, target in links_by_node[name]
        if target not in nodes
    )
    return Layout(
        boxes=tuple(boxes[name] for row in rows for name in row if name in boxes),
        edges=tuple(edges),
        width=round(right + MARGIN, 1),
        height=round(bottom + MARGIN, 1),
        unreachable=tuple(unreachable),
        dangling=dangling,
        band_y=row_top[band] - BAND_GAP * 0.55 if band is not None else None,
        labels=words,
    )
