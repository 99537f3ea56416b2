"""What every use case needs: the store, the content libraries, a clock, randomness and the shared cache."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hopecircle.config import Settings
from hopecircle.content import GuideLibrary, StoryLibrary, load_guides, load_stories
from hopecircle.domain import new_join_code
from hopecircle.live.cache import ExpiringCache
from hopecircle.store import Store, open_store


def utc_now() -> datetime:
    """The current time in UTC, without tzinfo (how the store keeps times)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Randomness:
    """Every random value the product makes; tests swap in a predictable one."""

    def token(self) -> str:
        """An anonymous participant token: 144 random bits, URL-safe."""
        return secrets.token_urlsafe(18)

    def board_key(self) -> str:
        """The secret part of a projector board's URL."""
        return secrets.token_urlsafe(24)

    def join_code(self) -> str:
        return new_join_code()

    def shuffle_key(self) -> int:
        """A random position on the board, so cards never show in arrival order."""
        return secrets.randbelow(2**31)


def token_hash(token: str) -> str:
    """What the store keeps of a participant token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class Context:
    store: Store
    stories: StoryLibrary
    guides: GuideLibrary
    clock: Callable[[], datetime] = utc_now
    random: Randomness = field(default_factory=Randomness)
    # Reads shared by everyone asking for a moment: live state, room views, settings, authored stories.
    cache: ExpiringCache = field(default_factory=ExpiringCache)


def build_context(settings: Settings) -> Context:
    """Open (and upgrade) the database and read the content folders: one per process."""
    return Context(
        store=open_store(settings.database_url),
        stories=load_stories(settings.stories_dir),
        guides=load_guides(settings.guides_dir),
    )
