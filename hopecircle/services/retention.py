"""Retention: raw words are deleted for good after the organization's period; aggregates stay."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from hopecircle.domain import Phase
from hopecircle.services import sign_in_limits
from hopecircle.services.context import Context
from hopecircle.services.organization import read_settings
from hopecircle.services.sign_ins import purge_ended_sign_ins
from hopecircle.services.snapshots import snapshot_session

log = logging.getLogger(__name__)
# A session is 30-90 minutes; one still open a day later was forgotten, not running.
STALE_OPEN_HOURS = 24
# How often a running app process applies retention by itself (it also runs at every start).
RETENTION_INTERVAL_SECONDS = 3600.0


@dataclass(frozen=True)
class RetentionReport:
    sessions_closed: int
    sessions_purged: int
    contributions_deleted: int


def run_retention(ctx: Context) -> RetentionReport:
    """Close forgotten sessions, then delete the raw contributions of sessions closed too long ago."""
    now = ctx.clock()
    with ctx.store.write() as tx:
        settings = read_settings(tx)
        stale = tx.retention.open_started_before(now - timedelta(hours=STALE_OPEN_HOURS))
        for session_id in stale:
            tx.sessions.change(session_id, status="closed", closed_at=now, phase=Phase.CLOSE.value)
        due = tx.retention.closed_before(now - timedelta(days=settings.retention_days))
    for session_id in stale:
        _keep_aggregates(ctx, session_id)
    deleted = 0
    for session_id in due:
        _keep_aggregates(ctx, session_id)
        with ctx.store.write() as tx:
            deleted += tx.retention.purge(session_id, now)
    purge_ended_sign_ins(ctx)  # staff sign-ins past their end: their cookies sign no one in anyway
    with ctx.store.write() as tx:
        sign_in_limits.forget_old(tx, now)  # wrong passwords older than a day count for nothing
    report = RetentionReport(len(stale), len(due), deleted)
    if stale or due:
        log.info("Retention: %s", report)
    return report


def _keep_aggregates(ctx: Context, session_id: int) -> None:
    """Snapshot the session's aggregates (counts, pulse distributions) before its raw rows go."""
    snapshot_session(ctx, session_id)


class RetentionSchedule(threading.Thread):
    """Applies retention every `interval` seconds for as long as the app process runs.

    An app left running for weeks would otherwise keep words past their period until the next
    restart (systemd users can also use deploy/systemd's timer). A failed run is logged and
    tried again at the next interval; it never stops the app.
    """

    def __init__(self, ctx: Context, interval: float = RETENTION_INTERVAL_SECONDS) -> None:
        super().__init__(name="hopecircle-retention", daemon=True)
        self.ctx = ctx
        self.interval = interval
        self.runs = 0
        self.failures = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                run_retention(self.ctx)
                self.runs += 1
            except Exception:
                self.failures += 1
                log.exception("Retention failed; it runs again in %s s", self.interval)

    def stop(self) -> None:
        self._stopped.set()
