"""Queries behind organization reports: a session's aggregates from raw rows, and session_stats."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select
from sqlalchemy.orm import aliased

from hopecircle.domain import Kind, ReportFilter, SessionRow, Status
from hopecircle.stats import CHANGE_STEPS, PULSE_STEPS, SessionStats, dimension_counts, pulse_bins, word_tally
from hopecircle.store.schema import (
    contributions,
    follow_ups,
    participants,
    pulses,
    recurring_groups,
    session_stats,
    sessions,
)
from hopecircle.themes import count_themes

# Words and themes come only from text the facilitator let through (or has not judged yet):
# nothing held for risk or personal details, nothing hidden, ever informs a report.
_TEXT_STATUSES = (Status.APPROVED.value, Status.PENDING.value)

_SESSION_COLUMNS = (
    sessions.c.id,
    sessions.c.created_at,
    sessions.c.title,
    sessions.c.facilitator_id,
    sessions.c.program,
    sessions.c.story_id,
    sessions.c.language,
    sessions.c.status,
    sessions.c.purged_at,
)


def _session_row(row: Any) -> SessionRow:
    return SessionRow(
        id=row.id,
        day=row.created_at.date(),
        title=row.title,
        facilitator_id=row.facilitator_id,
        program=row.program,
        story_id=row.story_id,
        language=row.language,
        status=row.status,
        purged=row.purged_at is not None,
    )


def _where(flt: ReportFilter) -> list[Any]:
    conditions: list[Any] = []
    if flt.start is not None:
        conditions.append(sessions.c.created_at >= datetime.combine(flt.start, datetime.min.time()))
    if flt.end is not None:
        conditions.append(sessions.c.created_at < datetime.combine(flt.end + timedelta(days=1), datetime.min.time()))
    for column, value in (
        (sessions.c.facilitator_id, flt.facilitator_id),
        (sessions.c.program, flt.program),
        (sessions.c.story_id, flt.story_id),
        (sessions.c.language, flt.language),
    ):
        if value is not None:
            conditions.append(column == value)
    return conditions


class ReportQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def compute(self, session_id: int, now: datetime) -> SessionStats:
        """Aggregate one session from its raw rows: counting in SQL, themes and words in Python."""
        kinds = {
            kind: (count, people)
            for kind, count, people in self.c.execute(
                select(contributions.c.kind, func.count(), func.count(contributions.c.participant_id.distinct()))
                .where(contributions.c.session_id == session_id)
                .group_by(contributions.c.kind)
            )
        }
        moments = self.c.execute(
            select(pulses.c.moment, pulses.c.value, func.count())
            .where(pulses.c.session_id == session_id)
            .group_by(pulses.c.moment, pulses.c.value)
        ).all()
        pre, post = aliased(pulses), aliased(pulses)
        changes = self.c.execute(
            select(post.c.value - pre.c.value, func.count())
            .select_from(pre.join(post, and_(pre.c.participant_id == post.c.participant_id, post.c.moment == "post")))
            .where(and_(pre.c.session_id == session_id, pre.c.moment == "pre"))
            .group_by(post.c.value - pre.c.value)
        ).all()
        dimensions = self.c.execute(
            select(contributions.c.dimension, func.count())
            .where(and_(contributions.c.session_id == session_id, contributions.c.kind == Kind.GOAL.value))
            .group_by(contributions.c.dimension)
        ).all()
        texts = self.c.execute(
            select(contributions.c.kind, contributions.c.participant_id, contributions.c.body).where(
                and_(
                    contributions.c.session_id == session_id,
                    contributions.c.kind.in_([Kind.REFLECTION.value, Kind.CHECKIN.value, Kind.CHECKOUT.value]),
                    contributions.c.status.in_(_TEXT_STATUSES),
                )
            )
        ).all()
        count = self.c.execute(
            select(func.count()).select_from(participants).where(participants.c.session_id == session_id)
        ).scalar_one()
        return SessionStats(
            participants=count,
            kinds=kinds,
            participants_with_goal=kinds.get(Kind.GOAL.value, (0, 0))[1],
            pulse_pre=pulse_bins(((v, n) for m, v, n in moments if m == "pre"), PULSE_STEPS, 0),
            pulse_post=pulse_bins(((v, n) for m, v, n in moments if m == "post"), PULSE_STEPS, 0),
            pulse_change=pulse_bins(((d, n) for d, n in changes), CHANGE_STEPS, -(PULSE_STEPS - 1)),
            dimensions=dimension_counts(dimensions),
            checkin_words=word_tally(body for kind, _p, body in texts if kind == Kind.CHECKIN.value),
            checkout_words=word_tally(body for kind, _p, body in texts if kind == Kind.CHECKOUT.value),
            themes=count_themes((p, body) for kind, p, body in texts if kind == Kind.REFLECTION.value),
            computed_at=now,
        )

    def put(self, session_id: int, stats: SessionStats) -> None:
        """Write (or replace) a session's snapshot."""
        self.c.execute(delete(session_stats).where(session_stats.c.session_id == session_id))
        self.c.execute(insert(session_stats).values(session_id=session_id, **stats.to_row()))

    def snapshot(self, session_id: int) -> SessionStats | None:
        row = self.c.execute(select(session_stats).where(session_stats.c.session_id == session_id)).mappings().first()
        return SessionStats.from_row(dict(row)) if row else None

    def session(self, session_id: int) -> SessionRow | None:
        row = self.c.execute(select(*_SESSION_COLUMNS).where(sessions.c.id == session_id)).first()
        return _session_row(row) if row else None

    def sessions(self, facilitator_id: int | None, limit: int) -> list[SessionRow]:
        """Sessions newest first, one facilitator's or (None) everyone's."""
        query = select(*_SESSION_COLUMNS).order_by(sessions.c.created_at.desc(), sessions.c.id.desc()).limit(limit)
        if facilitator_id is not None:
            query = query.where(sessions.c.facilitator_id == facilitator_id)
        return [_session_row(row) for row in self.c.execute(query)]

    def unsnapshotted_closed(self, flt: ReportFilter) -> list[int]:
        """Closed sessions that still have their raw rows but no snapshot (closed before snapshots existed)."""
        query = (
            select(sessions.c.id)
            .select_from(sessions.outerjoin(session_stats, session_stats.c.session_id == sessions.c.id))
            .where(
                and_(
                    session_stats.c.session_id.is_(None),
                    sessions.c.status == "closed",
                    sessions.c.purged_at.is_(None),
                    *_where(flt),
                )
            )
        )
        return [row[0] for row in self.c.execute(query)]

    def open_sessions(self, flt: ReportFilter) -> list[SessionRow]:
        query = select(*_SESSION_COLUMNS).where(and_(sessions.c.status == "open", *_where(flt)))
        return [_session_row(row) for row in self.c.execute(query)]

    def snapshot_columns(self, flt: ReportFilter) -> dict[str, list[Any]]:
        """Closed sessions matching the filter, column by column: day and story, then session_stats."""
        stat_columns = [c for c in session_stats.c if c.name not in ("session_id", "computed_at")]
        result = self.c.execute(
            select(sessions.c.created_at, sessions.c.story_id, *stat_columns)
            .select_from(sessions.join(session_stats, session_stats.c.session_id == sessions.c.id))
            .where(and_(sessions.c.status == "closed", *_where(flt)))
        )
        names = list(result.keys())
        rows = result.all()
        return {name: [row[i] for row in rows] for i, name in enumerate(names)}

    def choices(self, facilitator_id: int | None) -> dict[str, list[Any]]:
        """Values the filters can offer: programs, stories, languages and facilitators that have sessions."""
        mine = [sessions.c.facilitator_id == facilitator_id] if facilitator_id is not None else []
        out: dict[str, list[Any]] = {}
        for name, column in (
            ("program", sessions.c.program),
            ("story_id", sessions.c.story_id),
            ("language", sessions.c.language),
            ("facilitator_id", sessions.c.facilitator_id),
        ):
            rows = self.c.execute(select(column).where(*mine).distinct().order_by(column))
            out[name] = [row[0] for row in rows if row[0] not in ("", None)]
        first, last = self.c.execute(
            select(func.min(sessions.c.created_at), func.max(sessions.c.created_at)).where(*mine)
        ).one()
        out["days"] = [first.date(), last.date()] if first else []
        return out

    def shareable_cards(self, flt: ReportFilter, session_id: int | None = None) -> list[dict[str, Any]]:
        """Approved cards the facilitator marked shareable: text and session only, no people, no times."""
        only = [sessions.c.id == session_id] if session_id is not None else []
        rows = self.c.execute(
            select(
                contributions.c.session_id,
                sessions.c.created_at,
                sessions.c.story_id,
                sessions.c.program,
                contributions.c.kind,
                contributions.c.body,
                contributions.c.goal_when,
                contributions.c.goal_support,
                contributions.c.dimension,
            )
            .select_from(contributions.join(sessions, sessions.c.id == contributions.c.session_id))
            .where(
                and_(
                    contributions.c.status == Status.APPROVED.value,
                    contributions.c.shareable.is_(True),
                    contributions.c.kind.in_([Kind.REFLECTION.value, Kind.GOAL.value]),
                    *only,
                    *_where(flt),
                )
            )
            .order_by(sessions.c.created_at, contributions.c.session_id, contributions.c.shuffle_key)
        )
        return [
            {**{k: v for k, v in row._mapping.items() if k != "created_at"}, "day": row.created_at.date()}
            for row in rows
        ]

    def follow_ups(self, flt: ReportFilter) -> list[dict[str, Any]]:
        """Each later meeting's follow-up counts, with its day, program and group's name (no people)."""
        rows = self.c.execute(
            select(
                sessions.c.id,
                sessions.c.created_at,
                sessions.c.program,
                recurring_groups.c.name.label("group_name"),
                follow_ups.c.answer,
                follow_ups.c.count.label("n"),
            )
            .select_from(
                follow_ups.join(sessions, sessions.c.id == follow_ups.c.session_id).join(
                    recurring_groups, recurring_groups.c.id == sessions.c.group_id
                )
            )
            .where(*_where(flt))
            .order_by(sessions.c.created_at, sessions.c.id)
        )
        meetings: dict[int, dict[str, Any]] = {}
        for row in rows:
            found = meetings.setdefault(
                row.id,
                {"day": row.created_at.date(), "program": row.program, "group": row.group_name, "counts": {}},
            )
            found["counts"][row.answer] = row.n
        return list(meetings.values())
