"""Figures built from plain data: plotly only, no Streamlit, no database."""

from __future__ import annotations

from statistics import mean

import plotly.graph_objects as go

from hopecircle.domain import PULSE_MAX, PULSE_MIN, PulseSummary

PRE_COLOR = "#8a9bb0"
POST_COLOR = "#0b5d57"


def pulse_counts(values: tuple[int, ...]) -> list[int]:
    """How many answered each value from 0 to 10."""
    counts = [0] * (PULSE_MAX - PULSE_MIN + 1)
    for value in values:
        counts[value - PULSE_MIN] += 1
    return counts


def pulse_figure(pulse: PulseSummary, labels: dict[str, str], *, dark: bool = False, font_size: int = 22) -> go.Figure:
    """Side-by-side bars of the 0-10 hope pulse before and after, with each mean in the legend."""
    scale = list(range(PULSE_MIN, PULSE_MAX + 1))
    figure = go.Figure()
    for values, name, color in ((pulse.pre, labels["pre"], PRE_COLOR), (pulse.post, labels["post"], POST_COLOR)):
        if not values:
            continue
        figure.add_bar(
            x=scale,
            y=pulse_counts(values),
            name=f"{name} · {labels['mean']} {mean(values):.1f} (n={len(values)})",
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
        xaxis={"title": labels["axis"], "tickmode": "linear", "dtick": 1, "range": [PULSE_MIN - 0.6, PULSE_MAX + 0.6]},
        yaxis={"title": labels["count"], "rangemode": "tozero", "dtick": 1, "gridcolor": "rgba(128,128,128,0.25)"},
        height=420,
    )
    return figure
