"""The store: every SQL statement the product runs lives in this package.

Services open a unit of work with `store.read()` or `store.write()` and call the
query objects hanging off it (`tx.sessions`, `tx.contributions`, ...).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from hopecircle.store.accounts import AccountQueries, SettingQueries, SignInFailureQueries, SignInQueries
from hopecircle.store.carry import CarryQueries
from hopecircle.store.contributions import ContributionQueries, PulseQueries
from hopecircle.store.engine import make_engine, migrate
from hopecircle.store.hosts import HostQueries
from hopecircle.store.reports import ReportQueries
from hopecircle.store.safety import RetentionQueries, SupportQueries
from hopecircle.store.sessions import ParticipantQueries, SessionQueries
from hopecircle.store.stories import AuthoredStoryQueries

__all__ = ["Store", "Tx", "open_store"]


class Tx:
    """One unit of work: a connection and the queries bound to it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.accounts = AccountQueries(connection)
        self.sign_ins = SignInQueries(connection)
        self.failures = SignInFailureQueries(connection)
        self.settings = SettingQueries(connection)
        self.sessions = SessionQueries(connection)
        self.participants = ParticipantQueries(connection)
        self.contributions = ContributionQueries(connection)
        self.pulses = PulseQueries(connection)
        self.reports = ReportQueries(connection)
        self.support = SupportQueries(connection)
        self.retention = RetentionQueries(connection)
        self.authored = AuthoredStoryQueries(connection)
        self.hosts = HostQueries(connection)
        self.carry = CarryQueries(connection)


class FifoLock:
    """A lock that goes to waiting threads in the order they asked for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._queue: deque[threading.Lock] = deque()
        self._held = False

    def __enter__(self) -> FifoLock:
        with self._guard:
            if not self._held:
                self._held = True
                return self
            turn = threading.Lock()
            turn.acquire()
            self._queue.append(turn)
        turn.acquire()  # released by the holder before us, which hands the lock straight over
        return self

    def __exit__(self, *_exc: object) -> None:
        with self._guard:
            if self._queue:
                self._queue.popleft().release()
            else:
                self._held = False


class Store:
    """Hands out units of work on one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(hopecircle_write=True)
        # SQLite has one writer at a time; queueing this process's writers here is cheaper
        # than letting them spin on the busy timeout. First come, first served: with a plain
        # Lock, writers woken under load lost the race to newcomers (they must win the GIL back
        # first) and a few phones waited a minute for their words to be saved.
        self._write_lock = FifoLock() if engine.dialect.name == "sqlite" else None

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read-only unit of work on one consistent snapshot."""
        with self.engine.connect() as connection:
            yield Tx(connection)
            connection.rollback()

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """A unit of work that commits when the block ends without an error."""
        if self._write_lock is None:
            with self._write_engine.begin() as connection:
                yield Tx(connection)
            return
        with self._write_lock, self._write_engine.begin() as connection:
            yield Tx(connection)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def open_store(database_url: str, *, upgrade: bool = True) -> Store:
    """Connect to the database, upgrading its schema to the latest revision first."""
    engine = make_engine(database_url)
    if upgrade:
        migrate(engine)
    return Store(engine)
