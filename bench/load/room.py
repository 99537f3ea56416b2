"""The room under test, set up and run through the product's own services (no UI, no SQL of ours).

The harness plays the facilitator: it creates the database, an admin account and an open
session, moves the phases, approves contributions when auto-approve is off, and at the end
reads back every contribution to check nothing that was sent went missing.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from hopecircle.config import load_settings
from hopecircle.domain import Account, Phase, Status
from hopecircle.services import accounts, moderation, organization, sessions
from hopecircle.services.context import Context, build_context
from hopecircle.store.schema import contributions, participants, reactions

PASSWORD = "load-harness-password"


@dataclass(frozen=True)
class Room:
    """One session ready for phones: where it lives and how to reach it."""

    database_url: str
    data_dir: str
    session_id: int
    code: str
    board_key: str


@contextmanager
def _environment(data_dir: Path, database_url: str | None):
    saved = {key: os.environ.get(key) for key in ("HOPECIRCLE_DATA_DIR", "HOPECIRCLE_DATABASE_URL")}
    os.environ["HOPECIRCLE_DATA_DIR"] = str(data_dir)
    if database_url:
        os.environ["HOPECIRCLE_DATABASE_URL"] = database_url
    else:
        os.environ.pop("HOPECIRCLE_DATABASE_URL", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class Facilitator:
    """The harness's hands on the room: the same service calls the console makes."""

    def __init__(self, data_dir: Path, database_url: str | None = None) -> None:
        with _environment(data_dir, database_url):
            settings = load_settings()
            self.ctx: Context = build_context(settings)
        self.database_url = settings.database_url
        self.data_dir = str(settings.data_dir)
        # Our own reads must not be served from a cache while we check what the phones did.
        self.ctx.cache.scale = 0
        self.account: Account | None = None

    def open_room(self, *, auto_approve: bool = True) -> Room:
        """An open session, with the board showing cards from the first one; the admin account is made once."""
        if self.account is None:
            code = accounts.setup_code(self.ctx)
            if code is None:
                raise RuntimeError("the database already has accounts; the harness needs a fresh one")
            self.account = accounts.create_first_account(self.ctx, code, "loadtest", "Load test", PASSWORD)
        story = sorted(self.ctx.stories.stories)[0]
        session = sessions.start_session(self.ctx, self.account, story, title="Load test")
        sessions.set_auto_approve(self.ctx, self.account, session.id, auto_approve)
        organization.update_settings(self.ctx, self.account, reveal_threshold=0)
        return Room(self.database_url, self.data_dir, session.id, session.code, session.board_key)

    def set_phase(self, room: Room, phase: str) -> float:
        """Move the room; returns the time the change was committed."""
        assert self.account is not None
        sessions.set_phase(self.ctx, self.account, room.session_id, Phase(phase))
        return time.time()

    def set_story_section(self, room: Room, index: int) -> None:
        """A change every screen in the room sees (the session's version goes up)."""
        assert self.account is not None
        sessions.set_story_section(self.ctx, self.account, room.session_id, index)

    def approve_waiting(self, room: Room) -> list[tuple[str, float]]:
        """Approve everything pending, one by one as a facilitator would; (body, time approved) for each."""
        assert self.account is not None
        approved = []
        for item in moderation.review_queue(self.ctx, self.account, room.session_id):
            if item.contribution.status is not Status.PENDING:
                continue
            moderation.approve(self.ctx, self.account, item.contribution.id)
            approved.append((item.contribution.body, time.time()))
        return approved

    def tally(self, room: Room) -> dict[str, object]:
        """What the database holds for the room: every contribution's text, status and stored key, and counts."""
        with self.ctx.store.read() as tx:
            rows = tx.connection.execute(
                select(contributions.c.body, contributions.c.status, contributions.c.client_key).where(
                    contributions.c.session_id == room.session_id
                )
            ).all()
            joined = tx.connection.execute(
                select(func.count()).select_from(participants).where(participants.c.session_id == room.session_id)
            ).scalar_one()
            me_too = tx.connection.execute(select(func.count()).select_from(reactions)).scalar_one()
        return {
            "bodies": [(body, status) for body, status, _key in rows],
            "client_keys": [key for _body, _status, key in rows],
            "participants": joined,
            "reactions": me_too,
        }

    def close(self) -> None:
        self.ctx.store.dispose()
