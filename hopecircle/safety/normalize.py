"""Text normalization before screening: undo the tricks that hide words from a keyword list.

Handles: every invisible format character (zero-width joiners and spaces, soft hyphens,
bidirectional embeddings, overrides and isolates, tag characters, variation selectors), line
breaks between words, emoji and pictographs dropped in mid-sentence, Unicode compatibility forms
(full-width, ligatures, mathematical letters), Cyrillic/Greek/small-capital letters that look
Latin, accents (so Spanish matches with or without them), capitals, leetspeak inside words,
letters spelled out with spaces or dots ("k i l l"), letters stretched for emphasis ("diiiie",
"killll"), and masking asterisks ("s*icide"), resolved against the screener's own vocabulary.

A right-to-left override (U+202E) makes a phone or projector *display* its text reversed, so a
sentence typed backwards reads forwards on screen: `display_order` gives the text as it is seen,
and the screener reads both orders.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_RLO, _LRO, _RLE, _LRE, _PDF = "\u202e", "\u202d", "\u202b", "\u202a", "\u202c"
_RLI, _LRI, _FSI, _PDI = "\u2067", "\u2066", "\u2068", "\u2069"
_LINE_BREAKS = re.compile(r"[\r\n\u0085\u000b\u000c\u2028\u2029]+")
# Categories dropped outright: format characters (zero-width, bidi, tags, soft hyphen), symbols
# such as emoji, and unassigned or private-use code points; variation selectors are marks (Mn).
_DROPPED_CATEGORIES = frozenset({"Cf", "So", "Sk", "Co", "Cn", "Cs"})
_INVISIBLE_EXTRA = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")

_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "с": "c", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k", "м": "m",
        "н": "h", "о": "o", "р": "p", "ѕ": "s", "т": "t", "у": "y", "х": "x", "ԁ": "d", "ӏ": "l",
        "ԛ": "q", "ԝ": "w", "ь": "b", "ё": "e", "ї": "i", "г": "r", "п": "n", "и": "u", "л": "n",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "μ": "u", "σ": "o", "ς": "s",
        # Armenian, Cherokee-like and Latin look-alikes
        "օ": "o", "ս": "u", "ց": "g", "ı": "i", "ȷ": "j", "ɡ": "g", "ɑ": "a", "ʟ": "l", "ɪ": "i",
        # Latin small capitals
        "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ᴊ": "j",
        "ᴋ": "k", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
        "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    }
)  # fmt: skip

_LEET = str.maketrans(
    {
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
        "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e",
    }
)  # fmt: skip
_LEET_WORD = re.compile(r"(?<![\w@$!|+€])[a-z0-9@$!|+€]*[a-z0-9][a-z0-9@$!|+€]*")
_SPELLED_OUT = re.compile(r"(?<![a-z])(?:[a-z][ .\-_·•]){2,}[a-z](?![a-z])")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_MASKED_WORD = re.compile(r"[a-z]*[*#_]+[a-z*#_]*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def display_order(text: str) -> str:
    """The text in the order a screen shows it: each right-to-left override segment reversed.

    An override runs until its pop (U+202C) or the end of the line; Latin letters inside it are
    laid out right to left, so what was typed backwards reads forwards.
    """
    if _RLO not in text:
        return text
    out: list[str] = []
    stack: list[list[str]] = []
    for ch in text:
        if ch == _RLO:
            stack.append([])
        elif ch == _PDF and stack:
            segment = "".join(reversed(stack.pop()))
            (stack[-1] if stack else out).extend(segment)
        elif ch in "\n\u2029" and stack:
            while stack:
                segment = "".join(reversed(stack.pop()))
                (stack[-1] if stack else out).extend(segment)
            out.append(ch)
        else:
            (stack[-1] if stack else out).append(ch)
    while stack:
        segment = "".join(reversed(stack.pop()))
        (stack[-1] if stack else out).extend(segment)
    return "".join(out)


def _visible(ch: str) -> bool:
    return ch not in _INVISIBLE_EXTRA and unicodedata.category(ch) not in _DROPPED_CATEGORIES


def fold(text: str) -> str:
    """Lower case, compatibility forms, no accents, no invisible characters or emoji, Latin look-alikes."""
    text = _LINE_BREAKS.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if _visible(ch)).casefold().translate(_HOMOGLYPHS)
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text.translate(_APOSTROPHES)


def _unleet(match: re.Match[str], known: frozenset[str]) -> str:
    word = match.group(0)
    if any(ch.isalpha() for ch in word):
        return word.translate(_LEET)
    # Digits alone are numbers ("988", "2019") unless they spell a word the lists know ("533" = see).
    spelled = word.translate(_LEET)
    return spelled if spelled.isalpha() and spelled in known else word


def _join_spelled(match: re.Match[str], known: frozenset[str]) -> str:
    letters = re.sub(r"[ .\-_·•]", "", match.group(0))
    # "voy a m a t a r m e": the leading "a" is a word of its own, not the first spelled letter
    # (but "e n o u g h" is one word).
    if len(letters) > 4 and letters[0] in "ayoeui" and letters not in known and (letters[1:] in known or not known):
        return letters[0] + " " + letters[1:]
    return letters


def _unstretch(word: str, known: frozenset[str]) -> str:
    """'killll' -> 'kill', 'diiiie' -> 'die': keep a double letter only where a known word has one."""
    runs = list(_STRETCHED.finditer(word))
    if not runs:
        return word
    single = _STRETCHED.sub(r"\1", word)
    if single in known or len(runs) > 4:
        return single
    for choice in range(1, 2 ** len(runs)):
        parts, last = [], 0
        for i, run in enumerate(runs):
            parts += [word[last : run.start()], run.group(1) * (2 if choice >> i & 1 else 1)]
            last = run.end()
        candidate = "".join([*parts, word[last:]])
        if candidate in known:
            return candidate
    return single


def normalize(text: str, vocabulary: Iterable[str] = ()) -> str:
    """The text as the screener reads it (see the module docstring for each step)."""
    words = tuple(vocabulary)
    known = frozenset(words)
    text = fold(text)
    text = _LEET_WORD.sub(lambda m: _unleet(m, known), text)
    text = _SPELLED_OUT.sub(lambda m: _join_spelled(m, known), text)
    text = re.sub(r"[a-z]+", lambda m: _unstretch(m.group(0), known), text)
    if words:
        text = _MASKED_WORD.sub(lambda m: _unmask(m.group(0), words), text)
    return re.sub(r"\s+", " ", text).strip()


def _unmask(token: str, vocabulary: tuple[str, ...]) -> str:
    letters = sum(ch.isalpha() for ch in token)
    if letters < 2:
        return token
    pattern = re.compile("^" + "".join("[a-z]{1,2}" if ch in "*#_" else re.escape(ch) for ch in token) + "$")
    for word in vocabulary:
        if pattern.match(word):
            return word
    return token
