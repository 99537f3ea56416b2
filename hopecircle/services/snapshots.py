"""A session's aggregates kept in its session_stats row: written at close, before retention, and for reports."""

from __future__ import annotations

from hopecircle.services.context import Context
from hopecircle.stats import SessionStats


def snapshot_session(ctx: Context, session_id: int) -> SessionStats:
    """Count a session's raw rows into its session_stats row (at close, and before retention)."""
    with ctx.store.write() as tx:
        session = tx.reports.session(session_id)
        kept = tx.reports.snapshot(session_id) if session is not None and session.purged else None
        if kept is not None:
            # Raw rows are gone: counting them again would overwrite the real figures with zeros.
            return kept
        stats = tx.reports.compute(session_id, ctx.clock())
        tx.reports.put(session_id, stats)
    return stats
