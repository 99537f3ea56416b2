"""The workshop's vocabulary and rules, in plain Python (no I/O, no framework)."""

from __future__ import annotations

import secrets
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Phase(StrEnum):
    """The seven phases of a session, in their default order."""

    WELCOME = "welcome"
    CHECKIN = "checkin"
    STORY = "story"
    REFLECT = "reflect"
    NEXT_STEP = "next_step"
    BOARD = "board"
    CLOSE = "close"


PHASES: tuple[Phase, ...] = tuple(Phase)


class Screen(StrEnum):
    """What the projector shows: the room's phase, a blank screen (a pause), or a big join QR."""

    ROOM = "room"
    BLANK = "blank"
    JOIN = "join"
    # A recurring group's moments: how last time's next steps went, and words from another circle.
    SINCE = "since"
    OPENING = "opening"


class Kind(StrEnum):
    """What a participant contributed."""

    REFLECTION = "reflection"
    GOAL = "goal"
    CHECKIN = "checkin"
    CHECKOUT = "checkout"


CARD_KINDS: frozenset[Kind] = frozenset({Kind.REFLECTION, Kind.GOAL})
WORD_KINDS: frozenset[Kind] = frozenset({Kind.CHECKIN, Kind.CHECKOUT})


class Status(StrEnum):
    """Where a contribution stands in moderation."""

    PENDING = "pending"
    APPROVED = "approved"
    HIDDEN = "hidden"
    HELD = "held"


class Role(StrEnum):
    """What an account may do."""

    FACILITATOR = "facilitator"
    ADMIN = "admin"


class Moment(StrEnum):
    """When the hope pulse was taken."""

    PRE = "pre"
    POST = "post"


DIMENSIONS: tuple[str, ...] = ("health", "home", "purpose", "community")

# Limits a phone can show before submitting; long enough for a thought, short enough for a card.
MAX_REFLECTION_CHARS = 280
MAX_GOAL_CHARS = 160
MAX_WHEN_CHARS = 60
MAX_SUPPORT_CHARS = 120
MAX_WORD_CHARS = 30
MAX_REFLECTIONS_PER_PARTICIPANT = 10
MAX_TITLE_CHARS = 120
MAX_PROGRAM_CHARS = 80
PULSE_MIN, PULSE_MAX = 0, 10
MIN_PASSWORD_CHARS = 10

# No 0/O/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B: letters and digits that read alike on a projector or a phone.
JOIN_CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
JOIN_CODE_LENGTH = 6


class WorkshopError(Exception):
    """A rule was broken; `message_key` names the sentence to show the person."""

    message_key = "error.generic"

    def __init__(self, message_key: str | None = None, **params: object) -> None:
        super().__init__(message_key or self.message_key)
        if message_key:
            self.message_key = message_key
        self.params: dict[str, Any] = params  # what the message's placeholders are filled with


class EmptyText(WorkshopError):
    message_key = "error.empty_text"


class TooManyTries(WorkshopError):
    """Too many wrong join codes from this phone, or from everyone on this server, in the last minute."""

    message_key = "error.too_many_tries"


class InvisibleText(WorkshopError):
    """Only characters that draw nothing (zero-width spaces, blank letters, controls): a blank card."""

    message_key = "error.invisible_text"


class TextTooLong(WorkshopError):
    message_key = "error.text_too_long"


class InvalidChoice(WorkshopError):
    message_key = "error.invalid_choice"


class UnknownSessionCode(WorkshopError):
    message_key = "error.unknown_code"


class SessionClosed(WorkshopError):
    message_key = "error.session_closed"


class UnknownParticipant(WorkshopError):
    message_key = "error.unknown_participant"


class NotYourContribution(WorkshopError):
    message_key = "error.not_yours"


class ContributionGone(WorkshopError):
    message_key = "error.contribution_gone"


class LimitReached(WorkshopError):
    message_key = "error.limit_reached"


class StoryVersionTaken(WorkshopError):
    """A story's version in another language: in the story's own language, or one that exists already."""

    message_key = "error.story_version_taken"


class NotAuthorized(WorkshopError):
    message_key = "error.not_authorized"


class InvalidCredentials(WorkshopError):
    message_key = "error.invalid_credentials"


class AccountExists(WorkshopError):
    message_key = "error.account_exists"


class WeakPassword(WorkshopError):
    message_key = "error.weak_password"


class SetupAlreadyDone(WorkshopError):
    message_key = "error.setup_done"


class WrongSetupCode(WorkshopError):
    message_key = "error.setup_code"


class UnknownStory(WorkshopError):
    message_key = "error.unknown_story"


def new_join_code() -> str:
    """A short, random, unambiguous code to type or scan (22**6, about 113 million possibilities)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(raw: str) -> str:
    """Turn what a person typed into a canonical code: upper case, no spaces or dashes."""
    return "".join(ch for ch in raw.upper() if ch.isascii() and ch.isalnum())


# Letters and symbols that draw as nothing, though Unicode does not class them as format or space.
_BLANK_LOOKALIKES = frozenset("\u2800\u3164\u115f\u1160\uffa0\u180e\u17b4\u17b5\u2062\u2063\u2064")
# Classes that draw nothing by themselves: controls, format (zero-width, bidi, tags), spaces,
# combining marks with no letter, surrogates, unassigned.
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Cs", "Cn"})
_KEPT_CONTROLS = frozenset("\n\t")


def clean_text(raw: str | None) -> str:
    """Normalize a typed text for storage: Unicode NFC, trimmed, inner whitespace runs kept short.

    Control characters other than line breaks and tabs are dropped (a database cannot keep NUL,
    and none of them shows), and a lone surrogate (half an emoji from a broken paste) becomes
    U+FFFD, so the rest of the words can still be stored.
    """
    if raw is None:
        return ""
    text = raw.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = "".join(ch for ch in text if ch in _KEPT_CONTROLS or ch == "\r" or unicodedata.category(ch) != "Cc")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").strip()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    collapsed: list[str] = []
    for line in lines:
        if line or (collapsed and collapsed[-1]):
            collapsed.append(line)
    return "\n".join(collapsed).strip()


def visible(text: str) -> bool:
    """Whether the text has at least one character that draws something on a screen."""
    return any(ch not in _BLANK_LOOKALIKES and unicodedata.category(ch) not in _UNSEEN_CATEGORIES for ch in text)


def require_text(raw: str | None, limit: int) -> str:
    """Clean a required text, or raise EmptyText / InvisibleText / TextTooLong with the numbers to show."""
    text = clean_text(raw)
    if not text:
        raise EmptyText()
    if not visible(text):
        raise InvisibleText()
    if len(text) > limit:
        raise TextTooLong(length=len(text), limit=limit)
    return text


def optional_text(raw: str | None, limit: int) -> str | None:
    """Clean an optional text; empty (or nothing visible) becomes None, too long raises TextTooLong."""
    text = clean_text(raw)
    if len(text) > limit:
        raise TextTooLong(length=len(text), limit=limit)
    return text if visible(text) else None


def require_pulse(value: int | None) -> int:
    """Check a hope pulse value is a whole number from 0 to 10."""
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise InvalidChoice()
    if not PULSE_MIN <= value <= PULSE_MAX:
        raise InvalidChoice()
    return value


def coarse_minute(moment: datetime) -> datetime:
    """Round a time down to the minute, so stored times cannot order people within a minute."""
    return moment.replace(second=0, microsecond=0)


def edit_mark(items: tuple[str, ...] | None) -> str:
    """A short mark of a list the facilitator edited live ("" for none): it changes when the list does."""
    return format(zlib.crc32("\n".join(items).encode("utf-8")), "x") if items else ""


def next_phase(current: Phase) -> Phase:
    """The phase after `current` (the last phase stays put)."""
    index = PHASES.index(current)
    return PHASES[min(index + 1, len(PHASES) - 1)]


def previous_phase(current: Phase) -> Phase:
    """The phase before `current` (the first phase stays put)."""
    index = PHASES.index(current)
    return PHASES[max(index - 1, 0)]


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass(frozen=True)
class SessionInfo:
    """A session as the facilitator console sees it."""

    id: int
    code: str
    board_key: str
    title: str
    program: str
    story_id: str
    language: str
    facilitator_id: int
    status: str
    phase: Phase
    phase_started_at: datetime
    story_section: int
    auto_approve: bool
    version: int
    created_at: datetime
    closed_at: datetime | None
    notes: str
    agreements: tuple[str, ...] | None = None
    show_join: bool = True
    resources_push: int = 0
    purged_at: datetime | None = None
    prompts: tuple[str, ...] | None = None  # the reflection prompts, when edited for this session
    plan_id: str | None = None  # the session plan (facilitator_guides/plans/) it runs to
    screen: Screen = Screen.ROOM
    changed_by: int | None = None  # the staff account that last moved the room
    story_screen: int = 0  # the screen of the story part shown, when a long part is split
    projector_timer: bool = False  # the projector shows a calm countdown in reflect and next step
    group_id: int | None = None  # the recurring group this session is a meeting of (None: a one-off)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def projected(self) -> Screen:
        """What the projectors show: a blank screen or the big join QR only while the session is open."""
        return self.screen if self.is_open else Screen.ROOM


@dataclass(frozen=True)
class SessionRow:
    """A session as reports see it: no code, no board key, no times finer than the day."""

    id: int
    day: date
    title: str
    facilitator_id: int
    program: str
    story_id: str
    language: str
    status: str
    purged: bool


@dataclass(frozen=True)
class ReportFilter:
    """Which sessions a cross-session report covers; None means no restriction."""

    start: date | None = None
    end: date | None = None
    facilitator_id: int | None = None
    program: str | None = None
    story_id: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class LiveState:
    """The few fields phones and boards poll to know whether to redraw."""

    session_id: int
    phase: Phase
    status: str
    story_section: int
    version: int
    approved_count: int
    resources_push: int = 0
    # Short marks of the session's edited agreements and prompts ("" when it uses the defaults):
    # a phone showing them redraws when the facilitator edits them.
    agreements_mark: str = ""
    prompts_mark: str = ""

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class Contribution:
    id: int
    session_id: int
    participant_id: int | None
    kind: Kind
    body: str
    goal_when: str | None
    goal_support: str | None
    dimension: str | None
    status: Status
    flags: tuple[str, ...]
    shareable: bool
    phase: str
    created_minute: datetime
    me_too: int
    moderated_by: int | None = None  # the staff account that last approved, hid or reviewed it
    pass_on: bool = False  # the writer's consent: these words may open a future circle of the program


@dataclass(frozen=True)
class Card:
    """An approved contribution as it appears on the board: no ids of people, no times."""

    id: int
    kind: Kind
    body: str
    goal_when: str | None
    goal_support: str | None
    dimension: str | None
    me_too: int
    language: str = "en"  # the writer's: a goal reads as one sentence in the language it was written in


@dataclass(frozen=True)
class PulseSummary:
    pre: tuple[int, ...]
    post: tuple[int, ...]


@dataclass
class ParticipantView:
    """What one phone may see of its own participation."""

    participant_id: int
    session: SessionInfo
    language: str
    contributions: list[Contribution] = field(default_factory=list)
    pulses: dict[str, int] = field(default_factory=dict)
    my_reactions: frozenset[int] = frozenset()

    def of_kind(self, kind: Kind) -> list[Contribution]:
        return [c for c in self.contributions if c.kind is kind]

    def single(self, kind: Kind) -> Contribution | None:
        found = self.of_kind(kind)
        return found[0] if found else None
