"""Editing the room's words live: this session's group agreements and reflection prompts.

One line each. Saved, the phones and the projector follow within seconds; reset goes back to
the guide's agreements or the story's prompts. A refused save keeps what was typed in the box.
"""

from __future__ import annotations

import streamlit as st

from hopecircle.content import Story
from hopecircle.domain import Account, SessionInfo, WorkshopError, edit_mark
from hopecircle.i18n import language_name, t
from hopecircle.services import library, sessions
from hopecircle.ui.console import act
from hopecircle.ui.widgets import show_error
from hopecircle.ui.wiring import context


def live_editor(account: Account, session: SessionInfo, story: Story | None) -> None:
    """The agreements and prompts editor, folded away until the facilitator opens it."""
    if not session.is_open:
        return
    ctx = context()
    with st.expander(t("edit.title"), icon=":material/edit_note:"):
        agreements, prompts = st.tabs([t("edit.agreements_tab"), t("edit.prompts_tab")])
        with agreements:
            default = ctx.guides.agreements(session.language)
            _lines_form(
                account,
                session,
                "agreements",
                session.agreements,
                default,
                sessions.set_agreements,
                t("edit.agreements_default"),
            )
        with prompts:
            projected = library.story_in(ctx, session.story_id, session.language) or story
            default = projected.prompts if projected else ()
            _lines_form(
                account, session, "prompts", session.prompts, default, sessions.set_prompts, t("edit.prompts_default")
            )
            kept = library.languages_keeping_story_prompts(ctx, session)
            if session.prompts and kept:
                st.caption(
                    t(
                        "edit.prompts_languages",
                        session=language_name(session.language),
                        others=", ".join(language_name(code) for code in kept),
                    )
                )


def _lines_form(
    account: Account,
    session: SessionInfo,
    name: str,
    edited: tuple[str, ...] | None,
    default: tuple[str, ...],
    save,  # type: ignore[no-untyped-def]
    default_note: str,
) -> None:
    shown = edited or default
    st.caption(t("edit.edited_note") if edited else default_note)
    # Keyed by what the room shows: when another console saves, this box shows their version.
    form = f"edit-{name}-{session.id}-{edit_mark(edited)}"
    with st.form(form, border=False):
        st.text_area(t(f"edit.{name}_label"), value="\n".join(shown), key=f"{form}-text", height=180)
        saved = st.form_submit_button(t("edit.save"), type="primary", icon=":material/save:")
    if saved:
        typed = st.session_state.get(f"{form}-text") or ""
        try:
            save(context(), account, session.id, typed.splitlines())
        except WorkshopError as error:
            show_error(error)
            return
        st.rerun()
    if edited:
        st.button(
            t("edit.reset"),
            key=f"{form}-reset",
            icon=":material/restart_alt:",
            on_click=act,
            args=(save, account, session.id, None),
        )
