"""Private support: a participant asks to talk after the group; the facilitator shares crisis lines."""

from __future__ import annotations

from hopecircle.domain import Account, InvalidChoice, SessionClosed, coarse_minute, optional_text
from hopecircle.services.context import Context
from hopecircle.services.participation import participant_of
from hopecircle.services.sessions import hosted_session
from hopecircle.store.safety import SupportRequest

MAX_NOTE_CHARS = 80


def ask_to_talk(ctx: Context, token: str, note: str | None = None) -> None:
    """The participant chooses to be known to the facilitator; `note` says how to find them, if they want."""
    cleaned = optional_text(note, MAX_NOTE_CHARS) or ""
    with ctx.store.write() as tx:
        participant_id, session, _language = participant_of(tx, token)
        if not session.is_open:
            raise SessionClosed()
        tx.support.upsert(session.id, participant_id, cleaned, coarse_minute(ctx.clock()))


def withdraw_request(ctx: Context, token: str) -> None:
    with ctx.store.write() as tx:
        participant_id, _session, _language = participant_of(tx, token)
        tx.support.withdraw(participant_id)


def my_request(ctx: Context, token: str) -> SupportRequest | None:
    with ctx.store.read() as tx:
        participant_id, _session, _language = participant_of(tx, token)
        return tx.support.of_participant(participant_id)


def requests_for(ctx: Context, by: Account, session_id: int) -> list[SupportRequest]:
    """The facilitator's private list of people who asked to talk after the group."""
    with ctx.store.read() as tx:
        hosted_session(tx, by, session_id)
        return tx.support.for_session(session_id)


def acknowledge(ctx: Context, by: Account, session_id: int, request_id: int) -> None:
    """Mark a request noted; every console of the session shows who noted it."""
    with ctx.store.write() as tx:
        hosted_session(tx, by, session_id)
        if not tx.support.acknowledge(session_id, request_id, by.id):
            raise InvalidChoice()


def push_resources(ctx: Context, by: Account, session_id: int) -> None:
    """Show the crisis lines on every phone in the room at once (nobody is singled out)."""
    with ctx.store.write() as tx:
        session = hosted_session(tx, by, session_id)
        if not session.is_open:
            raise SessionClosed()
        tx.sessions.change(session_id, resources_push=session.resources_push + 1)
