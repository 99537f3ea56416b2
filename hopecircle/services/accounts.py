"""Facilitator and admin accounts: first-run setup, sign-in, and adding accounts."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hopecircle.domain import (
    MIN_PASSWORD_CHARS,
    Account,
    AccountExists,
    InvalidCredentials,
    NotAuthorized,
    Role,
    SetupAlreadyDone,
    WeakPassword,
    WorkshopError,
    WrongSetupCode,
)
from hopecircle.services import sign_in_limits
from hopecircle.services.authz import require_admin
from hopecircle.services.context import Context

_hasher = PasswordHasher()
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
SETUP_CODE_KEY = "setup_code"
# Verifying against this keeps a wrong username as slow as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class InvalidUsername(WorkshopError):
    message_key = "error.invalid_username"


def needs_setup(ctx: Context) -> bool:
    """True until the first account exists."""
    with ctx.store.read() as tx:
        return tx.accounts.count() == 0


def setup_code(ctx: Context) -> str | None:
    """The one-time code that proves the first account is made by whoever started the app."""
    with ctx.store.write() as tx:
        if tx.accounts.count():
            return None
        code = tx.settings.get(SETUP_CODE_KEY)
        if code is None:
            code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
            tx.settings.put(SETUP_CODE_KEY, code)
        return code


def create_first_account(ctx: Context, code: str, username: str, display_name: str, password: str) -> Account:
    """Create the first account (an organization admin who can also facilitate).

    The setup code is throttled like a password (`sign_in_limits`).
    """
    username, display_name = _check_new_account(username, display_name, password)
    now = ctx.clock()
    with ctx.store.read() as tx:
        sign_in_limits.check(tx, sign_in_limits.SETUP_CODE, now)
    with ctx.store.write() as tx:
        if tx.accounts.count():
            raise SetupAlreadyDone()
        expected = tx.settings.get(SETUP_CODE_KEY)
        given = "".join(code.upper().split())
        right = expected is not None and secrets.compare_digest(given, expected)
        if right:
            sign_in_limits.succeeded(tx, sign_in_limits.SETUP_CODE)
            account_id = tx.accounts.insert(
                username, display_name, _hasher.hash(password), Role.ADMIN, ctx.clock().date()
            )
            tx.settings.delete(SETUP_CODE_KEY)
            return Account(account_id, username, display_name, Role.ADMIN)
    with ctx.store.write() as tx:  # its own transaction: the refusal must not undo the count
        sign_in_limits.failed(tx, sign_in_limits.SETUP_CODE, now)
    raise WrongSetupCode()


def create_account(
    ctx: Context, by: Account, username: str, display_name: str, password: str, role: Role = Role.FACILITATOR
) -> Account:
    """An admin adds a facilitator or another admin."""
    if not by.is_admin:
        raise NotAuthorized()
    username, display_name = _check_new_account(username, display_name, password)
    with ctx.store.write() as tx:
        require_admin(tx, by)
        if tx.accounts.record_by_username(username) is not None:
            raise AccountExists()
        account_id = tx.accounts.insert(username, display_name, _hasher.hash(password), role, ctx.clock().date())
    return Account(account_id, username, display_name, role)


def authenticate(ctx: Context, username: str, password: str) -> Account:
    """Check a username and password; the same error for every kind of failure.

    Guessing is throttled across processes and restarts (`sign_in_limits`): a try that must wait
    is refused before the password is checked, with how long to wait.
    """
    username = username.strip().lower()
    now = ctx.clock()
    with ctx.store.read() as tx:
        sign_in_limits.check(tx, username, now)
        record = tx.accounts.record_by_username(username)
    if record is None or not record.active:
        _verify(_DUMMY_HASH, password)
        _wrong(ctx, username, now)
    elif not _verify(record.password_hash, password):
        _wrong(ctx, username, now)
    assert record is not None
    with ctx.store.write() as tx:
        sign_in_limits.succeeded(tx, username)
        if _hasher.check_needs_rehash(record.password_hash):
            tx.accounts.set_password_hash(record.account.id, _hasher.hash(password))
    return record.account


def _wrong(ctx: Context, username: str, now: datetime) -> NoReturn:
    with ctx.store.write() as tx:
        sign_in_limits.failed(tx, username, now)
    raise InvalidCredentials()


def allow_sign_in_now(ctx: Context, by: Account, account_id: int) -> None:
    """An admin ends an account's wait after wrong passwords (its owner says it was them)."""
    with ctx.store.write() as tx:
        require_admin(tx, by)
        target = tx.accounts.by_id(account_id)
        if target is None:
            raise InvalidCredentials()
        sign_in_limits.succeeded(tx, target.username)


def list_accounts(ctx: Context, by: Account) -> list[Account]:
    """Every account (admins only)."""
    with ctx.store.read() as tx:
        require_admin(tx, by)
        return tx.accounts.all()


@dataclass(frozen=True)
class AccountStatus:
    account: Account
    active: bool
    wrong_passwords: int = 0  # in the throttle's window: the owner may be waiting to sign in


class LastAdmin(WorkshopError):
    message_key = "error.last_admin"


def account_statuses(ctx: Context, by: Account) -> list[AccountStatus]:
    """Every account with whether it may sign in (admins only)."""
    now = ctx.clock()
    with ctx.store.read() as tx:
        require_admin(tx, by)
        return [
            AccountStatus(account, active, sign_in_limits.waiting(tx, account.username, now))
            for account, active in tx.accounts.all_with_status()
        ]


def set_account_active(ctx: Context, by: Account, account_id: int, active: bool) -> None:
    """An admin deactivates an account (it can no longer sign in; signed out everywhere) or lets it sign in again."""
    with ctx.store.write() as tx:
        require_admin(tx, by)
        target = tx.accounts.by_id(account_id)
        if target is None:
            raise InvalidCredentials()
        if not active and target.is_admin and tx.accounts.active_admins() <= 1:
            raise LastAdmin()
        tx.accounts.set_active(account_id, active)
        if not active:
            tx.sign_ins.delete_for_account(account_id)  # signed out in every browser, at once


def reset_password(ctx: Context, by: Account, account_id: int, new_password: str) -> None:
    """An admin sets a new password for an account (tell the person through a private channel).

    Every browser signed in to that account is signed out.
    """
    if not by.is_admin:
        raise NotAuthorized()
    if len(new_password) < MIN_PASSWORD_CHARS:
        raise WeakPassword(minimum=MIN_PASSWORD_CHARS)
    with ctx.store.write() as tx:
        require_admin(tx, by)
        if tx.accounts.by_id(account_id) is None:
            raise InvalidCredentials()
        tx.accounts.set_password_hash(account_id, _hasher.hash(new_password))
        # Whoever knew the old password may be signed in somewhere: every browser signs in anew.
        tx.sign_ins.delete_for_account(account_id)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_new_account(username: str, display_name: str, password: str) -> tuple[str, str]:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise InvalidUsername()
    display_name = " ".join(display_name.split()) or username
    if len(password) < MIN_PASSWORD_CHARS:
        raise WeakPassword(minimum=MIN_PASSWORD_CHARS)
    return username, display_name[:80]
