"""Runtime configuration, read from environment variables with sane defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Where data and content live and how the app is reached."""

    data_dir: Path
    database_url: str
    public_url: str | None
    stories_dir: Path
    guides_dir: Path


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from HOPECIRCLE_* environment variables."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("HOPECIRCLE_DATA_DIR", ROOT / "data")).resolve()
    database_url = env.get("HOPECIRCLE_DATABASE_URL") or f"sqlite:///{data_dir / 'hopecircle.db'}"
    public_url = (env.get("HOPECIRCLE_PUBLIC_URL") or "").strip().rstrip("/") or None
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        public_url=public_url,
        stories_dir=Path(env.get("HOPECIRCLE_STORIES_DIR", ROOT / "stories")),
        guides_dir=Path(env.get("HOPECIRCLE_GUIDES_DIR", ROOT / "facilitator_guides")),
    )
