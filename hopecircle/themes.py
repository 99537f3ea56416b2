"""Themes in reflections, counted with a curated word list (hopecircle/data/themes.yaml).

The method is deliberately transparent: a reflection mentions a theme when it contains one of
the theme's listed words or phrases (ignoring case and accents). It misses synonyms and cannot
tell "I have hope" from "I have no hope"; reports say so and name the method.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from hopecircle.safety.normalize import fold

DATA_FILE = Path(__file__).parent / "data" / "themes.yaml"
_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Theme:
    id: str
    pattern: re.Pattern[str]


def _term_pattern(term: str) -> str:
    words = fold(term).split()
    parts = [re.escape(word[:-1]) + r"[a-z0-9']*" if word.endswith("*") else re.escape(word) for word in words]
    return r"\b" + r"\s+".join(parts) + r"\b"


@cache
def lexicon() -> tuple[Theme, ...]:
    """The themes and their compiled terms, in the order the data file lists them."""
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    themes = []
    for theme_id, languages in data["themes"].items():
        terms = [term for words in languages.values() for term in words]
        themes.append(Theme(id=theme_id, pattern=re.compile("|".join(_term_pattern(t) for t in terms))))
    return tuple(themes)


def theme_ids() -> tuple[str, ...]:
    """Every theme id, in lexicon order."""
    return tuple(theme.id for theme in lexicon())


def themes_in(text: str) -> set[str]:
    """The themes one text mentions."""
    folded = " ".join(_WORD.findall(fold(text)))
    return {theme.id for theme in lexicon() if theme.pattern.search(folded)}


def count_themes(reflections: Iterable[tuple[int, str]]) -> dict[str, int]:
    """How many different people mentioned each theme, from (participant id, reflection) pairs."""
    people: dict[str, set[int]] = {theme_id: set() for theme_id in theme_ids()}
    for participant_id, text in reflections:
        for theme_id in themes_in(text):
            people[theme_id].add(participant_id)
    return {theme_id: len(ids) for theme_id, ids in people.items()}
