"""The tests' PostgreSQL starts on a fresh port when another server bound its first one."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from tests import databases


def test_postgres_starts_on_a_fresh_port_when_another_server_took_the_first(taken_port):
    if databases.postgres_binaries() is None and not os.environ.get("HOPECIRCLE_REQUIRE_POSTGRES"):
        pytest.skip("PostgreSQL is not installed")
    server = databases.TestPostgres()
    try:
        assert "Address already in use" in (server.root / f"postgres-{taken_port}.log").read_text()
        assert server.port != taken_port
        engine = create_engine(server.admin_url)
        with engine.connect() as connection:
            assert connection.execute(text("SHOW port")).scalar() == str(server.port)
        engine.dispose()
    finally:
        server.stop()
