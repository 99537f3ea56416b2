"""Crisis and support lines, from an editable data file with a last-verified date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import quote

import yaml

DATA_FILE = Path(__file__).parent / "data" / "crisis_resources.yaml"


@dataclass(frozen=True)
class CrisisLine:
    id: str
    name: str
    detail: str
    call: str | None
    text: str | None
    text_body: str
    short: str = ""

    @property
    def call_shown(self) -> str:
        """The number to call as people read it: 1-800-662-4357, 555-201-7788, 988."""
        return shown_number(self.call or "")

    @property
    def call_url(self) -> str | None:
        return f"tel:{self.call}" if self.call else None

    @property
    def text_url(self) -> str | None:
        if not self.text:
            return None
        return f"sms:{self.text}" + (f"?&body={quote(self.text_body)}" if self.text_body else "")


def shown_number(number: str) -> str:
    """A North American number grouped for reading; short codes and other numbers as stored."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1") and digits == number:
        return f"1-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    if len(digits) == 10 and digits == number:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return number


@dataclass(frozen=True)
class CrisisDirectory:
    last_verified: date
    region: str
    lines: tuple[CrisisLine, ...]


def _pick(value: object, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("en") or "")
    return "" if value is None else str(value)


@cache
def _raw() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def crisis_lines(language: str, extra: tuple[dict, ...] = ()) -> CrisisDirectory:  # type: ignore[type-arg]
    """The lines in `language` (English where a translation is missing), then any local `extra` lines."""
    data = _raw()
    lines = [
        CrisisLine(
            id=str(entry["id"]),
            name=_pick(entry["name"], language),
            detail=_pick(entry.get("detail"), language),
            call=str(entry["call"]) if entry.get("call") else None,
            text=str(entry["text"]) if entry.get("text") else None,
            text_body=_pick(entry.get("text_body"), language),
            short=_pick(entry.get("short"), language),
        )
        for entry in [*data["resources"], *extra]
    ]
    return CrisisDirectory(last_verified=data["last_verified"], region=data["region"], lines=tuple(lines))
