"""HopeCircle router: page config and role-aware navigation. Screens live in pages/."""

import streamlit as st

from hopecircle.i18n import t
from hopecircle.ui.auth import sign_out_button, signed_in
from hopecircle.ui.widgets import STATIC

# Phones get a narrow column; the projector and the staff working screens use the full width.
WIDE = {"board", "console", "authoring", "reports", "admin"}

account = signed_in()
# Page icons are emoji: the browser turns a page's icon into the tab icon, and a Material icon
# there would be fetched from a font CDN, which phones on a venue hotspot cannot reach.
public = [
    st.Page("pages/join.py", title=t("nav.join"), icon="📱", url_path="join", default=True),
    st.Page("pages/board.py", title=t("nav.board"), icon="📽️", url_path="board"),
    st.Page("pages/privacy.py", title=t("nav.privacy"), icon="🛡️", url_path="privacy"),
]
staff = [
    st.Page("pages/console.py", title=t("nav.console"), icon="🧭", url_path="console"),
    st.Page("pages/guides.py", title=t("nav.guides"), icon="📖", url_path="guides"),
    st.Page("pages/authoring.py", title=t("nav.authoring"), icon="✍️", url_path="authoring"),
    st.Page("pages/reports.py", title=t("nav.reports"), icon="📊", url_path="reports"),
    st.Page(
        "pages/admin.py",
        title=t("nav.admin"),
        icon="⚙️",
        url_path="admin",
        visibility="visible" if account is not None and account.is_admin else "hidden",
    ),
]
# Everyone can open every URL (staff pages then ask for sign-in), but only signed-in staff see a menu.
page = st.navigation(
    {t("nav.section_room"): public, t("nav.section_staff"): staff}, position="sidebar" if account else "hidden"
)
# A local icon: a Material icon name would make every browser fetch it from a font CDN.
st.set_page_config(
    page_title="HopeCircle",
    page_icon=str(STATIC / "icon.png"),
    layout="wide" if page.url_path in WIDE else "centered",
)
sign_out_button()
page.run()
