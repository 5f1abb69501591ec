"""Chart geometry: pure numbers in, bars out."""

from certificates import charts


def test_bars_scale_to_the_largest_and_small_values_stay_visible():
    chart = charts.horizontal_bars([("逾期", 100, "a"), ("已认证", 1, "b"), ("已撤销", 0, "c")])

    longest, tiny, empty = chart.bars
    assert longest.width > tiny.width >= 2 and empty.width == 0
    assert longest.x + longest.width <= chart.width
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)


def test_an_all_zero_chart_is_empty_not_broken():
    chart = charts.columns([("01", 0, "2026"), ("02", 0, "")])

    assert chart.empty and all(bar.height == 0 for bar in chart.bars)


def test_columns_stand_on_the_baseline_inside_the_box():
    chart = charts.columns([(f"{month:02d}", month * 3, "") for month in range(1, 13)])

    assert all(round(bar.y + bar.height, 1) == chart.baseline_y for bar in chart.bars)
    assert all(bar.x >= 0 and bar.x + bar.width <= chart.width for bar in chart.bars)
    assert chart.bars[-1].height > chart.bars[0].height
