"""One load run from start to finish: servers, room, workers, the session's timeline, and the figures.

Timeline (times from the first join): phones join over `ramp` seconds while boards watch; the
room idles in the welcome phase for `idle` seconds (the idle cost is measured there); the
facilitator opens Check-in for `checkin_seconds` (a word and a pulse from every phone), the Story
for `story_seconds` in `story_parts` parts, Reflect, then Next step halfway through `duration`
(reflections, a share edited and a share sent and deleted; a goal), the Board phase for
`board_seconds` ("me too"s), and the Close for `close_seconds` (a check-out word, a pulse, the
hope card, a share asking to talk and taking it back); then the harness waits up to `grace`
seconds for every card to reach every board, stops the simulated people, and counts the
database's rows.

With `drop`, every phone's network is cut for that many seconds at `drop_at` (a phase and the
seconds after it opens; `bench/load/drop.py`), and the phase in which it returns is that much
longer: the facilitator gives the room back the time it lost.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import multiprocessing
import os
import platform
import queue
import secrets
import subprocess
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench.load import drop as drops
from bench.load import profiling, report, screens, servers
from bench.load.actors import Plan
from bench.load.client import Session
from bench.load.report import summary
from bench.load.room import Facilitator, Room
from bench.load.worker import WorkerSpec, run_worker

RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"
SAMPLE_EVERY = 0.5


@dataclass
class Scenario:
    """What to run. Defaults are the one-process target: 300 phones, 2 contributions in 60 s, 3 boards."""

    app: str = "hopecircle"  # or "bare"
    phones: int = 300
    boards: int = 3
    duration: float = 60.0
    contributions: int = 2
    reactions: int = 1
    processes: int = 1
    proxy: bool = False
    workers: int | None = None
    ramp: float | None = None
    idle: float = 10.0
    checkin_seconds: float = 20.0
    story_seconds: float = 12.0
    story_parts: int = 3
    board_seconds: float = 30.0
    close_seconds: float = 30.0
    edits: float = 0.2
    deletes: float = 0.1
    talks: float = 0.05
    grace: float = 20.0
    think: float = 10.0
    auto_approve: bool = True
    approve_every: float = 1.0
    database_url: str | None = None
    targets: list[str] = field(default_factory=list)
    server_pids: list[int] = field(default_factory=list)
    data_dir: str | None = None
    run_timeout: float = 60.0
    seed: int = 1
    label: str = ""
    app_args: list[str] = field(default_factory=list)
    progress: bool = True
    run_dir: str | None = None
    profile: bool = False
    app_root: str | None = None
    drop: float | None = None  # seconds every phone's network is cut
    drop_at: str = drops.DEFAULT_AT  # PHASE[+SECONDS]: when

    @property
    def join_ramp(self) -> float:
        return self.ramp if self.ramp is not None else max(3.0, self.phones / 10)

    @property
    def worker_count(self) -> int:
        return self.workers or max(1, math.ceil((self.phones + self.boards) / 300))

    @property
    def reflections(self) -> int:
        return max(0, self.contributions - 1) if self.contributions >= 2 else self.contributions

    @property
    def goals(self) -> int:
        return 1 if self.contributions >= 2 else 0


class Sampler(threading.Thread):
    """CPU time and RSS of the server processes (and the proxy and load workers), twice a second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.groups: dict[str, list[psutil.Process]] = defaultdict(list)
        self.samples: list[dict[str, Any]] = []
        self.peak_rss: dict[int, int] = {}
        self._stop_event = threading.Event()
        self._lock = threading.Lock()

    def watch(self, group: str, pids: list[int]) -> None:
        with self._lock:
            for pid in pids:
                try:
                    self.groups[group].append(psutil.Process(pid))
                except psutil.NoSuchProcess:
                    continue

    def _cpu(self, processes: list[psutil.Process], rss: bool) -> tuple[float, int]:
        total_cpu = 0.0
        total_rss = 0
        for process in processes:
            try:
                members = [process, *process.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
            for member in members:
                try:
                    with member.oneshot():
                        times = member.cpu_times()
                        total_cpu += times.user + times.system
                        if rss:
                            value = member.memory_info().rss
                            total_rss += value
                            self.peak_rss[member.pid] = max(self.peak_rss.get(member.pid, 0), value)
                except psutil.NoSuchProcess:
                    continue
        return total_cpu, total_rss

    @staticmethod
    def _open_files(processes: list[psutil.Process]) -> int:
        total = 0
        for process in processes:
            try:
                members = [process, *process.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
            for member in members:
                try:
                    total += member.num_fds()
                except psutil.Error:
                    continue
        return total

    def sample(self) -> dict[str, Any]:
        with self._lock:
            groups = {name: list(procs) for name, procs in self.groups.items()}
        entry: dict[str, Any] = {"t": time.time()}
        for name, procs in groups.items():
            cpu, rss = self._cpu(procs, rss=True)
            entry[f"{name}_cpu"] = cpu
            entry[f"{name}_rss"] = rss
        if "proxy" in groups:
            # Every connection nginx holds is an open file: the figure the shipped limits are sized by.
            entry["proxy_files"] = self._open_files(groups["proxy"])
        machine = psutil.cpu_times()
        entry["machine_busy"] = machine.user + machine.system + machine.nice + getattr(machine, "irq", 0)
        entry["machine_busy"] += getattr(machine, "softirq", 0) + getattr(machine, "steal", 0)
        self.samples.append(entry)
        return entry

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_EVERY):
            self.sample()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)
        self.sample()

    def rss_timeline(self, start: float, end: float, parts: int = 10) -> list[float]:
        """The app processes' total RSS (MB) at the end of each tenth of the run: a soak's memory trend."""
        points = [(s["t"], s.get("app_rss", 0)) for s in self.samples if start <= s["t"] <= end]
        if not points:
            return []
        span = (end - start) / parts
        timeline: list[float] = []
        last = 0
        for part in range(parts):
            low, high = start + part * span, start + (part + 1) * span
            last = max((rss for t, rss in points if low <= t <= high), default=last)
            timeline.append(round(last / 2**20, 1))
        return timeline

    def at(self, key: str, moment: float) -> float:
        """`key` interpolated at `moment` (cumulative counters)."""
        return _interpolate([(s["t"], s.get(key, 0.0)) for s in self.samples], moment)


def _interpolate(points: list[tuple[float, float]], moment: float) -> float:
    if not points:
        return 0.0
    if moment <= points[0][0]:
        return points[0][1]
    for (t0, v0), (t1, v1) in itertools.pairwise(points):
        if t0 <= moment <= t1:
            return v0 if t1 == t0 else v0 + (v1 - v0) * (moment - t0) / (t1 - t0)
    return points[-1][1]


class Tally:
    """Everything the workers reported, folded as it arrives."""

    def __init__(self) -> None:
        self.joins: dict[str, list[float]] = defaultdict(list)
        self.joined: dict[str, set[int]] = defaultdict(set)
        self.join_failures: list[tuple[str, int, str]] = []
        self.sent: dict[str, float] = {}
        self.sent_kind: dict[str, str] = {}
        self.acked: dict[str, tuple[float, float]] = {}
        self.moved_on: set[str] = set()
        self.ack_failures: dict[str, str] = {}
        self.unfinished: list[tuple[int, str]] = []
        self.skipped: list[str] = []
        self.seen: dict[str, dict[int, float]] = defaultdict(dict)
        self.screens: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.errors: list[tuple[str, int, str]] = []
        self.disconnects: list[tuple[str, int]] = []
        self.stats: dict[int, list[tuple[float, dict[str, int], int, float]]] = defaultdict(list)
        self.approved: dict[str, float] = {}
        self.acts: dict[str, list[float]] = defaultdict(list)  # kind -> acknowledgement times (s)
        self.acts_sent: dict[str, int] = defaultdict(int)
        self.act_failures: list[tuple[str, int, str]] = []
        self.acts_skipped: dict[str, int] = defaultdict(int)  # nothing on the screen to do it with
        self.doomed: set[str] = set()  # markers of words sent to be deleted: none may be left
        self.error_times: list[float] = []  # when each failure counted as an error happened
        self.drop = drops.DropTally()
        self.lock = threading.Lock()

    def fold(self, event: tuple[Any, ...]) -> None:
        kind = event[0]
        if kind in ("join_failed", "ack_failed", "error", "act_failed"):
            self.error_times.append(event[3])
        if kind in drops.EVENTS:
            self.drop.fold(event)
        elif kind == "join":
            _, role, index, started, finished = event
            self.joins[role].append(finished - started)
            self.joined[role].add(index)
        elif kind == "join_failed":
            self.join_failures.append((event[1], event[2], event[4]))
        elif kind == "sent":
            self.sent[event[1]] = event[4]
            self.sent_kind[event[1]] = event[3]
        elif kind == "ack":
            self.acked[event[1]] = (event[3], event[4])
            if len(event) > 5 and event[5]:
                self.moved_on.add(event[1])
        elif kind == "ack_failed":
            self.ack_failures[event[1]] = event[4]
        elif kind == "seen":
            _, board, moment, markers = event
            for mark in markers:
                self.seen[mark].setdefault(board, moment)
        elif kind == "screen":
            self.screens[event[2]].append((event[1], event[3]))
        elif kind == "unfinished":
            self.unfinished.append((event[1], event[2]))
        elif kind == "skipped":
            self.skipped.extend(event[2])
        elif kind == "error":
            self.errors.append((event[1], event[2], event[4]))
        elif kind == "disconnect":
            self.disconnects.append((event[1], event[2]))
        elif kind == "act":
            self.acts[event[1]].append(event[4] - event[3])
        elif kind == "act_sent":
            self.acts_sent[event[1]] += 1
        elif kind == "act_failed":
            self.act_failures.append((event[1], event[2], event[4]))
        elif kind == "act_skipped":
            self.acts_skipped[event[1]] += 1
        elif kind == "doomed":
            self.doomed.add(event[1])

    def runs_final(self) -> dict[str, float]:
        """Every worker's counters as it last reported them (it reports once more as it stops)."""
        totals: dict[str, float] = defaultdict(float)
        for history in self.stats.values():
            if history:
                for key in RUN_COUNTERS:
                    totals[key] += history[-1][1].get(key, 0)
        return totals

    def runs_at(self, moment: float) -> dict[str, float]:
        """Every worker's counters as last reported by `moment` (a worker counts from nothing, and
        reports once a second: between reports the counts are those of the report before)."""
        totals: dict[str, float] = defaultdict(float)
        for history in self.stats.values():
            reported = [entry for entry in history if entry[0] <= moment]
            if reported:
                for key in RUN_COUNTERS:
                    totals[key] += reported[-1][1].get(key, 0)
            totals["client_cpu"] += _interpolate([(t, cpu) for t, _c, _o, cpu in history], moment)
        return totals

    def open_sessions(self) -> int:
        return sum(history[-1][2] for history in self.stats.values() if history)


RUN_COUNTERS = (
    "full_runs",
    "fragment_runs",
    "interrupted_runs",
    "messages",
    "bytes_in",
    "exceptions",
    "looks",
    "looks_unanswered",
    "wakes",
    "posts",
)


class Run:
    """One scenario, run once."""

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = f"{stamp}-{scenario.app}-{scenario.label or 'run'}-{secrets.token_hex(2)}"
        self.run_dir = Path(scenario.run_dir) if scenario.run_dir else RESULTS_DIR / "runs" / name
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.run_tag = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(2))
        self.tally = Tally()
        self.sampler = Sampler()
        self.progress = report.Progress(enabled=scenario.progress)
        self.deployment: servers.Deployment | None = None
        self.facilitator: Facilitator | None = None
        self.room: Room | None = None
        self.phase = "joining"
        self.phase_times: dict[str, float] = {}
        self.marks: dict[str, float] = {}
        self.workers: list[multiprocessing.process.BaseProcess] = []
        self.commands: list[Any] = []
        self.profiler: profiling.Profiler | None = None
        self.profile: dict[str, object] | None = None
        self.load_at_start: tuple[float, float, float] | None = None  # read as run() begins
        self.drop_window: tuple[float, float] | None = None  # when the phones' network is cut, and returns

    # -- setting up ----------------------------------------------------------------------------

    def _set_up(self) -> None:
        s = self.s
        data_dir = Path(s.data_dir) if s.data_dir else self.run_dir / "data"
        env = {"HOPECIRCLE_DATA_DIR": str(data_dir)}
        if s.database_url:
            env["HOPECIRCLE_DATABASE_URL"] = s.database_url
        if s.app == "hopecircle":
            self.facilitator = Facilitator(data_dir, s.database_url)
            self.room = self.facilitator.open_room(auto_approve=s.auto_approve)
        if s.targets:
            self.targets = list(s.targets)
            self.sampler.watch("app", list(s.server_pids))
        else:
            script = servers.APP_SCRIPT if s.app == "hopecircle" else servers.BARE_SCRIPT
            self.deployment = servers.deploy(
                s.processes,
                self.run_dir,
                script=script,
                env=env,
                proxy=s.proxy,
                extra_args=s.app_args,
                app_root=Path(s.app_root) if s.app_root and s.app == "hopecircle" else None,
            )
            self.targets = self.deployment.targets
            pids = self.deployment.pids()
            self.sampler.watch("app", pids["app"])
            self.sampler.watch("proxy", pids["proxy"])
            asyncio.run(self._warm_up([app.base for app in self.deployment.apps]))

    async def _warm_up(self, bases: list[str]) -> None:
        """Open each process's pages once, as the facilitator's console and projector would before phones arrive."""
        for base in bases:
            if self.s.app == "hopecircle" and self.room is not None:
                pages = [("", f"code={self.room.code}"), ("board", f"key={self.room.board_key}")]
            else:
                pages = [("", "every=3")]
            for page_name, query in pages:
                session = Session(base, page_name, query, run_timeout=90)
                try:
                    await session.open()
                finally:
                    await session.close()

    def _start_workers(self) -> None:
        s = self.s
        context = multiprocessing.get_context("spawn")
        self.events = context.Queue()
        count = s.worker_count
        for worker_id in range(count):
            commands = context.Queue()
            spec = WorkerSpec(
                worker_id=worker_id,
                plan=Plan(
                    targets=self.targets,
                    code=self.room.code if self.room else "",
                    board_key=self.room.board_key if self.room else "",
                    app=s.app,
                    run_tag=self.run_tag,
                    seed=s.seed,
                    reflections=s.reflections,
                    goals=s.goals,
                    reactions=s.reactions,
                    run_timeout=s.run_timeout,
                    think=s.think,
                    edits=s.edits,
                    deletes=s.deletes,
                    talks=s.talks,
                ),
                phones=[i for i in range(s.phones) if i % count == worker_id],
                boards=[i for i in range(s.boards) if i % count == worker_id],
                total_phones=s.phones,
                ramp=s.join_ramp,
            )
            process = context.Process(target=run_worker, args=(spec, commands, self.events), daemon=True)
            process.start()
            self.workers.append(process)
            self.commands.append(commands)
        ready = 0
        deadline = time.monotonic() + 60
        while ready < count:
            if time.monotonic() > deadline:
                raise TimeoutError("load workers did not start")
            event = self.events.get(timeout=60)
            if event[0] == "ready":
                ready += 1
        self.sampler.watch("client", [p.pid for p in self.workers if p.pid])

    def _app_pids(self) -> list[int]:
        return self.deployment.pids()["app"] if self.deployment else list(self.s.server_pids)

    def _broadcast(self, *command: Any) -> None:
        for commands in self.commands:
            commands.put(command)

    # -- the timeline ----------------------------------------------------------------------------

    def _drain(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                event = self.events.get(timeout=max(0.0, remaining)) if remaining > 0 else self.events.get_nowait()
            except queue.Empty:
                return
            if event[0] == "batch":
                worker_id = event[1]
                with self.tally.lock:
                    for item in event[2]:
                        if item[0] == "stats":
                            self.tally.stats[worker_id].append(item[1:])
                        else:
                            self.tally.fold(item)
            elif event[0] == "done":
                self._done += 1

    def _seconds_for(self, phase: str, seconds: float) -> float:
        """How long `phase` lasts: with a drop, cut as it asks, and the phase the network returns in
        longer by the drop."""
        s = self.s
        if not s.drop or s.app != "hopecircle":
            return seconds
        now = time.time()
        at, offset = drops.parse_at(s.drop_at)
        if at == phase and self.drop_window is None:
            self.drop_window = (now + offset, now + offset + s.drop)
            self.marks["drop_start"], self.marks["drop_end"] = self.drop_window
            self._broadcast("drop", *self.drop_window)
        if self.drop_window is not None and now <= self.drop_window[1] < now + seconds:
            return seconds + s.drop
        return seconds

    def _set_phase(self, phase: str, window: tuple[float, float] | None) -> None:
        if window is not None:
            self._broadcast("window", phase, *window)
        if self.facilitator is not None and self.room is not None:
            self.phase_times[phase] = self.facilitator.set_phase(self.room, phase)
        else:
            self.phase_times[phase] = time.time()
        self.phase = phase

    def _approver(self, stop: threading.Event) -> None:
        assert self.facilitator is not None and self.room is not None
        while not stop.wait(self.s.approve_every):
            for body, moment in self.facilitator.approve_waiting(self.room):
                for mark in screens.MARKER.findall(body):
                    with self.tally.lock:
                        self.tally.approved[mark] = moment

    def _in_flight(self) -> int:
        t = self.tally
        answered = len(t.acked) + len(t.ack_failures) + sum(len(v) for v in t.acts.values())
        answered += len(t.act_failures) + sum(t.acts_skipped.values())
        return len(t.sent) + sum(t.acts_sent.values()) - answered

    def _all_propagated(self) -> bool:
        """Every acknowledged card is on every board, and nothing sent is still waiting for an answer."""
        if self._in_flight() > 0:
            return False
        boards = len(self.tally.joined["board"])
        if boards == 0 or self.s.app != "hopecircle":
            return True
        with self.tally.lock:
            return all(len(self.tally.seen.get(mark, {})) >= boards for mark in self.tally.acked)

    def _all_back(self) -> bool:
        """After a drop: the network has returned and every phone has reported back."""
        if self.drop_window is None:
            return True
        if time.time() < self.drop_window[1]:
            return False
        with self.tally.lock:
            return len(self.tally.drop.back) >= len(self._phones_at_cut())

    def _phones_at_cut(self) -> set[int]:
        """The phones a drop's figures count: every phone that joined and never lost its page otherwise."""
        t = self.tally
        return t.joined["phone"] - {index for role, index in t.disconnects if role == "phone"}

    def _progress_line(self) -> str:
        t = self.tally
        latest = self.sampler.samples[-1] if self.sampler.samples else {}
        previous = self.sampler.samples[-3] if len(self.sampler.samples) >= 3 else None
        cpu = ""
        if previous is not None and latest:
            span = latest["t"] - previous["t"]
            cpu = f"server cpu {100 * (latest.get('app_cpu', 0) - previous.get('app_cpu', 0)) / span:4.0f}%"
            cpu += f" client {100 * (latest.get('client_cpu', 0) - previous.get('client_cpu', 0)) / span:4.0f}%"
        boards = max(1, len(t.joined["board"]))
        on_boards = sum(1 for mark in t.acked if len(t.seen.get(mark, {})) >= boards)
        rss = latest.get("app_rss", 0) / 2**20
        return (
            f"{self.phase:<9} joined {len(t.joined['phone'])}/{self.s.phones} boards {len(t.joined['board'])}"
            f" | sent {len(t.sent)} acked {len(t.acked)} on boards {on_boards}"
            f" | err {len(t.errors) + len(t.join_failures) + len(t.ack_failures)} disc {len(t.disconnects)}"
            f" | {cpu} rss {rss:,.0f} MB"
        )

    def _wait(self, seconds: float, until=None) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._drain(min(1.0, max(0.0, deadline - time.monotonic())))
            self.progress.show(time.time() - self.marks["start"], self._progress_line())
            if until is not None and until():
                return

    def _timeline(self) -> None:
        s = self.s
        start = time.time() + 1.0
        self.marks["start"] = start
        self._broadcast("start", start)
        self.phase = "joining"
        expected_phones = s.phones

        def everyone_in() -> bool:
            t = self.tally
            phones = len(t.joined["phone"]) + sum(1 for f in t.join_failures if f[0] == "phone")
            boards = len(t.joined["board"]) + sum(1 for f in t.join_failures if f[0] == "board")
            return phones >= expected_phones and boards >= s.boards

        self._wait(s.join_ramp + 1 + s.run_timeout, until=everyone_in)
        self.marks["joined"] = time.time()
        self.phase = "welcome"
        self._wait(s.idle)
        self.marks["idle_end"] = time.time()
        approver_stop = threading.Event()
        approver = None
        if s.app == "hopecircle" and not s.auto_approve:
            approver = threading.Thread(target=self._approver, args=(approver_stop,), daemon=True)
            approver.start()
        self._phase_for("checkin", s.checkin_seconds)
        story_seconds = self._seconds_for("story", s.story_seconds)
        now = time.time()
        self._set_phase("story", (now, now + story_seconds))
        parts = max(1, s.story_parts)
        for part in range(parts):
            if part and self.facilitator is not None and self.room is not None:
                self.facilitator.set_story_section(self.room, part)
            self._wait(story_seconds / parts)
        self._phase_for("reflect", s.duration / 2)
        self._phase_for("next_step", s.duration / 2)
        self._phase_for("board", s.board_seconds)
        self._phase_for("close", s.close_seconds)
        self.phase = "grace"
        self.marks["grace"] = time.time()
        self._wait(s.grace + (s.drop or 0), until=lambda: self._all_propagated() and self._all_back())
        approver_stop.set()
        if approver is not None:
            approver.join(timeout=30)
            self._wait(min(s.grace, 5.0), until=self._all_propagated)
        self.marks["end"] = time.time()

    def _phase_for(self, phase: str, seconds: float) -> None:
        """Move the room to `phase` and keep it there for `seconds`, its window for what phones do."""
        seconds = self._seconds_for(phase, seconds)
        now = time.time()
        self._set_phase(phase, (now, now + seconds))
        self._wait(seconds)

    def _stop_workers(self) -> None:
        self._broadcast("stop")
        self._done = getattr(self, "_done", 0)
        deadline = time.monotonic() + self.s.run_timeout + 15
        while self._done < len(self.workers) and time.monotonic() < deadline:
            self._drain(0.5)
        for process in self.workers:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()

    # -- running ------------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        # Before anything of the run's own starts: the load average tells what else the host was doing.
        self.load_at_start = os.getloadavg()
        self._done = 0
        try:
            self._set_up()
            self.sampler.start()
            self._start_workers()
            if self.s.profile:
                self.profiler = profiling.Profiler(self._app_pids(), self.run_dir)
            self._timeline()
            if self.profiler is not None:
                self.profile = self.profiler.stop()
                self.profiler = None
            self._stop_workers()
            self.progress.done()
            self.sampler.stop()
            database = self.facilitator.tally(self.room) if self.facilitator and self.room else None
            return self._results(database)
        finally:
            if self.profiler is not None:
                self.profiler.stop()
            if self.sampler.is_alive():
                self.sampler.stop()
            for process in self.workers:
                if process.is_alive():
                    process.terminate()
            if self.deployment is not None:
                self.deployment.stop()
            if self.facilitator is not None:
                self.facilitator.close()

    # -- figures ---------------------------------------------------------------------------------

    def _results(self, database: dict[str, Any] | None) -> dict[str, Any]:
        s, t = self.s, self.tally
        start, end = self.marks["start"], self.marks["end"]
        boards = len(t.joined["board"])
        origin = t.approved if (s.app == "hopecircle" and not s.auto_approve) else {m: a[0] for m, a in t.acked.items()}
        propagation, pairs, missing = [], [], 0
        if s.app == "hopecircle":
            for mark, began in origin.items():
                seen = t.seen.get(mark, {})
                pairs += [moment - began for moment in seen.values()]
                if boards and len(seen) >= boards:
                    propagation.append(max(seen.values()) - began)
                else:
                    missing += 1
        follow = []
        follow_by_phase: dict[str, list[float]] = {}
        cut, returned = self.drop_window or (math.inf, math.inf)
        for phase in screens.PHASES[1:]:
            moved = self.phase_times.get(phase)
            if moved is None or cut <= moved <= returned:
                continue  # a change no phone could follow while the network was cut: the drop's "back" times it
            first: dict[int, float] = {}
            for phone, moment in t.screens.get(phase, []):
                if moment >= moved and phone not in first:
                    first[phone] = moment
            follow_by_phase[phase] = [moment - moved for moment in first.values()]
            follow += follow_by_phase[phase]

        contributions: dict[str, Any] = {
            "sent": len(t.sent),
            "acknowledged": len(t.acked),
            "acknowledged_without_confirmation": len(t.moved_on),
        }
        if database is not None:
            in_db: dict[str, int] = defaultdict(int)
            for body, _status in database["bodies"]:
                for mark in screens.MARKER.findall(body):
                    in_db[mark] += 1
            sent = set(t.sent)
            contributions.update(
                deleted=len(t.doomed),
                deleted_but_still_there=sum(1 for mark in t.doomed if mark in in_db),
            )
            contributions.update(
                in_database=sum(1 for mark in sent if mark in in_db),
                lost=sum(1 for mark in sent if mark not in in_db),
                acknowledged_but_lost=sum(1 for mark in t.acked if mark not in in_db),
                duplicated=sum(1 for mark in sent if in_db.get(mark, 0) > 1),
                rows=len(database["bodies"]),
                participants_in_database=database["participants"],
                reactions_in_database=database["reactions"],
            )

        cpu_total = self.sampler.at("app_cpu", end) - self.sampler.at("app_cpu", start)
        # To the workers' last counts (taken as they stop, just after `end`): everything a phone did
        # happened before `end`, and counts sampled once a second would lose the last second's.
        runs_start, runs_end = t.runs_at(start), t.runs_final()
        runs = {k: runs_end[k] - runs_start.get(k, 0) for k in runs_end}
        total_runs = runs.get("full_runs", 0) + runs.get("fragment_runs", 0) + runs.get("interrupted_runs", 0)
        # The second half of the idle Welcome phase: joins and interval changes have settled.
        idle_b = self.marks["idle_end"]
        idle_a = idle_b - (idle_b - self.marks["joined"]) / 2
        idle_cpu = self.sampler.at("app_cpu", idle_b) - self.sampler.at("app_cpu", idle_a)
        idle_runs_a, idle_runs_b = t.runs_at(idle_a), t.runs_at(idle_b)
        idle_ticks = idle_runs_b["fragment_runs"] - idle_runs_a["fragment_runs"]
        idle_full = idle_runs_b["full_runs"] - idle_runs_a["full_runs"]
        # With the room endpoint an idle phone only looks (an HTTP request): the idle window's CPU is
        # the looks', and the few fragment runs in it are taps, not ticks.
        idle_looks = idle_runs_b["looks"] - idle_runs_a["looks"]
        look_cost = idle_cpu / idle_looks if idle_looks > 0 and idle_ticks <= idle_looks * 0.05 else None
        ticking = idle_ticks > 0 and idle_full <= idle_ticks * 0.05 and not idle_looks
        tick_cost = idle_cpu / idle_ticks if ticking else None
        full_cost = None
        if tick_cost is not None and runs.get("full_runs"):
            rest = cpu_total - tick_cost * runs.get("fragment_runs", 0)
            full_cost = rest / (runs["full_runs"] + runs.get("interrupted_runs", 0))
        span = end - start
        rss_tenths = self.sampler.rss_timeline(start, end)
        peak_total = max((sample.get("app_rss", 0) for sample in self.sampler.samples), default=0)
        app_pids = set(self.deployment.pids()["app"]) if self.deployment else set(s.server_pids)
        per_process = {pid: rss for pid, rss in self.sampler.peak_rss.items() if pid in app_pids}
        client_cpu = self.sampler.at("client_cpu", end) - self.sampler.at("client_cpu", start)
        proxy_cpu = self.sampler.at("proxy_cpu", end) - self.sampler.at("proxy_cpu", start)
        machine_busy = self.sampler.at("machine_busy", end) - self.sampler.at("machine_busy", start)
        errors = {
            "join_failures": len(t.join_failures),
            "submit_failures": len(t.ack_failures),
            "unfinished_at_end": len(t.unfinished),
            "planned_but_never_on_screen": len(t.skipped),
            "action_failures": len(t.act_failures),
            "deleted_but_still_there": contributions.get("deleted_but_still_there", 0),
            "page_errors": len(t.errors),
            "exceptions_on_pages": int(runs.get("exceptions", 0)),
            "disconnects": len(t.disconnects),
            "examples": [f for f in t.join_failures[:3]]
            + list(t.ack_failures.items())[:3]
            + t.act_failures[:3]
            + t.errors[:3],
        }
        errors["total"] = sum(v for k, v in errors.items() if k not in ("examples", "disconnects"))
        result: dict[str, Any] = {
            "scenario": {**asdict(s), "join_ramp": s.join_ramp, "workers": s.worker_count},
            "run_dir": str(self.run_dir),
            "targets_used": self.targets,
            "machine": machine_info(self.load_at_start or os.getloadavg()),
            "phones": {"asked": s.phones, "joined": len(t.joined["phone"])},
            "boards": {"asked": s.boards, "joined": boards},
            "join": summary(t.joins["phone"]),
            "board_join": summary(t.joins["board"]),
            "submit_ack": summary([b - a for a, b in t.acked.values()]),
            "reaction_ack": summary(t.acts.get("metoo", [])),
            # Every other thing a person does, by kind: a check-in word, a pulse, an edit, a delete,
            # a "me too", a check-out word, the hope card, the request to talk (and taking it back).
            "action_ack": {
                kind: {**summary(times), "skipped": t.acts_skipped.get(kind, 0)}
                for kind, times in sorted(t.acts.items())
            },
            "propagation": {
                **summary(propagation),
                "not_on_every_board": missing,
                "measured_from": ("approval" if not s.auto_approve else "submission"),
            },
            "propagation_per_board": summary(pairs),
            "phase_follow": summary(follow),
            # Each phase change on its own: the board phase's screens are the heaviest to draw.
            "phase_follow_by_phase": {phase: summary(times) for phase, times in follow_by_phase.items()},
            "contributions": contributions,
            "errors": errors,
            "server": {
                "processes": len(app_pids),
                "cpu_seconds": round(cpu_total, 2),
                "cpu_cores_mean": round(cpu_total / span, 2) if span else None,
                "peak_rss_mb": round(peak_total / 2**20, 1),
                "peak_rss_mb_per_process": {str(pid): round(v / 2**20, 1) for pid, v in per_process.items()},
                # Peak RSS in each tenth of the run; growth = last tenth over the second (warmed up).
                "rss_mb_by_tenth": rss_tenths,
                "rss_growth_mb": round(rss_tenths[-1] - rss_tenths[1], 1) if len(rss_tenths) > 1 else None,
                "proxy_cpu_seconds": round(proxy_cpu, 2),
                # nginx's open files at their peak (its connections, both sides, and a few of its own).
                "proxy_open_files_peak": max(
                    (sample.get("proxy_files", 0) for sample in self.sampler.samples), default=0
                ),
            },
            "runs": {
                "total": int(total_runs),
                "full": int(runs.get("full_runs", 0)),
                "fragment": int(runs.get("fragment_runs", 0)),
                "interrupted": int(runs.get("interrupted_runs", 0)),
                "messages_received": int(runs.get("messages", 0)),
                "megabytes_received": round(runs.get("bytes_in", 0) / 2**20, 1),
                "looks": int(runs.get("looks", 0)),  # room watcher requests to the endpoint
                "looks_unanswered": int(runs.get("looks_unanswered", 0)),
                "wakes": int(runs.get("wakes", 0)),  # ... that woke the watcher's fragment
                "posts": int(runs.get("posts", 0)),  # sends and taps posted, answered without a run
            },
            "cost": {
                "cpu_ms_per_run": round(1000 * cpu_total / total_runs, 3) if total_runs else None,
                # A look at the room is an interaction too (bare Streamlit's way to look is a tick, a
                # run), and so is a post (bare Streamlit's way to send is a button press, a run).
                "cpu_ms_per_interaction": (
                    round(1000 * cpu_total / (total_runs + runs.get("looks", 0) + runs.get("posts", 0)), 3)
                    if total_runs
                    else None
                ),
                "cpu_ms_per_tick": round(1000 * tick_cost, 3) if tick_cost is not None else None,
                "cpu_ms_per_look": round(1000 * look_cost, 3) if look_cost is not None else None,
                "cpu_ms_per_full_run": round(1000 * full_cost, 3) if full_cost is not None else None,
                "idle_window_s": round(idle_b - idle_a, 1),
                "idle_window_ticks": int(idle_ticks),
                "idle_window_full_runs": int(idle_full),
            },
            "client": {
                "cpu_seconds": round(client_cpu, 2),
                "cpu_cores_mean": round(client_cpu / span, 2) if span else None,
            },
            "machine_cpu_cores_mean": round(machine_busy / span, 2) if span else None,
            "duration_s": round(span, 1),
        }
        if self.drop_window is not None:
            result["drop"] = drops.figures(
                t.drop,
                seconds=s.drop or 0.0,
                at=s.drop_at,
                planned=self.drop_window,
                start=start,
                workers=s.worker_count,
                phones=self._phones_at_cut(),
                phase_times=self.phase_times,
                error_times=t.error_times,
                database=database,
                doomed=t.doomed,
            )
        if self.profile is not None:
            result["profile"] = self.profile
        self._write_raw(result)
        return result

    def _write_raw(self, result: dict[str, Any]) -> None:
        t = self.tally
        raw = {
            "marks": self.marks,
            "phase_times": self.phase_times,
            "samples": self.sampler.samples,
            "sent": t.sent,
            "acked": t.acked,
            "approved": t.approved,
            "seen": t.seen,
            "joins": t.joins,
            "errors": t.errors,
            "join_failures": t.join_failures,
            "ack_failures": t.ack_failures,
            "disconnects": t.disconnects,
            "drop_sends": {key: asdict(record) for key, record in t.drop.sends.items()},
            "drop_back": t.drop.back,
        }
        report.write_json(raw, self.run_dir / "raw.json")
        report.write_json(result, self.run_dir / "result.json")


def machine_info(load_average_at_start: tuple[float, float, float]) -> dict[str, Any]:
    """The machine, the software and the commit of a run; the load average is read by the caller as it starts."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=servers.ROOT, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    import streamlit

    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "platform": platform.platform(),
        "git_commit": commit,
        "load_average_at_start": load_average_at_start,
    }


def run(scenario: Scenario) -> dict[str, Any]:
    """Run `scenario` once and return its figures."""
    return Run(scenario).run()
