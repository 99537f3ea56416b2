"""A figure reads the same on the screen, in a printed report and in a CSV cell, with its own threshold."""

from __future__ import annotations

from datetime import date

from hopecircle import i18n
from hopecircle.reporting.charts import NoChart, chart_set
from hopecircle.reporting.formatting import cell, change_text, figure_facts, format_value, where_counted
from hopecircle.reporting.summaries import suppressed_figures
from hopecircle.reporting.suppression import Hidden, Value, count, share, statistic
from hopecircle.services.organization import OrgSettings
from hopecircle.stats import SessionStats


def figures_at(threshold: int):
    stats = SessionStats(
        participants=12,
        kinds={"reflection": (7, 7), "goal": (12, 12)},
        participants_with_goal=12,
        pulse_pre=(0, 0, 0, 6, 0, 0, 6, 0, 0, 0, 0),
        pulse_post=(0, 0, 0, 0, 0, 3, 0, 3, 0, 0, 0),
        dimensions={"health": 6, "community": 5, "none": 1},
        themes={"hope": 6, "family": 1},
    )
    return suppressed_figures(stats, threshold, OrgSettings(suppression_threshold=threshold))


def test_a_hidden_figure_says_fewer_than_its_own_threshold():
    assert format_value(count(3, 5)) == "fewer than 5"
    assert format_value(count(3, 7)) == "fewer than 7"
    assert format_value(statistic(6.2, 4, 9), "mean") == "fewer than 9"


def test_a_shown_figure_reads_in_its_style():
    assert format_value(count(1234, 5)) == "1,234"
    assert format_value(share(6, 12, 5), "percent") == "50%"
    assert format_value(statistic(1.8, 10, 5), "change") == "+1.8"
    assert format_value(statistic(4.55, 10, 5), "mean") == "4.5"
    assert format_value(statistic(None, 0, 5)) == "—"
    assert format_value(Value(None, Hidden.COMPLEMENT, 5)) == "not shown (protects a small count)"


def test_a_csv_cell_is_a_number_a_spreadsheet_can_add_or_the_reason_it_is_hidden():
    assert cell(count(12, 5)) == 12 and isinstance(cell(count(12, 5)), int)
    assert cell(statistic(4.56789, 12, 5), "mean") == 4.568
    assert cell(count(2, 7)) == "fewer than 7"


def test_figures_keep_their_threshold_from_the_facts_to_the_charts():
    assert dict(figure_facts(figures_at(5)))["Hope pulse after, mean"] == "6.0 (n=6)"
    figures = figures_at(7)
    assert figures.threshold == 7
    facts = dict(figure_facts(figures))
    assert facts["Phones that joined"] == "12"
    assert facts["Hope pulse after, mean"] == "fewer than 7 (n=fewer than 7)"
    # At 7 every bar of the pulse, the goals and the themes is hidden: one sentence each says so.
    charts = chart_set(figures)
    assert "fewer than 7 people gave any one answer" in charts["pulse"].sentence
    assert "fewer than 7 people" in charts["dimensions"].sentence
    assert "mentioned by 7 or more" in charts["themes"].sentence
    # At 6 the goals chart shows health (6) and outlines the rest, each labelled with 6.
    dimensions = chart_set(figures_at(6))["dimensions"]
    assert not isinstance(dimensions, NoChart)
    assert {trace.name for trace in dimensions.data if trace.meta == "hidden"} == {"fewer than 6"}


def test_a_share_said_as_most_reads_as_words_on_screen_and_in_a_csv_cell():
    most = Value(None, Hidden.MOST, 5)
    assert format_value(most, "percent") == "most (more than half)"
    assert cell(most, "percent") == "most (more than half)"


def test_a_pulse_change_always_says_how_many_answered_both_pulses():
    facts = dict(figure_facts(figures_at(5)))
    assert facts["Hope pulse change, mean"] == "— (0 answered both pulses)"
    assert change_text(statistic(1.8, 10, 5), count(10, 5)) == "+1.8 (10 answered both pulses)"
    assert change_text(statistic(1.8, 3, 5), count(3, 5)) == "fewer than 5 (fewer than 5 answered both pulses)"


def test_a_session_is_counted_in_its_month_in_words(monkeypatch):
    assert where_counted(date(2026, 11, 24)).endswith("the other sessions of November 2026.")
    monkeypatch.setattr(i18n, "_language_resolver", lambda: "es")
    assert "noviembre de 2026" in where_counted(date(2026, 11, 24))
