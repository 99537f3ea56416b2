"""Pieces of the story-authoring screen: the form, the sharing checklist, the language check, the preview."""

from __future__ import annotations

import streamlit as st

from hopecircle.content import SECTION_ROLES, THEMES, ContentError, Story
from hopecircle.domain import DIMENSIONS, Account, WorkshopError
from hopecircle.i18n import available_languages, language_name, t
from hopecircle.language_check import Finding, check_language, terms_from
from hopecircle.services import library
from hopecircle.services.library import StoryDraft
from hopecircle.ui import projector
from hopecircle.ui.widgets import escaped
from hopecircle.ui.wiring import context

PREFIX = "draft-"
FIELDS = ("title", "storyteller", "about_storyteller", "story_note", "next_step_prompt")


def load_into_form(draft: StoryDraft) -> None:
    """Put a saved draft's values into the form's widgets."""
    state = st.session_state
    for name in FIELDS:
        state[PREFIX + name] = getattr(draft, name)
    state[PREFIX + "language"] = draft.language
    state[PREFIX + "themes"] = list(draft.themes)
    state[PREFIX + "dimensions"] = list(draft.dimensions)
    state[PREFIX + "topic_notes"] = "\n".join(draft.topic_notes)
    state[PREFIX + "prompts"] = "\n".join(draft.prompts)
    for role in SECTION_ROLES:
        state[PREFIX + role] = draft.sections.get(role, "")
    state[PREFIX + "id"] = draft.story_id
    state[PREFIX + "translation_of"] = draft.translation_of


def draft_from_form() -> StoryDraft:
    state = st.session_state
    return StoryDraft(
        title=state.get(PREFIX + "title", ""),
        storyteller=state.get(PREFIX + "storyteller", ""),
        about_storyteller=state.get(PREFIX + "about_storyteller", ""),
        language=state.get(PREFIX + "language") or "en",
        story_note=state.get(PREFIX + "story_note", ""),
        themes=list(state.get(PREFIX + "themes") or []),
        dimensions=list(state.get(PREFIX + "dimensions") or []),
        topic_notes=(state.get(PREFIX + "topic_notes") or "").splitlines(),
        sections={role: state.get(PREFIX + role, "") for role in SECTION_ROLES},
        prompts=(state.get(PREFIX + "prompts") or "").splitlines(),
        next_step_prompt=state.get(PREFIX + "next_step_prompt", ""),
        story_id=state.get(PREFIX + "id"),
        translation_of=state.get(PREFIX + "translation_of"),
    )


def form() -> tuple[bool, bool]:
    """The story, part by part. Returns (check pressed, save pressed)."""
    with st.form("story-draft", border=False):
        st.text_input(t("authoring.title"), key=PREFIX + "title", max_chars=120)
        st.text_input(
            t("authoring.storyteller"), key=PREFIX + "storyteller", max_chars=60, help=t("authoring.storyteller_help")
        )
        st.text_input(t("authoring.about"), key=PREFIX + "about_storyteller", max_chars=120)
        st.segmented_control(
            t("authoring.language"), available_languages(), format_func=language_name, key=PREFIX + "language"
        )
        st.text_input(
            t("authoring.story_note"), key=PREFIX + "story_note", max_chars=240, help=t("authoring.story_note_help")
        )
        for role in SECTION_ROLES:
            st.text_area(
                t(f"authoring.heading.{role}"), key=PREFIX + role, height=180, help=t(f"authoring.guide.{role}")
            )
            st.caption(t(f"authoring.guide.{role}"))
        st.text_area(t("authoring.topic_notes"), key=PREFIX + "topic_notes", help=t("authoring.topic_notes_help"))
        st.multiselect(t("authoring.themes"), sorted(THEMES), key=PREFIX + "themes")
        st.multiselect(
            t("authoring.dimensions"), DIMENSIONS, format_func=lambda d: t(f"dimension.{d}"), key=PREFIX + "dimensions"
        )
        st.text_area(t("authoring.prompts"), key=PREFIX + "prompts", help=t("authoring.prompts_help"))
        st.text_input(t("authoring.next_step_prompt"), key=PREFIX + "next_step_prompt", max_chars=200)
        with st.container(horizontal=True):
            check = st.form_submit_button(t("authoring.check"), icon=":material/preview:")
            save = st.form_submit_button(t("authoring.save"), type="primary", icon=":material/save:")
    return check, save


def version_note(draft: StoryDraft) -> Story | None:
    """Above the form of a version in another language: which story it is a version of. Returns that story."""
    if not draft.translation_of:
        return None
    original = library.get_story(context(), draft.translation_of)
    if original is None:
        return None
    language = language_name(draft.language)
    st.info(t("authoring.version_of", language=language, title=original.title), icon=":material/translate:")
    return original


def original_to_work_from(original: Story) -> None:
    """The story a version is written from, folded away beside the form."""
    with st.expander(t("authoring.original", title=original.title)):
        for index in range(-1, len(original.sections)):
            with st.container(key=f"original-{index + 1}", border=True):
                projector.story(original, index)


def versions(account: Account, story_id: str) -> None:
    """The languages a ready story is told in, and a button to write each missing version."""
    ctx = context()
    told_in = library.story_languages(ctx, story_id)
    if not told_in:
        return
    st.caption(t("authoring.versions", languages=" · ".join(language_name(code) for code in told_in)))
    for language in library.languages_to_write(ctx, account, story_id):
        st.button(
            t("authoring.write_version", language=language_name(language)),
            key=f"write-version-{language}",
            icon=":material/translate:",
            on_click=_start_version,
            args=(account, story_id, language),
        )


def _start_version(account: Account, story_id: str, language: str) -> None:
    """Open a blank version of the story in the form (saved only when the author saves it)."""
    try:
        draft = library.new_version(context(), account, story_id, language)
    except WorkshopError as error:
        st.session_state["draft-version-error"] = error
        return
    load_into_form(draft)
    st.session_state["draft-picker"] = ""
    st.session_state["draft-loaded"] = ""


def checklist() -> None:
    """The red / yellow / green checklist from the purposeful-sharing guide, beside the form."""
    guides = context().guides.of_kind("practice")
    lists = guides[0].meta.get("checklist", {}) if guides else {}
    st.subheader(t("authoring.checklist"))
    for colour, icon in (("green", "🟢"), ("yellow", "🟡"), ("red", "🔴")):
        items = lists.get(colour, [])
        if items:
            rows = "".join(f"<li>{escaped(item)}</li>" for item in items)
            st.html(f"<div><strong>{icon} {escaped(t('authoring.checklist_' + colour))}</strong><ul>{rows}</ul></div>")


def problems(found: tuple[ContentError, ...]) -> None:
    """Each problem named by the field it is in, in words a facilitator can act on."""
    for problem in found:
        label = t(f"authoring.field.{problem.field}") if problem.field in _FIELD_NAMES else problem.field
        st.error(t("authoring.problem", field=label, problem=problem.problem))


_FIELD_NAMES = {
    "title", "storyteller", "next_step_prompt", "prompts", "topic_notes", "themes", "dimensions", "body",
    "sections", "about_storyteller", "composite_note", *SECTION_ROLES,
}  # fmt: skip


def language_advice(draft: StoryDraft) -> list[Finding]:
    """Stigmatizing terms, method-like detail and full names in the draft, with alternatives (advice only)."""
    text = "\n".join([draft.title, *draft.sections.values(), *draft.prompts, draft.next_step_prompt])
    findings = check_language(text, terms_from(context().guides), storyteller=draft.storyteller)
    st.subheader(t("authoring.language_check"))
    if not findings:
        st.caption(t("authoring.language_clear"))
    for finding in findings:
        if finding.kind == "term":
            advice = t("authoring.term_advice", term=finding.text, use="; ".join(finding.suggestions), why=finding.why)
        elif finding.kind == "name":
            advice = t("authoring.name_advice", text=finding.text)
        else:
            advice = t("authoring.method_advice", text=finding.text, why=finding.why)
        st.html(f'<div class="hc-finding">{escaped(advice)}</div>')
    return findings


def preview(story: Story) -> None:
    """The story exactly as the projector shows it: topic notes first, then each part."""
    st.subheader(t("authoring.preview"))
    for index in range(-1, len(story.sections)):
        with st.container(key=f"preview-{index + 1}", border=True):
            projector.story(story, index)
