"""The one translation function, `t`, and the catalogs it reads.

Catalogs are flat JSON files in `hopecircle/locales/<lang>.json`; English is the reference.
A second language is one more catalog file: copy `en.json`, translate the values, done.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"


def _language_resolver() -> str | None:
    return None


@cache
def catalog(lang: str) -> dict[str, str]:
    """The catalog for `lang`, loaded once per process."""
    path = LOCALES_DIR / f"{lang}.json"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {key: value for key, value in data.items() if not key.startswith("_")}


@cache
def available_languages() -> tuple[str, ...]:
    """Language codes that have a catalog, English first."""
    codes = sorted(p.stem for p in LOCALES_DIR.glob("*.json"))
    return tuple(sorted(codes, key=lambda code: code != DEFAULT_LANGUAGE))


def set_language_resolver(resolver: Callable[[], str | None]) -> None:
    """Let the UI layer say which language the current person reads."""
    global _language_resolver
    _language_resolver = resolver


def current_language() -> str:
    """The language of the person being served now, or the default."""
    lang = _language_resolver()
    return lang if lang in available_languages() else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **params: object) -> str:
    """Translate `key` into `lang` (or the current person's language), filling in `params`.

    With `count=1`, a catalog's `<key>.one` is used when it has one ("1 thing still needs an
    answer"); every other count reads `<key>` ("3 things still need an answer").
    """
    lang = lang or current_language()
    texts = catalog(lang)
    text = texts.get(f"{key}.one") if params.get("count") == 1 else None
    text = text or texts.get(key) or catalog(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"No English text for message key {key!r}")
    return text.format_map(params) if params else text


def language_name(lang: str) -> str:
    """The language's own name for itself, as its catalog spells it."""
    return catalog(lang).get("language.name", lang)
