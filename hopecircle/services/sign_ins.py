"""Staff stay signed in: a one-time ticket from the sign-in form, then a signed cookie in the browser.

Streamlit talks over a WebSocket and cannot set a cookie, so the sign-in form (after the
password is checked) makes a **ticket**: random, good once, for a minute. The page hands it to
a tiny component that posts it to the app's own endpoint (`hopecircle/http/staff.py`), which
exchanges it for a **cookie** token and sets it in the browser, HttpOnly and SameSite=Strict.
The cookie's value is the token signed with HMAC-SHA256 under Streamlit's `server.cookieSecret`
(every process behind a proxy has the same one), so a forged value is refused before any
database read. The database keeps only the SHA-256 of a ticket or token, in `staff_sign_ins`.

A sign-in lasts `SIGN_IN_LIFETIME` from the moment the password was typed, whatever is done
with it (a fixed end, not a sliding one: nothing is written on each page load, and a
facilitator's day fits inside it). Signing out deletes the row, so a copied cookie stops
working at once, in every process. A ticket that was never exchanged (cookies blocked) keeps
its tab signed in, and only that tab, until the same end. Ended rows are deleted by retention.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from hopecircle.domain import Account, WorkshopError
from hopecircle.services.context import Context
from hopecircle.store.accounts import SignInRecord

COOKIE_NAME = "hc_staff"
SIGN_IN_LIFETIME = timedelta(hours=12)
# Long enough for the page's next run to post it, short enough that a ticket seen in transit is useless.
TICKET_LIFETIME = timedelta(seconds=60)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{43}")
# Ties a signature to this use, so no other value signed with the same secret passes for it.
_PURPOSE = b"hopecircle staff sign-in\x00"


class SignInNotKept(WorkshopError):
    """The ticket was already used, too old, unknown, or its account may no longer sign in."""

    message_key = "auth.not_kept"


@dataclass(frozen=True)
class Ticket:
    """What the sign-in form hands to the browser, once; `sign_in_id` stays with the tab."""

    sign_in_id: int
    value: str


@dataclass(frozen=True)
class BrowserCookie:
    """The signed cookie value to set, and when it ends."""

    value: str
    expires_at: datetime
    max_age: int


@dataclass(frozen=True)
class StaffSignIn:
    sign_in_id: int
    account: Account


def start_sign_in(ctx: Context, account: Account) -> Ticket:
    """A one-time ticket for the account just signed in (password checked by the caller)."""
    now = ctx.clock()
    value = _new_token()
    with ctx.store.write() as tx:
        sign_in_id = tx.sign_ins.insert(account.id, _hash(value), "ticket", now, now + TICKET_LIFETIME)
    return Ticket(sign_in_id, value)


def exchange_ticket(ctx: Context, ticket: str, secret: str, *, replacing: str | None = None) -> BrowserCookie:
    """Turn a fresh ticket into the browser's signed cookie, once.

    `replacing` is a cookie the browser already carries (another account signed in before on
    it): that sign-in ends, since the new cookie takes its place.
    """
    if not _TOKEN.fullmatch(ticket):
        raise SignInNotKept()
    now = ctx.clock()
    token = _new_token()
    with ctx.store.write() as tx:
        record = tx.sign_ins.by_hash(_hash(ticket), "ticket")
        if record is None or record.expires_at <= now or not record.active:
            raise SignInNotKept()
        expires_at = record.created_at + SIGN_IN_LIFETIME
        if not tx.sign_ins.ticket_to_cookie(record.id, _hash(ticket), _hash(token), expires_at):
            raise SignInNotKept()  # another request took it first
        old = cookie_token(replacing, secret) if replacing else None
        if old is not None and old != token:
            tx.sign_ins.delete_by_hash(_hash(old))
    return BrowserCookie(signed_cookie(token, secret), expires_at, max(0, int((expires_at - now).total_seconds())))


def sign_in_from_cookie(ctx: Context, cookie: str, secret: str) -> StaffSignIn | None:
    """The sign-in a browser's cookie stands for, if it is genuine, not signed out, not ended, and its account active."""
    token = cookie_token(cookie, secret)
    if token is None:
        return None
    with ctx.store.read() as tx:
        record = tx.sign_ins.by_hash(_hash(token), "cookie")
    if record is None or not _valid(record, ctx.clock()):
        return None
    return StaffSignIn(record.id, record.account)


def check_sign_in(ctx: Context, sign_in_id: int) -> Account | None:
    """The account of a tab's sign-in, as it is now; None once signed out, ended, or deactivated."""
    with ctx.store.read() as tx:
        record = tx.sign_ins.by_id(sign_in_id)
    if record is None or not _valid(record, ctx.clock()):
        return None
    return record.account


def sign_out(ctx: Context, sign_in_id: int) -> None:
    """End a sign-in: its cookie signs no one in from now on, in any process."""
    with ctx.store.write() as tx:
        tx.sign_ins.delete(sign_in_id)


def sign_out_cookie(ctx: Context, cookie: str, secret: str) -> None:
    """End the sign-in a browser's cookie stands for (nothing happens for a value that is not genuine)."""
    token = cookie_token(cookie, secret)
    if token is None:
        return
    with ctx.store.write() as tx:
        tx.sign_ins.delete_by_hash(_hash(token))


def purge_ended_sign_ins(ctx: Context) -> int:
    """Delete the rows of sign-ins that have ended (retention runs this); returns how many."""
    now = ctx.clock()
    with ctx.store.write() as tx:
        return tx.sign_ins.delete_ended(now, now - SIGN_IN_LIFETIME)


def signed_cookie(token: str, secret: str) -> str:
    """The cookie value: the token and its HMAC-SHA256 under the shared secret."""
    return f"{token}.{_signature(token, secret)}"


def cookie_token(value: str, secret: str) -> str | None:
    """The token inside a cookie value, or None when it was not signed with this secret."""
    token, dot, signature = value.partition(".")
    if not dot or not _TOKEN.fullmatch(token) or not _SIGNATURE.fullmatch(signature):
        return None
    if not hmac.compare_digest(signature, _signature(token, secret)):
        return None
    return token


def _valid(record: SignInRecord, now: datetime) -> bool:
    if not record.active:
        return False
    # A cookie ends at its expiry; a ticket that was never exchanged keeps its own tab signed in
    # until the same end (it can no longer be exchanged after its first minute).
    ends = record.expires_at if record.kind == "cookie" else record.created_at + SIGN_IN_LIFETIME
    return now < ends


def _signature(token: str, secret: str) -> str:
    if not secret:
        raise ValueError("staff cookies need Streamlit's server.cookieSecret")
    digest = hmac.new(secret.encode("utf-8"), _PURPOSE + token.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()
