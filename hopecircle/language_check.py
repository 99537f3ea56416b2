"""Advice for story authors: stigmatizing terms and method-like detail, with alternatives.

The check advises; it never blocks. Its word list is the `terms` list of the recovery-language
guide (facilitator_guides/recovery-language.md), so the guide and the check cannot drift apart.
It is meant for facilitators' own stories, never for policing how participants speak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from hopecircle.content import GuideLibrary
from hopecircle.safety.normalize import fold
from hopecircle.safety.personal import Detail, find_details, first_names

METHOD_FILE = Path(__file__).parent / "data" / "method_detail.yaml"


@dataclass(frozen=True)
class Finding:
    """One thing worth a second look in a draft."""

    kind: str  # "term", "method" or "name"
    text: str
    start: int
    end: int
    suggestions: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Term:
    pattern: re.Pattern[str]
    use: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[Term, ...]
    allowed: re.Pattern[str] | None


def terms_from(guides: GuideLibrary) -> Vocabulary:
    """The avoid/use/why list from the recovery-language guide, longest phrases first."""
    found: list[tuple[str, Term]] = []
    allowed: list[str] = []
    for guide in guides.of_kind("language"):
        allowed.extend(guide.meta.get("allowed_phrases", ()))
        for entry in guide.meta.get("terms", []):
            use = tuple(entry.get("use", ()))
            for phrase in entry.get("avoid", ()):
                pattern = re.compile(r"(?<![\w-])" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?![\w-])", re.I)
                found.append((phrase, Term(pattern, use, entry.get("why", ""))))
    found.sort(key=lambda item: len(item[0]), reverse=True)
    allowed_pattern = re.compile("|".join(re.escape(p) for p in allowed), re.I) if allowed else None
    return Vocabulary(tuple(term for _phrase, term in found), allowed_pattern)


@cache
def _method_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    data = yaml.safe_load(METHOD_FILE.read_text(encoding="utf-8"))
    return tuple((re.compile(item["pattern"], re.I), item["why"]) for item in data["patterns"])


def _full_name(detail: Detail, storyteller: str) -> bool:
    """A first name and a family name ("Carol Jenkins"), not a title, place or sentence start
    ("Small Lights", "New Hampshire", "Some Sundays"), and not the story's own storyteller."""
    words = fold(detail.text).split()
    return (
        detail.kind == "name"
        and len(words) == 2
        and words[0] in first_names()
        and fold(detail.text) != fold(storyteller)
    )


def check_language(text: str, vocabulary: Vocabulary, *, storyteller: str = "") -> list[Finding]:
    """Every stigmatizing term, method-like detail and full name in `text`, in order.

    A full name ("Carol Jenkins") can identify a real person; the story's own storyteller
    pseudonym is not one.
    """
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = [m.span() for m in vocabulary.allowed.finditer(text)] if vocabulary.allowed else []
    for term in vocabulary.terms:
        for match in term.pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            findings.append(Finding("term", match.group(0), match.start(), match.end(), term.use, term.why))
    for pattern, why in _method_patterns():
        for match in pattern.finditer(text):
            findings.append(Finding("method", match.group(0), match.start(), match.end(), (), why))
    for detail in find_details(text):
        if _full_name(detail, storyteller):
            findings.append(Finding("name", detail.text, detail.start, detail.end, (), ""))
    return sorted(findings, key=lambda f: f.start)
