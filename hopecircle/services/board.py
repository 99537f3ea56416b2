"""What the projector shows: approved cards, words, counts and the hope pulse, with nobody traceable."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from hopecircle import safety
from hopecircle.content import Story
from hopecircle.domain import (
    CARD_KINDS,
    Card,
    Kind,
    PulseSummary,
    SessionInfo,
    Status,
    WorkshopError,
)
from hopecircle.services import library
from hopecircle.services.context import Context
from hopecircle.services.organization import OrgSettings, cached_settings
from hopecircle.services.room import ROOM_VIEW_SECONDS


class UnknownBoard(WorkshopError):
    message_key = "error.unknown_board"


@dataclass(frozen=True)
class BoardView:
    session: SessionInfo
    story: Story | None
    agreements: tuple[str, ...]
    cards: tuple[Card, ...]
    cards_waiting: int
    approved_count: int
    participants: int
    contributions: int
    checkin_words: tuple[tuple[str, int], ...]
    checkout_words: tuple[tuple[str, int], ...]
    pulse: PulseSummary  # only the series with enough answers that a chart cannot point at anyone
    pulse_minimum: int

    @property
    def pulse_ready(self) -> bool:
        """Whether there is a pulse series to draw."""
        return bool(self.pulse.pre or self.pulse.post)


def find_board(ctx: Context, board_key: str) -> SessionInfo:
    """The session behind a projector URL."""
    with ctx.store.read() as tx:
        session = tx.sessions.by_board_key(board_key or "")
    if session is None:
        raise UnknownBoard()
    return session


def board_view(ctx: Context, session: SessionInfo) -> BoardView:
    """Everything the projector needs for one redraw; pass the session as just read.

    Every projector showing the room redraws after the same change: they share one view per
    version of the session.
    """
    return ctx.cache.get(("board", session.id, session.version), ROOM_VIEW_SECONDS, lambda: _board_view(ctx, session))


@dataclass(frozen=True)
class PublicCards:
    """The cards the room may see, as every projector and phone shows them."""

    cards: tuple[Card, ...]  # empty until the reveal threshold is reached
    waiting: int  # how many more approved cards before they show
    approved: int


def public_cards(ctx: Context, session: SessionInfo, limit: int | None = None) -> PublicCards:
    """The room's cards at this version of the session (the first `limit` in board order).

    One read per version shared by every phone; a phone shows a page of cards, so it reads a
    page, not the whole board (every "me too" is a new version).
    """
    return ctx.cache.get(
        ("cards", session.id, session.version, limit), ROOM_VIEW_SECONDS, lambda: _public_cards(ctx, session.id, limit)
    )


def _public_cards(ctx: Context, session_id: int, limit: int | None) -> PublicCards:
    # Phones read their page of cards at nearly every version of a busy room ("me too" is a new
    # version): the settings come from the process's few-seconds copy, as on the projector.
    settings = cached_settings(ctx)
    with ctx.store.read() as tx:
        cards = tx.contributions.cards(session_id, CARD_KINDS, limit=limit)
        approved = len(cards) if limit is None else tx.contributions.count_approved(session_id, CARD_KINDS)
    return _reveal(cards, approved, settings)


def _reveal(cards: list[Card], approved: int, settings: OrgSettings) -> PublicCards:
    mask = settings.profanity_policy is not safety.ProfanityPolicy.OFF
    waiting = max(0, settings.reveal_threshold - approved)
    shown = () if waiting else tuple(_public(card, mask) for card in cards)
    return PublicCards(shown, waiting, approved)


def _board_view(ctx: Context, session: SessionInfo) -> BoardView:
    settings = cached_settings(ctx)  # the same copy the phones' cards use: both reveal and mask alike
    with ctx.store.read() as tx:
        fresh = tx.sessions.by_id(session.id) or session
        cards = tx.contributions.cards(session.id, CARD_KINDS)
        words = tx.contributions.cards(session.id, frozenset({Kind.CHECKIN, Kind.CHECKOUT}))
        counts = tx.contributions.counts(session.id)
        participants = tx.participants.count(session.id)
        pulse = tx.pulses.summary(session.id)
    mask = settings.profanity_policy is not safety.ProfanityPolicy.OFF
    public = _reveal(cards, len(cards), settings)
    story = library.session_story(ctx, fresh, fresh.language)
    agreements = fresh.agreements or ctx.guides.agreements(fresh.language)
    return BoardView(
        session=fresh,
        story=story,
        agreements=tuple(agreements),
        cards=public.cards,
        cards_waiting=public.waiting,
        approved_count=public.approved,
        participants=participants,
        # Held words are the facilitator's alone: counting them would tell the room one arrived.
        contributions=sum(n for (_kind, status), n in counts.items() if status not in _UNSEEN),
        checkin_words=_tally(words, Kind.CHECKIN, mask),
        checkout_words=_tally(words, Kind.CHECKOUT, mask),
        pulse=_enough(pulse, settings.suppression_threshold),
        pulse_minimum=settings.suppression_threshold,
    )


_UNSEEN = frozenset({Status.HIDDEN.value, Status.HELD.value})


def _enough(pulse: PulseSummary, minimum: int) -> PulseSummary:
    """The pulse with each series (before, after) kept only when at least `minimum` answered it."""
    return PulseSummary(
        pre=pulse.pre if len(pulse.pre) >= minimum else (),
        post=pulse.post if len(pulse.post) >= minimum else (),
    )


# A pure function of the text, run on every card at every redraw: remember recent answers.
_mask = lru_cache(maxsize=8192)(safety.mask_profanity)


def _public(card: Card, mask: bool) -> Card:
    """A card as the room sees it: masked when the organization asks, without its support line.

    Who or what supports a goal ("my sister Ana") stays on the writer's own phone and hope card.
    """
    keep = _mask if mask else _same
    return Card(
        id=card.id,
        kind=card.kind,
        body=keep(card.body),
        goal_when=keep(card.goal_when) if card.goal_when else None,
        goal_support=None,
        dimension=card.dimension,
        me_too=card.me_too,
        language=card.language,
    )


def _same(text: str) -> str:
    return text


def _tally(words: list[Card], kind: Kind, mask: bool) -> tuple[tuple[str, int], ...]:
    counter = Counter((_mask(w.body) if mask else w.body).strip().lower() for w in words if w.kind is kind)
    return tuple(counter.most_common(40))
