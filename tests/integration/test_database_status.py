"""What the preflight says about a database, on SQLite and PostgreSQL, without changing it."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text

from hopecircle.store.engine import make_engine
from hopecircle.store.status import database_status, head_revision
from tests import databases


def _set_revision(database_url: str, revision: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :revision"), {"revision": revision})
    engine.dispose()


def test_a_migrated_database_is_reachable_and_up_to_date(database_url):
    status = database_status(database_url)
    assert status.reachable and status.up_to_date and status.known
    assert status.revision == status.head == head_revision()


def test_a_database_behind_this_code_and_one_ahead_of_it_are_told_apart(database_url):
    _set_revision(database_url, "0004")
    behind = database_status(database_url)
    assert behind.reachable and behind.known and not behind.up_to_date and behind.revision == "0004"

    _set_revision(database_url, "0099")
    ahead = database_status(database_url)
    assert ahead.reachable and not ahead.known and ahead.revision == "0099"


def test_an_empty_postgres_database_has_no_revision_yet(postgres):
    status = database_status(postgres.empty_database())
    assert status.reachable and status.revision is None and not status.up_to_date


def test_an_unreachable_server_and_a_malformed_url_say_why():
    refused = database_status("postgresql://hopecircle:secret@127.0.0.1:1/hopecircle")
    assert not refused.reachable and refused.exists and "refused" in refused.error.lower()
    assert "secret" not in refused.error
    malformed = database_status("not a database url")
    assert not malformed.reachable and malformed.error


def test_a_missing_sqlite_file_is_not_created(tmp_path):
    path = tmp_path / "data" / "hopecircle.db"
    status = database_status(f"sqlite:///{path}")
    assert not status.exists and status.path == str(path)
    assert not path.parent.exists()


def test_a_file_that_is_not_a_database_is_unreachable(tmp_path):
    path = tmp_path / "hopecircle.db"
    path.write_text("not sqlite " * 200)
    status = database_status(f"sqlite:///{path}")
    assert status.exists and not status.reachable and status.error


def test_the_sqlite_check_writes_nothing_and_leaves_its_wal_files_to_the_databases_owner(
    tmp_path, sqlite_template_file
):
    url = databases.sqlite_copy(sqlite_template_file, tmp_path)
    path = Path(url.removeprefix("sqlite:///"))
    if os.geteuid() == 0:  # run as root, as a venue's IT person may: the database is the app's user's
        os.chown(path, 65534, 65534)
    before = (path.read_bytes(), path.stat().st_mtime_ns)

    assert database_status(url).up_to_date

    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    owner = path.stat().st_uid
    sidecars = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    assert all(sidecar.stat().st_uid == owner for sidecar in sidecars if sidecar.exists())
    # And the app, reading and writing as before, still can.
    engine = create_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    engine.dispose()
