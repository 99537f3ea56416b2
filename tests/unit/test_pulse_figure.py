"""The projector's hope pulse chart: counts per 0-10 value, each mean in the legend, a title that fits."""

from __future__ import annotations

from hopecircle.analytics import pulse_figure
from hopecircle.domain import PulseSummary

LABELS = {
    "pre": "Start",
    "post": "End",
    "mean": "average",
    "axis": "Hope right now (0-10 pulse check, not a validated measure)",
    "count": "People",
}


def test_bars_count_each_value_and_the_legend_gives_each_mean():
    figure = pulse_figure(PulseSummary(pre=(3, 5, 5), post=(7,)), LABELS)
    start, end = figure.data
    assert list(start.y) == [0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0]
    assert start.name == "Start · average 4.3 (n=3)" and end.name == "End · average 7.0 (n=1)"


def test_a_series_nobody_answered_is_left_out():
    figure = pulse_figure(PulseSummary(pre=(4, 6, 8), post=()), LABELS)
    assert [bar.name.split(" ·")[0] for bar in figure.data] == ["Start"]


def test_beside_the_cards_the_axis_title_is_wrapped_clear_of_the_ticks():
    wide = pulse_figure(PulseSummary(pre=(4, 6, 8), post=()), LABELS)
    narrow = pulse_figure(PulseSummary(pre=(4, 6, 8), post=()), LABELS, axis_title_chars=30)
    assert wide.layout.xaxis.title.text == LABELS["axis"]
    lines = narrow.layout.xaxis.title.text.split("<br>")
    assert len(lines) > 1 and all(len(line) <= 30 for line in lines)
    assert " ".join(lines) == LABELS["axis"]  # nothing cut off
    assert narrow.layout.xaxis.title.standoff > wide.layout.xaxis.title.standoff  # clear of the tick labels
