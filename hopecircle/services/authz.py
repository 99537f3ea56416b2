"""Who may act: checked against the database on every call, not against a signed-in tab's memory.

A tab signed in before an admin deactivated the account (or changed its role) is refused from
then on, by every service that takes an account.
"""

from __future__ import annotations

from hopecircle.domain import Account, NotAuthorized
from hopecircle.store import Tx


def require_active(tx: Tx, by: Account) -> None:
    """`by` still exists, may still sign in, and still has the role the tab thinks it has."""
    record = tx.accounts.record_by_username(by.username)
    if record is None or not record.active or record.account.id != by.id or record.account.role is not by.role:
        raise NotAuthorized()


def require_admin(tx: Tx, by: Account) -> None:
    """`by` is an active organization admin."""
    require_active(tx, by)
    if not by.is_admin:
        raise NotAuthorized()
