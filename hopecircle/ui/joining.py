"""Joining a room from the phone, after consent."""

from __future__ import annotations

import streamlit as st

from hopecircle.domain import UnknownParticipant, WorkshopError, normalize_join_code
from hopecircle.services import participation
from hopecircle.ui.phone import CODE_PARAM, TOKEN_PARAM
from hopecircle.ui.widgets import show_error
from hopecircle.ui.wiring import context

JOINED_KEY = "joined"  # this tab's place in each room it joined: code -> token


def consent_and_join(code: str, language: str) -> None:
    """The consent button's callback: join, and put the phone's place in its address.

    Done in the callback, the same script run then draws the room instead of a second run.
    A second tap that reaches the server before the first one's page (a double tap, a slow
    network) finds this tab already in the room and keeps its place: one phone, one participant.
    """
    st.session_state.pop("join-error", None)
    places: dict[str, str] = st.session_state.setdefault(JOINED_KEY, {})
    token = places.get(normalize_join_code(code))
    if token is not None:
        try:
            participation.resume(context(), token)
        except UnknownParticipant:
            token = None  # that place is gone (the session ended and was cleared): join afresh
    if token is None:
        try:
            joined = participation.join(context(), code, language)
        except WorkshopError as error:
            st.session_state["join-error"] = error
            return
        token = places[joined.view.session.code] = joined.token
    st.query_params[CODE_PARAM] = normalize_join_code(code)
    st.query_params[TOKEN_PARAM] = token


def join_feedback(*, show: bool = True) -> None:
    """Why joining did not work (the session closed meanwhile...); `show=False` only forgets it.

    When the code itself no longer finds an open session, the page says so instead, and a reason
    kept from the tap must not turn up later under another code.
    """
    error = st.session_state.pop("join-error", None)
    if error is not None and show:
        show_error(error)
