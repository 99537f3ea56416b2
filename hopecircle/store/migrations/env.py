"""Alembic environment: run migrations on the connection the app hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from hopecircle.store.schema import metadata

config = context.config


def run_migrations() -> None:
    """Run migrations online, on the app's connection or on the URL given to the alembic CLI."""
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("alembic needs sqlalchemy.url, or a connection from the app")
        engine = create_engine(url)
        with engine.connect() as fresh:
            _run(fresh)
            fresh.commit()
        return
    _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
