"""Whether a database can be reached and is at the schema this code expects, without changing it.

The preflight asks this (`hopecircle/preflight.py`); app processes upgrade the schema as they
start (`engine.migrate`), so a database behind this code means no process of it has started.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from hopecircle.store.engine import MIGRATIONS_DIR

CONNECT_SECONDS = 5


@dataclass(frozen=True)
class DatabaseStatus:
    """What the preflight says about the database: reached or not, and its schema revision."""

    reachable: bool
    exists: bool = True
    revision: str | None = None
    head: str | None = None
    known: bool = True  # the revision is one of this code's migrations
    error: str = ""
    path: str | None = None  # the SQLite file, when it is one

    @property
    def up_to_date(self) -> bool:
        return self.reachable and self.revision is not None and self.revision == self.head


def head_revision() -> str | None:
    """The schema revision this code's migrations end at."""
    return _scripts().get_current_head()


def database_status(database_url: str) -> DatabaseStatus:
    """Reach the database at `database_url` once and read its schema revision; create nothing."""
    head = head_revision()
    try:
        url = make_url(database_url)
    except ArgumentError as error:
        return DatabaseStatus(reachable=False, head=head, error=str(error))
    path = None
    connect_args: dict[str, object] = {}
    if url.get_backend_name() == "sqlite":
        path = url.database
        if not path or path == ":memory:" or not Path(path).is_file():
            return DatabaseStatus(reachable=False, exists=False, head=head, path=path)
        # Read-only: the check must never write the app's database.
        url = url.set(database=f"file:{path}?mode=ro", query={"uri": "true"})
        sidecars = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
        missing = [sidecar for sidecar in sidecars if not sidecar.exists()]
    else:
        connect_args["connect_timeout"] = CONNECT_SECONDS
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(url, connect_args=connect_args)
    except (SQLAlchemyError, ImportError, ValueError) as error:
        return DatabaseStatus(reachable=False, head=head, error=_first_line(error), path=path)
    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        return DatabaseStatus(reachable=False, head=head, error=_first_line(error), path=path)
    finally:
        engine.dispose()
        if path is not None:
            _give_back(missing, Path(path))
    return DatabaseStatus(reachable=True, revision=revision, head=head, known=_known(revision), path=path)


def _give_back(created: list[Path], database: Path) -> None:
    """Hand WAL files this check made to the database's owner.

    Even read-only, SQLite may create a WAL database's -wal and -shm files while none exist (the
    app is stopped). Run as root, the check would leave them root's, and the app's own user could
    no longer write its database.
    """
    owner = database.stat()
    for sidecar in created:
        try:
            if sidecar.exists() and sidecar.stat().st_uid != owner.st_uid:
                os.chown(sidecar, owner.st_uid, owner.st_gid)
        except OSError:
            continue


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def _known(revision: str | None) -> bool:
    if revision is None:
        return True
    try:
        return _scripts().get_revision(revision) is not None
    except CommandError:
        return False


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
