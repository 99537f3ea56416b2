"""Queries on stories facilitators wrote in the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from hopecircle.store.schema import authored_stories


@dataclass(frozen=True)
class AuthoredRecord:
    story_id: str
    author_id: int
    title: str
    language: str
    markdown: str
    valid: bool
    updated_at: datetime
    translation_of: str | None = None


def _record(row) -> AuthoredRecord:  # type: ignore[no-untyped-def]
    return AuthoredRecord(
        row.story_id,
        row.author_id,
        row.title,
        row.language,
        row.markdown,
        bool(row.valid),
        row.updated_at,
        row.translation_of,
    )


class AuthoredStoryQueries:
    def __init__(self, connection: Connection) -> None:
        self.c = connection

    def get(self, story_id: str) -> AuthoredRecord | None:
        row = self.c.execute(select(authored_stories).where(authored_stories.c.story_id == story_id)).first()
        return _record(row) if row else None

    def taken(self, story_id: str) -> bool:
        return self.get(story_id) is not None

    def save(self, record: AuthoredRecord) -> None:
        values = {
            "title": record.title[:120],
            "language": record.language,
            "translation_of": record.translation_of,
            "markdown": record.markdown,
            "valid": record.valid,
            "updated_at": record.updated_at,
        }
        changed = self.c.execute(
            update(authored_stories).where(authored_stories.c.story_id == record.story_id).values(**values)
        ).rowcount
        if not changed:
            self.c.execute(
                insert(authored_stories).values(story_id=record.story_id, author_id=record.author_id, **values)
            )

    def by_author(self, author_id: int | None) -> list[AuthoredRecord]:
        """An author's stories, newest first; None means every author's."""
        query = select(authored_stories).order_by(authored_stories.c.updated_at.desc())
        if author_id is not None:
            query = query.where(authored_stories.c.author_id == author_id)
        return [_record(row) for row in self.c.execute(query)]

    def versions_of(self, original: str) -> list[AuthoredRecord]:
        """The stories written as another language's version of `original`."""
        query = select(authored_stories).where(authored_stories.c.translation_of == original)
        return [_record(row) for row in self.c.execute(query.order_by(authored_stories.c.story_id))]

    def delete(self, story_id: str) -> None:
        self.c.execute(authored_stories.delete().where(authored_stories.c.story_id == story_id))
