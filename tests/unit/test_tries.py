"""Wrong join codes: a few per tab per minute, and a cap for the whole process."""

from __future__ import annotations

from hopecircle.live.tries import Tries


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def test_a_tab_waits_after_its_wrong_tries_and_may_try_again_a_minute_later():
    clock = Clock()
    tries = Tries(per_key=3, in_all=100, window=60, monotonic=clock)
    for _ in range(3):
        assert not tries.blocked("tab-a")
        tries.failed("tab-a")
    assert tries.blocked("tab-a") and not tries.blocked("tab-b")
    clock.now += 61
    assert not tries.blocked("tab-a")


def test_new_tabs_buy_no_more_guesses_once_the_process_cap_is_spent():
    clock = Clock()
    tries = Tries(per_key=5, in_all=10, window=60, monotonic=clock)
    for n in range(10):
        tries.failed(f"tab-{n}")  # a script opening a new tab for every guess
    assert tries.blocked("a-brand-new-tab")
    clock.now += 30
    assert tries.blocked("a-brand-new-tab")
    clock.now += 31
    assert not tries.blocked("a-brand-new-tab")
