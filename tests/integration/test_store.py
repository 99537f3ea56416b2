"""The store's promises: SQLite in WAL mode with a busy timeout, and writers that never collide."""

from __future__ import annotations

import threading

from sqlalchemy import text

from hopecircle.services import participation, room, sessions
from hopecircle.services.context import token_hash
from hopecircle.store.engine import SQLITE_BUSY_TIMEOUT_MS


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path):
    from hopecircle.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'hopecircle.db'}")
    with store.read() as tx:
        assert tx.connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert tx.connection.execute(text("PRAGMA busy_timeout")).scalar_one() == SQLITE_BUSY_TIMEOUT_MS
        assert tx.connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    store.dispose()


def test_the_data_folder_is_created_on_first_start(tmp_path):
    from hopecircle.store import open_store

    target = tmp_path / "new" / "folder" / "hopecircle.db"
    store = open_store(f"sqlite:///{target}")
    assert target.exists()
    store.dispose()


def test_many_phones_writing_at_once_lose_nothing(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    tokens = [participation.join(ctx, session.code).token for _ in range(16)]
    errors: list[BaseException] = []

    def phone(token: str) -> None:
        try:
            for n in range(5):
                participation.submit_reflection(ctx, token, f"thought {n}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=phone, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with ctx.store.read() as tx:
        assert tx.connection.execute(text("SELECT count(*) FROM contributions")).scalar_one() == 80
    assert room.live_state(ctx, session.id).version >= 80


def test_settings_by_prefix_come_in_one_read_and_take_the_prefix_literally(ctx):
    with ctx.store.write() as tx:
        tx.settings.put("org.reveal_threshold", "3")
        tx.settings.put("org.retention_days", "30")
        tx.settings.put("orgXretention_days", "1")  # "." must not match any character
        tx.settings.put("setup.code", "abc")
    with ctx.store.read() as tx:
        assert tx.settings.with_prefix("org.") == {"org.reveal_threshold": "3", "org.retention_days": "30"}
        assert tx.settings.with_prefix("o_g") == {}


def test_a_token_finds_its_participant_and_session_in_one_read(ctx, facilitator):
    earlier = sessions.start_session(ctx, facilitator, "steady-hands")
    participation.join(ctx, earlier.code)  # so participant and session ids differ below
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    participation.join(ctx, session.code)
    joined = participation.join(ctx, session.code, language="es")
    with ctx.store.read() as tx:
        participant_id, language, found = tx.participants.with_session(token_hash(joined.token))
        assert tx.participants.with_session(token_hash("not-a-token")) is None
    assert participant_id == joined.view.participant_id == 3 and language == "es"
    assert found == sessions.get_session(ctx, facilitator, session.id) and found.id == 2
