"""Personal details that would identify someone on a projector, and profanity.

Finds phone numbers, email addresses, street addresses, web links, social handles and full
names of people, with their positions, so the console can highlight them and offer a
redacted version. Crisis-line numbers are not personal details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from hopecircle.safety.normalize import fold

DATA_DIR = Path(__file__).parent / "data"
REDACTION = "[…]"

_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE),
    "url": re.compile(
        r"\b(?:https?://|www\.)\S+|\b[a-z0-9][a-z0-9-]*\.(?:com|org|net|io|me|ly|co|us|edu|gov|info|app|link|gg|tv|mx)\b(?:/\S*)?",
        re.IGNORECASE,
    ),
    "phone": re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?!\w)"),
    "handle": re.compile(
        r"(?<![\w@.])@[a-z0-9_][a-z0-9_.]{1,29}\b|\b(?:ig|insta|instagram|snap|snapchat|tiktok|twitter|fb|facebook|x)\s*[:@]\s*[a-z0-9_.]{2,30}\b",
        re.IGNORECASE,
    ),
    "address": re.compile(
        r"\b\d{1,6}\s+(?:[A-Za-zÁÉÍÓÚÑáéíóúñ.]+\s+){1,4}(?:st|street|ave|avenue|rd|road|blvd|boulevard|lane|ln|dr|drive|way|ct|court|pl|place|terrace|hwy|highway|calle|avenida|camino)\b\.?"
        r"|\b(?:calle|avenida|av\.)\s+[A-Za-zÁÉÍÓÚÑáéíóúñ ]{2,30}\s+(?:#\s*)?\d{1,6}\b",
        re.IGNORECASE,
    ),
}
# A named street with no number ("from Oak Street", "on Main St", "Calle Ocho"): still a place
# that points at someone in a small group.
_STREET = re.compile(
    r"\b(?:[A-ZÁÉÍÓÚÑ][\wáéíóúñ'-]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|"
    r"Way|Court|Ct|Place|Pl|Terrace|Highway|Hwy)\b\.?"
    r"|\b(?:[Cc]alle|[Aa]venida|[Aa]v\.|[Cc]olonia|[Bb]arrio)\s+(?:[A-ZÁÉÍÓÚÑ0-9][\wáéíóúñ'-]*\s*){1,3}"
)
# A first name the writer gives as theirs or someone's: "I'm Maria", "my name is Ana", "call me
# Jo", "ask for Luis", "soy Rosa", "me llamo Ana". Capitalized, or any case when it is a common
# first name ("i'm maria").
_INTRODUCED = re.compile(
    r"\b(?:i'?m|i am|my name is|my name's|name's|call me|ask for|this is|it'?s me|"
    r"soy|me llamo|mi nombre es|llámame|llamame|pregunta por|pregunten por)\s+([\wáéíóúñÁÉÍÓÚÑ'-]{2,20})",
    re.IGNORECASE,
)
# A lookahead, so "Thanks John Smith" is tried as "Thanks John" and as "John Smith".
_NAME = re.compile(r"(?=\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?:-[A-Z][a-z]+)?)\s+([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?:-[A-Z][a-z]+)?)\b)")


@dataclass(frozen=True)
class Detail:
    """One personal detail: what kind, and where it is in the text."""

    kind: str
    start: int
    end: int
    text: str


@cache
def _word_lists() -> dict[str, frozenset[str]]:
    data = yaml.safe_load((DATA_DIR / "personal.yaml").read_text(encoding="utf-8"))
    return {
        key: frozenset(fold(word) for word in value)
        for key, value in data.items()
        if isinstance(value, list) and key != "profanity"
    }


def first_names() -> frozenset[str]:
    """Common first names (folded), English and Spanish, from the word lists."""
    return _word_lists()["first_names"]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _is_crisis_number(text: str) -> bool:
    return (
        _digits(text).removeprefix("1") in _word_lists()["safe_numbers"]
        or _digits(text) in _word_lists()["safe_numbers"]
    )


def find_details(text: str) -> tuple[Detail, ...]:
    """Every personal detail in `text`, in order, without overlaps."""
    found: list[Detail] = []
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.group(0)
            if kind == "phone" and (len(_digits(value)) < 7 or _is_crisis_number(value) or _looks_like_date(value)):
                continue
            found.append(Detail(kind, match.start(), match.end(), value))
    found.extend(Detail("address", m.start(), m.end(), m.group(0).rstrip()) for m in _STREET.finditer(text))
    found.extend(_introduced_names(text))
    found.extend(_names(text))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[Detail] = []
    for detail in found:
        if kept and detail.start < kept[-1].end:
            continue
        kept.append(detail)
    return tuple(kept)


def _looks_like_date(value: str) -> bool:
    return bool(re.fullmatch(r"\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\s*", value))


def _introduced_names(text: str) -> list[Detail]:
    """First names introduced as the writer's or someone's ("I'm Maria", "me llamo Ana")."""
    lists = _word_lists()
    details = []
    for match in _INTRODUCED.finditer(text):
        word = match.group(1)
        folded = fold(word)
        capitalized = word[0].isupper() and not word.isupper()
        if folded in lists["first_names"] or (capitalized and folded not in lists["not_first_names"]):
            details.append(Detail("name", match.start(1), match.end(1), word))
    return details


def _names(text: str) -> list[Detail]:
    """Two capitalized words in a row that are not a known phrase: likely a person's full name."""
    lists = _word_lists()
    details = []
    for match in _NAME.finditer(text):
        first, last = match.group(1), match.group(2)
        if fold(f"{first} {last}") in lists["not_names"]:
            continue
        if fold(first) in lists["capitalized_words"] or fold(last) in lists["capitalized_words"]:
            continue
        end = match.end(2)
        details.append(Detail("name", match.start(1), end, text[match.start(1) : end]))
    return details


def redact(text: str, details: tuple[Detail, ...] | None = None) -> str:
    """`text` with each personal detail replaced by a neutral mark."""
    details = find_details(text) if details is None else details
    out, cursor = [], 0
    for detail in details:
        out.append(text[cursor : detail.start])
        out.append(REDACTION)
        cursor = detail.end
    out.append(text[cursor:])
    return "".join(out)


@cache
def _profanity() -> re.Pattern[str]:
    data = yaml.safe_load((DATA_DIR / "personal.yaml").read_text(encoding="utf-8"))
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in data["profanity"]) + r")\b", re.IGNORECASE)


def has_profanity(text: str) -> bool:
    return bool(_profanity().search(fold(text)))


def mask_profanity(text: str) -> str:
    """Replace each profane word with its first letter and asterisks (for the projector)."""
    folded = fold(text)
    if len(folded) != len(text):
        return _profanity().sub(lambda m: m.group(0)[0] + "*" * (len(m.group(0)) - 1), text)
    pieces, cursor = [], 0
    for match in _profanity().finditer(folded):
        pieces.append(text[cursor : match.start()])
        word = text[match.start() : match.end()]
        pieces.append(word[0] + "*" * (len(word) - 1))
        cursor = match.end()
    pieces.append(text[cursor:])
    return "".join(pieces)
