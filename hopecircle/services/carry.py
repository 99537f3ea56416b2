"""Hope that carries over: recurring groups, last time's next step followed up, words passed on.

The server never links one person's sessions. A phone that wants to be reminded of its next step
keeps the words and the group's key in its own browser storage; at the group's next meeting it
asks "how did it go?" and this module counts the answer in the new session only (how many said
what, nothing per phone). "What helped" is an ordinary reflection of the new session, screened
and approved like any other. Words a writer marked "may open a future circle" can be picked by
a later session of the same program and are shown with nothing that says where they came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from hopecircle import safety
from hopecircle.domain import (
    CARD_KINDS,
    MAX_PROGRAM_CHARS,
    Account,
    Contribution,
    InvalidChoice,
    SessionClosed,
    SessionInfo,
    optional_text,
    require_text,
)
from hopecircle.groups import (
    HELPED_PHASE,
    MAX_GROUP_NAME_CHARS,
    MAX_OPENING_CARDS,
    NO_ANSWERS,
    FollowUp,
    Group,
    GroupNameTaken,
    NoFollowUp,
    NotAnOpeningCard,
    OpeningCard,
    SinceLastTime,
    TooManyOpeningCards,
    UnknownGroup,
)
from hopecircle.services.authz import require_active
from hopecircle.services.context import Context
from hopecircle.services.organization import cached_settings, read_settings
from hopecircle.services.participation import Submitted, participant_of, submit_helped
from hopecircle.services.sessions import hosted_session
from hopecircle.store import Tx


@dataclass(frozen=True)
class PhoneCarry:
    """What a phone needs to follow a step up and pass words on, in the session it joined."""

    group_key: str | None  # the group's random key, kept beside a step to be reminded of; None: a one-off
    asks: bool  # a later meeting of the group: the phone asks how last time's step went
    answered: bool  # this phone has answered here already
    is_open: bool


@dataclass(frozen=True)
class FollowedUp:
    counted: bool  # False when this phone had answered already (a repeat counts once)
    helped: Submitted | None


# Groups


def create_group(ctx: Context, by: Account, name: str, program: str = "") -> Group:
    """A recurring group of the organization, in a program ("" for none)."""
    clean_name = require_text(name, MAX_GROUP_NAME_CHARS)
    clean_program = optional_text(program, MAX_PROGRAM_CHARS) or ""
    with ctx.store.write() as tx:
        require_active(tx, by)
        if tx.carry.group_named(clean_name, clean_program) is not None:
            raise GroupNameTaken(name=clean_name)
        group_id = tx.carry.add_group(ctx.random.token(), clean_name, clean_program, by.id, ctx.clock())
        group = tx.carry.group(group_id)
    assert group is not None
    return group


def list_groups(ctx: Context, by: Account) -> list[Group]:
    """Every group of the organization: any active facilitator may run a group's next meeting."""
    with ctx.store.read() as tx:
        require_active(tx, by)
        return tx.carry.groups()


def group_of(ctx: Context, by: Account, session_id: int) -> Group | None:
    """The group a session is a meeting of, for its console (None for a one-off)."""
    with ctx.store.read() as tx:
        session = hosted_session(tx, by, session_id)
        return tx.carry.group(session.group_id) if session.group_id is not None else None


def require_group(tx: Tx, group_id: int) -> Group:
    group = tx.carry.group(group_id)
    if group is None:
        raise UnknownGroup()
    return group


# The phone's side


def phone_state(ctx: Context, token: str) -> PhoneCarry:
    """The group's key, and whether this phone is asked how last time's step went."""
    with ctx.store.read() as tx:
        participant_id, session, _language = participant_of(tx, token)
        group = tx.carry.group(session.group_id) if session.group_id is not None else None
        asks = _asks(tx, session)
        answered = tx.carry.followed_up(participant_id)
    return PhoneCarry(group.key if group else None, asks, answered, session.is_open)


def phone_part(tx: Tx, participant_id: int, session: SessionInfo) -> dict[str, object]:
    """What the phone's own screen needs, read in the phone's transaction: the group's key (beside
    which the phone keeps a step it wants to be reminded of), and whether to ask about last time."""
    group = tx.carry.group(session.group_id) if session.group_id is not None else None
    return {
        "group": group.key if group else None,
        "asks": _asks(tx, session),
        "answered": tx.carry.followed_up(participant_id),
    }


def answer_follow_up(ctx: Context, token: str, answer: str, helped: str = "") -> FollowedUp:
    """Count this phone's answer once, in this session only; "what helped" is saved as a reflection."""
    try:
        chosen = FollowUp(answer)
    except ValueError:
        raise InvalidChoice() from None
    with ctx.store.read() as tx:
        _participant_id, session, _language = participant_of(tx, token)
        if not session.is_open:
            raise SessionClosed()
        if not _asks(tx, session):
            raise NoFollowUp()
    # The words first: a refusal (too long, empty lines only) must not leave the answer counted
    # with the words lost.
    saved = submit_helped(ctx, token, helped) if (helped or "").strip() else None
    with ctx.store.write() as tx:
        participant_id, session, _language = participant_of(tx, token)
        if not session.is_open:
            raise SessionClosed()
        counted = tx.carry.mark_followed_up(participant_id)
        if counted:
            tx.carry.count_follow_up(session.id, chosen)
            tx.sessions.bump_version(session.id)
    return FollowedUp(counted, saved)


def set_pass_on(ctx: Context, token: str, contribution_id: int, on: bool) -> bool:
    """The writer marks (or unmarks) their own reflection or next step "may open a future circle".

    Marking is only possible while the session is open; taking the mark back always is.
    """
    with ctx.store.write() as tx:
        participant_id, session, _language = participant_of(tx, token)
        contribution = tx.contributions.by_id(contribution_id)
        if contribution is None or contribution.participant_id != participant_id:
            raise InvalidChoice()
        if contribution.kind not in CARD_KINDS or contribution.phase == HELPED_PHASE:
            raise InvalidChoice()
        if on and not session.is_open:
            raise SessionClosed()
        tx.carry.set_pass_on(contribution_id, on)
    return on


# The facilitator's side


def since_last_time(ctx: Context, by: Account, session_id: int) -> SinceLastTime:
    """The counts and approved "what helped" cards, for the console (which also sees them below the threshold)."""
    with ctx.store.read() as tx:
        session = hosted_session(tx, by, session_id)
        settings = read_settings(tx)
        return _since(tx, session, settings.reveal_threshold, mask=False)


def since_for_room(ctx: Context, session: SessionInfo) -> SinceLastTime:
    """The "Since last time" moment as the projector may show it: nothing below the reveal threshold."""
    settings = cached_settings(ctx)
    mask = settings.profanity_policy is not safety.ProfanityPolicy.OFF
    with ctx.store.read() as tx:
        found = _since(tx, session, settings.reveal_threshold, mask=mask)
    return found if found.shown else SinceLastTime(NO_ANSWERS, found.threshold, ())


def opening_candidates(ctx: Context, by: Account, session_id: int) -> list[OpeningCard]:
    """Approved words their writers marked "may open a future circle", from the program's earlier sessions."""
    with ctx.store.read() as tx:
        session = hosted_session(tx, by, session_id)
        return _candidates(tx, session)


def opening_choice(ctx: Context, by: Account, session_id: int) -> list[int]:
    """Which candidates the facilitator picked to open this session, in order."""
    with ctx.store.read() as tx:
        session = hosted_session(tx, by, session_id)
        allowed = {card.id for card in _candidates(tx, session)}
        return [card_id for card_id in tx.carry.opening_ids(session.id) if card_id in allowed]


def set_opening_cards(ctx: Context, by: Account, session_id: int, card_ids: list[int]) -> list[int]:
    """Pick up to five passed-on cards to open the session with ("Words from another circle")."""
    chosen = list(dict.fromkeys(card_ids))
    if len(chosen) > MAX_OPENING_CARDS:
        raise TooManyOpeningCards(limit=MAX_OPENING_CARDS)
    with ctx.store.write() as tx:
        session = hosted_session(tx, by, session_id)
        if not session.is_open:
            raise SessionClosed()
        allowed = {card.id for card in _candidates(tx, session)}
        if any(card_id not in allowed for card_id in chosen):
            raise NotAnOpeningCard()
        tx.carry.set_opening(session.id, chosen)
        tx.sessions.bump_version(session.id)
    return chosen


def opening_for_room(ctx: Context, session: SessionInfo) -> tuple[OpeningCard, ...]:
    """The picked words as the projector shows them: text alone, masked as the board is, still consented."""
    settings = cached_settings(ctx)
    mask = settings.profanity_policy is not safety.ProfanityPolicy.OFF
    with ctx.store.read() as tx:
        allowed = {card.id: card for card in _candidates(tx, session)}
        picked = [allowed[card_id] for card_id in tx.carry.opening_ids(session.id) if card_id in allowed]
    if not mask:
        return tuple(picked)
    return tuple(OpeningCard(card.id, safety.mask_profanity(card.text), card.language) for card in picked)


def _asks(tx: Tx, session: SessionInfo) -> bool:
    if session.group_id is None:
        return False
    return tx.carry.has_earlier_meeting(session.group_id, session.id, session.created_at)


def _since(tx: Tx, session: SessionInfo, threshold: int, *, mask: bool) -> SinceLastTime:
    counts = tx.carry.follow_up_counts([session.id]).get(session.id, NO_ANSWERS)
    helped = tx.carry.helped_cards(session.id, HELPED_PHASE)
    if mask:
        helped = [safety.mask_profanity(text) for text in helped]
    return SinceLastTime(counts, threshold, tuple(helped))


def _candidates(tx: Tx, session: SessionInfo) -> list[OpeningCard]:
    if not session.program:
        return []  # words pass on within a program; a session in none has nowhere to take them from
    found = tx.carry.passed_on_cards(session.program, session.created_at, session.id)
    return [_opening(contribution, language) for contribution, language in found]


def _opening(contribution: Contribution, language: str) -> OpeningCard:
    # A next step's words alone: its "by when" could date it, and its support line stays with the writer.
    return OpeningCard(contribution.id, contribution.body, language)
