"""Real databases for tests: a migrated SQLite template copied per test, and a throwaway PostgreSQL.

PostgreSQL runs from Debian's binaries in a temporary folder on a free loopback port (a fresh
one if another process binds it first), as the `postgres` user when the tests run as root
(PostgreSQL refuses to run as root). Each test gets its own database, cloned from a migrated
template, so tests never see each other's rows.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.load.servers import PortTaken, on_free_port, port_taken
from hopecircle.store.engine import make_engine, migrate


def sqlite_template(folder: Path) -> Path:
    """An SQLite file at the latest schema, made once per test run."""
    path = folder / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


def sqlite_copy(template: Path, folder: Path) -> str:
    target = folder / "hopecircle.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(found[-1]).parent if found else None


class TestPostgres:
    """A private PostgreSQL server for one test run."""

    __test__ = False

    def __init__(self) -> None:
        binaries = postgres_binaries()
        if binaries is None:
            raise RuntimeError("PostgreSQL is not installed (scripts/test.sh installs Debian's postgresql)")
        self.bin = binaries
        self.root = Path(tempfile.mkdtemp(prefix="hopecircle-pg-"))
        self.data = self.root / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self.port = on_free_port(self._start)
        self.admin_url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._counter = itertools.count()
        self._template = self._make_template()

    def _start(self, port: int) -> int:
        log = self.root / f"postgres-{port}.log"
        options = f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        try:
            # -w waits on this data folder's own postmaster, never on whatever answers the port.
            self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(log), "-w", "start")
        except subprocess.CalledProcessError as error:
            if port_taken(log):
                raise PortTaken(f"PostgreSQL: another process bound port {port} first") from error
            raise
        return port

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / program), *args], check=True, capture_output=True, cwd=self.root)

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def _make_template(self) -> str:
        name = "hopecircle_template"
        self._admin(f"CREATE DATABASE {name}")
        engine = make_engine(self.url(name))
        migrate(engine)
        engine.dispose()
        return name

    def _admin(self, statement: str) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(statement))
        engine.dispose()

    def fresh_database(self) -> str:
        """A new database at the latest schema; returns its URL."""
        name = f"hopecircle_test_{next(self._counter)}_{int(time.time() * 1000) % 100000}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {self._template}")
        return self.url(name)

    def empty_database(self) -> str:
        """A new database with no tables at all (for migration tests)."""
        name = f"hopecircle_empty_{next(self._counter)}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
