"""Sign-in for facilitators and admins: the forms, staying signed in on this browser, and sign-out.

A tab's sign-in lives in its `session_state`, which a reload, a new tab or a typed address
starts empty (a new Streamlit session). Served by `serve.py`, the browser keeps the sign-in as
well: the sign-in form makes a one-time ticket (`services/sign_ins.py`), and a tiny component
(`static/staff_session.js`) posts it to `/api/staff/session`, whose answer sets an HttpOnly
cookie. Every page run takes the account from `session_state`, else from that cookie (which
the browser sends when its WebSocket connects, as Streamlit hands it over), checked against the
database. A tab checks its sign-in again at most every `CHECK_SECONDS`, so signing out in
another tab, an admin's deactivation or the sign-in's end reaches every open tab within
seconds, while a console's many runs do not each read the database. Sign-out deletes the
sign-in server-side (the old cookie value signs no one in, in any process) and has the
component ask `/api/staff/sign-out` to clear the browser's cookie.

Started from `workshop_app.py` alone there is no endpoint: a sign-in lasts as long as its tab,
and the sign-in form says so.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import streamlit as st

from hopecircle import process
from hopecircle.domain import Account, WorkshopError
from hopecircle.http.staff import SESSION_PATH, SIGN_OUT_PATH
from hopecircle.i18n import t
from hopecircle.services import accounts, sign_ins
from hopecircle.services.sign_ins import COOKIE_NAME, SIGN_IN_LIFETIME
from hopecircle.ui.navigation import through_the_router
from hopecircle.ui.widgets import show_error, static_component
from hopecircle.ui.wiring import context

ACCOUNT_KEY = "account"
SIGN_IN_KEY = "staff-sign-in"
TICKET_KEY = "staff-ticket"
CLEAR_KEY = "staff-cookie-clear"
REFUSED_KEY = "staff-cookie-refused"
NOTICE_KEY = "staff-notice"
MOUNTED_KEY = "staff-session-mounted"
COMPONENT_KEY = "staff-session"
COMPONENT_NAME = "hopecircle_staff_session"
CHECK_SECONDS = 10.0
HOURS = int(SIGN_IN_LIFETIME.total_seconds() // 3600)
# The component draws nothing; without this its empty row would leave a gap at the top of the page.
_HIDDEN = f"<style>.st-key-{COMPONENT_KEY} {{ display: none; }}</style>"


@dataclass(frozen=True)
class TabSignIn:
    """The sign-in this tab holds (its row in `staff_sign_ins`) and when it was last checked."""

    id: int
    checked: float  # time.monotonic()


def signed_in() -> Account | None:
    """The account signed in in this browser tab (or, served, in this browser), if any."""
    account = st.session_state.get(ACCOUNT_KEY)
    if account is not None:
        return _still_signed_in(account)
    return _from_cookie()


def require_account(*, admin: bool = False) -> Account:
    """Return the signed-in account, or show the sign-in (or first-run) form and stop the page."""
    through_the_router()
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


def sign_out_button(account: Account | None) -> None:
    """Who is signed in, and a sign-out control, in the sidebar."""
    if account is None:
        return
    st.sidebar.caption(t("auth.signed_in_as", name=account.display_name))
    if st.session_state.get(NOTICE_KEY) == "auth.not_kept":
        st.sidebar.caption(t("auth.not_kept"))
    st.sidebar.button(t("auth.sign_out"), icon=":material/logout:", on_click=_sign_out)


def keep_in_browser() -> None:
    """Mount the staff-session component: it sets this browser's cookie after a sign-in, or clears it after a sign-out.

    Only served (no ticket or clearing is ever asked for otherwise). Once a tab has had it, it
    stays mounted there, with nothing to post: if it went away, everything below it would move
    up, and a click or the words being typed at that moment would be lost (the console right
    after signing in). Phones never have it.
    """
    ticket = st.session_state.get(TICKET_KEY)
    clear = st.session_state.get(CLEAR_KEY)
    data: dict[str, str] | None = None
    if ticket is not None:
        sign_in_id, value = ticket
        data = {"id": f"keep-{sign_in_id}", "url": SESSION_PATH, "body": json.dumps({"ticket": value})}
    elif clear is not None:
        data = {"id": f"clear-{clear}", "url": SIGN_OUT_PATH, "body": "{}"}
    elif not st.session_state.get(MOUNTED_KEY):
        return
    st.session_state[MOUNTED_KEY] = True
    st.html(_HIDDEN)
    _component()(data=data, key=COMPONENT_KEY, on_done_change=_done)


def _sign_in_form() -> None:
    st.title(t("auth.sign_in_title"))
    st.caption(t("auth.sign_in_hint"))
    if st.session_state.get(NOTICE_KEY) == "auth.signed_out_elsewhere":
        st.info(t("auth.signed_out_elsewhere", hours=HOURS), icon=":material/logout:")
    with st.form("sign-in"):
        username = st.text_input(t("auth.username"), autocomplete="username")
        password = st.text_input(t("auth.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("auth.sign_in"), type="primary")
    _how_long_hint()
    if submitted:
        try:
            account = accounts.authenticate(context(), username, password)
        except WorkshopError as error:
            show_error(error)
            return
        _start(account)
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
    _how_long_hint()
    if not submitted:
        return
    if password != repeat:
        st.error(t("error.passwords_differ"))
        return
    try:
        account = accounts.create_first_account(context(), code, username, display_name, password)
    except WorkshopError as error:
        show_error(error)
        return
    process.setup_done()
    _start(account)
    st.rerun()


def _how_long_hint() -> None:
    """How long the sign-in lasts: on this browser when served, else only in this tab."""
    st.caption(t("auth.stays_signed_in", hours=HOURS) if process.served() else t("auth.tab_only"))


def _start(account: Account) -> None:
    """This tab is signed in; served, the browser is handed a ticket to keep the sign-in."""
    _forget()
    st.session_state[ACCOUNT_KEY] = account
    if process.served():
        ticket = sign_ins.start_sign_in(context(), account)
        st.session_state[SIGN_IN_KEY] = TabSignIn(ticket.sign_in_id, time.monotonic())
        st.session_state[TICKET_KEY] = (ticket.sign_in_id, ticket.value)


def _still_signed_in(account: Account) -> Account | None:
    held: TabSignIn | None = st.session_state.get(SIGN_IN_KEY)
    if held is None or time.monotonic() - held.checked < CHECK_SECONDS:
        return account  # a tab-only sign-in (not served), or checked a moment ago
    current = sign_ins.check_sign_in(context(), held.id)
    if current is None:
        _forget()
        st.session_state[NOTICE_KEY] = "auth.signed_out_elsewhere"
        return None
    st.session_state[ACCOUNT_KEY] = current  # a name or role changed since is seen too
    st.session_state[SIGN_IN_KEY] = TabSignIn(held.id, time.monotonic())
    return current


def _from_cookie() -> Account | None:
    """The account the browser's staff cookie stands for; a refused cookie is not read again in this tab."""
    cookie = _browser_cookie()
    if cookie is None or st.session_state.get(REFUSED_KEY) == _digest(cookie):
        return None
    found = sign_ins.sign_in_from_cookie(context(), cookie, _secret())
    if found is None:
        st.session_state[REFUSED_KEY] = _digest(cookie)
        return None
    st.session_state[ACCOUNT_KEY] = found.account
    st.session_state[SIGN_IN_KEY] = TabSignIn(found.sign_in_id, time.monotonic())
    return found.account


def _sign_out() -> None:
    """End this browser's sign-in server-side (every process sees it at once), then forget it here."""
    ctx = context()
    held: TabSignIn | None = st.session_state.get(SIGN_IN_KEY)
    if held is not None:
        sign_ins.sign_out(ctx, held.id)
    cookie = _browser_cookie()
    if cookie is not None:
        sign_ins.sign_out_cookie(ctx, cookie, _secret())  # a cookie for another sign-in than the tab's
        st.session_state[REFUSED_KEY] = _digest(cookie)
    _forget()
    if process.served():
        st.session_state[CLEAR_KEY] = secrets.token_hex(4)


def _forget() -> None:
    for key in (ACCOUNT_KEY, SIGN_IN_KEY, TICKET_KEY, NOTICE_KEY):
        st.session_state.pop(key, None)


def _done() -> None:
    """The component posted: the browser holds its cookie now (or could not), or no longer holds it."""
    value = (st.session_state.get(COMPONENT_KEY) or {}).get("done")
    if not isinstance(value, dict):
        return  # not something the component sends
    ticket = st.session_state.get(TICKET_KEY)
    if ticket is not None and value.get("id") == f"keep-{ticket[0]}":
        del st.session_state[TICKET_KEY]
        if value.get("ok") is not True:
            st.session_state[NOTICE_KEY] = "auth.not_kept"
    clear = st.session_state.get(CLEAR_KEY)
    if clear is not None and value.get("id") == f"clear-{clear}":
        del st.session_state[CLEAR_KEY]


def _browser_cookie() -> str | None:
    """The staff cookie the browser sent when this tab connected: the one cookie the app reads."""
    value = st.context.cookies.get(COOKIE_NAME)
    return value if isinstance(value, str) and value else None


def _secret() -> str:
    """What signs staff cookies: Streamlit's own cookie secret, shared by every process behind a proxy."""
    return str(st.get_option("server.cookieSecret"))


def _digest(cookie: str) -> str:
    return hashlib.sha256(cookie.encode("utf-8")).hexdigest()


@functools.cache
def _component() -> Any:
    return static_component(COMPONENT_NAME, "staff_session", css=False)
