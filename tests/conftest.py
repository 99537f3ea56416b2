"""Shared fixtures: a real database per test, the shipped content, a clock that tests can move."""

from __future__ import annotations

import os
import random
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.domain import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, Account
from hopecircle.services import accounts
from hopecircle.services.context import Context, Randomness
from hopecircle.store import open_store
from tests import databases

PASSWORD = "correct horse battery"


class FakeClock:
    """A clock that only moves when a test says so."""

    def __init__(self, start: datetime = datetime(2026, 11, 24, 18, 0, 5)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class SeededRandomness(Randomness):
    """Predictable ids for tests (the real one uses `secrets`)."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)

    def token(self) -> str:
        return "t" + "".join(self.rng.choice("abcdefghijkmnopqrstuvwxyz23456789") for _ in range(23))

    def board_key(self) -> str:
        return "b" + "".join(self.rng.choice("abcdefghijkmnopqrstuvwxyz23456789") for _ in range(31))

    def join_code(self) -> str:
        return "".join(self.rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))

    def shuffle_key(self) -> int:
        return self.rng.randrange(2**31)


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    """Real argon2, with light parameters: production cost is measured once, not in every test."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def stories():
    return load_stories(ROOT / "stories")


@pytest.fixture(scope="session")
def guides():
    return load_guides(ROOT / "facilitator_guides")


@pytest.fixture(scope="session")
def sqlite_template_file(tmp_path_factory) -> Path:
    return databases.sqlite_template(tmp_path_factory.mktemp("template"))


class _HealthyToAll(BaseHTTPRequestHandler):
    """Another test's server: 200 to every request, health checks included."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def taken_port(monkeypatch):
    """A port another server holds, handed out first by the next `free_port()`: as when a test
    running alongside binds the port between the probe and the server's own bind."""
    from bench.load import servers

    occupant = ThreadingHTTPServer(("127.0.0.1", 0), _HealthyToAll)
    threading.Thread(target=occupant.serve_forever, daemon=True).start()
    picks = [occupant.server_port]
    probe = servers.free_port
    monkeypatch.setattr(servers, "free_port", lambda: picks.pop() if picks else probe())
    yield occupant.server_port
    occupant.shutdown()
    occupant.server_close()


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server; skipped with the reason where none is installed (CI has one)."""
    try:
        server = databases.TestPostgres()
    except Exception as error:
        if os.environ.get("HOPECIRCLE_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"PostgreSQL tests not run: {error}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path, sqlite_template_file: Path) -> str:
    """Every store and service test runs on both databases the product supports."""
    if request.param == "sqlite":
        return databases.sqlite_copy(sqlite_template_file, tmp_path)
    return request.getfixturevalue("postgres").fresh_database()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ctx(database_url, stories, guides, clock) -> Context:
    store = open_store(database_url)
    context = Context(store=store, stories=stories, guides=guides, clock=clock, random=SeededRandomness())
    context.cache.scale = 0
    yield context
    store.dispose()


@pytest.fixture
def admin(ctx: Context) -> Account:
    """The first account, made through the real first-run path."""
    code = accounts.setup_code(ctx)
    assert code is not None
    return accounts.create_first_account(ctx, code, "ada", "Ada Admin", PASSWORD)


@pytest.fixture
def facilitator(ctx: Context, admin: Account) -> Account:
    return accounts.create_account(ctx, admin, "fran", "Fran Facilitator", PASSWORD)


@pytest.fixture
def phone_board(ctx: Context):
    """The cards a phone's Board screen shows for a token: the page's own call, on the session it resolves to."""
    from hopecircle.services import board, participation

    def read(token: str, limit: int | None = None) -> board.PublicCards:
        return board.public_cards(ctx, participation.resume(ctx, token).session, limit)

    return read
