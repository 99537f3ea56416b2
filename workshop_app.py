"""HopeCircle router: page config and role-aware navigation. Screens live in pages/."""

import streamlit as st

from hopecircle.ui.admission import page_slot
from hopecircle.ui.auth import keep_in_browser, sign_out_button, signed_in
from hopecircle.ui.navigation import TAB_ICON, WIDE, menu

# A busy process runs a few pages at a time, people's own actions first (hopecircle/live/gate.py).
with page_slot():
    # From session_state, else (served) the browser's staff cookie: a reload keeps staff signed in.
    account = signed_in()
    # Everyone can open every URL (staff pages then ask for sign-in), but only signed-in staff see a menu.
    page = st.navigation(menu(account), position="sidebar" if account else "hidden")
    layout = "wide" if page.url_path in WIDE else "centered"
    st.set_page_config(page_title="HopeCircle", page_icon=TAB_ICON, layout=layout)
    sign_out_button(account)
    # Just after signing in or out: the browser is given, or gives back, its staff cookie.
    keep_in_browser()
    page.run()
