"""What phones and projectors wait on: a room's live state, by session, join code or board key.

Every watcher of a room reads the same `LiveState` (one indexed row: phase, status, version,
counts) through the process's cache, so hundreds of phones cost one read per room every
LIVE_STATE_SECONDS. A phone compares its room's *signature* (`phone_signature`, and served
`room_signature` with the content stamp): what it would redraw for, and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from hopecircle.domain import LiveState, Phase, SessionInfo
from hopecircle.services.context import Context
from hopecircle.store import Tx

LIVE_STATE_SECONDS = 0.5
# Views keyed by a room's version (its cards, the projector's board) are never stale, only kept
# for as long as the room's phones and projectors may still ask for that version.
ROOM_VIEW_SECONDS = 3.0
# Which session a join code or board key names changes only when a session is started or closed.
LOOKUP_SECONDS = 3.0
# The secret behind rooms' watch proofs: made once per install, shared by its processes.
_WATCH_SECRET = "room.watch_secret"
_SECRET_SECONDS = 3600.0


def live_state(ctx: Context, session_id: int) -> LiveState | None:
    """The session's live state, shared by everyone watching it for LIVE_STATE_SECONDS."""

    def read() -> LiveState | None:
        with ctx.store.read() as tx:
            return tx.sessions.live_state(session_id)

    return ctx.cache.get(("live", session_id), LIVE_STATE_SECONDS, read)


def phone_signature(state: LiveState, shown: int) -> str:
    """What a phone redraws for, in one string: phase, open or closed, the cards it can show
    (in the board phase, when it shows `shown` at most) and the times support lines were shared;
    then, in the phase that shows them, a mark of the agreements or prompts the facilitator edited."""
    signature = _live_signature(state, shown)
    mark = _edited_mark(state)
    return f"{signature}|{mark}" if mark else signature


def _live_signature(state: LiveState, shown: int) -> str:
    """Phase, open or closed, the cards a phone showing `shown` at most can show, support lines shared."""
    cards = str(min(state.approved_count, shown)) if state.phase is Phase.BOARD else "-"
    return f"{state.phase.value}|{state.status}|{cards}|{state.resources_push}"


def _edited_mark(state: LiveState) -> str:
    """The mark of what the facilitator edited live that a phone shows in this phase ("" for none)."""
    if state.phase is Phase.WELCOME:
        return state.agreements_mark
    if state.phase is Phase.REFLECT:
        return state.prompts_mark
    return ""


def only_cards_differ(seen: str, now: str) -> bool:
    """Whether two phone signatures differ only in the cards a phone can show (a minor change)."""
    before, after = seen.split("|"), now.split("|")
    return len(before) == len(after) >= 4 and before[2] != after[2] and before[:2] + before[3:] == after[:2] + after[3:]


@dataclass(frozen=True)
class PhoneRoom:
    """What a phone's screen is drawn from, in brief: the room's live state and a stamp of what
    else it shows (its title, story, prompts and agreements, which a facilitator may change live)."""

    live: LiveState
    stamp: str


def content_stamp(session: SessionInfo) -> str:
    """A short hash of what a phone shows of a session besides its live state."""
    shown = json.dumps([session.title, session.story_id, session.prompts, session.agreements], ensure_ascii=False)
    return f"{zlib.crc32(shown.encode('utf-8')):08x}"


def room_signature(state: PhoneRoom, shown: int) -> str:
    """What a phone drawing its own screen waits for: the live part of `phone_signature` and the
    content stamp (which covers edited prompts and agreements in every phase, so no mark)."""
    return f"{_live_signature(state.live, shown)}|{state.stamp}"


def phone_room(ctx: Context, code: str) -> PhoneRoom | None:
    """The room with this join code as its phones' screens are drawn from, read now (not shared):
    a phone answered from a fresh read must not be told, a moment later, about an older one."""
    with ctx.store.read() as tx:
        session = tx.sessions.by_code(code)
        live = tx.sessions.live_state(session.id) if session is not None else None
    return PhoneRoom(live, content_stamp(session)) if session is not None and live is not None else None


def board_state(ctx: Context, board_key: str) -> LiveState | None:
    """The live state of the session behind a projector URL's key, or None when there is none."""
    return _live_state_by(ctx, ("board-key", board_key), lambda tx: tx.sessions.by_board_key(board_key))


def _live_state_by(ctx: Context, key: tuple[str, str], find: Callable[[Tx], SessionInfo | None]) -> LiveState | None:
    """The shared live state of the session `find` looks up; the lookup itself is shared too."""

    def session_id() -> int | None:
        with ctx.store.read() as tx:
            session = find(tx)
        return session.id if session is not None else None

    found = ctx.cache.get(key, LOOKUP_SECONDS, session_id)
    return live_state(ctx, found) if found is not None else None


def watch_proof(ctx: Context, code: str) -> str:
    """What a phone of this room shows the room endpoint: proof that it was given the room's page.

    The endpoint answers only a question carrying the proof of its code, so asking it cannot tell
    which join codes exist (a code alone is guessable; the proof, a keyed hash, is not).
    """
    return hmac.new(_watch_secret(ctx), code.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def proof_matches(ctx: Context, code: str, proof: str) -> bool:
    """Whether `proof` is this code's watch proof (compared in constant time)."""
    return hmac.compare_digest(watch_proof(ctx, code), proof)


def install_secret(ctx: Context) -> bytes:
    """The install's own secret (made once, shared by its processes): behind watch proofs and the
    tokens of posted joins, each hashed with its own prefix."""
    return _watch_secret(ctx)


def _watch_secret(ctx: Context) -> bytes:
    def read_or_make() -> bytes:
        with ctx.store.read() as tx:
            stored = tx.settings.get(_WATCH_SECRET)
        if stored is None:
            with ctx.store.write() as tx:
                stored = tx.settings.first_value(_WATCH_SECRET, secrets.token_hex(32))
        return bytes.fromhex(stored)

    return ctx.cache.get(("room-watch-secret",), _SECRET_SECONDS, read_or_make)
