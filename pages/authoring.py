"""Write your own story: part by part, with the sharing checklist, a language check and a projector preview."""

import streamlit as st

from hopecircle.domain import WorkshopError
from hopecircle.i18n import t
from hopecircle.services import library
from hopecircle.ui import authoring
from hopecircle.ui.auth import require_account
from hopecircle.ui.widgets import show_error, use_styles
from hopecircle.ui.wiring import context

use_styles("console", "projector")
account = require_account()
ctx = context()

st.title(t("authoring.page_title"))
st.caption(t("authoring.intro"))
drafts = library.my_drafts(ctx, account)
choices = {"": t("authoring.new_story")} | {
    d.story_id: f"{d.title} ({t('authoring.ready' if d.valid else 'authoring.draft')})" for d in drafts
}
pending = st.session_state.pop("draft-pending-pick", None)
if pending in choices:
    st.session_state["draft-picker"] = pending
chosen = st.selectbox(t("authoring.open"), list(choices), format_func=choices.get, key="draft-picker")
if chosen != st.session_state.get("draft-loaded"):
    try:
        authoring.load_into_form(library.open_draft(ctx, account, chosen) if chosen else library.StoryDraft())
    except WorkshopError as error:
        show_error(error)
    st.session_state["draft-loaded"] = chosen

version_error = st.session_state.pop("draft-version-error", None)
if version_error is not None:
    show_error(version_error)

left, right = st.columns([3, 2], gap="large")
with left:
    original = authoring.version_note(authoring.draft_from_form())
    check, save = authoring.form()
with right:
    if original is not None:
        authoring.original_to_work_from(original)
    authoring.checklist()

draft = authoring.draft_from_form()
if check or save:
    with right:
        authoring.language_advice(draft)
    if save:
        try:
            story_id, result = library.save_draft(ctx, account, draft)
        except WorkshopError as error:
            show_error(error)
            st.stop()
        draft.story_id = st.session_state["draft-id"] = story_id
        # Next run, the picker shows the saved story, so the form is not reset to a blank one.
        st.session_state["draft-loaded"] = st.session_state["draft-pending-pick"] = story_id
        st.success(t("authoring.saved_ready" if result.story else "authoring.saved_draft"))
    else:
        result = library.check_draft(draft)
    authoring.problems(result.problems)
    if result.story is not None:
        authoring.preview(result.story)

if draft.story_id:
    try:
        name, markdown = library.export_story(ctx, account, draft.story_id)
        st.download_button(
            t("authoring.export"),
            markdown.encode("utf-8"),
            file_name=name,
            mime="text/markdown",
            icon=":material/download:",
        )
    except WorkshopError as error:
        show_error(error)
    authoring.versions(account, draft.story_id)
