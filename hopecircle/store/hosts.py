"""Queries on co-facilitators: the other staff who run a session with its owner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, delete, insert, select

from hopecircle.domain import Account, Role
from hopecircle.store.schema import accounts, session_hosts


class HostQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def is_host(self, session_id: int, account_id: int) -> bool:
        """Whether the account co-facilitates the session."""
        found = self.c.execute(
            select(session_hosts.c.account_id).where(
                and_(session_hosts.c.session_id == session_id, session_hosts.c.account_id == account_id)
            )
        ).first()
        return found is not None

    def of_session(self, session_id: int) -> list[Account]:
        """The session's co-facilitators, in the order they were added."""
        rows = self.c.execute(
            select(accounts)
            .join(session_hosts, session_hosts.c.account_id == accounts.c.id)
            .where(session_hosts.c.session_id == session_id)
            .order_by(session_hosts.c.added_at, accounts.c.id)
        )
        return [Account(row.id, row.username, row.display_name, Role(row.role)) for row in rows]

    def add(self, session_id: int, account_id: int, added_at: datetime) -> None:
        """Add a co-facilitator (nothing changes when they already are one)."""
        if not self.is_host(session_id, account_id):
            self.c.execute(
                insert(session_hosts).values(session_id=session_id, account_id=account_id, added_at=added_at)
            )

    def remove(self, session_id: int, account_id: int) -> bool:
        """Take a co-facilitator off the session; False when they were not one."""
        result = self.c.execute(
            delete(session_hosts).where(
                and_(session_hosts.c.session_id == session_id, session_hosts.c.account_id == account_id)
            )
        )
        return bool(result.rowcount)

    def staff_names(self) -> dict[int, str]:
        """Every staff account's display name, by id (to say who did what in a console)."""
        return {row.id: row.display_name for row in self.c.execute(select(accounts.c.id, accounts.c.display_name))}

    def active_staff(self) -> list[Account]:
        """The organization's staff who may sign in, by name."""
        rows = self.c.execute(
            select(accounts).where(accounts.c.active.is_(True)).order_by(accounts.c.display_name, accounts.c.id)
        )
        return [Account(row.id, row.username, row.display_name, Role(row.role)) for row in rows]
