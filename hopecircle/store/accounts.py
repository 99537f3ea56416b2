"""Queries on facilitator/admin accounts, their sign-ins, and organization settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from hopecircle.domain import Account, Role
from hopecircle.store.engine import inserted_id
from hopecircle.store.schema import accounts, settings, sign_in_failures, staff_sign_ins


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


@dataclass(frozen=True)
class SignInRecord:
    """A staff sign-in (a one-time ticket, or a browser's cookie) with its account."""

    id: int
    account: Account
    active: bool
    kind: str
    created_at: datetime
    expires_at: datetime


# A staff tab checks its sign-in every few seconds of use: built once, never with the password hash.
_SIGN_INS = select(
    staff_sign_ins.c.id.label("sign_in_id"),
    staff_sign_ins.c.kind,
    staff_sign_ins.c.created_at,
    staff_sign_ins.c.expires_at,
    accounts.c.id,
    accounts.c.username,
    accounts.c.display_name,
    accounts.c.role,
    accounts.c.active,
).join_from(staff_sign_ins, accounts, staff_sign_ins.c.account_id == accounts.c.id)


def _sign_in(row) -> SignInRecord:  # type: ignore[no-untyped-def]
    return SignInRecord(
        id=row.sign_in_id,
        account=_account(row),
        active=bool(row.active),
        kind=row.kind,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


class SignInQueries:
    """Staff sign-ins that outlive a reload. Only the SHA-256 of a ticket or cookie token is kept."""

    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def insert(self, account_id: int, token_hash: str, kind: str, created_at: datetime, expires_at: datetime) -> int:
        result = self.c.execute(
            insert(staff_sign_ins).values(
                account_id=account_id, token_hash=token_hash, kind=kind, created_at=created_at, expires_at=expires_at
            )
        )
        return inserted_id(result)

    def by_hash(self, token_hash: str, kind: str) -> SignInRecord | None:
        row = self.c.execute(
            _SIGN_INS.where(staff_sign_ins.c.token_hash == token_hash, staff_sign_ins.c.kind == kind)
        ).first()
        return _sign_in(row) if row else None

    def by_id(self, sign_in_id: int) -> SignInRecord | None:
        row = self.c.execute(_SIGN_INS.where(staff_sign_ins.c.id == sign_in_id)).first()
        return _sign_in(row) if row else None

    def ticket_to_cookie(self, sign_in_id: int, ticket_hash: str, cookie_hash: str, expires_at: datetime) -> bool:
        """Turn a ticket into a browser's cookie, once: False when it was already used (or is gone)."""
        result = self.c.execute(
            update(staff_sign_ins)
            .where(
                staff_sign_ins.c.id == sign_in_id,
                staff_sign_ins.c.kind == "ticket",
                staff_sign_ins.c.token_hash == ticket_hash,
            )
            .values(kind="cookie", token_hash=cookie_hash, expires_at=expires_at)
        )
        return result.rowcount == 1

    def delete(self, sign_in_id: int) -> None:
        self.c.execute(delete(staff_sign_ins).where(staff_sign_ins.c.id == sign_in_id))

    def delete_by_hash(self, token_hash: str) -> int:
        return self.c.execute(delete(staff_sign_ins).where(staff_sign_ins.c.token_hash == token_hash)).rowcount

    def delete_for_account(self, account_id: int) -> int:
        return self.c.execute(delete(staff_sign_ins).where(staff_sign_ins.c.account_id == account_id)).rowcount

    def delete_ended(self, now: datetime, tickets_from_before: datetime) -> int:
        """Delete cookies past their expiry and tickets (never exchanged) made before `tickets_from_before`."""
        ended = or_(
            and_(staff_sign_ins.c.kind == "cookie", staff_sign_ins.c.expires_at <= now),
            and_(staff_sign_ins.c.kind == "ticket", staff_sign_ins.c.created_at <= tickets_from_before),
        )
        return self.c.execute(delete(staff_sign_ins).where(ended)).rowcount


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


class SignInFailureQueries:
    """Wrong passwords and setup codes by key (a hash of what was typed as the username) and time."""

    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def add(self, key: str, at: datetime) -> None:
        self.c.execute(insert(sign_in_failures).values(key=key, failed_at=at))

    def since(self, key: str | None, since: datetime) -> tuple[int, datetime | None]:
        """(how many, the latest) failures since `since`, for one key or (None) for every key."""
        query = select(func.count(), func.max(sign_in_failures.c.failed_at)).where(sign_in_failures.c.failed_at > since)
        if key is not None:
            query = query.where(sign_in_failures.c.key == key)
        count, latest = self.c.execute(query).one()
        return int(count), latest

    def clear(self, key: str) -> None:
        self.c.execute(delete(sign_in_failures).where(sign_in_failures.c.key == key))

    def purge_before(self, before: datetime) -> int:
        return self.c.execute(delete(sign_in_failures).where(sign_in_failures.c.failed_at < before)).rowcount
