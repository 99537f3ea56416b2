"""Queries on sessions and the anonymous participants who joined them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, insert, or_, select, update

from hopecircle.domain import Kind, LiveState, Phase, Screen, SessionInfo, Status, edit_mark
from hopecircle.store.engine import MAX_ROW_ID, inserted_id
from hopecircle.store.schema import contributions, participants, session_hosts, sessions


def _session(row) -> SessionInfo:  # type: ignore[no-untyped-def]
    return SessionInfo(
        id=row.id,
        code=row.code,
        board_key=row.board_key,
        title=row.title,
        program=row.program,
        story_id=row.story_id,
        language=row.language,
        facilitator_id=row.facilitator_id,
        status=row.status,
        phase=Phase(row.phase),
        phase_started_at=row.phase_started_at,
        story_section=row.story_section,
        story_screen=row.story_screen,
        auto_approve=bool(row.auto_approve),
        version=row.version,
        created_at=row.created_at,
        closed_at=row.closed_at,
        notes=row.notes,
        agreements=tuple(json.loads(row.agreements)) if row.agreements else None,
        show_join=bool(row.show_join),
        resources_push=row.resources_push,
        purged_at=row.purged_at,
        prompts=tuple(json.loads(row.prompts)) if row.prompts else None,
        plan_id=row.plan_id,
        screen=Screen(row.screen),
        changed_by=row.changed_by,
        projector_timer=bool(row.projector_timer),
        group_id=row.group_id,
    )


def _mark(stored: str | None) -> str:
    return edit_mark(tuple(json.loads(stored))) if stored else ""


_APPROVED_CARDS = (
    select(func.count())
    .select_from(contributions)
    .where(
        and_(
            contributions.c.session_id == sessions.c.id,
            contributions.c.status == Status.APPROVED.value,
            contributions.c.kind.in_([Kind.REFLECTION.value, Kind.GOAL.value]),
        )
    )
    .scalar_subquery()
)

# Statements on every phone's path are built once, with bound parameters. Building a Select and
# its cache key took about four times as long as running it on SQLite.
_LIVE_STATE = select(
    sessions.c.phase,
    sessions.c.status,
    sessions.c.story_section,
    sessions.c.version,
    sessions.c.resources_push,
    sessions.c.agreements,
    sessions.c.prompts,
    _APPROVED_CARDS.label("approved"),
).where(sessions.c.id == bindparam("session"))
_BUMP_VERSION = update(sessions).where(sessions.c.id == bindparam("session")).values(version=sessions.c.version + 1)
_BUMP_IF_OPEN = (
    update(sessions)
    .where(and_(sessions.c.id == bindparam("session"), sessions.c.status == "open"))
    .values(version=sessions.c.version + 1)
    .returning(sessions.c.phase)
)
_BY_ID = select(sessions).where(sessions.c.id == bindparam("session"))
_BY_CODE = select(sessions).where(sessions.c.code == bindparam("code"))
_ADD_PARTICIPANT = insert(participants)
_WITH_SESSION = (
    select(
        participants.c.id.label("participant_id"),
        participants.c.language.label("participant_language"),
        sessions,
    )
    .join(sessions, sessions.c.id == participants.c.session_id)
    .where(participants.c.token_hash == bindparam("token_hash"))
)


class SessionQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def insert(self, **values: Any) -> int:
        result = self.c.execute(insert(sessions).values(**values))
        return inserted_id(result)

    def code_taken(self, code: str) -> bool:
        return self.c.execute(select(sessions.c.id).where(sessions.c.code == code)).first() is not None

    def by_id(self, session_id: int) -> SessionInfo | None:
        if not 0 < session_id <= MAX_ROW_ID:  # no such row, and a number the driver cannot bind
            return None
        row = self.c.execute(_BY_ID, {"session": session_id}).first()
        return _session(row) if row else None

    def by_code(self, code: str) -> SessionInfo | None:
        row = self.c.execute(_BY_CODE, {"code": code}).first()
        return _session(row) if row else None

    def by_board_key(self, board_key: str) -> SessionInfo | None:
        row = self.c.execute(select(sessions).where(sessions.c.board_key == board_key)).first()
        return _session(row) if row else None

    def for_facilitator(self, facilitator_id: int | None, *, limit: int = 20) -> list[SessionInfo]:
        """Sessions newest first; open ones before closed ones. None means every facilitator."""
        query = select(sessions).order_by(sessions.c.status.desc(), sessions.c.created_at.desc()).limit(limit)
        if facilitator_id is not None:
            query = query.where(sessions.c.facilitator_id == facilitator_id)
        return [_session(row) for row in self.c.execute(query)]

    def for_host(self, account_id: int, *, limit: int = 20) -> list[SessionInfo]:
        """Sessions the account runs, as owner or co-facilitator; open ones first, newest first."""
        co_hosted = select(session_hosts.c.session_id).where(session_hosts.c.account_id == account_id)
        query = (
            select(sessions)
            .where(or_(sessions.c.facilitator_id == account_id, sessions.c.id.in_(co_hosted)))
            .order_by(sessions.c.status.desc(), sessions.c.created_at.desc())
            .limit(limit)
        )
        return [_session(row) for row in self.c.execute(query)]

    def change(self, session_id: int, **values: Any) -> None:
        """Update fields and bump the version that phones and boards poll."""
        for listed in ("agreements", "prompts"):
            if values.get(listed) is not None:
                values[listed] = json.dumps(list(values[listed]), ensure_ascii=False)
        self.c.execute(
            update(sessions).where(sessions.c.id == session_id).values(version=sessions.c.version + 1, **values)
        )

    def bump_version(self, session_id: int) -> None:
        self.c.execute(_BUMP_VERSION, {"session": session_id})

    def bump_if_open(self, session_id: int) -> Phase | None:
        """Count a change in an open session and say its phase; None (nothing changed) once it has ended.

        One statement where a send used to read the live state (with its count of cards) and then
        bump: every statement in a write holds the database's one write lock a little longer.
        """
        phase = self.c.execute(_BUMP_IF_OPEN, {"session": session_id}).scalar_one_or_none()
        return Phase(phase) if phase is not None else None

    def live_state(self, session_id: int) -> LiveState | None:
        row = self.c.execute(_LIVE_STATE, {"session": session_id}).first()
        if row is None:
            return None
        return LiveState(
            session_id=session_id,
            phase=Phase(row.phase),
            status=row.status,
            story_section=row.story_section,
            version=row.version,
            approved_count=row.approved,
            resources_push=row.resources_push,
            agreements_mark=_mark(row.agreements),
            prompts_mark=_mark(row.prompts),
        )


class ParticipantQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def insert(self, session_id: int, token_hash: str, language: str, joined_minute: datetime) -> int:
        result = self.c.execute(
            _ADD_PARTICIPANT,
            {"session_id": session_id, "token_hash": token_hash, "language": language, "joined_minute": joined_minute},
        )
        return inserted_id(result)

    def with_session(self, token_hash: str) -> tuple[int, str, SessionInfo] | None:
        """(participant id, participant's language, their session) for a token hash, in one query."""
        row = self.c.execute(_WITH_SESSION, {"token_hash": token_hash}).first()
        return (row.participant_id, row.participant_language, _session(row)) if row else None

    def set_language(self, participant_id: int, language: str) -> None:
        self.c.execute(update(participants).where(participants.c.id == participant_id).values(language=language))

    def count(self, session_id: int) -> int:
        return self.c.execute(
            select(func.count()).select_from(participants).where(participants.c.session_id == session_id)
        ).scalar_one()

    def languages(self, session_id: int) -> dict[str, int]:
        """How many phones joined in each language."""
        rows = self.c.execute(
            select(participants.c.language, func.count())
            .where(participants.c.session_id == session_id)
            .group_by(participants.c.language)
        )
        return {language: int(n) for language, n in rows}
