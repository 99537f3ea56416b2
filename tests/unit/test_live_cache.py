"""The shared short-lived reads behind polling: computed once per key and moment, by one caller."""

from __future__ import annotations

import threading
import time

import pytest

from hopecircle.services.live import SHARED_TTL_FACTOR, LiveCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_shared_until_it_grows_stale():
    clock = Clock()
    cache = LiveCache(ttl=0.5, monotonic=clock)
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.remember("room", compute) == 1
    clock.now += 0.5 * SHARED_TTL_FACTOR - 0.01
    assert cache.remember("room", compute) == 1
    clock.now += 0.02
    assert cache.remember("room", compute) == 2
    assert cache.remember("other room", compute) == 3


def test_nothing_is_kept_when_the_ttl_is_zero():
    cache = LiveCache(ttl=0)
    calls = []
    for _ in range(3):
        cache.remember("room", lambda: calls.append(1))
    assert len(calls) == 3


def test_callers_arriving_together_wait_for_one_computation():
    cache = LiveCache(ttl=0.5)
    started = threading.Event()
    release = threading.Event()
    calls = []

    def slow() -> str:
        calls.append(1)
        started.set()
        release.wait(5)
        return "cards"

    answers = []
    first = threading.Thread(target=lambda: answers.append(cache.remember(("cards", 1, 7), slow)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: answers.append(cache.remember(("cards", 1, 7), slow))) for _ in range(8)]
    for thread in others:
        thread.start()
    time.sleep(0.1)
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert answers == ["cards"] * 9 and len(calls) == 1


def test_a_failed_computation_is_not_cached_and_does_not_block_the_next_caller():
    cache = LiveCache(ttl=0.5)

    def broken() -> str:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cache.remember("room", broken)
    assert cache.remember("room", lambda: "fine") == "fine"


def test_old_versions_are_dropped_soon_after_they_expire():
    """A long session makes a new version per contribution: its old board views must not pile up."""
    clock = Clock()
    cache = LiveCache(ttl=0.5, monotonic=clock)
    lifetime = 0.5 * SHARED_TTL_FACTOR
    for version in range(50):
        cache.remember(("board", 1, version), lambda: ["card"] * 100)
        clock.now += 0.25
    # Every entry older than its lifetime is gone; what is left is at most a lifetime's worth (+1 s of slack).
    assert len(cache) <= int((lifetime + 1.0) / 0.25) + 1
    clock.now += lifetime + 1.0
    cache.remember(("board", 1, 50), lambda: [])
    assert len(cache) == 1
