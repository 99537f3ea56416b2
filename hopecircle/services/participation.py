"""What a phone can do: join with a code, contribute, edit or delete its own words, add a "me too"."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from hopecircle import safety
from hopecircle.domain import (
    DIMENSIONS,
    MAX_GOAL_CHARS,
    MAX_REFLECTION_CHARS,
    MAX_REFLECTIONS_PER_PARTICIPANT,
    MAX_SUPPORT_CHARS,
    MAX_WHEN_CHARS,
    MAX_WORD_CHARS,
    WORD_KINDS,
    Contribution,
    ContributionGone,
    InvalidChoice,
    Kind,
    LimitReached,
    LiveState,
    Moment,
    NotYourContribution,
    ParticipantView,
    SessionClosed,
    SessionInfo,
    Status,
    UnknownParticipant,
    UnknownSessionCode,
    WorkshopError,
    coarse_minute,
    normalize_join_code,
    optional_text,
    require_pulse,
    require_text,
)
from hopecircle.groups import HELPED_PHASE, MAX_HELPED_CHARS
from hopecircle.i18n import available_languages
from hopecircle.services import room, send_keys
from hopecircle.services.context import Context, token_hash
from hopecircle.services.screening import screen_fields
from hopecircle.store import Tx

_LIMITS = {
    Kind.REFLECTION: MAX_REFLECTION_CHARS,
    Kind.GOAL: MAX_GOAL_CHARS,
    Kind.CHECKIN: MAX_WORD_CHARS,
    Kind.CHECKOUT: MAX_WORD_CHARS,
}


@dataclass(frozen=True)
class Joined:
    """A new participant: the token goes into the phone's URL and nowhere else."""

    token: str
    view: ParticipantView


@dataclass(frozen=True)
class Submitted:
    contribution: Contribution
    screening: safety.Screening

    @property
    def needs_support(self) -> bool:
        """The words may signal risk: the phone shows crisis resources, gently."""
        return bool(self.screening.risk)


@dataclass(frozen=True)
class GoalInput:
    what: str
    when: str | None = None
    support: str | None = None
    dimension: str | None = None


def find_session(ctx: Context, raw_code: str) -> SessionInfo:
    """The open session for a typed or scanned code, or a clear reason why not."""
    code = normalize_join_code(raw_code or "")
    with ctx.store.read() as tx:
        session = tx.sessions.by_code(code) if code else None
    if session is None:
        raise UnknownSessionCode(code=code)
    if not session.is_open:
        raise SessionClosed()
    return session


def join(ctx: Context, raw_code: str, language: str = "en", key: str | None = None) -> Joined:
    """Join after consenting: a random anonymous token is made; only its hash is stored.

    `key` is the phone's own random join key (a posted join sends one, made once per tab and
    room): the token is then derived from it, so the same tap sent twice (a double tap, a retry
    after a lost answer) finds the place the first one made instead of making a second.
    """
    session = find_session(ctx, raw_code)
    language = language if language in available_languages() else "en"
    token = ctx.random.token() if key is None else _keyed_token(ctx, session.code, key)
    with ctx.store.write() as tx:
        if key is not None and (found := tx.participants.with_session(token_hash(token))) is not None:
            participant_id, language, session = found
            return Joined(token=token, view=_view(tx, participant_id, session, language))
        participant_id = tx.participants.insert(session.id, token_hash(token), language, coarse_minute(ctx.clock()))
        # The projector shows how many phones joined: a join is a change the room can see.
        tx.sessions.bump_version(session.id)
        view = _view(tx, participant_id, session, language)
    return Joined(token=token, view=view)


def _keyed_token(ctx: Context, code: str, key: str) -> str:
    """A participant token made from a phone's join key with the install's secret: as unguessable
    as a random one, and the same for the same key and room."""
    digest = hmac.new(room.install_secret(ctx), f"join\x1f{code}\x1f{key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def resume(ctx: Context, token: str) -> ParticipantView:
    """The same phone coming back (after sleep or reload): its session and its own contributions."""
    with ctx.store.read() as tx:
        participant_id, session, language = participant_of(tx, token)
        return _view(tx, participant_id, session, language)


def set_language(ctx: Context, token: str, language: str) -> None:
    if language not in available_languages():
        raise InvalidChoice()
    with ctx.store.write() as tx:
        participant_id, _session, _language = participant_of(tx, token)
        tx.participants.set_language(participant_id, language)


def submit_reflection(ctx: Context, token: str, text: str, phone_key: str | None = None) -> Submitted:
    """Share a reflection; the same words sent again from this phone return the first one.

    `phone_key` is the phone's own key for this send (made in its outbox): sent again, it is the
    same reflection, stored once, with the words it now has."""
    body = require_text(text, MAX_REFLECTION_CHARS)
    return _submit(ctx, token, Kind.REFLECTION, send_keys.send_key(Kind.REFLECTION, phone_key, text), body=body)


def submit_helped(ctx: Context, token: str, text: str) -> Submitted:
    """What helped with last time's next step: a reflection of this session, marked by its moment."""
    body = require_text(text, MAX_HELPED_CHARS)
    key = send_keys.words_key(Kind.REFLECTION, HELPED_PHASE, text)
    return _submit(ctx, token, Kind.REFLECTION, key, moment=HELPED_PHASE, body=body)


def submit_word(ctx: Context, token: str, kind: Kind, text: str, phone_key: str | None = None) -> Submitted:
    """The one-word (or emoji) check-in or check-out; sending again replaces the earlier word."""
    if kind not in WORD_KINDS:
        raise InvalidChoice()
    body = require_text(text, MAX_WORD_CHARS)
    return _submit(ctx, token, kind, send_keys.send_key(kind, phone_key, text), body=body, replace_existing=True)


def submit_goal(ctx: Context, token: str, goal: GoalInput, phone_key: str | None = None) -> Submitted:
    """The participant's one next-step goal; sending again replaces it."""
    fields = _goal_fields(goal)
    key = send_keys.send_key(Kind.GOAL, phone_key, goal.what, goal.when, goal.support, goal.dimension)
    return _submit(ctx, token, Kind.GOAL, key, replace_existing=True, **fields)


def screen_ahead(ctx: Context, token: str, kind: Kind, text: str = "", goal: GoalInput | None = None) -> None:
    """Screen the words of a send about to be made (`services/screening.py`), so its write need not.

    Words the send will refuse (too long, empty, no place) are left to it: it says why.
    """
    try:
        with ctx.store.read() as tx:
            _participant_id, session, _language = participant_of(tx, token)
        screen_fields(ctx, session, _typed_fields(kind, text, goal))
    except WorkshopError:
        return


def edit_contribution(
    ctx: Context, token: str, contribution_id: int, text: str, goal: GoalInput | None = None
) -> Submitted:
    """Change one's own words while the session is open; it goes back through review."""
    with ctx.store.read() as tx:
        participant_id, session, _language = participant_of(tx, token)
        existing = _own(tx, participant_id, contribution_id)
    fields = _typed_fields(existing.kind, text, goal)
    screening = screen_fields(ctx, session, fields)
    with ctx.store.write() as tx:
        _require_open(tx, session.id)
        _own(tx, participant_id, contribution_id)
        # New words: a fresh double-tap key when the old one was derived from the old words (the
        # phone's own key stays: a retry of the send that made this row must still find it), not
        # a shareable quote until the facilitator says so again, and no "me too" carried over.
        key = dict((c.id, k) for c, k in tx.contributions.keyed_for_participant(participant_id))[contribution_id]
        phone_keyed = key.startswith((send_keys.PHONE_KEY_MARK, send_keys.EDITED_KEY_MARK))
        updated = tx.contributions.replace(
            contribution_id,
            status=_initial_status(session, screening).value,
            flags=screening.flags,
            client_key=send_keys.edited_key(key) if phone_keyed else ctx.random.token(),
            shareable=False,
            pass_on=False,  # the writer's consent was for the old words
            **fields,
        )
        tx.sessions.bump_version(session.id)
    return Submitted(updated, screening)


def delete_contribution(ctx: Context, token: str, contribution_id: int) -> None:
    """Take one's own words back, for good, while the session is open."""
    with ctx.store.write() as tx:
        participant_id, session = _open_participant(tx, token)
        _own(tx, participant_id, contribution_id)
        tx.contributions.delete(contribution_id)
        tx.sessions.bump_version(session.id)


def withdraw_send(ctx: Context, token: str, kind: Kind, phone_key: str) -> bool:
    """Take back a send the phone withdrew from its outbox after a try whose answer never came:
    its words go, if they arrived. False when nothing had arrived (nothing to take back)."""
    with ctx.store.write() as tx:
        participant_id, session = _open_participant(tx, token)
        key = send_keys.phone_key(kind, phone_key)
        arrived = tx.contributions.by_client_key(participant_id, key) or tx.contributions.by_client_key(
            participant_id, send_keys.edited_key(key)
        )
        if arrived is None:
            return False
        tx.contributions.delete(arrived.id)
        tx.sessions.bump_version(session.id)
    return True


def submit_pulse(ctx: Context, token: str, moment: Moment, value: int) -> None:
    """Record the 0-10 hope pulse before or after; answering again replaces it."""
    value = require_pulse(value)
    with ctx.store.write() as tx:
        participant_id, session = _open_participant(tx, token)
        tx.pulses.put(session.id, participant_id, Moment(moment).value, value)
        tx.sessions.bump_version(session.id)


def withdraw_pulse(ctx: Context, token: str, moment: Moment) -> None:
    """Remove one's pulse answer (passing is always allowed)."""
    with ctx.store.write() as tx:
        participant_id, session = _open_participant(tx, token)
        tx.pulses.remove(participant_id, Moment(moment).value)
        tx.sessions.bump_version(session.id)


@dataclass(frozen=True)
class MeToo:
    """A card's "me too" as one phone left it: whether this phone's is on it, and how many there are."""

    added: bool
    count: int


def set_me_too(ctx: Context, token: str, contribution_id: int, on: bool) -> MeToo:
    """Say "me too" to an approved card (`on`) or take it back.

    Says what the phone wants, not "the other way round": the same tap sent twice (a double tap,
    a retry after a lost answer) leaves it as the first one did.
    """
    with ctx.store.write() as tx:
        participant_id, session, card = _reactable(tx, token, contribution_id)
        if on:
            changed = tx.contributions.add_reaction(contribution_id, participant_id)
        else:
            changed = tx.contributions.remove_reaction(contribution_id, participant_id)
        if not changed:
            return MeToo(on, card.me_too)
        tx.sessions.bump_version(session.id)
    return MeToo(on, card.me_too + (1 if on else -1))


def _reactable(tx: Tx, token: str, contribution_id: int) -> tuple[int, SessionInfo, Contribution]:
    """(participant id, session, card) for a "me too" on a card approved in this phone's open session."""
    participant_id, session = _open_participant(tx, token)
    card = tx.contributions.by_id(contribution_id)
    if card is None or card.session_id != session.id or card.status is not Status.APPROVED:
        raise InvalidChoice()
    return participant_id, session, card


def _submit(
    ctx: Context,
    token: str,
    kind: Kind,
    key: str,
    *,
    replace_existing: bool = False,
    moment: str | None = None,
    **fields: object,
) -> Submitted:
    with ctx.store.read() as tx:
        participant_id, session, _language = participant_of(tx, token)
    screening = screen_fields(ctx, session, fields)
    # As few statements as it takes: in a big room hundreds of phones send within seconds, and
    # every statement of a write holds the database's one write lock a little longer.
    with ctx.store.write() as tx:
        mine = tx.contributions.keyed_for_participant(participant_id)
        repeat = next((contribution for contribution, sent_key in mine if sent_key == key), None)
        edited = key.startswith(send_keys.PHONE_KEY_MARK) and next(
            (contribution for contribution, sent_key in mine if sent_key == send_keys.edited_key(key)), None
        )
        if (repeat is not None or edited) and not session.is_open:
            raise SessionClosed()
        if edited:  # a late retry of a send the person has since edited: the edit stands
            return Submitted(edited, screening)
        if repeat is not None and _same_words(repeat, fields):  # a double tap or a retry: nothing changes
            return Submitted(repeat, screening)
        if repeat is not None:
            # The phone's own key with other words: it was edited in the outbox after a try whose
            # answer never came. The one stored send takes the new words.
            if tx.sessions.bump_if_open(session.id) is None:
                raise SessionClosed()
            status = _initial_status(session, screening)
            saved = tx.contributions.replace(
                repeat.id, status=status.value, flags=screening.flags, shareable=False, pass_on=False, **fields
            )
            return Submitted(saved, screening)
        phase = tx.sessions.bump_if_open(session.id)  # and a rule broken below undoes it
        if phase is None:
            raise SessionClosed()
        status = _initial_status(session, screening)
        previous = [contribution for contribution, _key in mine if contribution.kind is kind]
        if replace_existing and previous:
            saved = tx.contributions.replace(
                previous[0].id,
                status=status.value,
                flags=screening.flags,
                client_key=key,
                shareable=False,
                pass_on=False,
                **fields,
            )
            return Submitted(saved, screening)
        if kind is Kind.REFLECTION and len(previous) >= MAX_REFLECTIONS_PER_PARTICIPANT:
            raise LimitReached(limit=MAX_REFLECTIONS_PER_PARTICIPANT)
        added = tx.contributions.add(
            session_id=session.id,
            participant_id=participant_id,
            kind=kind.value,
            status=status.value,
            flags=screening.flags,
            phase=moment or phase.value,
            created_minute=coarse_minute(ctx.clock()),
            client_key=key,
            shuffle_key=ctx.random.shuffle_key(),
            **fields,
        )
        if added is None:  # the same words from this phone, saved a moment ago by another process
            added = tx.contributions.by_client_key(participant_id, key)
            assert added is not None
    return Submitted(added, screening)


def _same_words(stored: Contribution, fields: dict[str, object]) -> bool:
    return all(getattr(stored, name) == value for name, value in fields.items())


def _typed_fields(kind: Kind, text: str, goal: GoalInput | None) -> dict[str, Any]:
    """The stored fields of words of `kind`: a goal's parts, or one checked text."""
    if kind is Kind.GOAL:
        return _goal_fields(goal or GoalInput(what=text))
    return {"body": require_text(text, _LIMITS[kind])}


def _goal_fields(goal: GoalInput) -> dict[str, Any]:
    dimension = (goal.dimension or "").strip() or None
    if dimension is not None and dimension not in DIMENSIONS:
        raise InvalidChoice()
    return {
        "body": require_text(goal.what, MAX_GOAL_CHARS),
        "goal_when": optional_text(goal.when, MAX_WHEN_CHARS),
        "goal_support": optional_text(goal.support, MAX_SUPPORT_CHARS),
        "dimension": dimension,
    }


def _initial_status(session: SessionInfo, screening: safety.Screening) -> Status:
    """Held when the screener holds it; a caution (only the classifier's) is read before it shows
    even when the session approves by itself; otherwise pending, or approved with auto-approve."""
    if screening.holds or (session.auto_approve and screening.caution):
        return Status.HELD
    return Status.APPROVED if session.auto_approve else Status.PENDING


def participant_of(tx: Tx, token: str) -> tuple[int, SessionInfo, str]:
    """(participant id, session, language) for a phone's token, or UnknownParticipant."""
    # One query: every run of every phone in the room starts here.
    found = tx.participants.with_session(token_hash(token or ""))
    if found is None:
        raise UnknownParticipant()
    participant_id, language, session = found
    return participant_id, session, language


def _own(tx: Tx, participant_id: int, contribution_id: int) -> Contribution:
    contribution = tx.contributions.by_id(contribution_id)
    if contribution is None:
        raise ContributionGone()
    if contribution.participant_id != participant_id:
        raise NotYourContribution()
    return contribution


def _open_participant(tx: Tx, token: str) -> tuple[int, SessionInfo]:
    """(participant id, session) for a token inside a write, or SessionClosed if the session has ended."""
    # The session row comes with the participant in the same transaction: no second read for its status.
    participant_id, session, _language = participant_of(tx, token)
    if not session.is_open:
        raise SessionClosed()
    return participant_id, session


def _require_open(tx: Tx, session_id: int) -> LiveState:
    live = tx.sessions.live_state(session_id)
    if live is None or not live.is_open:
        raise SessionClosed()
    return live


def _view(tx: Tx, participant_id: int, session: SessionInfo, language: str) -> ParticipantView:
    return ParticipantView(
        participant_id=participant_id,
        session=session,
        language=language,
        contributions=tx.contributions.for_participant(participant_id),
        pulses=tx.pulses.of_participant(participant_id),
        my_reactions=tx.contributions.reactions_of(participant_id),
    )
