"""Queries on facilitator/admin accounts and organization settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from hopecircle.domain import Account, Role
from hopecircle.store.engine import inserted_id
from hopecircle.store.schema import accounts, settings


@dataclass(frozen=True)
class AccountRecord:
    """An account with its password hash: only the auth service ever sees one."""

    account: Account
    password_hash: str
    active: bool


def _account(row) -> Account:  # type: ignore[no-untyped-def]
    return Account(id=row.id, username=row.username, display_name=row.display_name, role=Role(row.role))


class AccountQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def count(self) -> int:
        return self.c.execute(select(func.count()).select_from(accounts)).scalar_one()

    def insert(self, username: str, display_name: str, password_hash: str, role: Role, created_on: date) -> int:
        result = self.c.execute(
            insert(accounts).values(
                username=username,
                display_name=display_name,
                password_hash=password_hash,
                role=role.value,
                created_on=created_on,
                active=True,
            )
        )
        return inserted_id(result)

    def record_by_username(self, username: str) -> AccountRecord | None:
        row = self.c.execute(select(accounts).where(accounts.c.username == username)).first()
        if row is None:
            return None
        return AccountRecord(account=_account(row), password_hash=row.password_hash, active=row.active)

    def by_id(self, account_id: int) -> Account | None:
        row = self.c.execute(select(accounts).where(accounts.c.id == account_id)).first()
        return _account(row) if row else None

    def all(self) -> list[Account]:
        rows = self.c.execute(select(accounts).order_by(accounts.c.username))
        return [_account(row) for row in rows]

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        self.c.execute(update(accounts).where(accounts.c.id == account_id).values(password_hash=password_hash))

    def set_active(self, account_id: int, active: bool) -> None:
        self.c.execute(update(accounts).where(accounts.c.id == account_id).values(active=active))

    def all_with_status(self) -> list[tuple[Account, bool]]:
        """Every account and whether it may sign in, by username."""
        rows = self.c.execute(select(accounts).order_by(accounts.c.username))
        return [(_account(row), bool(row.active)) for row in rows]

    def active_admins(self) -> int:
        return self.c.execute(
            select(func.count()).select_from(accounts).where(accounts.c.role == "admin", accounts.c.active.is_(True))
        ).scalar_one()


class SettingQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def get(self, key: str) -> str | None:
        return self.c.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()

    def with_prefix(self, prefix: str) -> dict[str, str]:
        """Every setting whose key starts with `prefix`, in one query."""
        rows = self.c.execute(
            select(settings.c.key, settings.c.value).where(settings.c.key.startswith(prefix, autoescape=True))
        )
        return {key: value for key, value in rows}

    def put(self, key: str, value: str) -> None:
        updated = self.c.execute(update(settings).where(settings.c.key == key).values(value=value))
        if updated.rowcount == 0:
            self.c.execute(insert(settings).values(key=key, value=value))

    def delete(self, key: str) -> None:
        self.c.execute(settings.delete().where(settings.c.key == key))

    def first_value(self, key: str, value: str) -> str:
        """The stored value of `key`, storing `value` first if there is none (the first writer wins)."""
        insert_new = postgresql.insert if self.c.dialect.name == "postgresql" else sqlite.insert
        self.c.execute(insert_new(settings).values(key=key, value=value).on_conflict_do_nothing(index_elements=["key"]))
        stored = self.get(key)
        assert stored is not None
        return stored
