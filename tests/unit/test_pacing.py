"""How often phones look: every 3 s in an ordinary group, less often (and spread out) in a big one."""

from __future__ import annotations

from hopecircle.live.pacing import MAX_POLL_SECONDS, POLL_BUDGET_PER_SECOND, POLL_SECONDS, Pacing


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def serving(n: int, clock: Clock | None = None) -> Pacing:
    """A process that has heard from `n` phones just now."""
    pacing = Pacing(clock or Clock())
    for i in range(n):
        pacing.seen(f"phone-{i}")
    return pacing


def test_an_ordinary_group_looks_every_three_seconds():
    pacing = serving(POLL_SECONDS * POLL_BUDGET_PER_SECOND)
    assert pacing.base_seconds() == POLL_SECONDS
    assert pacing.poll_seconds("phone-1") == POLL_SECONDS  # no jitter in an ordinary group
    assert pacing.slow_room_wait_seconds() is None  # nothing to warn the facilitator about
    assert pacing.minor_gap_seconds() == 0.0


def test_a_big_room_looks_less_often_within_the_budget_and_never_past_the_cap():
    pacing = serving(300)
    assert pacing.base_seconds() == 8  # 300 phones / 40 looks a second
    assert pacing.slow_room_wait_seconds() == 10  # 8 s, plus a quarter for the jitter
    assert pacing.minor_gap_seconds() == 8.0
    assert serving(5_000).base_seconds() == MAX_POLL_SECONDS


def test_each_phone_keeps_its_own_spread_within_the_jitter():
    pacing = serving(300)
    intervals = {pacing.poll_seconds(f"phone-{i}") for i in range(50)}
    assert len(intervals) > 10 and all(6.0 <= seconds <= 10.0 for seconds in intervals)
    assert pacing.poll_seconds("phone-7") == pacing.poll_seconds("phone-7")


def test_phones_gone_quiet_stop_counting():
    clock = Clock()
    pacing = serving(300, clock)
    clock.now += 3 * MAX_POLL_SECONDS
    assert pacing.base_seconds() == POLL_SECONDS and pacing.phones() == 0
