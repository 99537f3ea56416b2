"""Text normalization before screening: undo the tricks that hide words from a keyword list.

Handles: Unicode compatibility forms (full-width, ligatures), zero-width and soft-hyphen
characters, Cyrillic/Greek letters that look Latin, accents (so Spanish matches with or without
them), leetspeak inside words, letters spelled out with spaces or dots ("k i l l"), letters
stretched for emphasis ("diiiie"), and masking asterisks ("s*icide"), resolved against the
screener's own vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\ufeff",
    )
)

_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "с": "c", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k", "м": "m",
        "н": "h", "о": "o", "р": "p", "ѕ": "s", "т": "t", "у": "y", "х": "x", "ԁ": "d", "ӏ": "l",
        "ԛ": "q", "ԝ": "w", "ь": "b",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    }
)  # fmt: skip

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"}
)
_LEET_WORD = re.compile(r"[a-z0-9@$!|]*[a-z][a-z0-9@$!|]*")
_SPELLED_OUT = re.compile(r"(?<![a-z])(?:[a-z][ .\-_·•]){2,}[a-z](?![a-z])")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_MASKED_WORD = re.compile(r"[a-z]*[*#_]+[a-z*#_]*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def fold(text: str) -> str:
    """Lower case, compatibility forms, no accents, no invisible characters, Latin look-alikes."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold().translate(_HOMOGLYPHS)
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text.translate(_APOSTROPHES)


def _unleet(match: re.Match[str]) -> str:
    word = match.group(0)
    # Digits alone are numbers ("988", "2019"); only words that mix in letters are leetspeak.
    return word.translate(_LEET) if any(ch.isalpha() for ch in word) else word


def _join_spelled(match: re.Match[str]) -> str:
    letters = re.sub(r"[ .\-_·•]", "", match.group(0))
    # "voy a m a t a r m e": the leading "a" is a word of its own, not the first spelled letter.
    if len(letters) > 4 and letters[0] in "ayoeui":
        return letters[0] + " " + letters[1:]
    return letters


def normalize(text: str, vocabulary: Iterable[str] = ()) -> str:
    """The text as the screener reads it (see the module docstring for each step)."""
    text = fold(text)
    text = _LEET_WORD.sub(_unleet, text)
    text = _SPELLED_OUT.sub(_join_spelled, text)
    text = _STRETCHED.sub(r"\1", text)
    words = tuple(vocabulary)
    if words:
        text = _MASKED_WORD.sub(lambda m: _unmask(m.group(0), words), text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _unmask(token: str, vocabulary: tuple[str, ...]) -> str:
    letters = sum(ch.isalpha() for ch in token)
    if letters < 2:
        return token
    pattern = re.compile("^" + "".join("[a-z]{1,2}" if ch in "*#_" else re.escape(ch) for ch in token) + "$")
    for word in vocabulary:
        if pattern.match(word):
            return word
    return token
