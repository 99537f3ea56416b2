"""One interaction, this checkout's app against another's, side by side in interleaved blocks.

`python -m bench.load.costs` measures every interaction in rounds; on a noisy host its rounds
can spread more than a change is worth. This settles one interaction (a "me too", a goal, a
phone following the room moving on): both apps up at once, one served phone each on the same
screen, then blocks of the same interaction alternating between the
apps (the order flipping every block), each block's server CPU read from that process's own
clock. Whatever the host does to one block it does to the neighbouring block of the other app.

    python -m bench.load.ab --against /tmp/before --interaction me-too
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psutil

from bench.load import costs, report, screens, servers
from bench.load.client import Session
from bench.load.phone import ServedPhone
from bench.load.room import Facilitator, Room
from bench.load.runner import RESULTS_DIR, machine_info

# The phase each interaction happens in (a me-too needs a full board of cards).
PHASES = {"me-too": "board", "follow": "story", "goal": "next_step"}


class _Phone:
    """One served phone of one app, and what the facilitator does to its room."""

    def __init__(self, phone: ServedPhone, facilitator: Facilitator, room: Room) -> None:
        self.phone, self.facilitator, self.room = phone, facilitator, room
        self.sent = itertools.count()
        self.flip = itertools.cycle(["checkin", "story"])


async def _me_too(app: _Phone) -> None:
    """A "me too" on the first card, added and taken back in turn (each tap changes something)."""
    cards = (app.phone.state or {}).get("room", {}).get("cards") or []
    assert cards, "no cards on the phone's board"
    on = cards[0]["id"] not in app.phone.mine.get("reactions", [])
    status, answer = await app.phone.post("metoo", {"card": cards[0]["id"], "on": on})
    assert status == 200, answer
    app.phone.mine["reactions"] = [cards[0]["id"]] if answer.get("added") else []


async def _follow(app: _Phone) -> None:
    """The room moves on: the phone's held question is answered with the new state."""
    waiting = asyncio.create_task(app.phone.ask(held=True))
    await asyncio.sleep(0.05)
    app.facilitator.set_phase(app.room, next(app.flip))
    assert await waiting, "the held question was not answered with the room's new state"


async def _send_goal(app: _Phone) -> None:
    """A goal sent again in new words (a phone keeps one goal: each send replaces it)."""
    n = next(app.sent)
    words = screens.goal_text(n, screens.marker("ab", 1, n))
    status, answer = await app.phone.post("send", {"form": "goal", "fields": {"what": words, "when": "Friday"}})
    assert status == 200, answer


INTERACTIONS: dict[str, Callable[[_Phone], Awaitable[None]]] = {
    "me-too": _me_too,
    "follow": _follow,
    "goal": _send_goal,
}


class _App:
    """One app process with its own database, a room, and one phone on the interaction's screen."""

    def __init__(self, name: str, root: Path, run_dir: Path) -> None:
        self.name, self.root = name, root
        self.facilitator = Facilitator(run_dir / name / "data")
        self.deployment = servers.deploy(
            1, run_dir / name, env={"HOPECIRCLE_DATA_DIR": str(run_dir / name / "data")}, app_root=root
        )
        self.process = psutil.Process(self.deployment.apps[0].pid)
        self.sessions: list[Session] = []

    async def open(self, interaction: str, cards: int) -> _Phone:
        room = self.facilitator.open_room(auto_approve=True)
        base = self.deployment.apps[0].base
        keeper = Session(base, "", f"code={room.code}", tick=False)  # keeps the compiled pages alive
        session = Session(base, "", f"code={room.code}", tick=False)
        self.sessions += [keeper, session]
        await keeper.open()
        await session.open()
        phone = ServedPhone(session)
        await phone.join()
        if PHASES[interaction] == "board":
            costs._seed_cards(self.facilitator, room, cards)
        self.facilitator.set_phase(room, PHASES[interaction])
        await asyncio.sleep(0.7)  # past the live-state cache
        await phone.ask(held=False)
        return _Phone(phone, self.facilitator, room)

    def cpu(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system

    async def close(self) -> None:
        for session in self.sessions:
            await session.close()

    def stop(self) -> None:
        try:
            self.deployment.stop()
        finally:
            self.facilitator.close()


async def _measure(apps: list[_App], args: argparse.Namespace) -> dict[str, list[float]]:
    act = INTERACTIONS[args.interaction]
    phones = {app.name: await app.open(args.interaction, args.cards) for app in apps}
    for _ in range(args.warmup):
        for app in apps:
            await act(phones[app.name])
    blocks: dict[str, list[float]] = {app.name: [] for app in apps}
    for number in range(args.blocks):
        for app in apps if number % 2 == 0 else apps[::-1]:
            await asyncio.sleep(args.settle)
            before = app.cpu()
            for _ in range(args.per_block):
                await act(phones[app.name])
            await asyncio.sleep(args.settle)  # the last answer's messages go out
            blocks[app.name].append(round(1000 * (app.cpu() - before) / args.per_block, 2))
        print(f"block {number + 1}/{args.blocks}: " + ", ".join(f"{n} {v[-1]:.2f} ms" for n, v in blocks.items()))
    for app in apps:
        await app.close()
    return blocks


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load.ab", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--against", type=Path, required=True, help="the other checkout (e.g. a worktree of the commit before)"
    )
    p.add_argument("--app-root", type=Path, default=servers.ROOT, help="this side's checkout (default: this one)")
    p.add_argument("--interaction", choices=sorted(INTERACTIONS), default="me-too")
    p.add_argument("--blocks", type=int, default=8, help="blocks per app, the order alternating")
    p.add_argument("--per-block", type=int, default=60)
    p.add_argument("--cards", type=int, default=600, help="cards on the board for a me-too")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--label", default="ab")
    p.add_argument("--json", type=Path)
    p.add_argument("--settle", type=float, default=0.3, help=argparse.SUPPRESS)  # tests: less waiting
    args = p.parse_args(argv)
    if args.blocks < 1 or args.per_block < 1:
        p.error("--blocks and --per-block must be at least 1")
    run_dir = RESULTS_DIR / "runs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.label}"
    load_at_start = os.getloadavg()  # before the apps start: what else the host was doing
    apps: list[_App] = []
    try:
        apps.append(_App("this", args.app_root, run_dir))
        apps.append(_App("against", args.against, run_dir))
        blocks = asyncio.run(_measure(apps, args))
    finally:
        with contextlib.ExitStack() as stack:  # stop every app even if one fails to stop
            for app in apps:
                stack.callback(app.stop)
    results: dict[str, Any] = {
        "machine": machine_info(load_at_start),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "apps": {
            app.name: {
                "root": str(app.root),
                "cpu_ms_by_block": blocks[app.name],
                "cpu_ms": statistics.median(blocks[app.name]),
            }
            for app in apps
        },
    }
    this, other = (results["apps"][name]["cpu_ms"] for name in ("this", "against"))
    results["ratio"] = round(this / other, 3) if other else None
    print(
        f"\n{args.interaction}: server CPU per interaction, median of {args.blocks} blocks of {args.per_block}: "
        f"{this:.2f} ms against {other:.2f} ms ({results['ratio']}x)"
    )
    report.save(results, args.json, args.label, RESULTS_DIR)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
