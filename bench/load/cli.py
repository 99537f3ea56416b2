"""`python -m bench.load`: run the load scenario against HopeCircle and the bare-Streamlit floor.

Examples (see docs/performance.md for the recorded runs):

    .venv/bin/python -m bench.load --phones 300 --boards 3 --duration 60
    .venv/bin/python -m bench.load --phones 1000 --boards 3 --duration 60 --processes 2 --proxy
    .venv/bin/python -m bench.load --phones 200 --duration 1200 --contributions 10 --no-floor --label soak
    .venv/bin/python -m bench.load --phones 300 --drop 30
    .venv/bin/python -m bench.load --target http://127.0.0.1:8501 --data-dir data --server-pid 1234
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.load import drop, report
from bench.load.runner import RESULTS_DIR, Scenario, run

RSS_TARGET_MB = 1536
PROPAGATION_TARGET_MS = 1000  # a card on every board
ACK_TARGET_MS = 500  # anything a person does, acknowledged on the phone
FOLLOW_TARGET_MS = 2000  # every phase change, on every phone
JOIN_TARGET_MS = 3000  # from opening the join address to the room on the screen
ONE_PROCESS_JOIN_TARGET_MS = 2000  # the same, in a room on one process (the 300 phones)
CPU_RATIO_TARGET = 2.0
# A soak (a run of SOAK_SECONDS or more) may grow the server's RSS by at most this much from the
# second tenth of the run (warmed up: everyone joined) to the last.
SOAK_SECONDS = 600
SOAK_RSS_GROWTH_MB = 64
BACK_TARGET_MS = 2000  # after a drop, every phone showing the room's phase again


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    room = p.add_argument_group("the room")
    room.add_argument("--phones", type=int, default=300, help="simulated phones (default 300)")
    room.add_argument("--boards", type=int, default=3, help="simulated projector boards (default 3)")
    room.add_argument("--duration", type=float, default=60, help="seconds of Reflect then Next step (half each)")
    room.add_argument("--contributions", type=int, default=2, help="per phone: 1 goal + the rest reflections")
    room.add_argument("--reactions", type=int, default=1, help="'me too' presses per phone in the Board phase")
    room.add_argument("--ramp", type=float, help="seconds over which phones join (default phones/10, min 3)")
    room.add_argument(
        "--think",
        type=float,
        default=10,
        help="a person reads and types for think to 2 x think seconds before sending (default 10)",
    )
    room.add_argument("--idle", type=float, default=10, help="seconds of Welcome after joining (the idle cost)")
    room.add_argument("--checkin-seconds", type=float, default=20, help="seconds of Check-in (a word and a pulse)")
    room.add_argument("--story-seconds", type=float, default=12, help="seconds of the Story")
    room.add_argument("--story-parts", type=int, default=3, help="parts the facilitator shows in the Story")
    room.add_argument("--board-seconds", type=float, default=30, help="seconds of the Board phase")
    room.add_argument(
        "--close-seconds", type=float, default=30, help="seconds of the Close (a word, a pulse, the hope card)"
    )
    room.add_argument("--edits", type=float, default=0.2, help="share of phones that edit a reflection (0.2)")
    room.add_argument("--deletes", type=float, default=0.1, help="share that send one more and delete it (0.1)")
    room.add_argument("--talks", type=float, default=0.05, help="share that ask to talk and take it back (0.05)")
    room.add_argument("--grace", type=float, default=20, help="max seconds to wait for cards to reach boards")
    room.add_argument(
        "--approval",
        choices=("auto", "facilitator"),
        default="auto",
        help="auto-approve (propagation from submission) or the harness approves (from approval)",
    )
    room.add_argument("--approve-every", type=float, default=1.0, help="facilitator approval sweep interval")
    room.add_argument(
        "--drop",
        type=float,
        metavar="SECONDS",
        help="cut every phone's network at once for SECONDS (connections reset, new ones fail); "
        "boards and the facilitator stay connected",
    )
    room.add_argument(
        "--drop-at",
        default=drop.DEFAULT_AT,
        metavar="PHASE[+SECONDS]",
        help=f"when the drop comes: a phase and the seconds after it opens (default {drop.DEFAULT_AT})",
    )
    servers = p.add_argument_group("the servers")
    servers.add_argument("--processes", type=int, default=1, help="app processes to start (default 1)")
    servers.add_argument("--proxy", action="store_true", help="put nginx with sticky sessions in front")
    servers.add_argument("--database-url", help="shared database URL (default: a fresh SQLite file per run)")
    servers.add_argument("--app-arg", action="append", default=[], help="extra `streamlit run` argument")
    servers.add_argument(
        "--app-root", help="run the app from another checkout (e.g. `git archive` of an older commit), to compare"
    )
    servers.add_argument("--target", action="append", default=[], help="use a running app at this loopback URL")
    servers.add_argument("--data-dir", help="with --target: the running app's HOPECIRCLE_DATA_DIR")
    servers.add_argument("--server-pid", type=int, action="append", default=[], help="with --target: pid to sample")
    harness = p.add_argument_group("the harness")
    harness.add_argument("--workers", type=int, help="load-generating processes (default one per 300 clients)")
    harness.add_argument("--floor", dest="floor", action="store_true", default=True, help="also run bare Streamlit")
    harness.add_argument("--no-floor", dest="floor", action="store_false", help="skip the bare-Streamlit floor")
    harness.add_argument("--floor-only", action="store_true", help="run only the bare-Streamlit floor")
    harness.add_argument("--repeat", type=int, default=1, help="run everything this many times; report medians")
    harness.add_argument("--run-timeout", type=float, default=60, help="seconds one script run may take")
    harness.add_argument("--seed", type=int, default=1)
    harness.add_argument("--label", default="", help="a word for the results file name")
    harness.add_argument("--json", type=Path, help="where to write the results JSON (default bench/results/...)")
    harness.add_argument("--no-progress", action="store_true")
    harness.add_argument("--profile", action="store_true", help="py-spy the app processes; summary in the JSON")
    return p


def scenario_from(args: argparse.Namespace) -> Scenario:
    if args.target and not (args.data_dir or args.database_url):
        raise SystemExit("--target needs --data-dir or --database-url: the harness sets up the room in its database")
    if args.drop is not None:
        if args.drop <= 0:
            raise SystemExit("--drop: seconds the network is cut, more than 0")
        try:
            drop.parse_at(args.drop_at)
        except ValueError as error:
            raise SystemExit(str(error)) from None
    return Scenario(
        phones=args.phones,
        boards=args.boards,
        duration=args.duration,
        contributions=args.contributions,
        reactions=args.reactions,
        ramp=args.ramp,
        think=args.think,
        idle=args.idle,
        checkin_seconds=args.checkin_seconds,
        story_seconds=args.story_seconds,
        story_parts=args.story_parts,
        board_seconds=args.board_seconds,
        close_seconds=args.close_seconds,
        edits=args.edits,
        deletes=args.deletes,
        talks=args.talks,
        grace=args.grace,
        auto_approve=args.approval == "auto",
        approve_every=args.approve_every,
        processes=args.processes,
        proxy=args.proxy,
        database_url=args.database_url,
        app_args=list(args.app_arg),
        targets=list(args.target),
        data_dir=args.data_dir,
        server_pids=list(args.server_pid),
        workers=args.workers,
        run_timeout=args.run_timeout,
        seed=args.seed,
        label=args.label,
        progress=not args.no_progress,
        profile=args.profile,
        app_root=args.app_root,
        drop=args.drop,
        drop_at=args.drop_at,
    )


def median_of(results: list[Any]) -> Any:
    """The median of every number across repeated results (the first value for anything else)."""
    first = results[0]
    if isinstance(first, dict):
        return {key: median_of([r.get(key) for r in results if isinstance(r, dict)]) for key in first}
    numbers = [r for r in results if isinstance(r, int | float) and not isinstance(r, bool)]
    if numbers and len(numbers) == len(results):
        value = statistics.median(numbers)
        return round(value, 3) if isinstance(value, float) else value
    return first


def targets(app: dict[str, Any], floor: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The issue's targets, each met or not, with the figure that decided it."""
    contributions = app["contributions"]
    lost, duplicated = contributions.get("lost"), contributions.get("duplicated", 0)
    prop = app["propagation"]["p95_ms"]
    rss = app["server"]["peak_rss_mb"]
    per_process = max(app["server"]["peak_rss_mb_per_process"].values(), default=rss)
    join_target = ONE_PROCESS_JOIN_TARGET_MS if app["scenario"].get("processes", 1) == 1 else JOIN_TARGET_MS
    verdicts = {
        "0 lost, 0 duplicated, 0 errors": {
            "met": lost == 0 and not duplicated and app["errors"]["total"] == 0,
            "detail": f"lost {lost}, duplicated {duplicated}, errors {app['errors']['total']}, "
            f"disconnects {app['errors']['disconnects']}",
        },
        f"p95 propagation <= {PROPAGATION_TARGET_MS / 1000:g} s": {
            "met": prop is not None and prop <= PROPAGATION_TARGET_MS and app["propagation"]["not_on_every_board"] == 0,
            "detail": f"p95 {prop} ms, {app['propagation']['not_on_every_board']} never reached every board",
        },
        f"p95 acknowledgement <= {ACK_TARGET_MS / 1000:g} s, every action": _worst(
            {"words sent": app["submit_ack"], **app.get("action_ack", {})}, ACK_TARGET_MS
        ),
        f"p95 join <= {join_target / 1000:g} s": _worst({"join": app["join"]}, join_target),
        "peak RSS <= 1.5 GB": {
            "met": rss <= RSS_TARGET_MB,
            "detail": f"{rss} MB total, {per_process} MB largest process",
        },
    }
    follow = app.get("phase_follow_by_phase") or {}
    if app["scenario"].get("app", "hopecircle") == "hopecircle" and follow:
        verdicts[f"p95 phase follow <= {FOLLOW_TARGET_MS / 1000:g} s, every phase change"] = _worst(
            follow, FOLLOW_TARGET_MS
        )
    if app["scenario"]["duration"] >= SOAK_SECONDS:
        growth = app["server"].get("rss_growth_mb")
        verdicts[f"soak RSS growth <= {SOAK_RSS_GROWTH_MB} MB"] = {
            "met": growth is not None and growth <= SOAK_RSS_GROWTH_MB,
            "detail": f"{growth} MB (by tenth: {app['server'].get('rss_mb_by_tenth')})",
        }
    cut = app.get("drop")
    if cut:
        back = cut["back"]
        verdicts[f"after a drop, every phone back: p95 <= {BACK_TARGET_MS / 1000:g} s"] = {
            "met": back["p95_ms"] is not None and back["p95_ms"] <= BACK_TARGET_MS and back["not_back"] == 0,
            "detail": f"p50 {back['p50_ms']} / p95 {back['p95_ms']} / max {back['max_ms']} ms after the return, "
            f"{back['not_back']} never back",
        }
        verdicts["after a drop, every queued send stored once"] = {
            "met": cut["queued_lost"] == 0 and cut["queued_duplicated"] == 0 and cut["queued_never_answered"] == 0,
            "detail": f"{cut['sends_queued']} queued, {cut['queued_stored']} stored, {cut['queued_lost']} lost, "
            f"{cut['queued_duplicated']} duplicated, all acknowledged {cut['queued_acknowledged']['all_ms']} ms "
            "after the return",
        }
    if floor is not None:
        # The same session (the same phones doing the same things, the same boards) on bare
        # Streamlit: its phones look at the room with a fragment tick every few seconds and press
        # a button for everything they do. Per interaction the two do different things (a held
        # question costs one request per change of the room, a tick is a run every 3 s), so the
        # session's whole server CPU is what compares; per interaction is in the detail.
        app_cpu, floor_cpu = app["server"]["cpu_seconds"], floor["server"]["cpu_seconds"]
        quotient = report.ratio(app_cpu, floor_cpu)
        per = report.ratio(app["cost"].get("cpu_ms_per_interaction"), floor["cost"].get("cpu_ms_per_interaction"))
        verdicts["server CPU for the session <= 2x bare"] = {
            "met": quotient is not None and quotient <= CPU_RATIO_TARGET,
            "detail": f"{app_cpu} s vs {floor_cpu} s = {quotient}x (per interaction {per}x: "
            f"{app['cost'].get('cpu_ms_per_interaction')} vs {floor['cost'].get('cpu_ms_per_interaction')} ms)",
        }
    return verdicts


def _worst(figures: dict[str, dict[str, Any]], target_ms: float) -> dict[str, Any]:
    """Met when every figure's p95 is within `target_ms` (and each was measured at all)."""
    p95s = {name: figure.get("p95_ms") for name, figure in figures.items() if figure.get("count")}
    worst = max(p95s.items(), key=lambda item: item[1] or 0, default=(None, None))
    met = bool(p95s) and all(value is not None and value <= target_ms for value in p95s.values())
    detail = ", ".join(f"{name} {value:,.0f} ms" for name, value in p95s.items() if value is not None)
    return {"met": met, "detail": f"worst {worst[0]} ({detail})" if worst[0] else "nothing measured"}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    base = scenario_from(args)
    runs: list[dict[str, Any]] = []
    for attempt in range(args.repeat):
        entry: dict[str, Any] = {}
        if args.floor or args.floor_only:
            _say(f"run {attempt + 1}/{args.repeat}: bare Streamlit floor")
            entry["floor"] = run(
                replace(
                    base,
                    app="bare",
                    label=(base.label or "run") + "-floor",
                    targets=[],
                    server_pids=[],
                    database_url=None,
                    data_dir=None,
                    drop=None,  # the floor has no served phone to cut: it runs the session without it
                )
            )
        if not args.floor_only:
            _say(f"run {attempt + 1}/{args.repeat}: HopeCircle")
            entry["app"] = run(base)
        runs.append(entry)
    output: dict[str, Any] = {"command": " ".join(["python -m bench.load", *(argv or sys.argv[1:])]), "runs": runs}
    app = median_of([r["app"] for r in runs]) if "app" in runs[0] else None
    floor = median_of([r["floor"] for r in runs]) if "floor" in runs[0] else None
    if app is not None:
        app["targets"] = targets(app, floor)
    output["median"] = {"app": app, "floor": floor}
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = args.json or RESULTS_DIR / f"{stamp}-{args.label or 'load'}.json"
    report.write_json(output, path)
    print(report.table(app or floor or {}, floor if app is not None else None))
    print(f"\nresults: {path}")
    return 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
