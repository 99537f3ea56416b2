"""How often phones poll: every 3 s in an ordinary group, less often (and spread out) in a big one."""

from __future__ import annotations

import time

import pytest

from hopecircle.ui import polling


@pytest.fixture
def phones(monkeypatch):
    """Pretend this process serves `n` polling phones."""

    def serve(n: int) -> None:
        now = time.monotonic()
        monkeypatch.setattr(polling, "_pollers", {f"phone-{i}": now for i in range(n)})

    return serve


def test_an_ordinary_group_polls_every_three_seconds(phones):
    phones(polling.POLL_SECONDS * polling.POLL_BUDGET_PER_SECOND)
    assert polling.base_seconds() == polling.POLL_SECONDS
    assert polling.poll_seconds() == polling.POLL_SECONDS  # outside a script run: no jitter either
    assert polling.slow_room_wait_seconds() is None  # nothing to warn the facilitator about


def test_a_big_room_polls_less_often_within_the_budget_and_never_past_the_cap(phones):
    phones(300)
    assert polling.base_seconds() == 8  # 300 phones / 40 ticks a second
    assert polling.slow_room_wait_seconds() == 10  # 8 s, plus a quarter for the jitter
    phones(5_000)
    assert polling.base_seconds() == polling.MAX_POLL_SECONDS


def test_phones_gone_quiet_stop_counting(phones):
    phones(300)
    long_ago = time.monotonic() - 3 * polling.MAX_POLL_SECONDS
    polling._pollers.update(dict.fromkeys(polling._pollers, long_ago))
    polling._pruned[0] = 0.0
    assert polling.base_seconds() == polling.POLL_SECONDS and not polling._pollers
