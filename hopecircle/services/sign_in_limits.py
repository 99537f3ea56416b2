"""How fast anyone may guess a staff password or the setup code, across processes and restarts.

- **Per account, growing delays**: the first FREE_FAILURES wrong passwords for a username in
  WINDOW cost nothing; after that each try must wait, after the latest wrong one, BASE_DELAY
  doubled per further failure, at most MAX_DELAY. A wait is not a lockout: the right password is
  taken as soon as the wait is over, an admin can end the wait at once (the Organization page),
  and a facilitator running a session is not signed out by any of this (their browser keeps its
  sign-in cookie).
- **On the whole server**: at most GLOBAL_PER_MINUTE wrong passwords a minute across every
  username (one password tried against many usernames); past that, sign-in pauses for the rest
  of the minute.
- The setup code counts like a password of its own.

Failures are kept in the database (`sign_in_failures`: a hash of the username typed, and when),
so every process and a restart see them; nothing about the browser or its address is kept.
Rows older than a day are deleted by retention. At these settings one account takes at most
about 65 guesses in a first hour (5 free, then one a minute) and 60 an hour after that, and the
whole server at most 30 wrong passwords a minute, 1,800 an hour, over every username together.
"""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import datetime, timedelta

from hopecircle.domain import WorkshopError
from hopecircle.store import Tx

log = logging.getLogger(__name__)

FREE_FAILURES = 5
WINDOW = timedelta(minutes=15)
BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(seconds=60)
GLOBAL_PER_MINUTE = 30
KEEP = timedelta(days=1)
SETUP_CODE = "\x00setup-code"  # never a username (usernames are letters, digits, . _ -)


class TooManyAttempts(WorkshopError):
    """Wrong passwords for this username came fast: wait a little before the next try."""

    message_key = "error.too_many_attempts"


class SignInPaused(WorkshopError):
    """Many wrong passwords on this server in the last minute: sign-in waits for the rest of it."""

    message_key = "error.sign_in_paused"


def key_of(username: str) -> str:
    """What the failures table keeps of a username typed: its SHA-256 (unknown names included)."""
    return hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()


def delay_after(failures: int) -> timedelta:
    """How long after the latest wrong password the next try must wait, after `failures` in WINDOW."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(BASE_DELAY * 2 ** (failures - FREE_FAILURES), MAX_DELAY)


def check(tx: Tx, username: str, now: datetime) -> None:
    """Raise SignInPaused or TooManyAttempts when this try must wait; the password is not checked then."""
    recent, latest = tx.failures.since(None, now - timedelta(minutes=1))
    if recent >= GLOBAL_PER_MINUTE and latest is not None:
        raise SignInPaused(seconds=_seconds_left(latest + timedelta(minutes=1) - now))
    failures, last = tx.failures.since(key_of(username), now - WINDOW)
    wait = delay_after(failures)
    if last is not None and now - last < wait:
        raise TooManyAttempts(seconds=_seconds_left(last + wait - now))


def failed(tx: Tx, username: str, now: datetime) -> None:
    """Count a wrong password (or setup code) for `username`; tell the admin's log when it piles up."""
    key = key_of(username)
    tx.failures.add(key, now)
    failures, _last = tx.failures.since(key, now - WINDOW)
    if failures >= FREE_FAILURES and (failures - FREE_FAILURES) % 5 == 0:
        who = "the setup code" if username == SETUP_CODE else f"username {username.strip().lower()!r}"
        log.warning("Sign-in: %d wrong tries for %s in the last %d minutes", failures, who, WINDOW.seconds // 60)


def succeeded(tx: Tx, username: str) -> None:
    """The right password: its username's wait ends."""
    tx.failures.clear(key_of(username))


def waiting(tx: Tx, username: str, now: datetime) -> int:
    """Wrong passwords for `username` in the last WINDOW (what the admin sees)."""
    failures, _last = tx.failures.since(key_of(username), now - WINDOW)
    return failures


def forget_old(tx: Tx, now: datetime) -> int:
    """Delete failures older than KEEP (retention)."""
    return tx.failures.purge_before(now - KEEP)


def _seconds_left(left: timedelta) -> int:
    return max(1, math.ceil(left.total_seconds()))
