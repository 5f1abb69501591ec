"""Bar charts as plain geometry for server-rendered SVG (templates/certificates/_chart.svg).

Pure functions: values in, rectangles and text positions out. No JavaScript and nothing from
a CDN; the template adds <title>/<desc> and the numbers are printed next to the bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    tone: str
    x: float
    y: float
    width: float
    height: float
    value_x: float
    value_y: float
    label_x: float
    label_y: float
    caption: str = ""  # a second label line (the year under a month)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    baseline_y: float = 0
    horizontal: bool = True

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def empty(self) -> bool:
        return self.total == 0


def _scale(value: int, largest: int, room: float) -> float:
    if largest <= 0 or value <= 0:
        return 0.0
    # A non-zero value stays visible however small it is next to the largest.
    return max(2.0, room * value / largest)


def horizontal_bars(
    items: Sequence[tuple[str, int, str]],
    *,
    width: int = 420,
    label_width: int = 168,
    row_height: int = 26,
    bar_height: int = 16,
    value_room: int = 40,
) -> Chart:
    """One row per (label, value, tone): label on the left, bar, then the number."""
    largest = max((value for _, value, _ in items), default=0)
    room = width - label_width - value_room
    bars = []
    for index, (label, value, tone) in enumerate(items):
        top = index * row_height + (row_height - bar_height) / 2
        length = _scale(value, largest, room)
        middle = top + bar_height / 2 + 4.5  # text baseline: centred on the bar for 13px text
        bars.append(
            Bar(
                label=label,
                value=value,
                tone=tone,
                x=label_width,
                y=top,
                width=round(length, 1),
                height=bar_height,
                value_x=round(label_width + length + 6, 1),
                value_y=middle,
                label_x=label_width - 8,
                label_y=middle,
            )
        )
    return Chart(width=width, height=max(row_height, len(items) * row_height), bars=tuple(bars))


def columns(
    items: Sequence[tuple[str, int, str]],
    *,
    width: int = 420,
    height: int = 200,
    top_room: int = 20,
    bottom_room: int = 38,
    gap: int = 6,
) -> Chart:
    """One column per (label, value, caption), left to right, the number above each."""
    count = max(1, len(items))
    slot = width / count
    column_width = max(4.0, slot - gap)
    baseline = height - bottom_room
    room = baseline - top_room
    largest = max((value for _, value, _ in items), default=0)
    bars = []
    for index, (label, value, caption) in enumerate(items):
        length = _scale(value, largest, room)
        left = index * slot + gap / 2
        centre = round(left + column_width / 2, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                tone="",
                x=round(left, 1),
                y=round(baseline - length, 1),
                width=round(column_width, 1),
                height=round(length, 1),
                value_x=centre,
                value_y=round(baseline - length - 6, 1),
                label_x=centre,
                label_y=baseline + 16,
                caption=caption,
            )
        )
    return Chart(
        width=width, height=height, bars=tuple(bars), baseline_y=baseline, horizontal=False
    )
