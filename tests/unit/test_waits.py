"""Held questions: answered when the room moves on for that phone, in turn, a few redraws at a time."""

from __future__ import annotations

import threading
import time

import pytest

from hopecircle.live.waits import RoomWaits


class Rooms:
    """Rooms by join code: (phase, cards) states, and how often the pump read them."""

    def __init__(self) -> None:
        self.states: dict[str, tuple[str, int] | None] = {"ROOM1": ("reflect", 0), "ROOM2": ("welcome", 0)}
        self.reads = 0

    def state_of(self, code: str) -> tuple[str, int] | None:
        self.reads += 1
        return self.states.get(code)


def signature(state: tuple[str, int], shown: int) -> str:
    phase, cards = state
    return f"{phase}|{min(cards, shown) if phase == 'board' else '-'}"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def rooms() -> Rooms:
    return Rooms()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make(rooms: Rooms, clock: Clock, in_flight: int = 2) -> RoomWaits:
    return RoomWaits(rooms.state_of, signature, in_flight=in_flight, flight_seconds=2.0, pump=False, monotonic=clock)


def asker(answers: dict[str, list[str | None]], tab: str):
    return lambda now_signature: answers.setdefault(tab, []).append(now_signature)


def hold(waits: RoomWaits, answers: dict[str, list[str | None]], tab: str, seen: str, code: str = "ROOM1"):
    """A question from `tab` (showing 12 cards), its answers recorded under the tab's name."""
    return waits.wait(tab, code, 12, seen, asker(answers, tab))


def test_a_question_waits_while_the_room_is_as_the_phone_saw_it(rooms, clock):
    waits, answers = make(rooms, clock), {}
    hold(waits, answers, "tab-a", "reflect|-")
    for _ in range(3):
        waits.step()
    assert answers == {} and waits.waiting() == 1
    rooms.states["ROOM1"] = ("next_step", 0)
    waits.step()
    assert answers == {"tab-a": ["next_step|-"]} and waits.waiting() == 0 and waits.answered == 1


def test_a_question_about_a_room_that_has_already_moved_on_is_answered_at_the_next_step(rooms, clock):
    waits, answers = make(rooms, clock), {}
    hold(waits, answers, "tab-a", "welcome|-")
    waits.step()
    assert answers == {"tab-a": ["reflect|-"]}


def test_a_phone_waits_only_for_what_its_own_screen_shows(rooms, clock):
    """In the board phase a phone showing 2 cards has nothing to redraw when a third is approved."""
    rooms.states["ROOM1"] = ("board", 2)
    waits, answers = make(rooms, clock, in_flight=5), {}
    waits.wait("small", "ROOM1", 2, "board|2", asker(answers, "small"))
    hold(waits, answers, "large", "board|2")
    waits.step()
    rooms.states["ROOM1"] = ("board", 3)
    waits.step()
    assert answers == {"large": ["board|3"]} and waits.waiting() == 1


def test_phones_are_answered_in_turn_a_few_redraws_at_a_time(rooms, clock):
    waits, answers = make(rooms, clock, in_flight=2), {}
    tabs = [f"tab-{n}" for n in range(5)]
    for tab in tabs:
        hold(waits, answers, tab, "reflect|-")
    waits.step()
    rooms.states["ROOM1"] = ("next_step", 0)
    waits.step()
    assert list(answers) == tabs[:2] and waits.flying() == 2  # the others wait for a redraw to land
    waits.step()
    assert list(answers) == tabs[:2]
    waits.drawn("tab-0")  # its screen redrew: the next phone goes at once, without a step
    assert list(answers) == tabs[:3]
    waits.drawn("tab-1")
    waits.drawn("tab-1")  # a second report of the same redraw frees nothing more
    assert list(answers) == tabs[:4]
    waits.drawn("tab-9")  # a tab that was not in flight (a send's redraw) frees nothing
    assert list(answers) == tabs[:4] and waits.flying() == 2


def test_a_redraw_that_never_lands_is_given_up_after_its_flight_time(rooms, clock):
    waits, answers = make(rooms, clock, in_flight=1), {}
    for tab in ("gone", "next"):
        hold(waits, answers, tab, "reflect|-")
    rooms.states["ROOM1"] = ("story", 0)
    waits.step()
    assert list(answers) == ["gone"]  # the tab closed before it could redraw: it never reports
    clock.now += 1.9
    waits.step()
    assert list(answers) == ["gone"]
    clock.now += 0.2
    waits.step()
    assert list(answers) == ["gone", "next"]


def test_asking_again_answers_the_tabs_earlier_question_with_no_change(rooms, clock):
    waits, answers = make(rooms, clock), {}
    waits.wait("tab-a", "ROOM1", 12, "reflect|-", asker(answers, "first"))
    waits.wait("tab-a", "ROOM1", 12, "reflect|-", asker(answers, "second"))
    assert answers == {"first": ["reflect|-"]} and waits.waiting() == 1
    rooms.states["ROOM1"] = ("board", 0)
    waits.step()
    assert answers == {"first": ["reflect|-"], "second": ["board|0"]}


def test_a_tab_asking_again_while_its_change_waits_for_its_turn_is_not_answered_twice(rooms, clock):
    waits, answers = make(rooms, clock, in_flight=1), {}
    hold(waits, answers, "busy", "reflect|-")
    waits.wait("tab-a", "ROOM1", 12, "reflect|-", asker(answers, "first"))
    rooms.states["ROOM1"] = ("story", 0)
    waits.step()
    assert answers == {"busy": ["story|-"]}  # tab-a is ready, waiting for a redraw to land
    waits.wait("tab-a", "ROOM1", 12, "story|-", asker(answers, "second"))  # it redrew some other way
    assert answers["first"] == ["reflect|-"]
    waits.drawn("busy")
    waits.step()
    assert answers == {"busy": ["story|-"], "first": ["reflect|-"]} and waits.waiting() == 1


def test_a_question_that_leaves_is_never_answered(rooms, clock):
    waits, answers = make(rooms, clock), {}
    waiter = hold(waits, answers, "tab-a", "reflect|-")
    waits.leave(waiter)
    rooms.states["ROOM1"] = ("board", 0)
    waits.step()
    assert answers == {} and waits.waiting() == 0 and waits.flying() == 0


def test_a_room_that_is_gone_is_answered_with_none_and_takes_no_flight(rooms, clock):
    waits, answers = make(rooms, clock, in_flight=1), {}
    hold(waits, answers, "tab-a", "reflect|-")
    hold(waits, answers, "tab-b", "reflect|-")
    del rooms.states["ROOM1"]
    waits.step()
    assert answers == {"tab-a": [None], "tab-b": [None]} and waits.flying() == 0


def test_each_room_is_read_once_a_step_however_many_phones_wait_on_it(rooms, clock):
    waits, answers = make(rooms, clock), {}
    for n in range(50):
        hold(waits, answers, f"a{n}", "reflect|-")
        hold(waits, answers, f"b{n}", "welcome|-", "ROOM2")
    waits.step()
    assert rooms.reads == 2 and answers == {}


def test_rooms_differ_one_moving_on_answers_only_its_phones(rooms, clock):
    waits, answers = make(rooms, clock, in_flight=10), {}
    hold(waits, answers, "in-1", "reflect|-")
    hold(waits, answers, "in-2", "welcome|-", "ROOM2")
    rooms.states["ROOM2"] = ("checkin", 0)
    waits.step()
    assert answers == {"in-2": ["checkin|-"]}


def test_at_least_one_redraw_must_be_allowed(rooms, clock):
    with pytest.raises(ValueError, match="at least one"):
        RoomWaits(rooms.state_of, signature, in_flight=0, pump=False)


def test_the_pump_thread_answers_by_itself_and_survives_a_failing_read(rooms):
    failures = []

    def state_of(code: str):
        if not failures:
            failures.append(code)
            raise RuntimeError("database hiccup")
        return rooms.state_of(code)

    waits = RoomWaits(state_of, signature, tick_seconds=0.05)
    answered = threading.Event()
    waits.wait("tab-a", "ROOM1", 12, "welcome|-", lambda now_signature: answered.set())
    deadline = time.monotonic() + 10
    while not answered.is_set() and time.monotonic() < deadline:
        answered.wait(0.05)
    assert answered.is_set() and failures == ["ROOM1"]  # one step failed; the next answered


def is_minor(seen: str, now: str) -> bool:
    return seen.split("|")[0] == now.split("|")[0] == "board"


def test_new_cards_alone_redraw_a_phone_at_most_once_per_gap_a_new_phase_at_once(rooms, clock):
    rooms.states["ROOM1"] = ("board", 1)
    waits = RoomWaits(rooms.state_of, signature, minor=is_minor, minor_gap=lambda: 10.0, pump=False, monotonic=clock)
    answers: dict[str, list[str | None]] = {}
    hold(waits, answers, "tab-a", "board|1")
    rooms.states["ROOM1"] = ("board", 2)
    waits.step()
    assert answers == {"tab-a": ["board|2"]}  # never answered before: at once
    waits.drawn("tab-a")
    hold(waits, answers, "tab-a", "board|2")
    rooms.states["ROOM1"] = ("board", 3)
    clock.now += 4
    waits.step()
    assert answers == {"tab-a": ["board|2"]}  # another card 4 s later: it waits out the gap
    clock.now += 6.5
    waits.step()
    assert answers == {"tab-a": ["board|2", "board|3"]}
    waits.drawn("tab-a")
    hold(waits, answers, "tab-a", "board|3")
    rooms.states["ROOM1"] = ("close", 3)
    clock.now += 1
    waits.step()
    assert answers["tab-a"][-1] == "close|-"  # the session closing is not minor: no gap


def test_a_changed_rule_can_answer_only_newer_states(rooms, clock):
    """Projectors: a shared state behind the one the page was drawn from is not a change."""
    rooms.states["ROOM1"] = ("v", 7)
    waits = RoomWaits(
        rooms.state_of,
        lambda state, shown: str(state[1]),
        changed=lambda seen, now: int(now) > int(seen),
        pump=False,
        monotonic=clock,
    )
    answers: dict[str, list[str | None]] = {}
    hold(waits, answers, "board", "9")
    waits.step()
    assert answers == {}  # 7 is older than the 9 drawn
    rooms.states["ROOM1"] = ("v", 10)
    waits.step()
    assert answers == {"board": ["10"]}
