"""Recurring groups and the hope that carries from one meeting to the next, in plain Python.

A group ("Tuesday evening circle") is a series of sessions of one program. A next step a
participant asks to be reminded of stays on their phone; at the group's next meeting the phone
asks how it went, and the server keeps only how many answered what. Words a writer marked
"may open a future circle" can be picked to open a later session of the same program.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hopecircle.domain import WorkshopError

MAX_GROUP_NAME_CHARS = 80
MAX_OPENING_CARDS = 5
MAX_HELPED_CHARS = 200
# "What helped" is an ordinary reflection of the new session, marked by the moment it was sent
# in (the `phase` it is stored with), so the "Since last time" moment can show its cards.
HELPED_PHASE = "since"


class FollowUp(StrEnum):
    """How last time's next step went, as the participant says it (one answer a phone)."""

    DID_IT = "did_it"
    PARTLY = "partly"
    NOT_YET = "not_yet"
    RATHER_NOT = "rather_not"


FOLLOW_UPS: tuple[FollowUp, ...] = tuple(FollowUp)
# What the room and the reports count as the step's outcome; "rather not say" counts only as an answer.
OUTCOMES: tuple[FollowUp, ...] = (FollowUp.DID_IT, FollowUp.PARTLY, FollowUp.NOT_YET)


class UnknownGroup(WorkshopError):
    message_key = "error.unknown_group"


class GroupNameTaken(WorkshopError):
    message_key = "error.group_name_taken"


class NoFollowUp(WorkshopError):
    """The session is not a later meeting of a group: there is no "last time" to ask about."""

    message_key = "error.no_follow_up"


class NotAnOpeningCard(WorkshopError):
    """Words that may not open this session: unmarked, not approved, or from outside the program."""

    message_key = "error.not_an_opening_card"


class TooManyOpeningCards(WorkshopError):
    message_key = "error.too_many_opening_cards"


@dataclass(frozen=True)
class Group:
    """A recurring group of the organization; `key` is the random name phones keep, never the row id."""

    id: int
    key: str
    name: str
    program: str
    meetings: int = 0


@dataclass(frozen=True)
class FollowUpCounts:
    """How many phones gave each answer in one session (or summed over several)."""

    counts: dict[FollowUp, int]

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    def of(self, answer: FollowUp) -> int:
        return self.counts.get(answer, 0)

    def __add__(self, other: FollowUpCounts) -> FollowUpCounts:
        return FollowUpCounts({a: self.of(a) + other.of(a) for a in FOLLOW_UPS})


NO_ANSWERS = FollowUpCounts({})


@dataclass(frozen=True)
class SinceLastTime:
    """The "Since last time" moment as the room may see it.

    `shown` is False below the organization's reveal threshold: then neither the counts nor the
    cards reach the projector, and the console says "too few answers to show".
    """

    counts: FollowUpCounts
    threshold: int
    helped: tuple[str, ...]

    @property
    def shown(self) -> bool:
        return self.counts.answered >= max(1, self.threshold)


@dataclass(frozen=True)
class OpeningCard:
    """Words from another circle as the room sees them: the text alone, no time, session or name."""

    id: int
    text: str
    language: str
