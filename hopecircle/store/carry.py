"""Queries on recurring groups, the follow-up counts of a later meeting, and words passed on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from hopecircle.domain import CARD_KINDS, Contribution, Status
from hopecircle.groups import FollowUp, FollowUpCounts, Group
from hopecircle.store.contributions import contribution_from_row
from hopecircle.store.engine import inserted_id
from hopecircle.store.schema import (
    contributions,
    follow_ups,
    opening_cards,
    participants,
    recurring_groups,
    sessions,
)

_MEETINGS = (
    select(func.count())
    .select_from(sessions)
    .where(sessions.c.group_id == recurring_groups.c.id)
    .scalar_subquery()
    .label("meetings")
)


def _group(row) -> Group:  # type: ignore[no-untyped-def]
    return Group(id=row.id, key=row.key, name=row.name, program=row.program, meetings=row.meetings)


class CarryQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    # Groups

    def add_group(self, key: str, name: str, program: str, created_by: int, created_at: datetime) -> int:
        result = self.c.execute(
            insert(recurring_groups).values(
                key=key, name=name, program=program, created_by=created_by, created_at=created_at
            )
        )
        return inserted_id(result)

    def group_named(self, name: str, program: str) -> Group | None:
        row = self.c.execute(
            select(recurring_groups, _MEETINGS).where(
                and_(recurring_groups.c.name == name, recurring_groups.c.program == program)
            )
        ).first()
        return _group(row) if row else None

    def group(self, group_id: int) -> Group | None:
        row = self.c.execute(select(recurring_groups, _MEETINGS).where(recurring_groups.c.id == group_id)).first()
        return _group(row) if row else None

    def groups(self) -> list[Group]:
        """Every group of the organization, by program and name."""
        rows = self.c.execute(
            select(recurring_groups, _MEETINGS).order_by(recurring_groups.c.program, recurring_groups.c.name)
        )
        return [_group(row) for row in rows]

    def has_earlier_meeting(self, group_id: int, session_id: int, created_at: datetime) -> bool:
        """Whether the group met before this session: then there is a "last time" to ask about."""
        found = self.c.execute(
            select(sessions.c.id)
            .where(
                and_(
                    sessions.c.group_id == group_id,
                    sessions.c.id != session_id,
                    sessions.c.created_at <= created_at,
                )
            )
            .limit(1)
        ).first()
        return found is not None

    # Follow-ups: counts per answer, and on the participant only that it answered.

    def mark_followed_up(self, participant_id: int) -> bool:
        """Mark the phone as having answered; False when it had answered already."""
        result = self.c.execute(
            update(participants)
            .where(and_(participants.c.id == participant_id, participants.c.followed_up.is_(False)))
            .values(followed_up=True)
        )
        return result.rowcount == 1

    def count_follow_up(self, session_id: int, answer: FollowUp) -> None:
        changed = self.c.execute(
            update(follow_ups)
            .where(and_(follow_ups.c.session_id == session_id, follow_ups.c.answer == answer.value))
            .values(count=follow_ups.c.count + 1)
        )
        if changed.rowcount == 0:
            self.c.execute(insert(follow_ups).values(session_id=session_id, answer=answer.value, count=1))

    def follow_up_counts(self, session_ids: list[int]) -> dict[int, FollowUpCounts]:
        """Each session's counts (sessions nobody answered in are left out)."""
        if not session_ids:
            return {}
        rows = self.c.execute(
            select(follow_ups.c.session_id, follow_ups.c.answer, follow_ups.c.count.label("n")).where(
                follow_ups.c.session_id.in_(session_ids)
            )
        )
        found: dict[int, dict[FollowUp, int]] = {}
        for row in rows:
            found.setdefault(row.session_id, {})[FollowUp(row.answer)] = row.n
        return {session_id: FollowUpCounts(counts) for session_id, counts in found.items()}

    def followed_up(self, participant_id: int) -> bool:
        return bool(
            self.c.execute(select(participants.c.followed_up).where(participants.c.id == participant_id)).scalar()
        )

    def helped_cards(self, session_id: int, phase: str) -> list[str]:
        """The approved "what helped" words of a session, in their shuffled order."""
        rows = self.c.execute(
            select(contributions.c.body)
            .where(
                and_(
                    contributions.c.session_id == session_id,
                    contributions.c.phase == phase,
                    contributions.c.status == Status.APPROVED.value,
                )
            )
            .order_by(contributions.c.shuffle_key, contributions.c.id)
        )
        return [row.body for row in rows]

    # Words passed on

    def set_pass_on(self, contribution_id: int, on: bool) -> None:
        self.c.execute(update(contributions).where(contributions.c.id == contribution_id).values(pass_on=on))

    def passed_on_cards(self, program: str, before: datetime, session_id: int) -> list[tuple[Contribution, str]]:
        """Approved cards their writers marked "may open a future circle", from the program's
        closed sessions started before `before` (other than `session_id`), with the writer's language."""
        rows = self.c.execute(
            select(contributions, participants.c.language.label("writer_language"))
            .join(sessions, sessions.c.id == contributions.c.session_id)
            .join(participants, participants.c.id == contributions.c.participant_id)
            .where(
                and_(
                    sessions.c.program == program,
                    sessions.c.status == "closed",
                    sessions.c.created_at < before,
                    sessions.c.id != session_id,
                    contributions.c.pass_on.is_(True),
                    contributions.c.status == Status.APPROVED.value,
                    contributions.c.kind.in_(sorted(kind.value for kind in CARD_KINDS)),
                )
            )
            .order_by(contributions.c.shuffle_key, contributions.c.id)
        )
        return [(contribution_from_row(row), row.writer_language) for row in rows]

    def opening_ids(self, session_id: int) -> list[int]:
        rows = self.c.execute(
            select(opening_cards.c.contribution_id)
            .where(opening_cards.c.session_id == session_id)
            .order_by(opening_cards.c.position)
        )
        return [row.contribution_id for row in rows]

    def set_opening(self, session_id: int, contribution_ids: list[int]) -> None:
        self.c.execute(delete(opening_cards).where(opening_cards.c.session_id == session_id))
        for position, contribution_id in enumerate(contribution_ids):
            self.c.execute(
                insert(opening_cards).values(session_id=session_id, contribution_id=contribution_id, position=position)
            )
