"""How a figure reads: as text on the screen and in a printed report, and as a cell of a CSV file.

A hidden figure says why it is hidden ("fewer than N" with its own threshold, or "not shown"),
or the true statement that stands in for it ("most"), never a number. A pulse change always says
how many people it counts: only those who answered both pulses.
"""

from __future__ import annotations

from datetime import date

from hopecircle.groups import FOLLOW_UPS
from hopecircle.i18n import t
from hopecircle.reporting.figures import BANDS, PulseView
from hopecircle.reporting.follow_through import FollowRow
from hopecircle.reporting.summaries import Card, Dashboard, Figures
from hopecircle.reporting.suppression import Hidden, Value


def format_value(value: Value, style: str = "count") -> str:
    """A figure as text: the number in its style, or the reason it is hidden."""
    if value.hidden is Hidden.SMALL:
        return t("reports.fewer_than", n=value.threshold)
    if value.hidden is Hidden.COMPLEMENT:
        return t("reports.not_shown")
    if value.hidden is Hidden.MOST:
        return t("reports.most")
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


def answered_both(paired_n: Value) -> str:
    """How many people a pulse change counts, e.g. "10 answered both pulses"."""
    return t("reports.answered_both", n=format_value(paired_n))


def change_text(change: Value, paired_n: Value) -> str:
    """A pulse change with its base beside it: "+1.8 (10 answered both pulses)"."""
    return f"{format_value(change, 'change')} ({answered_both(paired_n)})"


def pulse_notes(pulse: PulseView) -> list[str]:
    """What a reader needs beside the pulse figures: the change's base, the bands, protected means."""
    notes = [t("reports.note_change_base", both=answered_both(pulse.paired_n))]
    if pulse.means_protected:
        notes.append(t("reports.note_means_protected", n=pulse.pre_n.threshold))
    if pulse.scale == "band":
        notes.append(t("reports.note_bands", bands=band_names()))
    return notes


def band_label(name: str) -> str:
    """A pulse band as a reader sees it: "Low (0-3)"."""
    low, high = next((lo, hi) for key, lo, hi in BANDS if key == name)
    return t("reports.band_label", band=t(f"reports.band.{name}"), low=low, high=high)


def band_names() -> str:
    return ", ".join(band_label(name) for name, _low, _high in BANDS)


def month_label(day: date) -> str:
    """A month as words: "November 2026"."""
    return t("reports.month_year", month=t(f"reports.month.{day.month}"), year=day.year)


def where_counted(day: date | None) -> str:
    """Where a small session's hidden figures still count: its month under Across sessions."""
    if day is None:
        return t("reports.where_longer_range")
    return t("reports.where_month", month=month_label(day))


def figure_facts(figures: Figures) -> list[tuple[str, str]]:
    """The headline figures as (label, text) pairs: attendance, contributions, goals, the pulse."""
    p = figures.pulse
    return [
        (t("reports.participants"), format_value(figures.participants)),
        (t("reports.contributions"), format_value(figures.contributions)),
        (t("reports.goal_share"), format_value(figures.goal_share, "percent")),
        (t("reports.pulse_pre_mean"), f"{format_value(p.pre_mean, 'mean')} (n={format_value(p.pre_n)})"),
        (t("reports.pulse_post_mean"), f"{format_value(p.post_mean, 'mean')} (n={format_value(p.post_n)})"),
        (t("reports.pulse_change"), change_text(p.mean_change, p.paired_n)),
        (t("reports.pulse_rose"), f"{format_value(p.rose_share, 'percent')} ({answered_both(p.paired_n)})"),
    ]


def words_note(figures: Figures) -> str:
    """The words rule, with how many other words were left out only while the check-in and
    check-out counts are shown: beside a hidden count, "0 other words" would pin it at zero."""
    if all(figures.kinds[kind].shown for kind in ("checkin", "checkout")):
        return t("reports.words_left_out", count=figures.words_left_out, n=figures.threshold)
    return t("reports.words_rule", n=figures.threshold)


def dashboard_facts(board: Dashboard) -> list[tuple[str, str]]:
    """The facts across sessions: how many were held, the headline figures, contributions per person."""
    return [
        (t("reports.sessions_held"), f"{board.sessions:,}"),
        *figure_facts(board.figures),
        (t("reports.per_participant"), format_value(board.contributions_per_participant, "ratio")),
    ]


def follow_label(row: FollowRow) -> str:
    """Whose follow-through a row is, and when: "Tuesday evening circle (Eastside) · 2026-11"."""
    if row.scope == "program":
        where = t("reports.follow_program", program=row.program or "—")
    else:
        where = t("reports.follow_group", group=row.name, program=row.program or "—")
    return f"{where} · {row.period}"


def follow_text(row: FollowRow) -> str:
    """How many answered and each answer's share, each figure as suppressed."""
    shares = " · ".join(
        t(f"reports.follow_{answer.value}", share=format_value(row.shares[answer], "percent")) for answer in FOLLOW_UPS
    )
    return f"{t('reports.follow_answered', n=format_value(row.answered))} · {shares}"


def follow_facts(board: Dashboard) -> list[tuple[str, str]]:
    """Every row of the follow-through table as (label, text), for printed reports."""
    return [(follow_label(row), follow_text(row)) for row in board.follow.rows]
