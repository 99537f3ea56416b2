"""What one interaction costs the server, one at a time, with nothing else going on.

`python -m bench.load.costs` starts one HopeCircle process and one bare-Streamlit process,
then repeats each kind of interaction (a polling tick, a full rerun of each phone screen, a
submission, a "me too", a board redraw, a join) and divides the server's CPU time by the
count. Unlike the room scenario this hardly depends on what else the shared machine is doing,
so it is the figure used for before/after comparisons of a change.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psutil

from bench.load import profiling, report, screens, servers
from bench.load.client import Session, text, trigger
from bench.load.room import Facilitator, Room
from bench.load.runner import RESULTS_DIR, machine_info
from hopecircle.services import participation


class Meter:
    """Server CPU per operation, and the operation's wall time as the client saw it."""

    def __init__(self, pid: int, profile_dir: Path | None = None) -> None:
        self.process = psutil.Process(pid)
        self.rows: dict[str, dict[str, Any]] = {}
        self.profile_dir = profile_dir

    def _cpu(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system

    async def measure(self, name: str, count: int, operation: Callable[[int], Awaitable[Any]]) -> None:
        await operation(-1)  # once unmeasured: caches, first-time imports
        await asyncio.sleep(0.3)
        walls = []
        profiler = None
        if self.profile_dir is not None:
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            profiler = profiling.Profiler([self.process.pid], self.profile_dir, name=slug)
            await asyncio.sleep(1.0)  # py-spy attaching
        before = self._cpu()
        for n in range(count):
            started = time.perf_counter()
            await operation(n)
            walls.append(time.perf_counter() - started)
        await asyncio.sleep(0.3)  # let the server finish sending
        spent = self._cpu() - before
        self.rows[name] = {
            "count": count,
            "cpu_ms": round(1000 * spent / count, 2),
            "wall_ms_median": round(1000 * statistics.median(walls), 2),
        }
        if profiler is not None:
            self.rows[name]["profile"] = profiler.stop()
        print(f"  {name:<48} {1000 * spent / count:7.2f} ms CPU  ({count}x)", flush=True)


def _seed_cards(facilitator: Facilitator, room: Room, cards: int) -> None:
    """`cards` approved reflections from as many anonymous participants, through the services."""
    for n in range(cards):
        joined = participation.join(facilitator.ctx, room.code)
        mark = screens.marker("zz", n, 0)
        participation.submit_reflection(facilitator.ctx, joined.token, screens.reflection_text(n, 0, mark), mark)


async def _hopecircle(meter: Meter, base: str, facilitator: Facilitator, room: Room, args) -> None:  # type: ignore[no-untyped-def]
    async def join(n: int) -> None:
        session = Session(base, "", f"code={room.code}", tick=False)
        await session.open()
        button = session.page.widget(label=screens.CONSENT_LABEL, kind="button")
        assert button is not None
        await session.rerun(trigger(button))
        await session.close()

    # One session stays open throughout, as in a real room: Streamlit drops its compiled pages
    # whenever the last session leaves, which would make every join here pay for a recompile.
    keeper = Session(base, "", f"code={room.code}", tick=False)
    await keeper.open()
    await meter.measure("phone: join (page, first run, consent)", args.joins, join)
    phone = Session(base, "", f"code={room.code}", tick=False)
    await phone.open()
    consent = phone.page.widget(label=screens.CONSENT_LABEL, kind="button")
    assert consent is not None, "no consent button"
    await phone.rerun(trigger(consent))
    board = Session(base, "board", f"key={room.board_key}", tick=False)
    await board.open()

    async def tick(session: Session) -> None:
        await session.rerun_fragment(next(iter(session.fragments)))

    async def move(phase: str) -> None:
        facilitator.set_phase(room, phase)
        await asyncio.sleep(0.7)  # past the live-state cache
        await phone.rerun()
        await board.rerun()

    await meter.measure("phone: polling tick", args.ticks, lambda n: tick(phone))
    await meter.measure("phone: full rerun, welcome screen", args.reruns, lambda n: phone.rerun())
    await move("reflect")
    await meter.measure("phone: full rerun, reflect screen", args.reruns, lambda n: phone.rerun())

    async def send(key: str, words: Callable[[int], str], n: int) -> None:
        """Type `words(n)` into the form field `key` and press the form's submit button."""
        field = phone.page.widget(key=key)
        assert field is not None
        button = phone.page.submit_button(field)
        assert button is not None
        await phone.act(text(field, words(n)), trigger(button), within=button)

    def reflect(n: int) -> Awaitable[None]:
        return send(screens.REFLECTION_KEY, lambda n: screens.reflection_text(1, n, screens.marker("yy", 1, n + 1)), n)

    def goal(n: int) -> Awaitable[None]:
        return send(screens.GOAL_WHAT_KEY, lambda n: screens.goal_text(n, screens.marker("xx", 1, n + 2)), n)

    await meter.measure("phone: submit a reflection", 8, reflect)  # a phone may send 10 at most
    await move("next_step")
    await meter.measure("phone: full rerun, next-step screen", args.reruns, lambda n: phone.rerun())

    await meter.measure("phone: submit a goal", args.reruns, goal)
    await meter.measure("board: polling tick", args.ticks, lambda n: tick(board))

    async def redraw_after_change(n: int) -> None:
        # A change in the room (here: the story screen re-set) gives the board a new version to draw.
        facilitator.set_story_section(room, -1)
        await board.rerun()

    await meter.measure("board: redraw after a change, 10 cards", args.reruns, redraw_after_change)
    _seed_cards(facilitator, room, args.cards)
    await move("board")
    await meter.measure(f"board: redraw after a change, {args.cards} cards", args.reruns, redraw_after_change)
    await meter.measure(f"board: redraw, same version, {args.cards} cards", args.reruns, lambda n: board.rerun())
    await meter.measure(f"phone: full rerun, board screen, {args.cards} cards", args.reruns, lambda n: phone.rerun())

    async def me_too(n: int) -> None:
        buttons = screens.me_too_buttons(phone.page)
        assert buttons, "no me-too buttons"
        await phone.act(trigger(buttons[0]), within=buttons[0])

    await meter.measure(f"phone: me too, {args.cards} cards", args.reruns, me_too)
    await phone.close()
    await board.close()
    await keeper.close()


async def _bare(meter: Meter, base: str, args) -> None:  # type: ignore[no-untyped-def]
    keeper = Session(base, "", "every=3", tick=False)
    await keeper.open()
    phone = Session(base, "", "every=3", tick=False)
    await phone.open()
    await meter.measure("phone: polling tick", args.ticks, lambda n: phone.rerun_fragment(next(iter(phone.fragments))))
    await meter.measure("phone: full rerun", args.reruns, lambda n: phone.rerun())

    async def press(n: int) -> None:
        button = phone.page.widget(label=screens.BARE_BUTTON_LABEL, kind="button")
        assert button is not None
        await phone.rerun(trigger(button))

    await meter.measure("phone: button press", args.reruns, press)
    await phone.close()

    async def join(n: int) -> None:
        session = Session(base, "", "every=3", tick=False)
        await session.open()
        button = session.page.widget(label=screens.BARE_BUTTON_LABEL, kind="button")
        assert button is not None
        await session.rerun(trigger(button))
        await session.close()

    await meter.measure("phone: join (page, first run, press)", args.joins, join)
    await keeper.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load.costs", description=__doc__.split("\n\n")[0])
    p.add_argument("--cards", type=int, default=600, help="cards on the board for the board-phase figures")
    p.add_argument("--ticks", type=int, default=300)
    p.add_argument("--reruns", type=int, default=40)
    p.add_argument("--joins", type=int, default=40)
    p.add_argument("--label", default="costs")
    p.add_argument("--app-root", type=Path, help="measure the app of another checkout (e.g. an older commit)")
    p.add_argument("--no-floor", action="store_true", help="skip the bare-Streamlit figures")
    p.add_argument("--json", type=Path)
    p.add_argument(
        "--profile", action="store_true", help="py-spy each kind of interaction (slower; CPU figures include py-spy)"
    )
    args = p.parse_args(argv)
    run_dir = RESULTS_DIR / "runs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.label}"
    results: dict[str, Any] = {"machine": machine_info(), "args": vars(args) | {"json": str(args.json)}}
    facilitator = Facilitator(run_dir / "data")
    room = facilitator.open_room(auto_approve=True)
    deployment = servers.deploy(1, run_dir, env={"HOPECIRCLE_DATA_DIR": str(run_dir / "data")}, app_root=args.app_root)
    try:
        print("HopeCircle:", flush=True)
        meter = Meter(deployment.apps[0].pid, run_dir / "profiles" if args.profile else None)
        asyncio.run(_hopecircle(meter, deployment.apps[0].base, facilitator, room, args))
        results["hopecircle"] = meter.rows
    finally:
        deployment.stop()
        facilitator.close()
    if not args.no_floor:
        deployment = servers.deploy(1, run_dir, script=servers.BARE_SCRIPT)
        try:
            print("bare Streamlit:", flush=True)
            meter = Meter(deployment.apps[0].pid, run_dir / "profiles-bare" if args.profile else None)
            asyncio.run(_bare(meter, deployment.apps[0].base, args))
            results["bare"] = meter.rows
        finally:
            deployment.stop()
    path = args.json or RESULTS_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.label}.json"
    report.write_json(results, path)
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
