"""A burst of phone writes runs a few at a time, so the room's questions are answered between them."""

from __future__ import annotations

import asyncio
import json
import threading
import time

from hopecircle.http import phone


def test_a_burst_of_writes_runs_at_most_writers_at_once_and_every_one_is_answered():
    running = 0
    most = 0
    lock = threading.Lock()

    def write(number: int) -> dict[str, object]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return {"number": number}

    async def burst() -> list[int]:
        answers = await asyncio.gather(*(phone.act("en", lambda n=n: write(n)) for n in range(12)))
        return [json.loads(bytes(answer.body))["number"] for answer in answers]

    assert asyncio.run(burst()) == list(range(12))
    assert most == phone.WRITERS


def test_each_event_loop_has_its_own_limiter():
    async def limiter() -> object:
        return phone._writers()

    assert asyncio.run(limiter()) is not asyncio.run(limiter())
