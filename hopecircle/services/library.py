"""The story library: the shipped files in stories/ plus the stories facilitators write in the app."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

import yaml

from hopecircle.content import SECTION_ROLES, ContentError, Story, parse_story, split_front_matter
from hopecircle.domain import Account, NotAuthorized, SessionInfo, StoryVersionTaken, UnknownStory
from hopecircle.i18n import available_languages, t
from hopecircle.services.authz import require_active
from hopecircle.services.context import Context
from hopecircle.store.stories import AuthoredRecord

AUTHORED_PREFIX = "own-"
WORDS_PER_MINUTE = 130
# A story written in the app is read by every phone's room screen: shared per process for this long.
AUTHORED_STORY_SECONDS = 30.0


@dataclass
class StoryDraft:
    """What the authoring form holds; turned into the same Markdown a story file has."""

    title: str = ""
    storyteller: str = ""
    about_storyteller: str = ""
    language: str = "en"
    story_note: str = ""
    themes: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    topic_notes: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)
    prompts: list[str] = field(default_factory=list)
    next_step_prompt: str = ""
    story_id: str | None = None
    # The story this draft is another language's version of (a story written in the app).
    translation_of: str | None = None


@dataclass(frozen=True)
class DraftCheck:
    """The draft as a story (when it is valid) and every field-level problem found."""

    markdown: str
    story: Story | None
    problems: tuple[ContentError, ...]


def get_story(ctx: Context, story_id: str) -> Story | None:
    """A story from the files, or a valid story a facilitator wrote (cached briefly)."""
    story = ctx.stories.get(story_id)
    if story is not None or not story_id.startswith(AUTHORED_PREFIX):
        return story

    def read() -> Story | None:
        with ctx.store.read() as tx:
            record = tx.authored.get(story_id)
        return _parse(record) if record is not None and record.valid else None

    return ctx.cache.get(("authored-story", story_id), AUTHORED_STORY_SECONDS, read)


def story_languages(ctx: Context, story_id: str) -> tuple[str, ...]:
    """The languages the story is told in (its own, and each version the library has)."""
    story = get_story(ctx, story_id)
    if story is None:
        return ()
    return tuple(language for language in available_languages() if _version(ctx, story, language) is not None)


def story_in(ctx: Context, story_id: str, language: str) -> Story | None:
    """The story in `language` when it has a version in that language, else the story itself."""
    story = get_story(ctx, story_id)
    if story is None:
        return None
    return _version(ctx, story, language) or story


def _version(ctx: Context, story: Story, language: str) -> Story | None:
    """`story`'s version in `language`: a file's translation, or a version written in the app."""
    if story.language == language:
        return story
    if not story.id.startswith(AUTHORED_PREFIX):
        return ctx.stories.translation(story.id, language)
    original = story.translation_of or story.id

    def read() -> str | None:
        with ctx.store.read() as tx:
            records = [tx.authored.get(original), *tx.authored.versions_of(original)]
        found = [r.story_id for r in records if r is not None and r.valid and r.language == language]
        return found[0] if found else None

    found = ctx.cache.get(("authored-version", original, language), AUTHORED_STORY_SECONDS, read)
    return get_story(ctx, found) if found else None


def languages_to_write(ctx: Context, by: Account, story_id: str) -> list[str]:
    """The languages a ready story written in the app has no version in yet, finished or not."""
    story = get_story(ctx, story_id)
    if story is None or not story_id.startswith(AUTHORED_PREFIX) or not may_use(ctx, by, story_id):
        return []
    original = story.translation_of or story.id
    with ctx.store.read() as tx:
        records = [tx.authored.get(original), *tx.authored.versions_of(original)]
    taken = {record.language for record in records if record is not None}
    return [language for language in available_languages() if language not in taken]


def new_version(ctx: Context, by: Account, story_id: str, language: str) -> StoryDraft:
    """A blank draft of `story_id`'s version in `language`: same storyteller, themes and dimensions."""
    story = get_story(ctx, story_id)
    if story is None or not may_use(ctx, by, story_id):
        raise UnknownStory()
    if language not in languages_to_write(ctx, by, story_id):
        raise StoryVersionTaken()
    return StoryDraft(
        storyteller=story.storyteller,
        language=language,
        themes=list(story.themes),
        dimensions=list(story.dimensions),
        translation_of=story.translation_of or story.id,
    )


def session_title(ctx: Context, session: SessionInfo, language: str) -> str:
    """The session's name for a reader of `language`.

    A session the facilitator did not name is named after its story's title; a phone in another
    language reads the title of the story's version in that language. A name typed by the
    facilitator is theirs, shown as typed.
    """
    story = get_story(ctx, session.story_id)
    if story is None or session.title != story.title:
        return session.title
    version = story_in(ctx, session.story_id, language)
    return version.title if version is not None else session.title


def session_story(ctx: Context, session: SessionInfo, language: str) -> Story | None:
    """The story as this session tells it on a screen in `language`: with the session's own
    reflection prompts when the facilitator edited them and the screen reads the version of the
    story the projector shows (the prompts were typed in the session's language). A phone in
    another language, with the story translated into it, keeps the story's prompts in its own.
    """
    story = story_in(ctx, session.story_id, language)
    if story is None or not session.prompts:
        return story
    if language != session.language:
        projected = story_in(ctx, session.story_id, session.language)
        if projected is None or projected.id != story.id:
            return story
    return replace(story, prompts=session.prompts)


def languages_keeping_story_prompts(ctx: Context, session: SessionInfo) -> list[str]:
    """The phone languages that show the story's own prompts even when the session's are edited."""
    projected = story_in(ctx, session.story_id, session.language)
    kept = []
    for language in available_languages():
        version = story_in(ctx, session.story_id, language)
        if language != session.language and version is not None and (projected is None or version.id != projected.id):
            kept.append(language)
    return kept


def may_use(ctx: Context, by: Account, story_id: str) -> bool:
    """Library stories are everyone's; a story written in the app is its author's (and admins')."""
    if not story_id.startswith(AUTHORED_PREFIX) or by.is_admin:
        return True
    with ctx.store.read() as tx:
        record = tx.authored.get(story_id)
    return record is not None and record.author_id == by.id


def stories_for(ctx: Context, by: Account) -> list[Story]:
    """What `by` can pick for a session: the library, then their own valid stories."""
    own = []
    with ctx.store.read() as tx:
        require_active(tx, by)
        records = tx.authored.by_author(None if by.is_admin else by.id)
    for record in records:
        story = _parse(record) if record.valid else None
        if story is not None:
            own.append(story)
    library = sorted(ctx.stories.stories.values(), key=lambda s: (s.language, s.title))
    return own + library


def _parse(record: AuthoredRecord) -> Story | None:
    try:
        return parse_story(record.markdown, record.story_id, expected_id=record.story_id)
    except ContentError:
        return None


def compose(draft: StoryDraft, story_id: str) -> str:
    """The draft as story-file Markdown: YAML front matter, then one '## ' part per section."""
    sections = [role for role in SECTION_ROLES if draft.sections.get(role, "").strip()]
    words = sum(len(draft.sections.get(role, "").split()) for role in SECTION_ROLES)
    meta = {
        "id": story_id,
        "title": draft.title.strip(),
        "storyteller": draft.storyteller.strip(),
        "about_storyteller": draft.about_storyteller.strip() or t("authoring.default_about", lang=draft.language),
        "language": draft.language,
        "translation_of": draft.translation_of,
        "composite_note": draft.story_note.strip() or t("authoring.default_note", lang=draft.language),
        "themes": list(draft.themes),
        "dimensions": list(draft.dimensions),
        "topic_notes": [note.strip() for note in draft.topic_notes if note.strip()],
        "reading_minutes": max(1, min(30, round(words / WORDS_PER_MINUTE))),
        "sections": list(SECTION_ROLES) if len(sections) == len(SECTION_ROLES) else sections,
        "prompts": [prompt.strip() for prompt in draft.prompts if prompt.strip()],
        "next_step_prompt": draft.next_step_prompt.strip(),
    }
    body = []
    for role in sections:
        heading = (draft.headings.get(role) or t(f"authoring.heading.{role}", lang=draft.language)).strip()
        body.append(f"## {heading}\n\n{_plain(draft.sections[role])}\n")
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n" + "\n".join(body)


def _plain(text: str) -> str:
    """Section text as paragraphs; a line starting with '#' would become a heading, so it is indented."""
    lines = [re.sub(r"^\s*#", " #", line) for line in text.strip().replace("\r\n", "\n").split("\n")]
    return "\n".join(lines)


def check_draft(draft: StoryDraft, story_id: str = "own-draft") -> DraftCheck:
    """Every problem a facilitator can fix in the form, then the loader's own checks."""
    problems: list[ContentError] = []
    for field_name, value in (
        ("title", draft.title),
        ("storyteller", draft.storyteller),
        ("next_step_prompt", draft.next_step_prompt),
    ):
        if not value.strip():
            problems.append(ContentError("draft", field_name, "missing"))
    for role in SECTION_ROLES:
        if not draft.sections.get(role, "").strip():
            problems.append(ContentError("draft", role, "missing"))
    prompts = [p for p in draft.prompts if p.strip()]
    if not 3 <= len(prompts) <= 5:
        problems.append(ContentError("draft", "prompts", "count", low=3, high=5, count=len(prompts)))
    if not any(note.strip() for note in draft.topic_notes):
        problems.append(ContentError("draft", "topic_notes", "count", low=1, high=8, count=0))
    if not draft.themes:
        problems.append(ContentError("draft", "themes", "count", low=1, high=8, count=0))
    if not draft.dimensions:
        problems.append(ContentError("draft", "dimensions", "count", low=1, high=4, count=0))
    markdown = compose(draft, story_id)
    story = None
    if not problems:
        try:
            story = parse_story(markdown, story_id, expected_id=story_id)
        except ContentError as error:
            problems.append(error)
    return DraftCheck(markdown, story, tuple(problems))


def save_draft(ctx: Context, by: Account, draft: StoryDraft) -> tuple[str, DraftCheck]:
    """Save the draft (valid or not) under the author's account; only valid stories can be picked."""
    story_id = draft.story_id or _new_id(ctx, draft.title)
    with ctx.store.read() as tx:
        require_active(tx, by)
        existing = tx.authored.get(story_id)
    if existing is not None and existing.author_id != by.id and not by.is_admin:
        raise NotAuthorized()
    if draft.translation_of:
        _check_version(ctx, by, draft, story_id)
    result = check_draft(draft, story_id)
    with ctx.store.write() as tx:
        tx.authored.save(
            AuthoredRecord(
                story_id=story_id,
                author_id=existing.author_id if existing else by.id,
                title=draft.title.strip() or t("authoring.untitled"),
                language=draft.language,
                markdown=result.markdown,
                valid=result.story is not None,
                updated_at=ctx.clock(),
                translation_of=draft.translation_of,
            )
        )
    ctx.cache.forget(("authored-story", story_id))
    original = draft.translation_of or story_id
    for language in available_languages():
        ctx.cache.forget(("authored-version", original, language))
    return story_id, result


def _check_version(ctx: Context, by: Account, draft: StoryDraft, story_id: str) -> None:
    """A version is of a story the author may use, in a language that story has no other version in."""
    assert draft.translation_of is not None
    with ctx.store.read() as tx:
        original = tx.authored.get(draft.translation_of)
        others = tx.authored.versions_of(draft.translation_of)
    if original is None or not may_use(ctx, by, original.story_id):
        raise UnknownStory()
    taken = {original.language} | {r.language for r in others if r.story_id != story_id}
    if draft.language in taken:
        raise StoryVersionTaken(language=draft.language)


def my_drafts(ctx: Context, by: Account) -> list[AuthoredRecord]:
    """The stories `by` wrote (all of them, for an admin), newest first."""
    with ctx.store.read() as tx:
        require_active(tx, by)
        return tx.authored.by_author(None if by.is_admin else by.id)


def open_draft(ctx: Context, by: Account, story_id: str) -> StoryDraft:
    """Load a saved story back into the form's fields."""
    with ctx.store.read() as tx:
        require_active(tx, by)
        record = tx.authored.get(story_id)
    if record is None:
        raise UnknownStory()
    if record.author_id != by.id and not by.is_admin:
        raise NotAuthorized()
    meta, body = split_front_matter(record.markdown, story_id)
    parts = re.split(r"^## +(.+?)\s*$", body, flags=re.MULTILINE)
    headings, texts = parts[1::2], parts[2::2]
    roles = meta.get("sections") or []
    return StoryDraft(
        title=meta.get("title", ""),
        storyteller=meta.get("storyteller", ""),
        about_storyteller=meta.get("about_storyteller", ""),
        language=meta.get("language", "en"),
        story_note=meta.get("composite_note", ""),
        themes=list(meta.get("themes", [])),
        dimensions=list(meta.get("dimensions", [])),
        topic_notes=list(meta.get("topic_notes", [])),
        sections={role: text.strip() for role, text in zip(roles, texts, strict=False)},
        headings={role: heading for role, heading in zip(roles, headings, strict=False)},
        prompts=list(meta.get("prompts", [])),
        next_step_prompt=meta.get("next_step_prompt", ""),
        story_id=story_id,
        translation_of=meta.get("translation_of"),
    )


def export_story(ctx: Context, by: Account, story_id: str) -> tuple[str, str]:
    """(file name, Markdown) of a saved story, in exactly the format of a file in stories/."""
    with ctx.store.read() as tx:
        require_active(tx, by)
        record = tx.authored.get(story_id)
    if record is None:
        raise UnknownStory()
    if record.author_id != by.id and not by.is_admin:
        raise NotAuthorized()
    return f"{story_id}.md", record.markdown


def _new_id(ctx: Context, title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")[:40] or "story"
    with ctx.store.read() as tx:
        while True:
            story_id = f"{AUTHORED_PREFIX}{slug}-{ctx.random.join_code().lower()[:4]}"
            if not tx.authored.taken(story_id):
                return story_id
