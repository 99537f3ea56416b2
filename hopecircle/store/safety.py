"""Queries for private support requests and for retention (deleting raw words for good)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, delete, insert, select, update

from hopecircle.store.schema import contributions, opening_cards, participants, pulses, sessions, support_requests


@dataclass(frozen=True)
class SupportRequest:
    id: int
    note: str
    created_minute: datetime
    acknowledged: bool
    acknowledged_by: int | None = None  # the staff account that noted it (shown in the consoles only)


def _request(row) -> SupportRequest:  # type: ignore[no-untyped-def]
    return SupportRequest(row.id, row.note, row.created_minute, bool(row.acknowledged), row.acknowledged_by)


class SupportQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def upsert(self, session_id: int, participant_id: int, note: str, minute: datetime) -> None:
        """One request per phone; asking again updates the note and re-opens it."""
        changed = self.c.execute(
            update(support_requests)
            .where(support_requests.c.participant_id == participant_id)
            .values(note=note, acknowledged=False, acknowledged_by=None)
        ).rowcount
        if not changed:
            self.c.execute(
                insert(support_requests).values(
                    session_id=session_id, participant_id=participant_id, note=note, created_minute=minute
                )
            )

    def withdraw(self, participant_id: int) -> None:
        self.c.execute(delete(support_requests).where(support_requests.c.participant_id == participant_id))

    def of_participant(self, participant_id: int) -> SupportRequest | None:
        row = self.c.execute(
            select(support_requests).where(support_requests.c.participant_id == participant_id)
        ).first()
        return _request(row) if row else None

    def for_session(self, session_id: int) -> list[SupportRequest]:
        rows = self.c.execute(
            select(support_requests).where(support_requests.c.session_id == session_id).order_by(support_requests.c.id)
        )
        return [_request(row) for row in rows]

    def acknowledge(self, session_id: int, request_id: int, by: int | None = None) -> bool:
        """Mark a request noted, by the staff account `by`; False when the session has no such request."""
        return bool(
            self.c.execute(
                update(support_requests)
                .where(and_(support_requests.c.id == request_id, support_requests.c.session_id == session_id))
                .values(acknowledged=True, acknowledged_by=by)
            ).rowcount
        )


class RetentionQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def closed_before(self, cutoff: datetime) -> list[int]:
        """Closed sessions whose raw words are older than `cutoff` and not yet purged."""
        rows = self.c.execute(
            select(sessions.c.id).where(
                and_(sessions.c.status == "closed", sessions.c.closed_at < cutoff, sessions.c.purged_at.is_(None))
            )
        )
        return [row.id for row in rows]

    def open_started_before(self, cutoff: datetime) -> list[int]:
        rows = self.c.execute(
            select(sessions.c.id).where(and_(sessions.c.status == "open", sessions.c.created_at < cutoff))
        )
        return [row.id for row in rows]

    def purge(self, session_id: int, now: datetime) -> int:
        """Delete every participant of a session and, by cascade, their words, pulses and reactions.

        Returns how many contributions were deleted. The session row stays (with its aggregates).
        """
        count = len(self.c.execute(select(contributions.c.id).where(contributions.c.session_id == session_id)).all())
        self.c.execute(delete(support_requests).where(support_requests.c.session_id == session_id))
        # Words passed on go with their own session's words, wherever they were picked to open.
        opening = select(contributions.c.id).where(contributions.c.session_id == session_id)
        self.c.execute(delete(opening_cards).where(opening_cards.c.contribution_id.in_(opening)))
        self.c.execute(delete(contributions).where(contributions.c.session_id == session_id))
        self.c.execute(delete(pulses).where(pulses.c.session_id == session_id))
        self.c.execute(delete(participants).where(participants.c.session_id == session_id))
        self.c.execute(update(sessions).where(sessions.c.id == session_id).values(purged_at=now, notes=""))
        return count
