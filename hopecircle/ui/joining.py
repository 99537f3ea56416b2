"""Joining a room from the phone, after consent."""

from __future__ import annotations

import streamlit as st

from hopecircle.domain import WorkshopError
from hopecircle.services import participation
from hopecircle.ui.phone import CODE_PARAM, TOKEN_PARAM
from hopecircle.ui.widgets import show_error
from hopecircle.ui.wiring import context


def consent_and_join(code: str, language: str) -> None:
    """The consent button's callback: join, and put the phone's place in its address.

    Done in the callback, the same script run then draws the room instead of a second run.
    """
    st.session_state.pop("join-error", None)
    try:
        joined = participation.join(context(), code, language)
    except WorkshopError as error:
        st.session_state["join-error"] = error
        return
    st.query_params[CODE_PARAM] = joined.view.session.code
    st.query_params[TOKEN_PARAM] = joined.token


def join_feedback(*, show: bool = True) -> None:
    """Why joining did not work (the session closed meanwhile...); `show=False` only forgets it.

    When the code itself no longer finds an open session, the page says so instead, and a reason
    kept from the tap must not turn up later under another code.
    """
    error = st.session_state.pop("join-error", None)
    if error is not None and show:
        show_error(error)
