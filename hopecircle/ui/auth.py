"""Sign-in for facilitators and admins; first-run creation of the first account."""

from __future__ import annotations

import streamlit as st

from hopecircle.domain import Account, WorkshopError
from hopecircle.i18n import t
from hopecircle.services import accounts
from hopecircle.ui.widgets import show_error
from hopecircle.ui.wiring import context

ACCOUNT_KEY = "account"


def signed_in() -> Account | None:
    """The account signed in in this browser tab, if any."""
    return st.session_state.get(ACCOUNT_KEY)


def require_account(*, admin: bool = False) -> Account:
    """Return the signed-in account, or show the sign-in (or first-run) form and stop the page."""
    account = signed_in()
    if account is not None:
        if admin and not account.is_admin:
            st.error(t("error.not_authorized"))
            st.stop()
        return account
    if accounts.needs_setup(context()):
        _first_account_form()
    else:
        _sign_in_form()
    st.stop()


def _sign_in_form() -> None:
    st.title(t("auth.sign_in_title"))
    st.caption(t("auth.sign_in_hint"))
    with st.form("sign-in"):
        username = st.text_input(t("auth.username"), autocomplete="username")
        password = st.text_input(t("auth.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("auth.sign_in"), type="primary")
    if submitted:
        try:
            st.session_state[ACCOUNT_KEY] = accounts.authenticate(context(), username, password)
        except WorkshopError as error:
            show_error(error)
            return
        st.rerun()


def _first_account_form() -> None:
    st.title(t("auth.setup_title"))
    st.write(t("auth.setup_intro"))
    with st.form("first-account"):
        code = st.text_input(t("auth.setup_code"), help=t("auth.setup_code_help"))
        display_name = st.text_input(t("auth.display_name"))
        username = st.text_input(t("auth.username"), autocomplete="username")
        password = st.text_input(t("auth.new_password"), type="password", autocomplete="new-password")
        repeat = st.text_input(t("auth.repeat_password"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(t("auth.create_account"), type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error(t("error.passwords_differ"))
        return
    try:
        st.session_state[ACCOUNT_KEY] = accounts.create_first_account(context(), code, username, display_name, password)
    except WorkshopError as error:
        show_error(error)
        return
    st.rerun()


def sign_out_button() -> None:
    """A sign-out control for the sidebar."""
    account = signed_in()
    if account is None:
        return
    st.sidebar.caption(t("auth.signed_in_as", name=account.display_name))
    if st.sidebar.button(t("auth.sign_out"), icon=":material/logout:"):
        st.session_state.pop(ACCOUNT_KEY, None)
        st.rerun()
