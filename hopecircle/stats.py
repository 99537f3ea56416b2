"""A session's aggregates (no text a person typed except top check-in/out words), and how they add up."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hopecircle.domain import DIMENSIONS, PULSE_MAX, PULSE_MIN

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


def parse_all(texts: Iterable[str]) -> list[Any]:
    # One parse of "[a,b,c]" is several times faster than thousands of small json.loads calls.
    return json.loads("[" + ",".join(texts) + "]")


def combine_columns(columns: Mapping[str, list[Any]]) -> SessionStats:
    """Add up many sessions straight from session_stats columns (a dashboard reads thousands)."""
    kinds: dict[str, list[int]] = {}
    for entry in parse_all(columns["kinds"]):
        for kind, (count, people) in entry.items():
            pair = kinds.setdefault(kind, [0, 0])
            pair[0] += count
            pair[1] += people
    sums = {}
    for name, steps in (("pulse_pre", PULSE_STEPS), ("pulse_post", PULSE_STEPS), ("pulse_change", CHANGE_STEPS)):
        total = [0] * steps
        for counts in parse_all(columns[name]):
            total = [a + b for a, b in zip(total, counts, strict=True)]
        sums[name] = tuple(total)
    maps: dict[str, Counter[str]] = {}
    for name in ("dimensions", "themes", "checkin_words", "checkout_words"):
        counter: Counter[str] = Counter()
        for entry in parse_all(columns[name]):
            for key, n in entry.items() if isinstance(entry, dict) else entry:
                counter[key] += n
        maps[name] = counter
    return SessionStats(
        participants=int(sum(columns["participants"])),
        kinds={kind: (pair[0], pair[1]) for kind, pair in kinds.items()},
        participants_with_goal=int(sum(columns["participants_with_goal"])),
        pulse_pre=sums["pulse_pre"],
        pulse_post=sums["pulse_post"],
        pulse_change=sums["pulse_change"],
        dimensions=dict(maps["dimensions"]),
        checkin_words=tuple(sorted(maps["checkin_words"].items(), key=lambda item: (-item[1], item[0]))[:TOP_WORDS]),
        checkout_words=tuple(sorted(maps["checkout_words"].items(), key=lambda item: (-item[1], item[0]))[:TOP_WORDS]),
        themes=dict(maps["themes"]),
    )
