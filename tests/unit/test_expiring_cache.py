"""The process's one cache: values shared for their lifetime, computed once per key and moment, by one caller."""

from __future__ import annotations

import threading
import time

import pytest

from hopecircle.live.cache import ExpiringCache

LIFETIME = 3.0


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_shared_until_it_grows_stale():
    clock = Clock()
    cache = ExpiringCache(monotonic=clock)
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.get("room", LIFETIME, compute) == 1
    clock.now += LIFETIME - 0.01
    assert cache.get("room", LIFETIME, compute) == 1
    clock.now += 0.02
    assert cache.get("room", LIFETIME, compute) == 2
    assert cache.get("other room", LIFETIME, compute) == 3


def test_nothing_is_kept_when_lifetimes_are_scaled_to_zero():
    cache = ExpiringCache(scale=0)
    calls = []
    for _ in range(3):
        cache.get("room", LIFETIME, lambda: calls.append(1))
    assert len(calls) == 3


def test_callers_arriving_together_wait_for_one_computation():
    cache = ExpiringCache()
    started = threading.Event()
    release = threading.Event()
    calls = []

    def slow() -> str:
        calls.append(1)
        started.set()
        release.wait(5)
        return "cards"

    answers = []
    first = threading.Thread(target=lambda: answers.append(cache.get(("cards", 1, 7), LIFETIME, slow)))
    first.start()
    started.wait(5)
    others = [
        threading.Thread(target=lambda: answers.append(cache.get(("cards", 1, 7), LIFETIME, slow))) for _ in range(8)
    ]
    for thread in others:
        thread.start()
    time.sleep(0.1)
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert answers == ["cards"] * 9 and len(calls) == 1


def test_a_failed_computation_is_not_cached_and_does_not_block_the_next_caller():
    cache = ExpiringCache()

    def broken() -> str:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cache.get("room", LIFETIME, broken)
    assert cache.get("room", LIFETIME, lambda: "fine") == "fine"


def test_old_versions_are_dropped_soon_after_they_expire():
    """A long session makes a new version per contribution: its old board views must not pile up."""
    clock = Clock()
    cache = ExpiringCache(monotonic=clock)
    lifetime = LIFETIME
    for version in range(50):
        cache.get(("board", 1, version), LIFETIME, lambda: ["card"] * 100)
        clock.now += 0.25
    # Every entry older than its lifetime is gone; what is left is at most a lifetime's worth (+1 s of slack).
    assert len(cache) <= int((lifetime + 1.0) / 0.25) + 1
    clock.now += lifetime + 1.0
    cache.get(("board", 1, 50), LIFETIME, lambda: [])
    assert len(cache) == 1


def test_a_forgotten_value_is_computed_again_at_once():
    cache = ExpiringCache()
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.get("settings", LIFETIME, compute) == 1
    cache.forget("settings")
    assert cache.get("settings", LIFETIME, compute) == 2


def test_each_value_keeps_its_own_lifetime():
    clock = Clock()
    cache = ExpiringCache(monotonic=clock)
    cache.get("live", 0.5, lambda: "state")
    cache.get("settings", 5.0, lambda: "settings")
    clock.now += 1.0
    assert cache.get("live", 0.5, lambda: "new state") == "new state"
    assert cache.get("settings", 5.0, lambda: "new settings") == "settings"
