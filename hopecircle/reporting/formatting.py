"""How a figure reads: as text on the screen and in a printed report, and as a cell of a CSV file.

A hidden figure says why it is hidden ("fewer than N" with its own threshold, or "not shown"),
never a number.
"""

from __future__ import annotations

from hopecircle.i18n import t
from hopecircle.reporting.summaries import Card, Dashboard, Figures
from hopecircle.reporting.suppression import Hidden, Value


def format_value(value: Value, style: str = "count") -> str:
    """A figure as text: the number in its style, or the reason it is hidden."""
    if value.hidden is Hidden.SMALL:
        return t("reports.fewer_than", n=value.threshold)
    if value.hidden is Hidden.COMPLEMENT:
        return t("reports.not_shown")
    if value.number is None:
        return "—"
    number = value.number
    if style == "percent":
        return f"{number:.0%}"
    if style == "mean":
        return f"{number:.1f}"
    if style == "change":
        return f"{number:+.1f}"
    if style == "ratio":
        return f"{number:.1f}"
    return f"{number:,.0f}"


def cell(value: Value, style: str = "count") -> object:
    """A CSV cell: a plain number a spreadsheet can add up, or the hidden marker as text."""
    if value.shown and value.number is not None:
        return round(value.number, 3) if style != "count" else int(value.number)
    return format_value(value, style)


def card_text(card: Card) -> str:
    """A card as one line of text: the words, then when and who or what supports it."""
    parts = [card.body]
    if card.goal_when:
        parts.append(t("reports.card_when", when=card.goal_when))
    if card.goal_support:
        parts.append(t("reports.card_support", support=card.goal_support))
    return " — ".join(parts)


def figure_facts(figures: Figures) -> list[tuple[str, str]]:
    """The headline figures as (label, text) pairs: attendance, contributions, goals, the pulse."""
    p = figures.pulse
    return [
        (t("reports.participants"), format_value(figures.participants)),
        (t("reports.contributions"), format_value(figures.contributions)),
        (t("reports.goal_share"), format_value(figures.goal_share, "percent")),
        (t("reports.pulse_pre_mean"), f"{format_value(p.pre_mean, 'mean')} (n={format_value(p.pre_n)})"),
        (t("reports.pulse_post_mean"), f"{format_value(p.post_mean, 'mean')} (n={format_value(p.post_n)})"),
        (t("reports.pulse_change"), f"{format_value(p.mean_change, 'change')} (n={format_value(p.paired_n)})"),
    ]


def dashboard_facts(board: Dashboard) -> list[tuple[str, str]]:
    """The facts across sessions: how many were held, the headline figures, contributions per person."""
    return [
        (t("reports.sessions_held"), f"{board.sessions:,}"),
        *figure_facts(board.figures),
        (t("reports.per_participant"), format_value(board.contributions_per_participant, "ratio")),
    ]
