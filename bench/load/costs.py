"""What one interaction costs the server, one at a time, with nothing else going on.

`python -m bench.load.costs` starts one HopeCircle process and one bare-Streamlit process,
then repeats each kind of interaction (a join, a page load, a question to the room answered at
once or after the room moved on, each kind of post a phone makes, the hope card, a board
redraw) and divides the server's CPU time by the count. Unlike the room scenario this hardly depends on how busy the shared machine is, but it
does depend on how fast the host is that hour (by up to 2x within a day). So comparisons run in
rounds: every app up side by side, each round measuring each of them in turn (the order
rotating), and the figure is the median over rounds. `--against <checkout>` adds another
commit's app to the rounds, for before/after figures of a change.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.load import profiling, report, screens, servers
from bench.load.client import Session, trigger
from bench.load.phone import ServedPhone
from bench.load.room import Facilitator, Room
from bench.load.runner import RESULTS_DIR, machine_info
from hopecircle.services import participation


class Meter:
    """Server CPU per operation, and the operation's wall time as the client saw it, over rounds."""

    def __init__(self, pid: int, profile_dir: Path | None = None, settle: float = 0.3) -> None:
        self.process = psutil.Process(pid)
        self.rows: dict[str, dict[str, Any]] = {}
        self.profile_dir = profile_dir
        self.settle = settle  # seconds for the server to finish sending before and after counting

    def _cpu(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system

    async def measure(self, name: str, count: int, operation: Callable[[int], Awaitable[Any]]) -> None:
        await operation(-1)  # once unmeasured: caches, first-time imports
        await asyncio.sleep(self.settle)
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
        await asyncio.sleep(self.settle)
        spent = self._cpu() - before
        row = self.rows.setdefault(name, {"count": count, "cpu_ms_by_round": [], "wall_ms_by_round": []})
        row["cpu_ms_by_round"].append(round(1000 * spent / count, 2))
        row["wall_ms_by_round"].append(round(1000 * statistics.median(walls), 2))
        row["cpu_ms"] = round(statistics.median(row["cpu_ms_by_round"]), 2)
        row["wall_ms_median"] = round(statistics.median(row["wall_ms_by_round"]), 2)
        if profiler is not None:
            row["profile"] = profiler.stop()
        print(f"  {name:<48} {1000 * spent / count:7.2f} ms CPU  ({count}x)", flush=True)


def _seed_cards(facilitator: Facilitator, room: Room, cards: int) -> None:
    """`cards` approved reflections from as many anonymous participants, through the services."""
    for n in range(cards):
        joined = participation.join(facilitator.ctx, room.code)
        mark = screens.marker("zz", n, 0)
        participation.submit_reflection(facilitator.ctx, joined.token, screens.reflection_text(n, 0, mark))


async def _hopecircle(meter: Meter, base: str, facilitator: Facilitator, room: Room, args) -> None:  # type: ignore[no-untyped-def]
    async def join(n: int) -> None:
        session = Session(base, "", f"code={room.code}", tick=False)
        await session.open()
        await ServedPhone(session).join()
        await session.close()

    # One session stays open throughout, as in a real room: Streamlit drops its compiled pages
    # whenever the last session leaves, which would make every join here pay for a recompile.
    keeper = Session(base, "", f"code={room.code}", tick=False)
    await keeper.open()
    await meter.measure("phone: join (page, first run, join post)", args.joins, join)
    session = Session(base, "", f"code={room.code}", tick=False)
    await session.open()
    phone = ServedPhone(session)
    await phone.join()
    board = Session(base, "board", f"key={room.board_key}", tick=False)
    await board.open()

    async def load(n: int) -> None:
        """A reload of the phone's page: the shell's one run, with the room's state read for it."""
        again = Session(base, "", f"code={room.code}&p={phone.token}", tick=False)
        await again.open()
        await again.close()

    async def ask(n: int) -> None:
        # Answered at once: what a question costs the server. A held one costs the same request,
        # once per change of the room or per hold (20 s), not per interval.
        await phone.ask(held=False)

    flip = itertools.cycle(["checkin", "story"])

    async def follow(n: int) -> None:
        """A held question answered with the new state once the room moves on."""
        waiting = asyncio.create_task(phone.ask(held=True))
        await asyncio.sleep(0.05)
        facilitator.set_phase(room, next(flip))
        assert await waiting, "the held question was not answered with the room's new state"

    async def move(phase: str) -> None:
        facilitator.set_phase(room, phase)
        await asyncio.sleep(0.7)  # past the live-state cache
        await phone.ask(held=False)
        await board.rerun()

    async def post(name: str, fields: dict[str, Any]) -> None:
        status, answer = await phone.post(name, fields)
        assert status == 200, f"{name} answered {status}: {answer}"

    await meter.measure("phone: a question to the room, answered at once", args.ticks, ask)
    await meter.measure("phone: page load with a place, welcome screen", args.reruns, load)
    await meter.measure("phone: follows a phase change (held question answered)", args.reruns, follow)
    await move("checkin")
    await meter.measure(
        "phone: post a check-in word",
        args.reruns,
        lambda n: post("send", {"form": "checkin", "fields": {"text": "calm"}}),
    )
    await meter.measure("phone: post a pulse", args.reruns, lambda n: post("pulse", {"moment": "pre", "value": n % 11}))
    await move("reflect")

    def reflect(n: int) -> Awaitable[None]:
        words = screens.reflection_text(1, n, screens.marker("yy", 1, n + 1))
        return post("send", {"form": "reflection", "fields": {"text": words}})

    # A phone may send 10 reflections at most, and one more warms the measurement up.
    await meter.measure("phone: post a reflection", min(8, args.reruns), reflect)
    own = [w["id"] for w in phone.mine["words"] if w["kind"] == "reflection"]

    async def edit(n: int) -> None:
        await post("edit", {"id": own[0], "text": screens.reflection_text(2, n, screens.marker("ww", 2, n + 1))})

    await meter.measure("phone: post an edit", args.reruns, edit)
    await meter.measure(
        "phone: post a delete", min(len(own) - 1, args.reruns), lambda n: post("delete", {"id": own[n + 1]})
    )
    await move("next_step")

    def goal(n: int) -> Awaitable[None]:
        words = screens.goal_text(n, screens.marker("xx", 1, n + 2))
        return post("send", {"form": "goal", "fields": {"what": words, "when": "Friday"}})

    await meter.measure("phone: post a goal", args.reruns, goal)

    async def redraw_after_change(n: int) -> None:
        # A change in the room (here: the story screen re-set) gives the board a new version to draw.
        facilitator.set_story_section(room, -1)
        await board.rerun()

    await meter.measure("board: redraw after a change, 10 cards", args.reruns, redraw_after_change)
    _seed_cards(facilitator, room, args.cards)
    await move("board")
    await meter.measure(f"board: redraw after a change, {args.cards} cards", args.reruns, redraw_after_change)
    await meter.measure(f"board: redraw, same version, {args.cards} cards", args.reruns, lambda n: board.rerun())
    await meter.measure(f"phone: page load with a place, board screen, {args.cards} cards", args.reruns, load)
    cards = [card["id"] for card in (phone.state or {})["room"]["cards"]]
    await meter.measure(
        f"phone: post a me too, {args.cards} cards",
        args.reruns,
        lambda n: post("metoo", {"card": cards[n % len(cards)], "on": (n // len(cards)) % 2 == 0}),
    )
    await move("close")
    await meter.measure(
        "phone: post a talk request", args.reruns, lambda n: post("talk", {"on": n % 2 == 0, "note": "by the door"})
    )

    async def card(n: int) -> None:
        status, body, kind = await phone.hope_card(time.strftime("%Y-%m-%d"))
        assert status == 200 and kind.startswith("image/png") and body, f"the hope card answered {status}"

    # Each one in new words: a card drawn a moment ago for the same words is kept, not drawn again.
    async def new_card(n: int) -> None:
        await goal(n + 1000)
        await card(n)

    await meter.measure("phone: hope card (a goal posted, then its card)", args.reruns, new_card)
    await session.close()
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


BARE = "bare Streamlit"


def floor_of(interaction: str) -> str:
    """The bare-Streamlit interaction an app's interaction is compared with."""
    if "question" in interaction or "polling" in interaction:  # a look at the room, against a fragment tick
        return "phone: polling tick"
    if "join" in interaction:
        return "phone: join (page, first run, press)"
    if "post" in interaction or "submit" in interaction or "me too" in interaction or "hope card" in interaction:
        return "phone: button press"
    return "phone: full rerun"


@dataclass
class Subject:
    """One app measured in every round: a HopeCircle checkout, or bare Streamlit."""

    name: str
    deployment: servers.Deployment
    meter: Meter
    facilitator: Facilitator | None = None

    async def measure_round(self, args: argparse.Namespace) -> None:
        base = self.deployment.apps[0].base
        if self.facilitator is None:
            await _bare(self.meter, base, args)
        else:  # a fresh room each round, so every round starts from the same board
            await _hopecircle(self.meter, base, self.facilitator, self.facilitator.open_room(auto_approve=True), args)

    def root(self) -> str:
        """The folder the app process runs from: which checkout was measured."""
        return psutil.Process(self.deployment.apps[0].pid).cwd()

    def stop(self) -> None:
        try:
            self.deployment.stop()
        finally:
            if self.facilitator is not None:
                self.facilitator.close()


def _hopecircle_subject(name: str, run_dir: Path, app_root: Path | None, profile: bool, settle: float) -> Subject:
    data = run_dir / name / "data"
    with contextlib.ExitStack() as undo:  # a failure part-way stops what was already started
        facilitator = Facilitator(data)
        undo.callback(facilitator.close)
        deployment = servers.deploy(1, run_dir / name, env={"HOPECIRCLE_DATA_DIR": str(data)}, app_root=app_root)
        undo.callback(deployment.stop)
        meter = Meter(deployment.apps[0].pid, run_dir / name / "profiles" if profile else None, settle)
        undo.pop_all()
    return Subject(name, deployment, meter, facilitator)


def comparison_table(results: dict[str, Any], names: list[str]) -> str:
    """Median CPU per interaction for each app, and each HopeCircle figure over bare Streamlit's."""
    rows = results[names[0]]
    header = ["interaction", *names]
    if BARE in results:
        header.append(f"x {BARE}")
    if len(names) > 1 and names[1] != BARE:
        header.append(f"x {names[1]}")
    lines = [header]
    for interaction, row in rows.items():
        line = [interaction]
        for name in names:
            other = results[name].get(interaction if name != BARE else floor_of(interaction))
            line.append(f"{other['cpu_ms']:.2f}" if other else "—")
        if BARE in results:
            floor = results[BARE].get(floor_of(interaction))
            line.append(f"{row['cpu_ms'] / floor['cpu_ms']:.2f}" if floor and floor["cpu_ms"] else "—")
        if len(names) > 1 and names[1] != BARE:
            before = results[names[1]].get(interaction)
            line.append(f"{row['cpu_ms'] / before['cpu_ms']:.2f}" if before and before["cpu_ms"] else "—")
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(line))
        for line in lines
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load.costs", description=__doc__.split("\n\n")[0])
    p.add_argument("--cards", type=int, default=600, help="cards on the board for the board-phase figures")
    p.add_argument("--ticks", type=int, default=300)
    p.add_argument("--reruns", type=int, default=40)
    p.add_argument("--joins", type=int, default=40)
    p.add_argument("--rounds", type=int, default=3, help="rounds over every app; figures are medians over rounds")
    p.add_argument("--label", default="costs")
    p.add_argument("--app-root", type=Path, help="measure the app of another checkout (e.g. an older commit)")
    p.add_argument("--against", type=Path, help="also measure this checkout's app in the same rounds (before/after)")
    p.add_argument("--no-floor", action="store_true", help="skip the bare-Streamlit figures")
    p.add_argument("--json", type=Path)
    p.add_argument("--settle", type=float, default=0.3, help=argparse.SUPPRESS)  # tests: less waiting
    p.add_argument("--profile", action="store_true", help="py-spy each kind of interaction in the first round (slower)")
    args = p.parse_args(argv)
    if args.rounds < 1:
        p.error("--rounds must be at least 1")
    run_dir = RESULTS_DIR / "runs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.label}"
    results: dict[str, Any] = {
        "machine": machine_info(os.getloadavg()),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
    }
    subjects: list[Subject] = []
    try:
        subjects.append(_hopecircle_subject("hopecircle", run_dir, args.app_root, args.profile, args.settle))
        if args.against is not None:
            subjects.append(_hopecircle_subject("against", run_dir, args.against, args.profile, args.settle))
        if not args.no_floor:
            deployment = servers.deploy(1, run_dir / "bare", script=servers.BARE_SCRIPT)
            profiles = run_dir / "bare" / "profiles" if args.profile else None
            subjects.append(Subject(BARE, deployment, Meter(deployment.apps[0].pid, profiles, args.settle)))
        for number in range(args.rounds):
            shift = number % len(subjects)
            for subject in subjects[shift:] + subjects[:shift]:
                print(f"round {number + 1}/{args.rounds}, {subject.name}:", flush=True)
                asyncio.run(subject.measure_round(args))
                subject.meter.profile_dir = None  # profiles come from the first round only
        results["apps"] = {subject.name: {"root": subject.root()} for subject in subjects}
    finally:
        with contextlib.ExitStack() as stack:  # stop every app even if one fails to stop
            for subject in subjects:
                stack.callback(subject.stop)
    for subject in subjects:
        results[subject.name] = subject.meter.rows
    if args.against is not None:
        results["against_root"] = str(args.against)
    names = [subject.name for subject in subjects]
    print(f"\nserver CPU per interaction, ms (median of {args.rounds} rounds):\n{comparison_table(results, names)}")
    report.save(results, args.json, args.label, RESULTS_DIR)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
