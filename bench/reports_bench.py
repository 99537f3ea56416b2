"""Time the reports subsystem on a generated database (see bench/generate_data.py). Not a test.

Usage:
    .venv/bin/python bench/reports_bench.py                      # data/bench/reports.db
    .venv/bin/python bench/reports_bench.py postgresql://user@host/db --runs 7

Prints the median (and min/max) time to build the cross-session dashboard's data (all sessions, and
a filtered one), one session's summary from raw rows and from its snapshot, and peak memory; then
the size of one session's HTML report and the pages of its PDF (docs/reports.md records both).
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hopecircle.config import ROOT as APP_ROOT  # noqa: E402
from hopecircle.content import load_guides, load_stories  # noqa: E402
from hopecircle.domain import Account, ReportFilter  # noqa: E402
from hopecircle.reporting import document, files, summaries  # noqa: E402
from hopecircle.services import organization  # noqa: E402
from hopecircle.services.context import Context  # noqa: E402
from hopecircle.stats import SessionStats  # noqa: E402
from hopecircle.store import open_store  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'data' / 'bench' / 'reports.db'}"


def timed(label: str, call: Callable[[], object], runs: int) -> float:
    call()  # warm caches (story library, statement cache) the way a running app has them warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(
        f"{label:<52} median {median * 1000:8.1f} ms   (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, n={runs})"
    )
    return median


def peak(label: str, call: Callable[[], object]) -> None:
    tracemalloc.start()
    call()
    _current, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<52} peak Python allocations {top / 2**20:7.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    store = open_store(args.url)
    ctx = Context(
        store=store, stories=load_stories(APP_ROOT / "stories"), guides=load_guides(APP_ROOT / "facilitator_guides")
    )
    with store.read() as tx:
        record = tx.accounts.record_by_username("bench-admin")
        rows = tx.reports.sessions(None, 10_000)
    if record is None or not rows:
        sys.exit("No generated data here: run bench/generate_data.py first.")
    admin = record.account
    session_id = random.Random(5).choice(rows).id
    program = next(row.program for row in rows if row.program)
    one_year = ReportFilter(start=date(2025, 7, 1), end=date(2026, 6, 30), program=program)
    print(f"{args.url}: {len(rows):,} sessions; {store.dialect}")
    timed("dashboard data, all sessions", lambda: summaries.dashboard(ctx, admin), args.runs)
    timed("dashboard data, one program over a year", lambda: summaries.dashboard(ctx, admin, one_year), args.runs)
    timed("session summary from raw rows", lambda: summaries.session_summary(ctx, admin, session_id), args.runs * 3)

    def from_snapshot() -> None:
        with store.read() as tx:
            stats = tx.reports.snapshot(session_id)
        assert isinstance(stats, SessionStats)
        summaries.suppressed_figures(stats, 5, organization.get_settings(ctx))

    timed("session figures from its snapshot (after retention)", from_snapshot, args.runs * 3)
    peak("dashboard data, all sessions", lambda: summaries.dashboard(ctx, admin))
    peak("session summary from raw rows", lambda: summaries.session_summary(ctx, admin, session_id))
    print(
        f"{'process peak resident memory (ru_maxrss)':<52} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.1f} MiB"
    )
    report_files(ctx, admin, session_id, one_year, args.runs)
    store.dispose()


def report_files(ctx: Context, admin: Account, session_id: int, filters: ReportFilter, runs: int) -> None:
    """How big the files a funder receives are, and how long they take to build."""
    from pypdf import PdfReader

    summary = summaries.session_summary(ctx, admin, session_id)
    board = summaries.dashboard(ctx, admin, filters)
    for label, report in (
        ("one session", document.session_report(summary)),
        ("one program over a year", document.dashboard_report(board, "bench")),
    ):
        page = files.to_html(report)
        pdf = files.to_pdf(report)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"{'report, ' + label:<52} HTML {len(page.encode()) / 1e6:.2f} MB, PDF {len(pdf) / 1e3:.0f} kB, {pages} pages"
        )
        timed(f"HTML report, {label}", lambda report=report: files.to_html(report), runs)
        timed(f"PDF report, {label}", lambda report=report: files.to_pdf(report), runs)


if __name__ == "__main__":
    main()
