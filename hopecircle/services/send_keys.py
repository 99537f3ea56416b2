"""The key a send is stored under, unique per phone: the same key is the same send.

- A key the phone made itself (its outbox's random key for one send, `phone_key`) starts with
  "p": the same key is the same send, however often and wherever it arrives (another process,
  after a restart), even with its words changed while it waited.
- Once the person edits that row from "what I've shared", its key starts with "e"
  (`edited_key`): a late retry of the original send still finds the row and leaves the newer
  words alone.
- Without a key of the phone's (a Streamlit form), the key is made from the words themselves
  (`words_key`, all hex): the same words sent twice (a double tap, a retry) are stored once.
"""

from __future__ import annotations

import hashlib

from hopecircle.domain import Kind, clean_text

PHONE_KEY_MARK = "p"
EDITED_KEY_MARK = "e"


def words_key(kind: Kind, *parts: str | None) -> str:
    """The key of words sent without a key of the phone's."""
    text = "\x1f".join(clean_text(part or "") for part in parts)
    return hashlib.sha1(f"{kind.value}\x1f{text}".encode()).hexdigest()


def phone_key(kind: Kind, key: str) -> str:
    """The stored key of a send the phone named itself."""
    return PHONE_KEY_MARK + hashlib.sha1(f"phone\x1f{kind.value}\x1f{key}".encode()).hexdigest()[1:]


def edited_key(key: str) -> str:
    """A phone-keyed row's key once the person has edited it."""
    return EDITED_KEY_MARK + key[1:]


def send_key(kind: Kind, phone_made: str | None, *parts: str | None) -> str:
    return phone_key(kind, phone_made) if phone_made else words_key(kind, *parts)
