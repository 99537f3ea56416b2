"""A session's aggregates (no text a person typed except top check-in/out words), and how they add up."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hopecircle.domain import DIMENSIONS, PULSE_MAX, PULSE_MIN, Kind

PULSE_STEPS = PULSE_MAX - PULSE_MIN + 1
CHANGE_STEPS = 2 * (PULSE_MAX - PULSE_MIN) + 1
NO_DIMENSION = "none"
TOP_WORDS = 40


def _zeros(n: int) -> tuple[int, ...]:
    return (0,) * n


@dataclass(frozen=True)
class SessionStats:
    """What a session adds to reports: counts of people and contributions, never who did what."""

    participants: int = 0
    kinds: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    participants_with_goal: int = 0
    pulse_pre: tuple[int, ...] = _zeros(PULSE_STEPS)
    pulse_post: tuple[int, ...] = _zeros(PULSE_STEPS)
    pulse_change: tuple[int, ...] = _zeros(CHANGE_STEPS)
    dimensions: Mapping[str, int] = field(default_factory=dict)
    checkin_words: tuple[tuple[str, int], ...] = ()
    checkout_words: tuple[tuple[str, int], ...] = ()
    themes: Mapping[str, int] = field(default_factory=dict)
    computed_at: datetime | None = None

    @property
    def contributions(self) -> int:
        return sum(count for count, _people in self.kinds.values())

    def kind_count(self, kind: Kind) -> int:
        return self.kinds.get(kind.value, (0, 0))[0]

    def kind_people(self, kind: Kind) -> int:
        return self.kinds.get(kind.value, (0, 0))[1]

    @property
    def pre_n(self) -> int:
        return sum(self.pulse_pre)

    @property
    def post_n(self) -> int:
        return sum(self.pulse_post)

    @property
    def paired_n(self) -> int:
        return sum(self.pulse_change)

    @property
    def pre_sum(self) -> int:
        return sum(value * n for value, n in enumerate(self.pulse_pre, PULSE_MIN))

    @property
    def post_sum(self) -> int:
        return sum(value * n for value, n in enumerate(self.pulse_post, PULSE_MIN))

    @property
    def change_sum(self) -> int:
        low = PULSE_MIN - PULSE_MAX
        return sum(change * n for change, n in enumerate(self.pulse_change, low))

    def to_row(self) -> dict[str, Any]:
        """Column values for the session_stats table."""
        return {
            "participants": self.participants,
            "contributions": self.contributions,
            "participants_with_goal": self.participants_with_goal,
            "pre_n": self.pre_n,
            "pre_sum": self.pre_sum,
            "post_n": self.post_n,
            "post_sum": self.post_sum,
            "paired_n": self.paired_n,
            "change_sum": self.change_sum,
            "kinds": _dumps({kind: list(pair) for kind, pair in sorted(self.kinds.items())}),
            "pulse_pre": _dumps(list(self.pulse_pre)),
            "pulse_post": _dumps(list(self.pulse_post)),
            "pulse_change": _dumps(list(self.pulse_change)),
            "dimensions": _dumps(dict(sorted(self.dimensions.items()))),
            "checkin_words": _dumps([list(pair) for pair in self.checkin_words]),
            "checkout_words": _dumps([list(pair) for pair in self.checkout_words]),
            "themes": _dumps(dict(sorted(self.themes.items()))),
            "computed_at": self.computed_at,
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SessionStats:
        """Read a session_stats row back (the scalar columns are derived, so they are not read)."""
        return cls(
            participants=row["participants"],
            kinds={kind: (pair[0], pair[1]) for kind, pair in json.loads(row["kinds"]).items()},
            participants_with_goal=row["participants_with_goal"],
            pulse_pre=tuple(json.loads(row["pulse_pre"])),
            pulse_post=tuple(json.loads(row["pulse_post"])),
            pulse_change=tuple(json.loads(row["pulse_change"])),
            dimensions=json.loads(row["dimensions"]),
            checkin_words=tuple((word, n) for word, n in json.loads(row["checkin_words"])),
            checkout_words=tuple((word, n) for word, n in json.loads(row["checkout_words"])),
            themes=json.loads(row["themes"]),
            computed_at=row["computed_at"],
        )


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def pulse_bins(counts: Iterable[tuple[int, int]], steps: int, low: int) -> tuple[int, ...]:
    """A fixed-length list of counts from (value, count) pairs."""
    bins = [0] * steps
    for value, n in counts:
        bins[value - low] += n
    return tuple(bins)


def dimension_counts(pairs: Iterable[tuple[str | None, int]]) -> dict[str, int]:
    """Goals per recovery dimension, with goals that named none counted under 'none'."""
    counts = dict.fromkeys((*DIMENSIONS, NO_DIMENSION), 0)
    for dimension, n in pairs:
        key = dimension if dimension in DIMENSIONS else NO_DIMENSION
        counts[key] += n
    return counts


def word_tally(words: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """The most said words, lower-cased and trimmed, at most TOP_WORDS of them."""
    counter = Counter(word.strip().lower() for word in words if word.strip())
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:TOP_WORDS])


def combine(many: Iterable[SessionStats]) -> SessionStats:
    """Add sessions together (word lists are each session's top words, so rare words may be missed)."""
    participants = with_goal = 0
    kinds: dict[str, list[int]] = {}
    pre = [0] * PULSE_STEPS
    post = [0] * PULSE_STEPS
    change = [0] * CHANGE_STEPS
    dimensions: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    checkin: Counter[str] = Counter()
    checkout: Counter[str] = Counter()
    for stats in many:
        participants += stats.participants
        with_goal += stats.participants_with_goal
        for kind, (count, people) in stats.kinds.items():
            pair = kinds.setdefault(kind, [0, 0])
            pair[0] += count
            pair[1] += people
        for target, source in ((pre, stats.pulse_pre), (post, stats.pulse_post), (change, stats.pulse_change)):
            for index, n in enumerate(source):
                target[index] += n
        dimensions.update(stats.dimensions)
        themes.update(stats.themes)
        checkin.update(dict(stats.checkin_words))
        checkout.update(dict(stats.checkout_words))
    return SessionStats(
        participants=participants,
        kinds={kind: (pair[0], pair[1]) for kind, pair in kinds.items()},
        participants_with_goal=with_goal,
        pulse_pre=tuple(pre),
        pulse_post=tuple(post),
        pulse_change=tuple(change),
        dimensions=dict(dimensions),
        checkin_words=tuple(sorted(checkin.items(), key=lambda item: (-item[1], item[0]))[:TOP_WORDS]),
        checkout_words=tuple(sorted(checkout.items(), key=lambda item: (-item[1], item[0]))[:TOP_WORDS]),
        themes=dict(themes),
    )
