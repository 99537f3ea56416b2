"""A phone's room screen as data: what the room shows, shared, and the phone's own words.

Served by `serve.py`, a phone draws its room screen itself (`ui/static/phone_room.js`) from this
data instead of a Streamlit run per phone and per change. Two parts:

- the room (`room`): the phase, open or ended, the session's name, the agreements, the story's
  storyteller and topic notes, the prompts, the board's first cards, how often support lines
  were shared, and the support lines themselves, in one language. It is the same for every phone
  of the room reading that language with that many cards, so it is made once per room version,
  language and page of cards, kept as JSON text, and shared (`ctx.cache`);
- the phone's own part (`mine`): its words and where each stands, its pulses, its "me too"s,
  whether it asked to talk; a few indexed reads of its own rows.

Participants' words travel as data; the phone sets them as text, never as markup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hopecircle.crisis import crisis_lines
from hopecircle.domain import Contribution, Kind, LiveState, Phase, SessionInfo, WorkshopError
from hopecircle.groups import HELPED_PHASE
from hopecircle.hope_card import hope_card_png, leaves_out
from hopecircle.services import board, carry, library, room
from hopecircle.services.context import Context
from hopecircle.services.organization import cached_settings
from hopecircle.services.participation import participant_of
from hopecircle.store import Tx
from hopecircle.wording import goal_sentence

# A phone shows the board a page at a time: a room of hundreds has hundreds of cards.
PAGE = 12
MAX_SHOWN = 10_000
_MINE = (Kind.CHECKIN, Kind.REFLECTION, Kind.GOAL, Kind.CHECKOUT)
# A card drawn is kept this long for the same words, language and day: a double tap, a second
# download, is not drawn twice. Not longer: each card is about 120 KB of the process's memory.
CARD_SECONDS = 60.0
# A card drawn ahead, when the phone saves its next step, is kept until the close is likely over:
# at the close of a big room hundreds are asked for within a minute, and each is ~13 ms of a core.
CARD_AHEAD_SECONDS = 3600.0


class NoGoalYet(WorkshopError):
    """A hope card was asked for by a phone that has saved no next step."""

    message_key = "phone.card_no_goal"


@dataclass(frozen=True)
class PhoneState:
    """Everything a phone's room screen is drawn from, at one moment."""

    code: str
    signature: str  # what the phone waits to differ (`room.room_signature`)
    version: int
    room: str  # JSON text, shared by the room's phones reading it in one language with as many cards
    mine: dict[str, Any]

    def as_json(self, **extra: object) -> str:
        """The answer a phone gets: the shared part as it is kept, the phone's own part, and `extra`."""
        head = json.dumps({"signature": self.signature, "version": self.version, **extra}, ensure_ascii=False)
        mine = json.dumps(self.mine, ensure_ascii=False)
        return f'{head[:-1]},"room":{self.room},"mine":{mine}}}'


def state(ctx: Context, token: str, language: str, shown: int = PAGE) -> PhoneState:
    """The phone's room screen now, in `language`, with its first `shown` cards; UnknownParticipant
    when the token has no place."""
    shown = max(1, min(shown, MAX_SHOWN))
    with ctx.store.read() as tx:
        participant_id, session, _language = participant_of(tx, token)
        mine = _mine(tx, participant_id, session)
    shared, approved = _shared(ctx, session, language, shown)
    live = LiveState(
        session_id=session.id,
        phase=session.phase,
        status=session.status,
        story_section=session.story_section,
        version=session.version,
        approved_count=approved,
        resources_push=session.resources_push,
    )
    signature = room.room_signature(room.PhoneRoom(live, room.content_stamp(session)), shown)
    return PhoneState(session.code, signature, session.version, shared, mine)


def _shared(ctx: Context, session: SessionInfo, language: str, shown: int) -> tuple[str, int]:
    """The room's part as JSON, and its approved cards, once per version, language and page."""
    key = ("phone-room", session.id, session.version, language, shown if session.phase is Phase.BOARD else 0)
    return ctx.cache.get(key, room.ROOM_VIEW_SECONDS, lambda: _room(ctx, session, language, shown))


def _room(ctx: Context, session: SessionInfo, language: str, shown: int) -> tuple[str, int]:
    story = library.session_story(ctx, session, language)
    data: dict[str, Any] = {
        "phase": session.phase.value,
        "open": session.is_open,
        "title": library.session_title(ctx, session, language),
        "agreements": list(session.agreements or ctx.guides.agreements(language)),
        "storyteller": story.storyteller if story else "",
        "notes": list(story.topic_notes) if story else [],
        # The facilitator's own prompts when they wrote some and this phone reads the story the
        # projector shows; a phone reading a translation keeps the story's prompts in its language.
        "prompts": list(story.prompts if story else (session.prompts or ())),
        "next_step_prompt": story.next_step_prompt if story else "",
        "resources": session.resources_push,
        **support_lines(ctx, language),
        "cards": [],
        "approved": 0,
        "waiting": 0,
    }
    approved = 0
    if session.phase is Phase.BOARD:
        public = board.public_cards(ctx, session, limit=shown)
        approved = public.approved
        data.update(
            cards=[
                {
                    "id": card.id,
                    # A goal reads as one sentence in the language it was written in.
                    "text": goal_sentence(card.body, card.goal_when, card.language)
                    if card.kind is Kind.GOAL
                    else card.body,
                    "count": card.me_too,
                }
                for card in public.cards[:shown]
            ],
            approved=public.approved,
            waiting=public.waiting,
        )
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")), approved


def support_lines(ctx: Context, language: str) -> dict[str, Any]:
    """Every support line in `language`, the organization's own after the national ones, with how
    to reach each: `{"lines": [...], "verified": date}`."""
    directory = crisis_lines(language, cached_settings(ctx).local_lines)
    lines = [
        {
            "name": line.name,
            "detail": line.detail,
            "call": line.call_shown if line.call else "",
            "call_url": line.call_url or "",
            "text": line.text or "",
            "text_url": line.text_url or "",
        }
        for line in directory.lines
    ]
    return {"lines": lines, "verified": directory.last_verified.isoformat()}


def mine(ctx: Context, token: str) -> dict[str, Any]:
    """The phone's own part alone (what a post's answer brings back after it changed something)."""
    with ctx.store.read() as tx:
        participant_id, session, _language = participant_of(tx, token)
        return _mine(tx, participant_id, session)


def _mine(tx: Tx, participant_id: int, session: SessionInfo) -> dict[str, Any]:
    words = [c for c in tx.contributions.for_participant(participant_id) if c.kind in _MINE]
    goal = next((c for c in words if c.kind is Kind.GOAL), None)
    return {
        "words": [_word(c) for c in words],
        "pulses": tx.pulses.of_participant(participant_id),
        "reactions": sorted(tx.contributions.reactions_of(participant_id)),
        "talk": tx.support.of_participant(participant_id) is not None,
        # Whether the hope card would leave out characters its fonts cannot draw (some emoji).
        "card_left_out": goal is not None and leaves_out(goal.body, goal.goal_when, goal.goal_support),
        # A meeting of a recurring group: its key, and whether this phone is asked about last time.
        "carry": carry.phone_part(tx, participant_id, session),
    }


def _word(contribution: Contribution) -> dict[str, Any]:
    return {
        "id": contribution.id,
        "kind": contribution.kind.value,
        "text": contribution.body,
        "when": contribution.goal_when or "",
        "support": contribution.goal_support or "",
        "dimension": contribution.dimension or "",
        "status": contribution.status.value,
        "pass_on": contribution.pass_on,
        # "What helped" since last time: a reflection of this session, never passed on.
        "since": contribution.phase == HELPED_PHASE,
    }


def hope_card(ctx: Context, token: str, language: str, on: date) -> bytes:
    """The phone's hope card (PNG) of its own next step, in `language`, dated `on`; NoGoalYet
    without one. Drawn as `hope_card.hope_card_png` always draws it, kept CARD_SECONDS (or as
    long as a card drawn ahead is kept)."""
    return _hope_card(ctx, token, language, on, CARD_SECONDS)


def draw_hope_card_ahead(ctx: Context, token: str, language: str) -> None:
    """Draw the phone's hope card now, dated today, and keep it CARD_AHEAD_SECONDS, so the close
    finds it drawn. Nothing when the phone has no place or no next step (any more)."""
    try:
        _hope_card(ctx, token, language, ctx.clock().date(), CARD_AHEAD_SECONDS)
    except WorkshopError:
        return


def _hope_card(ctx: Context, token: str, language: str, on: date, seconds: float) -> bytes:
    with ctx.store.read() as tx:
        participant_id, _session, _language = participant_of(tx, token)
        goal = next((c for c in tx.contributions.for_participant(participant_id) if c.kind is Kind.GOAL), None)
    if goal is None:
        raise NoGoalYet()
    fields = (goal.body, goal.goal_when, goal.goal_support, goal.dimension)
    return ctx.cache.get(("hope-card", *fields, language, on), seconds, lambda: hope_card_png(*fields, language, on))


def card_date(ctx: Context, text: object) -> date:
    """The day the phone says it is (its own clock and time zone), within a day of the server's;
    the server's day otherwise."""
    today = ctx.clock().date()
    try:
        said = date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        said = None
    return said if said is not None and abs(said - today) <= timedelta(days=1) else today
