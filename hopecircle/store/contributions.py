"""Queries on contributions, "me too" reactions and hope pulses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from hopecircle.domain import Card, Contribution, Kind, PulseSummary, Status
from hopecircle.store.engine import MAX_ROW_ID
from hopecircle.store.schema import contributions, participants, pulses, reactions


def _contribution(row) -> Contribution:  # type: ignore[no-untyped-def]
    return Contribution(
        id=row.id,
        session_id=row.session_id,
        participant_id=row.participant_id,
        kind=Kind(row.kind),
        body=row.body,
        goal_when=row.goal_when,
        goal_support=row.goal_support,
        dimension=row.dimension,
        status=Status(row.status),
        flags=tuple(flag for flag in row.flags.split(",") if flag),
        shareable=bool(row.shareable),
        phase=row.phase,
        created_minute=row.created_minute,
        me_too=row.me_too,
        moderated_by=row.moderated_by,
        pass_on=bool(row.pass_on),
    )


contribution_from_row = _contribution

# Statements on every phone's path are built once, with bound parameters (see store/sessions.py).
_BY_CLIENT_KEY = select(contributions).where(
    and_(contributions.c.participant_id == bindparam("participant"), contributions.c.client_key == bindparam("key"))
)
_BY_ID = select(contributions).where(contributions.c.id == bindparam("contribution"))
_FOR_PARTICIPANT = (
    select(contributions).where(contributions.c.participant_id == bindparam("participant")).order_by(contributions.c.id)
)
_APPROVED_OF_KINDS = and_(
    contributions.c.session_id == bindparam("session"),
    contributions.c.status == Status.APPROVED.value,
    contributions.c.kind.in_(bindparam("kinds", expanding=True)),
)
_CARDS = (
    select(
        contributions.c.id,
        contributions.c.kind,
        contributions.c.body,
        contributions.c.goal_when,
        contributions.c.goal_support,
        contributions.c.dimension,
        contributions.c.me_too,
        participants.c.language,
    )
    .join(participants, participants.c.id == contributions.c.participant_id)
    .where(_APPROVED_OF_KINDS)
    .order_by(contributions.c.shuffle_key, contributions.c.id)
)
_CARDS_PAGE = _CARDS.limit(bindparam("limit"))
_COUNT_APPROVED = select(func.count()).select_from(contributions).where(_APPROVED_OF_KINDS)
_REACTIONS_OF = select(reactions.c.contribution_id).where(reactions.c.participant_id == bindparam("participant"))
# A new contribution as stored, in one statement; nothing when this phone already sent the same
# words (its client key), which the savepoint and the read after it used to find out.
_ADD = {
    dialect.__name__.rsplit(".", 1)[-1]: dialect.insert(contributions)
    .on_conflict_do_nothing(index_elements=["participant_id", "client_key"])
    .returning(*contributions.c)
    for dialect in (sqlite, postgresql)
}
_FORGET_REACTIONS = delete(reactions).where(reactions.c.contribution_id == bindparam("card"))
_ADD_REACTION = insert(reactions)
_REMOVE_REACTION = delete(reactions).where(
    and_(reactions.c.contribution_id == bindparam("card"), reactions.c.participant_id == bindparam("participant"))
)
_COUNT_UP = (
    update(contributions).where(contributions.c.id == bindparam("card")).values(me_too=contributions.c.me_too + 1)
)
_COUNT_DOWN = (
    update(contributions).where(contributions.c.id == bindparam("card")).values(me_too=contributions.c.me_too - 1)
)
_PULSES_OF = select(pulses.c.moment, pulses.c.value).where(pulses.c.participant_id == bindparam("participant"))


def _kind_values(kinds: frozenset[Kind]) -> list[str]:
    return sorted(kind.value for kind in kinds)


class ContributionQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def add(self, **values: Any) -> Contribution | None:
        """Insert one contribution and return it as stored; None when this phone already sent one
        with the same client key."""
        values["flags"] = ",".join(values.get("flags", ()))
        row = self.c.execute(_ADD[self.c.dialect.name], values).first()
        return _contribution(row) if row else None

    def replace(self, contribution_id: int, **values: Any) -> Contribution:
        """New words for a contribution (and what goes with them); its "me too"s are forgotten,
        since nobody said "me too" to the new words. Returns it as stored."""
        values["flags"] = ",".join(values.get("flags", ()))
        self.c.execute(_FORGET_REACTIONS, {"card": contribution_id})
        row = self.c.execute(
            update(contributions)
            .where(contributions.c.id == contribution_id)
            .values(me_too=0, **values)
            .returning(*contributions.c)
        ).one()
        return _contribution(row)

    def keyed_for_participant(self, participant_id: int) -> list[tuple[Contribution, str]]:
        """A phone's own contributions in order, each with its client key."""
        rows = self.c.execute(_FOR_PARTICIPANT, {"participant": participant_id})
        return [(_contribution(row), row.client_key) for row in rows]

    def by_client_key(self, participant_id: int, client_key: str) -> Contribution | None:
        row = self.c.execute(_BY_CLIENT_KEY, {"participant": participant_id, "key": client_key}).first()
        return _contribution(row) if row else None

    def by_id(self, contribution_id: int) -> Contribution | None:
        if not 0 < contribution_id <= MAX_ROW_ID:  # no such row, and a number the driver cannot bind
            return None
        row = self.c.execute(_BY_ID, {"contribution": contribution_id}).first()
        return _contribution(row) if row else None

    def for_participant(self, participant_id: int) -> list[Contribution]:
        rows = self.c.execute(_FOR_PARTICIPANT, {"participant": participant_id})
        return [_contribution(row) for row in rows]

    def change(self, contribution_id: int, **values: Any) -> None:
        if "flags" in values:
            values["flags"] = ",".join(values["flags"])
        self.c.execute(update(contributions).where(contributions.c.id == contribution_id).values(**values))

    def delete(self, contribution_id: int) -> None:
        self.c.execute(delete(contributions).where(contributions.c.id == contribution_id))

    def awaiting_review(self, session_id: int) -> list[Contribution]:
        """Pending and held contributions, oldest first (the facilitator reviews in order)."""
        rows = self.c.execute(
            select(contributions)
            .where(
                and_(
                    contributions.c.session_id == session_id,
                    contributions.c.status.in_([Status.PENDING.value, Status.HELD.value]),
                )
            )
            .order_by(contributions.c.id)
        )
        return [_contribution(row) for row in rows]

    def with_status(self, session_id: int, status: Status) -> list[Contribution]:
        rows = self.c.execute(
            select(contributions)
            .where(and_(contributions.c.session_id == session_id, contributions.c.status == status.value))
            .order_by(contributions.c.id)
        )
        return [_contribution(row) for row in rows]

    def cards(self, session_id: int, kinds: frozenset[Kind], limit: int | None = None) -> list[Card]:
        """Approved contributions of `kinds` in their shuffled board order (the first `limit` of them)."""
        parameters = {"session": session_id, "kinds": _kind_values(kinds)}
        if limit is None:
            rows = self.c.execute(_CARDS, parameters)
        else:
            rows = self.c.execute(_CARDS_PAGE, {**parameters, "limit": limit})
        return [
            Card(
                id=row.id,
                kind=Kind(row.kind),
                body=row.body,
                goal_when=row.goal_when,
                goal_support=row.goal_support,
                dimension=row.dimension,
                me_too=row.me_too,
                language=row.language,
            )
            for row in rows
        ]

    def count_approved(self, session_id: int, kinds: frozenset[Kind]) -> int:
        """How many contributions of `kinds` are approved (on the board, once revealed)."""
        return self.c.execute(_COUNT_APPROVED, {"session": session_id, "kinds": _kind_values(kinds)}).scalar_one()

    def counts(self, session_id: int) -> dict[tuple[str, str], int]:
        """Number of contributions by (kind, status)."""
        rows = self.c.execute(
            select(contributions.c.kind, contributions.c.status, func.count())
            .where(contributions.c.session_id == session_id)
            .group_by(contributions.c.kind, contributions.c.status)
        )
        return {(kind, status): count for kind, status, count in rows}

    def add_reaction(self, contribution_id: int, participant_id: int) -> bool:
        """Record a "me too"; False if this phone already added one to this card."""
        try:
            with self.c.begin_nested():
                self.c.execute(_ADD_REACTION, {"contribution_id": contribution_id, "participant_id": participant_id})
        except IntegrityError:
            return False
        self.c.execute(_COUNT_UP, {"card": contribution_id})
        return True

    def remove_reaction(self, contribution_id: int, participant_id: int) -> bool:
        removed = self.c.execute(_REMOVE_REACTION, {"card": contribution_id, "participant": participant_id}).rowcount
        if removed:
            self.c.execute(_COUNT_DOWN, {"card": contribution_id})
        return bool(removed)

    def reactions_of(self, participant_id: int) -> frozenset[int]:
        rows = self.c.execute(_REACTIONS_OF, {"participant": participant_id})
        return frozenset(row[0] for row in rows)


class PulseQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def put(self, session_id: int, participant_id: int, moment: str, value: int) -> None:
        changed = self.c.execute(
            update(pulses)
            .where(and_(pulses.c.participant_id == participant_id, pulses.c.moment == moment))
            .values(value=value)
        ).rowcount
        if not changed:
            self.c.execute(
                insert(pulses).values(session_id=session_id, participant_id=participant_id, moment=moment, value=value)
            )

    def remove(self, participant_id: int, moment: str) -> None:
        self.c.execute(delete(pulses).where(and_(pulses.c.participant_id == participant_id, pulses.c.moment == moment)))

    def of_participant(self, participant_id: int) -> dict[str, int]:
        rows = self.c.execute(_PULSES_OF, {"participant": participant_id})
        return {moment: value for moment, value in rows}

    def summary(self, session_id: int) -> PulseSummary:
        rows = self.c.execute(select(pulses.c.moment, pulses.c.value).where(pulses.c.session_id == session_id))
        pre: list[int] = []
        post: list[int] = []
        for moment, value in rows:
            (pre if moment == "pre" else post).append(value)
        return PulseSummary(pre=tuple(sorted(pre)), post=tuple(sorted(post)))
