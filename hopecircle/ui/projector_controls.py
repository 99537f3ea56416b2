"""The console's control of what the projector shows: the room, a blank screen, or the big join QR."""

from __future__ import annotations

import streamlit as st

from hopecircle import story_screens
from hopecircle.domain import Account, Phase, Screen, SessionInfo, WorkshopError
from hopecircle.i18n import t
from hopecircle.services import library, sessions
from hopecircle.ui.widgets import show_error
from hopecircle.ui.wiring import context

ERROR_KEY = "projector-controls-error"
_ICONS = {
    Screen.ROOM: ":material/co_present:",
    Screen.BLANK: ":material/hide_image:",
    Screen.JOIN: ":material/qr_code_2:",
}


def screen_controls(account: Account, session: SessionInfo) -> None:
    """Blank / Big QR / Back to the room, with what the projector shows now (and where the story is)."""
    error = st.session_state.pop(ERROR_KEY, None)
    if error is not None:
        show_error(error)
    shown = session.projected
    st.caption(t("projector.showing", what=t(f"projector.screen_{shown.value}")))
    if session.phase is Phase.STORY:
        where = _story_place(session)
        if where:
            st.caption(where)
    with st.container(horizontal=True):
        for screen in (Screen.BLANK, Screen.JOIN, Screen.ROOM):
            st.button(
                t(f"projector.to_{screen.value}"),
                key=f"projector-screen-{screen.value}",
                icon=_ICONS[screen],
                type="primary" if screen is shown else "secondary",
                disabled=not session.is_open or screen is shown,
                on_click=_set,
                args=(account, session.id, screen),
            )


def _story_place(session: SessionInfo) -> str:
    """Which part and screen of the story the projector is on, when a part takes more than one screen."""
    story = library.story_in(context(), session.story_id, session.language)
    if story is None or session.story_section < 0:
        return ""
    part = min(session.story_section, len(story.sections) - 1)
    screens = len(story_screens.part_screens(story, part))
    if screens < 2:
        return ""
    return t(
        "projector.story_place",
        part=part + 1,
        parts=len(story.sections),
        screen=session.story_screen + 1,
        screens=screens,
    )


def _set(account: Account, session_id: int, screen: Screen) -> None:
    try:
        sessions.set_screen(context(), account, session_id, screen)
    except WorkshopError as error:
        st.session_state[ERROR_KEY] = error
