"""Disguises people use to slip words past a screener, applied to a text for measurement.

`bench/screening_eval.py` applies every disguise to every risk text of a labelled set and counts
how many the screener still catches; the unit tests guard the same on the development sets. Each
function is deterministic, so a run can be repeated exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_WORD = re.compile(r"[^\W\d_]+")
_LOOKALIKES = str.maketrans({"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "i": "і", "s": "ѕ", "y": "у"})
_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_EMOJI = ("😭", "💀", "🙏", "😔", "🖤")
_OTHER_LANGUAGE = {
    "en": ("la neta, ", " y ya, no sé"),
    "es": ("honestly, ", " for real tho"),
}


def _between_letters(word: str, marks: tuple[str, ...]) -> str:
    return "".join(ch + marks[i % len(marks)] for i, ch in enumerate(word[:-1])) + word[-1:]


def bidi_override(text: str, lang: str) -> str:
    """Typed backwards behind a right-to-left override: it displays as the original sentence."""
    return "\u202e" + text[::-1] + "\u202c"


def bidi_isolates(text: str, lang: str) -> str:
    """Each word wrapped in a left-to-right, right-to-left or first-strong isolate."""
    opens = ("\u2066", "\u2067", "\u2068")
    words = text.split(" ")
    return " ".join(f"{opens[i % 3]}{w}\u2069" for i, w in enumerate(words))


def zero_width(text: str, lang: str) -> str:
    """Zero-width spaces, joiners and word joiners between the letters of every word."""
    return _WORD.sub(lambda m: _between_letters(m.group(0), _ZERO_WIDTH), text)


def tag_characters(text: str, lang: str) -> str:
    """Invisible tag characters (U+E0000 to U+E007F) between letters."""
    tags = tuple(chr(0xE0000 + code) for code in (0x20, 0x41, 0x7F, 0x01))
    return _WORD.sub(lambda m: _between_letters(m.group(0), tags), text)


def homoglyphs(text: str, lang: str) -> str:
    """Latin letters replaced by Cyrillic ones that look the same."""
    return text.translate(_LOOKALIKES)


def leetspeak(text: str, lang: str) -> str:
    """Letters replaced by digits and symbols inside words (k1ll mys3lf)."""
    return _WORD.sub(lambda m: m.group(0).lower().translate(_LEET) if len(m.group(0)) > 2 else m.group(0), text)


def spacing(text: str, lang: str) -> str:
    """Every word of four letters or more spelled out with spaces; words apart by two spaces."""
    words = text.split(" ")
    return "  ".join(" ".join(w) if len(w) >= 4 and w.isalpha() else w for w in words)


def line_breaks(text: str, lang: str) -> str:
    """A line break between words ("kill\\nmyself")."""
    words = text.split(" ")
    return "".join(w + ("\n" if i % 2 == 0 else " ") for i, w in enumerate(words)).rstrip()


def stretched(text: str, lang: str) -> str:
    """The first vowel of every word of three letters or more repeated (diiiie, killl)."""

    def stretch(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 3:
            return word
        for i, ch in enumerate(word):
            if ch.lower() in "aeiou":
                return word[: i + 1] + ch * 4 + word[i + 1 :]
        return word + word[-1] * 3

    return _WORD.sub(stretch, text)


def mixed_language(text: str, lang: str) -> str:
    """Framed by words of the other language, as people code-switch."""
    before, after = _OTHER_LANGUAGE.get(lang, _OTHER_LANGUAGE["en"])
    return before + text + after


def no_accents(text: str, lang: str) -> str:
    """Accents and tildes dropped, as on a phone without a Spanish keyboard."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def all_caps(text: str, lang: str) -> str:
    """Shouted in capitals."""
    return text.upper()


def emoji_inside(text: str, lang: str) -> str:
    """An emoji after every second word and one inside the longest word."""
    words = text.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    words[longest] = word[: len(word) // 2] + "😢" + word[len(word) // 2 :]
    return " ".join(w + (" " + _EMOJI[i % len(_EMOJI)] if i % 2 == 1 else "") for i, w in enumerate(words))


DISGUISES: dict[str, Callable[[str, str], str]] = {
    "bidi override (U+202E)": bidi_override,
    "bidi isolates (U+2066-2069)": bidi_isolates,
    "zero-width characters": zero_width,
    "tag characters (U+E0000-E007F)": tag_characters,
    "homoglyphs": homoglyphs,
    "leetspeak": leetspeak,
    "spacing": spacing,
    "line breaks": line_breaks,
    "stretched letters": stretched,
    "mixed English/Spanish": mixed_language,
    "no accents": no_accents,
    "all caps": all_caps,
    "emoji in the middle": emoji_inside,
}
