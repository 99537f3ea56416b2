"""One load-generating process: an asyncio loop holding a share of the phones and boards.

The parent sends commands on a queue (`start`, `window`, `drop`, `stop`); the worker sends back
batches of events and, every second, its counters (runs, messages, bytes, its own CPU time).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import time
from dataclasses import dataclass
from multiprocessing.queues import Queue
from typing import Any

from bench.load import actors
from bench.load.client import Counters

STATS_EVERY = 1.0
FLUSH_EVERY = 0.2


@dataclass
class WorkerSpec:
    """Everything one worker needs, picklable: the shared plan and this worker's share of the actors."""

    worker_id: int
    plan: actors.Plan
    phones: list[int]
    boards: list[int]
    total_phones: int
    ramp: float


def run_worker(spec: WorkerSpec, commands: Queue, events: Queue) -> None:
    """Process entry point."""
    asyncio.run(_Worker(spec, commands, events).main())


class _Worker:
    def __init__(self, spec: WorkerSpec, commands: Queue, events: Queue) -> None:
        self.spec = spec
        self.commands = commands
        self.events = events
        self.outbox: list[tuple[Any, ...]] = []
        self.drops: list[asyncio.Task[None]] = []

    def emit(self, *event: Any) -> None:
        self.outbox.append(event)

    def flush(self) -> None:
        if self.outbox:
            batch, self.outbox = self.outbox, []
            self.events.put(("batch", self.spec.worker_id, batch))

    async def main(self) -> None:
        spec = self.spec
        self.crew = actors.Crew(**vars(spec.plan), emit=self.emit)
        self.events.put(("ready", spec.worker_id, os.getpid()))
        start = await self._next_command("start")
        if start[0] == "stop":
            return
        started_at = float(start[1])
        tasks = [asyncio.create_task(actors.board(self.crew, index)) for index in spec.boards]
        step = spec.ramp / max(1, spec.total_phones)
        tasks += [
            asyncio.create_task(actors.phone(self.crew, index, started_at + index * step)) for index in spec.phones
        ]
        reporter = asyncio.create_task(self._report())
        listener = asyncio.create_task(self._listen())
        await listener
        self.crew.stop.set()
        await asyncio.wait(tasks, timeout=spec.plan.run_timeout)
        for task in tasks:
            task.cancel()
        reporter.cancel()
        for drop in self.drops:
            drop.cancel()
        self._stats()
        self.flush()
        self.events.put(("done", spec.worker_id))

    async def _next_command(self, name: str) -> tuple[Any, ...]:
        while True:
            command = await self._command()
            if command[0] in (name, "stop"):
                return command

    async def _listen(self) -> None:
        """Apply the parent's commands until it says stop."""
        while True:
            command = await self._command()
            if command[0] == "window":
                _name, phase, start, end = command
                self.crew.windows[phase] = (start, end)
                self.crew.phase = phase
            elif command[0] == "drop":
                _name, start, end = command
                self.drops.append(asyncio.create_task(self._drop(start, end)))
            elif command[0] == "stop":
                return

    async def _drop(self, start: float, end: float) -> None:
        """Cut the phones' network from `start` to `end` (the parent's clock: the same machine's)."""
        await asyncio.sleep(max(0.0, start - time.time()))
        reset = self.crew.network.cut()
        self.emit("cut", self.spec.worker_id, time.time(), reset)
        await asyncio.sleep(max(0.0, end - time.time()))
        self.crew.network.restore()
        self.emit("restored", self.spec.worker_id, time.time())

    async def _command(self) -> tuple[Any, ...]:
        """The parent's next command; "stop" when the parent has gone (a run stopped by hand
        must not leave workers driving phones beside the next run)."""
        while True:
            try:
                return await asyncio.to_thread(self.commands.get, True, 0.5)
            except queue.Empty:
                parent = multiprocessing.parent_process()
                if parent is not None and not parent.is_alive():
                    return ("stop",)

    def _stats(self) -> None:
        total = Counters()
        open_sessions = 0
        for session in self.crew.sessions:
            c = session.counters
            total.full_runs += c.full_runs
            total.fragment_runs += c.fragment_runs
            total.interrupted_runs += c.interrupted_runs
            total.messages += c.messages
            total.bytes_in += c.bytes_in
            total.exceptions += c.exceptions
            total.looks += c.looks
            total.looks_unanswered += c.looks_unanswered
            total.wakes += c.wakes
            total.posts += c.posts
            open_sessions += not (session.closed or session.disconnected)
        cpu = os.times()
        self.emit("stats", time.time(), vars(total), open_sessions, cpu.user + cpu.system)

    async def _report(self) -> None:
        last_stats = 0.0
        while True:
            await asyncio.sleep(FLUSH_EVERY)
            if time.monotonic() - last_stats >= STATS_EVERY:
                self._stats()
                last_stats = time.monotonic()
            self.flush()
