"""Co-facilitators: the session's owner (or an admin) adds other staff, who then run it too.

A co-facilitator's console does what the owner's does (see `sessions.hosted_session`): the
queue and alerts, moderating, moving phases and story parts, support requests, editing the
agreements and prompts, closing. Only the owner or an admin changes who runs a session; the
owner's private notes and the session's report stay with the owner and admins.
"""

from __future__ import annotations

from dataclasses import dataclass

from hopecircle.domain import Account, SessionClosed, WorkshopError
from hopecircle.services.context import Context
from hopecircle.services.sessions import hosted_session, owned_session


class NotStaffToAdd(WorkshopError):
    message_key = "error.co_host_unavailable"


@dataclass(frozen=True)
class SessionTeam:
    """Who runs a session: its owner and its co-facilitators."""

    owner: Account
    co_hosts: tuple[Account, ...]

    def may_manage(self, by: Account) -> bool:
        """Whether `by` may add or remove co-facilitators (the owner or an admin)."""
        return by.id == self.owner.id or by.is_admin


def team(ctx: Context, by: Account, session_id: int) -> SessionTeam:
    """The session's owner and co-facilitators, for anyone who runs it."""
    with ctx.store.read() as tx:
        session = hosted_session(tx, by, session_id)
        owner = tx.accounts.by_id(session.facilitator_id)
        co_hosts = tx.hosts.of_session(session_id)
    assert owner is not None  # a session's owner is a foreign key: the account is never deleted
    return SessionTeam(owner=owner, co_hosts=tuple(co_hosts))


def staff_to_add(ctx: Context, by: Account, session_id: int) -> list[Account]:
    """The organization's other active staff who could co-facilitate (owner or admin only)."""
    with ctx.store.read() as tx:
        session = owned_session(tx, by, session_id)
        taken = {session.facilitator_id, *(account.id for account in tx.hosts.of_session(session_id))}
        return [account for account in tx.hosts.active_staff() if account.id not in taken]


def add_co_host(ctx: Context, by: Account, session_id: int, account_id: int) -> SessionTeam:
    """Let another active facilitator or admin of the organization run this open session too."""
    with ctx.store.write() as tx:
        session = owned_session(tx, by, session_id)
        if not session.is_open:
            raise SessionClosed()
        candidates = {account.id for account in tx.hosts.active_staff()}
        if account_id == session.facilitator_id or account_id not in candidates:
            raise NotStaffToAdd()
        tx.hosts.add(session_id, account_id, ctx.clock())
    return team(ctx, by, session_id)


def remove_co_host(ctx: Context, by: Account, session_id: int, account_id: int) -> SessionTeam:
    """Take a co-facilitator off the session: their console is refused from their next step on."""
    with ctx.store.write() as tx:
        owned_session(tx, by, session_id)
        tx.hosts.remove(session_id, account_id)
    return team(ctx, by, session_id)


def staff_names(ctx: Context, by: Account, session_id: int) -> dict[int, str]:
    """Display names of the organization's staff by account id, to say in a console who did what.

    Only for someone who runs the session; the projector and phones never ask for names.
    """
    with ctx.store.read() as tx:
        hosted_session(tx, by, session_id)
        return tx.hosts.staff_names()
