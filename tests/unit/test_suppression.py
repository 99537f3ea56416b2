"""Small-count suppression rules, case by case, without a database."""

from __future__ import annotations

import pytest

from hopecircle.reporting.suppression import (
    Hidden,
    Value,
    breakdown,
    count,
    majority_share,
    outside_bounds,
    share,
    statistic,
    top_words,
)

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


MOST = Value(None, Hidden.MOST, 5)


def test_a_share_kept_hidden_only_by_the_few_outside_it_is_said_as_most():
    assert majority_share(13, 15, 5) == MOST  # "13 of 15" would tell that 2 did not
    assert majority_share(6, 7, 5) == MOST  # 1 or 2 did not: not pinned
    assert majority_share(12, 12, 5) == Value(1.0)
    assert majority_share(6, 12, 5) == Value(0.5)
    assert majority_share(3, 12, 5) == SMALL  # fewer than 5 did: says nothing about "most"
    assert majority_share(4, 4, 5) == SMALL  # the whole group is small


def test_most_is_never_said_where_it_would_pin_the_few_outside_it():
    # 5 of 6: "most" means at least 5 did and at least 1 did not, so exactly 1 did not.
    assert majority_share(5, 6, 5) == COMPLEMENT
    # At threshold 2 "fewer than 2 outside" is always exactly 1; at 3 it is 1 or 2.
    assert majority_share(9, 10, 2) == COMPLEMENT
    assert majority_share(19, 20, 3) == MOST


def test_most_is_true_and_the_few_outside_it_could_be_more_than_one_number():
    for whole in range(1, 40):
        for part in range(whole + 1):
            for threshold in (2, 3, 5, 7):
                said = majority_share(part, whole, threshold)
                if said.hidden is Hidden.MOST:
                    assert part > whole / 2, (part, whole, threshold)
                    least, most = outside_bounds(said, part, whole)
                    assert least <= whole - part <= most and most - least >= 1, (part, whole, threshold)


def test_what_a_reader_can_tell_of_the_people_outside_a_share():
    assert outside_bounds(majority_share(13, 15, 5), 13, 15) == (1, 4)
    assert outside_bounds(majority_share(6, 7, 5), 6, 7) == (1, 2)
    assert outside_bounds(majority_share(3, 12, 5), 3, 12) == (8, 11)
    assert outside_bounds(majority_share(6, 12, 5), 6, 12) == (6, 6)


def test_a_cell_a_reader_already_knows_something_about_is_kept_from_being_pinned():
    # Goals by part of life beside "most set a goal" (15 people, 13 with a goal): the 2 without one
    # are a cell nobody sees, known to be 1 to 4. Showing health 7 and community 6 would add up to 13.
    cells = {"health": 7, "home": 0, "purpose": 0, "community": 6, "none": 0, "no goal": 2}
    shown = breakdown(cells, 15, 5, known={"no goal": (1, 4)})
    assert shown["health"] == Value(7)
    assert shown["community"] == COMPLEMENT
    assert [shown[k] for k in ("home", "purpose", "none")] == [SMALL, SMALL, SMALL]


def test_known_bounds_that_leave_no_choice_hide_every_cell():
    assert breakdown({"a": 6, "b": 1}, 7, 5, known={"b": (1, 1)}) == {"a": COMPLEMENT, "b": COMPLEMENT}
