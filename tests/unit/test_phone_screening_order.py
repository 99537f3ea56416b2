"""A phone's words are screened a few at a time per process, ahead of their write."""

from __future__ import annotations

import asyncio
import threading
import time

from hopecircle.http import phone


def test_a_burst_of_sends_is_screened_at_most_screeners_at_once_and_each_once():
    running = 0
    most = 0
    done: list[int] = []
    lock = threading.Lock()

    def screen(number: int) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
            done.append(number)

    async def burst() -> None:
        await asyncio.gather(*(phone.screen_first(lambda n=n: screen(n)) for n in range(8)))

    asyncio.run(burst())
    assert sorted(done) == list(range(8))
    assert most == phone.SCREENERS


def test_each_event_loop_has_its_own_screening_limiter():
    async def limiter() -> object:
        return phone._screeners()

    first, second = asyncio.run(limiter()), asyncio.run(limiter())
    assert first is not second
