"""Schema migrations: the models match the migrations, and upgrading keeps every row."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from hopecircle.store.engine import current_revision, make_engine, migrate
from hopecircle.store.schema import metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("postgres").empty_database()


def test_the_migrations_build_exactly_the_tables_the_code_declares(empty_url):
    engine = make_engine(empty_url)
    migrate(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_from_the_first_schema_keeps_every_row(empty_url):
    engine = make_engine(empty_url)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    created = datetime(2026, 3, 1, 18, 0)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (id, username, display_name, password_hash, role, active, created_on) "
                "VALUES (1, 'ada', 'Ada', 'x', 'admin', true, :day)"
            ),
            {"day": date(2026, 1, 1)},
        )
        connection.execute(
            text(
                "INSERT INTO sessions (id, code, board_key, title, program, story_id, language, facilitator_id, "
                "status, phase, phase_started_at, story_section, auto_approve, notes, version, created_at) "
                "VALUES (1, 'K7M4QX', 'board', 'Old circle', 'Eastside', 'steady-hands', 'en', 1, 'closed', "
                "'close', :t, 2, false, 'kept notes', 9, :t)"
            ),
            {"t": created},
        )
        connection.execute(
            text(
                "INSERT INTO participants (id, session_id, token_hash, language, joined_minute) VALUES (1, 1, 'h', 'es', :t)"
            ),
            {"t": created},
        )
        connection.execute(
            text(
                "INSERT INTO contributions (id, session_id, participant_id, kind, body, status, flags, shareable, phase, "
                "created_minute, client_key, shuffle_key, me_too) VALUES "
                "(1, 1, 1, 'reflection', 'Esperanza 🌱', 'approved', '', true, 'reflect', :t, 'k', 42, 3)"
            ),
            {"t": created},
        )
        connection.execute(
            text("INSERT INTO pulses (id, session_id, participant_id, moment, value) VALUES (1, 1, 1, 'pre', 4)")
        )
    migrate(engine)
    assert current_revision(engine) == _head()
    with engine.connect() as connection:
        session = connection.execute(text("SELECT * FROM sessions")).mappings().one()
        contribution = connection.execute(text("SELECT * FROM contributions")).mappings().one()
        pulse = connection.execute(text("SELECT value FROM pulses")).scalar_one()
        participant_language = connection.execute(text("SELECT language FROM participants")).scalar_one()
    engine.dispose()
    assert (session["title"], session["notes"], session["version"], session["story_section"]) == (
        "Old circle",
        "kept notes",
        9,
        2,
    )
    assert bool(session["show_join"]) is True and session["resources_push"] == 0 and session["purged_at"] is None
    assert session["story_screen"] == 0
    assert (session["screen"], session["prompts"], session["plan_id"], session["changed_by"]) == (
        "room",
        None,
        None,
        None,
    )
    assert contribution["moderated_by"] is None
    assert bool(session["projector_timer"]) is False
    assert (contribution["body"], contribution["me_too"], bool(contribution["shareable"])) == ("Esperanza 🌱", 3, True)
    assert (pulse, participant_language) == (4, "es")


def test_migrating_twice_is_harmless(empty_url):
    engine = make_engine(empty_url)
    migrate(engine)
    migrate(engine)
    assert current_revision(engine) == _head()
    engine.dispose()


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from hopecircle.store.engine import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()
