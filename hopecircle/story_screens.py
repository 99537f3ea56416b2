"""How a story part is split into projector screens, and the order the facilitator steps through them.

A part whose text would not fit one screen at the wall's smallest type is split into screens
the facilitator steps through (next and back go through a part's screens before the next part).
The split depends on the text alone, never on a projector's size: the console and every
projector agree on "screen 2 of 3". It is sized for the smallest screen the projector supports
(1024 x 768) at the smallest type (see docs/projector.md); on a bigger screen the projector makes
the same text bigger, since type is sized from the screen's height.

A part is cut between paragraphs, and inside a paragraph only when the paragraph alone is
longer than a screen (between sentences, or between words for one endless sentence). The cuts
are balanced: two screens of eight lines rather than one of fifteen and one of one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from hopecircle.content import Story

# A line of story text holds about this many characters at the projector's measure (36 em; about
# 75 characters fit, fewer where long words wrap early): an estimate on the safe side.
CHARS_PER_LINE = 68
# The lines of text one screen holds below the part's heading at the smallest type, with a margin:
# measured in the browser at 1024×768, 1280×720 and 1920×1080 (tests/e2e/test_projector.py).
LINES_PER_SCREEN = 17.0
# The space between two paragraphs, in lines.
PARAGRAPH_GAP = 0.5

_SENTENCE_END = re.compile(r"(?<=[.!?…:;»”\"])\s+")


def lines(text: str) -> int:
    """How many lines `text` takes on the projector, estimated on the safe side."""
    return max(1, math.ceil(len(text) / CHARS_PER_LINE))


def _pieces(paragraph: str) -> list[str]:
    """The paragraph, or its sentences (or words) in runs that each fit a screen."""
    if lines(paragraph) <= LINES_PER_SCREEN:
        return [paragraph]
    parts = _SENTENCE_END.split(paragraph)
    if len(parts) == 1:
        parts = paragraph.split(" ")
    runs: list[str] = []
    for part in parts:
        if runs and lines(f"{runs[-1]} {part}") <= LINES_PER_SCREEN:
            runs[-1] = f"{runs[-1]} {part}"
        else:
            runs.append(part)
    return runs


def _cost(units: Sequence[str]) -> float:
    return sum(lines(unit) for unit in units) + PARAGRAPH_GAP * (len(units) - 1)


@lru_cache(maxsize=512)
def split(paragraphs: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The paragraphs of one part as screens: as few as fit, with the text spread evenly over them."""
    units = [piece for paragraph in paragraphs for piece in _pieces(paragraph)]
    if not units:
        return ((),)
    count = _fewest_screens(units)
    return tuple(tuple(group) for group in _balanced(units, count))


def _fewest_screens(units: list[str]) -> int:
    """Filling each screen before starting the next gives the fewest screens."""
    count, current = 1, 0.0
    for unit in units:
        added = lines(unit) + (PARAGRAPH_GAP if current else 0)
        if current and current + added > LINES_PER_SCREEN:
            count, current = count + 1, float(lines(unit))
        else:
            current += added
    return count


def _balanced(units: list[str], count: int) -> list[list[str]]:
    """`units` cut into `count` runs in order, so that the longest run is as short as it can be."""
    n = len(units)
    count = min(count, n)
    # best[k][i]: the smallest longest run when the first i units make k runs; cut[k][i]: where the last starts.
    best = [[math.inf] * (n + 1) for _ in range(count + 1)]
    cut = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for i in range(1, n + 1):
            for j in range(k - 1, i):
                value = max(best[k - 1][j], _cost(units[j:i]))
                if value < best[k][i]:
                    best[k][i], cut[k][i] = value, j
    runs: list[list[str]] = []
    end = n
    for k in range(count, 0, -1):
        start = cut[k][end]
        runs.insert(0, units[start:end])
        end = start
    return runs


def part_screens(story: Story, part: int) -> tuple[tuple[str, ...], ...]:
    """The screens of part `part` (0-based) of `story`: each a run of paragraphs."""
    return split(tuple(story.sections[part].paragraphs))


def steps(story: Story) -> list[tuple[int, int]]:
    """Every place the story can be at, in order: (-1, 0) the topic notes, then (part, screen)."""
    return [(-1, 0)] + [
        (part, screen) for part in range(len(story.sections)) for screen in range(len(part_screens(story, part)))
    ]
