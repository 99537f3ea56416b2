"""Small-count suppression rules, case by case, without a database."""

from __future__ import annotations

import pytest

from hopecircle.reporting.suppression import Hidden, Value, breakdown, count, share, statistic, top_words

SMALL = Value(None, Hidden.SMALL, 5)
COMPLEMENT = Value(None, Hidden.COMPLEMENT)


def test_counts_from_one_to_threshold_minus_one_are_hidden_and_zero_is_not():
    assert [count(n, 5) for n in (0, 1, 4, 5, 40)] == [Value(0), SMALL, SMALL, Value(5), Value(40)]


def test_a_statistic_needs_threshold_people_behind_it():
    assert statistic(6.2, 4, 5) == SMALL
    assert statistic(6.2, 5, 5) == Value(6.2)
    assert statistic(None, 0, 5) == Value(None)


def test_a_share_is_hidden_when_the_people_outside_it_are_few():
    assert share(10, 12, 5) == SMALL  # it would tell that 2 people did not
    assert share(3, 12, 5) == SMALL
    assert share(12, 12, 5) == Value(1.0)
    assert share(6, 12, 5) == Value(0.5)
    assert share(4, 4, 5) == SMALL


def test_two_small_cells_that_add_up_to_threshold_protect_each_other():
    cells = breakdown({"a": 9, "b": 3, "c": 2, "d": 8}, 22, 5)
    assert cells == {"a": Value(9), "b": SMALL, "c": SMALL, "d": Value(8)}


def test_one_hidden_cell_is_never_left_alone_beside_a_total():
    # 20 - 9 - 8 would give the 3 back; a zero cell beside it still leaves a rest of 3, so the
    # smallest larger cell is hidden too (as "not shown", since it is not fewer than 5).
    cells = breakdown({"a": 9, "b": 3, "c": 0, "d": 8}, 20, 5)
    assert cells == {"a": Value(9), "b": SMALL, "c": SMALL, "d": COMPLEMENT}


def test_when_the_hidden_cells_add_up_to_a_small_rest_a_larger_cell_is_hidden_too():
    cells = breakdown({"a": 9, "b": 3}, 12, 5)
    assert cells == {"a": COMPLEMENT, "b": SMALL}


def test_hidden_cells_that_can_only_be_four_each_are_not_left_pinned():
    # 4 + 4 = 8 with both "fewer than 5" means both are 4: a zero cell joins them.
    cells = breakdown({"a": 4, "b": 4, "c": 0, "d": 10}, 18, 5)
    assert cells == {"a": SMALL, "b": SMALL, "c": SMALL, "d": Value(10)}


def test_with_nothing_left_to_hide_the_cells_say_only_that_they_are_not_shown():
    assert breakdown({"a": 4, "b": 4}, 8, 5) == {"a": COMPLEMENT, "b": COMPLEMENT}


def test_a_total_below_threshold_hides_every_cell_even_zeros():
    assert breakdown({"a": 3, "b": 0}, 3, 5) == {"a": SMALL, "b": SMALL}


def test_no_combination_of_visible_cells_and_the_total_recovers_a_hidden_one():
    import itertools

    for values in itertools.product(range(0, 9), repeat=3):
        total = sum(values)
        cells = breakdown(dict(zip("abc", values, strict=True)), total, 5)
        hidden = [key for key, value in cells.items() if not value.shown]
        rest = total - sum(v.number for v in cells.values() if v.shown)
        if total >= 5 and hidden:
            assert len(hidden) >= 2 or cells[hidden[0]].hidden is Hidden.COMPLEMENT, (values, cells)
            assert rest == 0 or rest >= 5, (values, cells)


def test_only_words_said_by_enough_people_are_shown():
    assert top_words((("hopeful", 6), ("tired", 2), ("calm", 1)), 5) == ((("hopeful", 6),), 2)


def test_every_rule_leaves_its_threshold_on_the_figures_it_makes():
    made = [
        count(3, 7),
        count(9, 7),
        statistic(6.2, 9, 7),
        statistic(None, 0, 7),
        share(8, 16, 7),
        *breakdown({"a": 9, "b": 3, "c": 0, "d": 8}, 20, 7).values(),
    ]
    assert {value.threshold for value in made} == {7}


def test_a_figure_hidden_as_small_cannot_forget_the_threshold_it_is_below():
    with pytest.raises(ValueError):
        Value(None, Hidden.SMALL)
    assert Value.small(7) == Value(None, Hidden.SMALL, 7)


def test_figures_compare_by_number_and_reason_not_by_how_a_reason_reads():
    assert count(3, 5) == count(3, 11) == SMALL
    assert count(12, 5) == Value(12)
    assert count(12, 5) != count(13, 5)
