"""Loading and validating stories (`stories/`) and facilitator guides (`facilitator_guides/`).

Both are Markdown files with YAML front matter. A file that breaks a rule is refused with a
message that names the file and the field, so the person who wrote it can fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hopecircle.domain import DIMENSIONS, PHASES, Phase
from hopecircle.i18n import t

SECTION_ROLES: tuple[str, ...] = (
    "where_i_was",
    "turning_point",
    "what_helped",
    "where_i_am_now",
    "message_of_hope",
)
THEMES: frozenset[str] = frozenset(
    [
        "depression",
        "anxiety",
        "alcohol",
        "opioids",
        "moud",
        "stimulants",
        "trauma",
        "ptsd",
        "housing",
        "reentry",
        "employment",
        "parenting",
        "family",
        "grief",
        "young-adult",
        "veteran",
        "older-adult",
        "faith",
        "harm-reduction",
        "twelve-step",
        "non-12-step",
        "peer-support",
        "clinical-care",
        "medication",
        "self-harm-history",
        "suicidal-thoughts-history",
        "loneliness",
        "identity",
        "culture",
        "disability",
        "physical-health",
    ]
)
STORY_LANGUAGES: frozenset[str] = frozenset({"en", "es"})
MIN_STORY_WORDS, MAX_STORY_WORDS = 500, 1200
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)


class ContentError(ValueError):
    """A content file broke a rule; says which file and which field, and why (as a message key)."""

    def __init__(self, source: str, field_name: str, problem_key: str, **params: object) -> None:
        self.source = source
        self.field = field_name
        self.problem_key = f"content.{problem_key}"
        self.params: dict[str, Any] = params  # what the problem's placeholders are filled with
        super().__init__(f"{source}: {field_name}: {self.problem}")

    @property
    def problem(self) -> str:
        """The problem in the reader's language (English in logs)."""
        return t(self.problem_key, **self.params)


@dataclass(frozen=True)
class StorySection:
    role: str
    heading: str
    text: str

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in re.split(r"\n\s*\n", self.text) if p.strip()]


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    storyteller: str
    about_storyteller: str
    language: str
    translation_of: str | None
    composite_note: str
    themes: tuple[str, ...]
    dimensions: tuple[str, ...]
    topic_notes: tuple[str, ...]
    reading_minutes: int
    sections: tuple[StorySection, ...]
    prompts: tuple[str, ...]
    next_step_prompt: str
    source: str = ""

    @property
    def word_count(self) -> int:
        return sum(len(section.text.split()) for section in self.sections)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """Separate YAML front matter from the Markdown body."""
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise ContentError(source, "front matter", "no_front_matter")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise ContentError(source, "front matter", "bad_yaml", error=str(error).splitlines()[0]) from error
    if not isinstance(meta, dict):
        raise ContentError(source, "front matter", "not_mapping")
    return meta, match.group(2)


def _text(meta: dict[str, Any], key: str, source: str, *, required: bool = True) -> str:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ContentError(source, key, "missing")
        return ""
    if not isinstance(value, str | int | float):
        raise ContentError(source, key, "not_text")
    return str(value).strip()


def _text_list(meta: dict[str, Any], key: str, source: str, low: int, high: int) -> tuple[str, ...]:
    value = meta.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ContentError(source, key, "not_list")
    if not low <= len(value) <= high:
        raise ContentError(source, key, "count", low=low, high=high, count=len(value))
    return tuple(item.strip() for item in value)


def parse_story(text: str, source: str, *, expected_id: str | None = None) -> Story:
    """Parse and validate one story; raise ContentError naming the field at fault."""
    meta, body = split_front_matter(text, source)
    story_id = _text(meta, "id", source)
    if not _ID_PATTERN.match(story_id):
        raise ContentError(source, "id", "id_format")
    if expected_id is not None and story_id != expected_id:
        raise ContentError(source, "id", "id_file", expected=expected_id)
    language = _text(meta, "language", source)
    if language not in STORY_LANGUAGES:
        raise ContentError(source, "language", "one_of", options=", ".join(sorted(STORY_LANGUAGES)))
    themes = _text_list(meta, "themes", source, 1, 8)
    unknown = sorted(set(themes) - THEMES)
    if unknown:
        raise ContentError(source, "themes", "unknown_themes", themes=", ".join(unknown))
    dimensions = _text_list(meta, "dimensions", source, 1, 4)
    if set(dimensions) - set(DIMENSIONS):
        raise ContentError(source, "dimensions", "one_of", options=", ".join(DIMENSIONS))
    roles = _text_list(meta, "sections", source, 1, len(SECTION_ROLES))
    if list(roles) != list(SECTION_ROLES):
        raise ContentError(source, "sections", "section_roles", roles=", ".join(SECTION_ROLES))
    minutes = meta.get("reading_minutes")
    if not isinstance(minutes, int) or not 1 <= minutes <= 30:
        raise ContentError(source, "reading_minutes", "minutes")
    translation_of = meta.get("translation_of")
    if translation_of is not None and not (isinstance(translation_of, str) and _ID_PATTERN.match(translation_of)):
        raise ContentError(source, "translation_of", "translation_id")
    sections = _parse_sections(body, roles, source)
    story = Story(
        id=story_id,
        title=_text(meta, "title", source),
        storyteller=_text(meta, "storyteller", source),
        about_storyteller=_text(meta, "about_storyteller", source),
        language=language,
        translation_of=translation_of,
        composite_note=_text(meta, "composite_note", source),
        themes=themes,
        dimensions=dimensions,
        topic_notes=_text_list(meta, "topic_notes", source, 1, 8),
        reading_minutes=minutes,
        sections=sections,
        prompts=_text_list(meta, "prompts", source, 3, 5),
        next_step_prompt=_text(meta, "next_step_prompt", source),
        source=source,
    )
    if not MIN_STORY_WORDS <= story.word_count <= MAX_STORY_WORDS:
        raise ContentError(
            source, "body", "word_count", words=story.word_count, low=MIN_STORY_WORDS, high=MAX_STORY_WORDS
        )
    return story


def _parse_sections(body: str, roles: tuple[str, ...], source: str) -> tuple[StorySection, ...]:
    parts = re.split(r"^## +(.+?)\s*$", body, flags=re.MULTILINE)
    if parts[0].strip():
        raise ContentError(source, "body", "text_before_heading")
    headings, texts = parts[1::2], parts[2::2]
    if len(headings) != len(roles):
        raise ContentError(source, "sections", "heading_count", parts=len(roles), headings=len(headings))
    sections = []
    for role, heading, text in zip(roles, headings, texts, strict=True):
        if not text.strip():
            raise ContentError(source, "body", "empty_section", heading=heading)
        sections.append(StorySection(role=role, heading=heading.strip(), text=text.strip()))
    return tuple(sections)


@dataclass
class StoryLibrary:
    """Every valid story, and a message for each file that was refused."""

    stories: dict[str, Story] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    def get(self, story_id: str) -> Story | None:
        return self.stories.get(story_id)

    def in_language(self, language: str) -> list[Story]:
        return sorted((s for s in self.stories.values() if s.language == language), key=lambda s: s.title)

    def translation(self, story_id: str, language: str) -> Story | None:
        """The version of `story_id` in `language`, if the library has one."""
        story = self.stories.get(story_id)
        if story is None or story.language == language:
            return story
        original = story.translation_of or story.id
        for candidate in self.stories.values():
            if candidate.language == language and (candidate.id == original or candidate.translation_of == original):
                return candidate
        return None


def load_stories(folder: Path) -> StoryLibrary:
    """Load every `*.md` story in `folder`; invalid files are refused and reported, not fatal."""
    library = StoryLibrary()
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            story = parse_story(path.read_text(encoding="utf-8"), path.name, expected_id=path.stem)
        except ContentError as error:
            library.errors.append(error)
            continue
        library.stories[story.id] = story
    for story in list(library.stories.values()):
        if story.translation_of and story.translation_of not in library.stories:
            library.errors.append(
                ContentError(story.source, "translation_of", "no_such_story", story=story.translation_of)
            )
    return library


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    kind: str
    summary: str
    order: int
    body: str
    meta: dict[str, Any]


GUIDE_KINDS: frozenset[str] = frozenset({"phase", "plan", "agreements", "circle", "practice", "safety", "language"})


def parse_guide(text: str, source: str, slug: str) -> Guide:
    """Parse and validate one facilitator guide."""
    meta, body = split_front_matter(text, source)
    kind = _text(meta, "kind", source)
    if kind not in GUIDE_KINDS:
        raise ContentError(source, "kind", "one_of", options=", ".join(sorted(GUIDE_KINDS)))
    order = meta.get("order")
    if not isinstance(order, int):
        raise ContentError(source, "order", "whole_number")
    if kind == "phase":
        phase = meta.get("phase")
        if phase not in {p.value for p in PHASES}:
            raise ContentError(source, "phase", "one_of", options=", ".join(p.value for p in PHASES))
        if not isinstance(meta.get("minutes"), int):
            raise ContentError(source, "minutes", "whole_number")
    if kind == "plan":
        _check_timings(meta, source)
    if not body.strip():
        raise ContentError(source, "body", "missing")
    return Guide(
        slug=slug,
        title=_text(meta, "title", source),
        kind=kind,
        summary=_text(meta, "summary", source),
        order=order,
        body=body.strip(),
        meta=meta,
    )


def _check_timings(meta: dict[str, Any], source: str) -> None:
    timings = meta.get("timings")
    total = meta.get("total_minutes")
    if not isinstance(timings, list) or not isinstance(total, int):
        raise ContentError(source, "timings", "plan_shape")
    phases = [item.get("phase") for item in timings if isinstance(item, dict)]
    if phases != [p.value for p in PHASES]:
        raise ContentError(source, "timings", "plan_phases")
    minutes = [item.get("minutes") for item in timings]
    if not all(isinstance(m, int) and m > 0 for m in minutes) or sum(minutes) != total:
        raise ContentError(source, "timings", "plan_total", total=total)
    _check_weeks(meta.get("weeks"), source)


def _check_weeks(weeks: object, source: str) -> None:
    """A series plan lists its weeks in order (1, 2, ...), each with an optional story id and focus."""
    if weeks is None:
        return
    if not isinstance(weeks, list) or not weeks or not all(isinstance(week, dict) for week in weeks):
        raise ContentError(source, "weeks", "plan_weeks")
    if [week.get("week") for week in weeks] != list(range(1, len(weeks) + 1)):
        raise ContentError(source, "weeks", "plan_weeks")
    for week in weeks:
        story = week.get("story")
        if story is not None and not (isinstance(story, str) and _ID_PATTERN.match(story)):
            raise ContentError(source, "weeks", "plan_weeks")
        if not isinstance(week.get("focus", ""), str):
            raise ContentError(source, "weeks", "plan_weeks")


@dataclass
class GuideLibrary:
    guides: dict[str, Guide] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    def phase_note(self, phase: Phase) -> Guide | None:
        return next((g for g in self.guides.values() if g.kind == "phase" and g.meta["phase"] == phase.value), None)

    def of_kind(self, kind: str) -> list[Guide]:
        return sorted((g for g in self.guides.values() if g.kind == kind), key=lambda g: (g.order, g.title))

    def listing(self) -> list[Guide]:
        return sorted(self.guides.values(), key=lambda g: (g.kind == "phase", g.order, g.title))

    def default_plan(self) -> Guide | None:
        return self.guides.get("plans/session-75")

    def agreements(self, language: str) -> tuple[str, ...]:
        guides = self.of_kind("agreements")
        if not guides:
            return ()
        by_language = guides[0].meta.get("agreements", {})
        return tuple(by_language.get(language) or by_language.get("en") or ())

    def protocol_steps(self) -> tuple[str, ...]:
        guides = self.of_kind("safety")
        return tuple(guides[0].meta.get("protocol_steps", ())) if guides else ()


def load_guides(folder: Path) -> GuideLibrary:
    """Load every guide under `folder` (slug = path without `.md`)."""
    library = GuideLibrary()
    for path in sorted(folder.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        slug = path.relative_to(folder).with_suffix("").as_posix()
        try:
            library.guides[slug] = parse_guide(path.read_text(encoding="utf-8"), slug + ".md", slug)
        except ContentError as error:
            library.errors.append(error)
    return library
