"""Figures built from plain data: plotly only, no Streamlit, no database.

Plotly reads a subset of HTML in every label, tick, legend and hover text (`<a href>`, `<i>`,
`<sup>`, `<br>`): a check-in word like `<a href=...>` would become a link on the Reports page and
in the HTML export. Every string that goes into a figure here passes through `plain` first, so it
is drawn exactly as typed; code that reads a figure back (the PDF) undoes it with `html.unescape`.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from statistics import mean

import plotly.graph_objects as go

from hopecircle.domain import PULSE_MAX, PULSE_MIN, PulseSummary

PRE_COLOR = "#8a9bb0"


def plain(text: object) -> str:
    """A string plotly draws as it is: its markup characters made entities, never tags."""
    return html.escape(str(text), quote=False)


POST_COLOR = "#0b5d57"


def pulse_counts(values: tuple[int, ...]) -> list[int]:
    """How many answered each value from 0 to 10."""
    counts = [0] * (PULSE_MAX - PULSE_MIN + 1)
    for value in values:
        counts[value - PULSE_MIN] += 1
    return counts


def pulse_figure(
    pulse: PulseSummary,
    labels: dict[str, str],
    *,
    dark: bool = False,
    font_size: int = 22,
    axis_title_chars: int | None = None,
) -> go.Figure:
    """Side-by-side bars of the 0-10 hope pulse before and after, with each mean in the legend.

    `axis_title_chars` wraps the axis title for a narrow place (beside the projector's cards),
    where the one-line title would be cut off at both ends.
    """
    axis_lines = textwrap.wrap(labels["axis"], axis_title_chars) if axis_title_chars else [labels["axis"]]
    axis_lines = [plain(line) for line in axis_lines]
    scale = list(range(PULSE_MIN, PULSE_MAX + 1))
    figure = go.Figure()
    for values, name, color in ((pulse.pre, labels["pre"], PRE_COLOR), (pulse.post, labels["post"], POST_COLOR)):
        if not values:
            continue
        figure.add_bar(
            x=scale,
            y=pulse_counts(values),
            name=plain(f"{name} · {labels['mean']} {mean(values):.1f} (n={len(values)})"),
            marker_color=color,
        )
    ink = "#f4f1ea" if dark else "#17202c"
    figure.update_layout(
        barmode="group",
        bargap=0.25,
        font={"size": font_size, "color": ink},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 40, "r": 20, "t": 60, "b": 50},
        xaxis={
            # A wrapped title is centred on its anchor: move it down by its extra lines, off the ticks
            # (automargin then makes room for it below the plot).
            "title": {"text": "<br>".join(axis_lines), "standoff": 8 + round(0.5 * font_size) * (len(axis_lines) - 1)},
            "automargin": True,
            "tickmode": "linear",
            "dtick": 1,
            "range": [PULSE_MIN - 0.6, PULSE_MAX + 0.6],
        },
        yaxis={
            "title": {"text": plain(labels["count"]), "standoff": 8},
            "automargin": True,
            "rangemode": "tozero",
            "dtick": 1,
            "gridcolor": "rgba(128,128,128,0.25)",
        },
        height=420,
    )
    return figure


# Report figures: print-friendly (white paper, dark ink, no reliance on colour alone), and every
# hidden (suppressed) figure drawn as a pale dashed outline labelled "fewer than N", never as a number.
INK = "#17202c"
ACCENT = "#0b5d57"
HIDDEN_FILL = "rgba(138,155,176,0.18)"
HIDDEN_LINE = "#8a9bb0"
HIDDEN_META = "hidden"
# A figure to draw: a number, or (as text) the reason it is hidden, e.g. "fewer than 5".
Number = float | int | str | None


def _paper(figure: go.Figure, title: str, x_title: str = "", y_title: str = "", height: int = 360) -> go.Figure:
    figure.update_layout(
        title={"text": plain(title), "x": 0, "font": {"size": 17}},
        font={"size": 13, "color": INK, "family": "DejaVu Sans, Arial, sans-serif"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        height=height,
        xaxis={"title": plain(x_title), "gridcolor": "rgba(128,128,128,0.2)", "zeroline": False},
        yaxis={"title": plain(y_title), "gridcolor": "rgba(128,128,128,0.2)", "rangemode": "tozero"},
    )
    return figure


def _hidden_trace(x: list[object], y: list[object], label: str, horizontal: bool = False) -> go.Bar:
    label = plain(label)
    bar = go.Bar(
        x=y if horizontal else x,
        y=x if horizontal else y,
        orientation="h" if horizontal else "v",
        name=label,
        meta=HIDDEN_META,
        marker={"color": HIDDEN_FILL, "line": {"color": HIDDEN_LINE, "width": 1.5}, "pattern": {"shape": "/"}},
        text=[label] * len(x),
        textposition="inside",
        hovertemplate=label + "<extra></extra>",
    )
    return bar


def pulse_distribution_figure(
    pre: Sequence[Number],
    post: Sequence[Number],
    labels: dict[str, str],
    threshold: int,
    *,
    categories: Sequence[str] | None = None,
) -> go.Figure:
    """Pre and post hope pulse side by side, 0 to 10 (or one pair of bars per category, e.g. the
    low / middle / high bands); a hidden count is an outline up to threshold-1, named by its reason."""
    scale = list(range(len(categories))) if categories else list(range(PULSE_MIN, PULSE_MAX + 1))
    figure = go.Figure()
    ghosts: dict[str, list[object]] = {}
    for values, name, color, shift in ((pre, labels["pre"], PRE_COLOR, -0.2), (post, labels["post"], POST_COLOR, 0.2)):
        figure.add_bar(
            x=[x + shift for x in scale],
            y=[v if isinstance(v, int | float) else 0 for v in values],
            name=plain(name),
            marker_color=color,
            width=0.38,
            meta="",
        )
        for x, v in zip(scale, values, strict=True):
            if isinstance(v, str):
                ghosts.setdefault(v, []).append(x + shift)
    for reason, xs in ghosts.items():
        ghost = _hidden_trace(xs, [threshold - 1] * len(xs), reason)
        ghost.update(width=0.38, text=None)
        figure.add_trace(ghost)
    figure.update_layout(barmode="overlay", bargap=0.1)
    _paper(figure, labels["title"], labels["axis"], labels["count"])
    if categories:
        figure.update_xaxes(
            tickmode="array", tickvals=scale, ticktext=[plain(c) for c in categories], range=[-0.6, len(scale) - 0.4]
        )
    else:
        figure.update_xaxes(tickmode="linear", dtick=1, range=[PULSE_MIN - 0.6, PULSE_MAX + 0.6])
    return figure


def bar_figure(
    items: Sequence[tuple[str, Number]], labels: dict[str, str], threshold: int, *, percent: bool = False
) -> go.Figure:
    """Horizontal bars, largest first as given; hidden values as outlines labelled 'fewer than N'."""
    names = [plain(name) for name, _v in items][::-1]
    values = [v for _n, v in items][::-1]
    figure = go.Figure()
    figure.add_bar(
        x=[v if isinstance(v, int | float) else 0 for v in values],
        y=names,
        orientation="h",
        marker_color=ACCENT,
        text=[_label(v, percent) if isinstance(v, int | float) else "" for v in values],
        textposition="outside",
        name=plain(labels.get("value", "")),
        showlegend=False,
        meta="",
    )
    hidden = [(name, v) for name, v in zip(names, values, strict=True) if isinstance(v, str)]
    if hidden:
        ghost = _hidden_trace([n for n, _v in hidden], [threshold - 1] * len(hidden), labels["hidden"], horizontal=True)
        ghost.update(text=[plain(v) for _n, v in hidden], textposition="outside", showlegend=False)
        figure.add_trace(ghost)
    figure.update_layout(barmode="overlay")
    _paper(figure, labels["title"], labels.get("axis", ""), "", height=max(220, 60 + 34 * len(items)))
    figure.update_yaxes(automargin=True, gridcolor="rgba(0,0,0,0)")
    if percent:
        figure.update_xaxes(tickformat=".0%", range=[0, 1.15])
    return figure


def _label(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.0%}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def trend_figure(
    periods: Sequence[str],
    series: dict[str, Sequence[Number]],
    labels: dict[str, str],
    *,
    percent: bool = False,
    hover: Sequence[str] | None = None,
) -> go.Figure:
    """One line per series over time; a hidden point is a gap in the line, never a zero.

    `hover` gives each point of the first series a line of its own (e.g. how many people it counts).
    """
    figure = go.Figure()
    palette = [ACCENT, "#b0503c", "#4a5fa8", "#7a6a1f"]
    symbols = ["circle", "square", "diamond", "triangle-up"]
    for index, (name, values) in enumerate(series.items()):
        figure.add_scatter(
            x=[plain(period) for period in periods],
            y=list(values),
            mode="lines+markers",
            name=plain(name),
            connectgaps=False,
            line={"color": palette[index % 4], "width": 2.5},
            marker={"symbol": symbols[index % 4], "size": 8},
            hovertext=[plain(text) for text in hover] if hover is not None and index == 0 else None,
        )
    _paper(figure, labels["title"], labels.get("axis", ""), labels.get("count", ""))
    figure.update_xaxes(type="category")
    if percent:
        figure.update_yaxes(tickformat=".0%", range=[0, 1.05])
    if len(series) == 1:
        figure.update_layout(showlegend=False)
    return figure


def change_by_story_figure(rows: Sequence[tuple[str, float]], labels: dict[str, str]) -> go.Figure:
    """Mean pulse change after each story (label, change), largest first; each label says its base."""
    ordered = list(rows)[::-1]
    figure = go.Figure()
    figure.add_bar(
        x=[change for _label, change in ordered],
        y=[plain(label) for label, _c in ordered],
        orientation="h",
        marker_color=[ACCENT if change >= 0 else "#b0503c" for _label, change in ordered],
        text=[f"{change:+.1f}" for _label, change in ordered],
        textposition="outside",
        showlegend=False,
        meta="",
    )
    _paper(figure, labels["title"], labels["axis"], "", height=max(220, 60 + 34 * len(ordered)))
    figure.update_yaxes(automargin=True, gridcolor="rgba(0,0,0,0)")
    return figure
