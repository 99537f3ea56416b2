"""The app's pages and menu: built once per language and role, copied for each run.

Building the eight `st.Page`s (paths resolved, icons validated) and reading the icon file for
the browser tab was about a tenth of a phone's rerun. Each run gets its
own copies because `st.navigation` and `Page.run` mark the page they hand out, and two tabs'
runs go on in parallel.

Streamlit treats an app with a `pages/` folder as an old-style multipage app until some run
calls `st.navigation`: on a fresh server the first tab to open `/console` got the folder's file
names as a menu ("workshop app, admin, board, ...") and `pages/console.py` run on its own,
without the router (no page config, so the narrow layout; no gate). `serve.py` switches that
off before the first tab connects (`pages_from_the_router`).
"""

from __future__ import annotations

import base64
import copy
import functools
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager

from hopecircle.domain import Account
from hopecircle.i18n import t
from hopecircle.ui.widgets import STATIC
from hopecircle.ui.wiring import current_language

# Absolute, so a page resolves the same whichever script started the run.
PAGES = Path(__file__).resolve().parents[2] / "pages"

# Phones get a narrow column; the projector and the staff working screens use the full width.
WIDE = {"board", "console", "authoring", "reports", "admin"}
# A local icon as a data URL: a Material icon would make every browser fetch it from a font
# CDN (phones on a venue hotspot cannot), and a file path is read and hashed again every run.
TAB_ICON = "data:image/png;base64," + base64.b64encode((STATIC / "icon.png").read_bytes()).decode("ascii")


@functools.lru_cache(maxsize=32)
def _menu(language: str, admin: bool) -> tuple[tuple[str, tuple[StreamlitPage, ...]], ...]:
    # Page icons are emoji: the browser turns a page's icon into the tab icon, and a Material
    # icon there would be fetched from a font CDN.
    public = (
        st.Page(PAGES / "join.py", title=t("nav.join", language), icon="📱", url_path="join", default=True),
        st.Page(PAGES / "board.py", title=t("nav.board", language), icon="📽️", url_path="board"),
        st.Page(PAGES / "privacy.py", title=t("nav.privacy", language), icon="🛡️", url_path="privacy"),
    )
    staff = (
        st.Page(PAGES / "console.py", title=t("nav.console", language), icon="🧭", url_path="console"),
        st.Page(PAGES / "guides.py", title=t("nav.guides", language), icon="📖", url_path="guides"),
        st.Page(PAGES / "authoring.py", title=t("nav.authoring", language), icon="✍️", url_path="authoring"),
        st.Page(PAGES / "reports.py", title=t("nav.reports", language), icon="📊", url_path="reports"),
        st.Page(
            PAGES / "admin.py",
            title=t("nav.admin", language),
            icon="⚙️",
            url_path="admin",
            visibility="visible" if admin else "hidden",
        ),
    )
    return ((t("nav.section_room", language), public), (t("nav.section_staff", language), staff))


def menu(account: Account | None) -> dict[str, list[StreamlitPage]]:
    """Every page, by section; the admin page is listed only for admins (its URL still works and asks)."""
    language = current_language()
    admin = account is not None and account.is_admin
    return {section: [copy.copy(page) for page in pages] for section, pages in _menu(language, admin)}


def pages_from_the_router() -> None:
    """Every run goes through the router (`workshop_app.py`), never straight to a file of `pages/`.

    Call before the first tab connects. Streamlit's own `st.navigation` does the same, but only
    once a run has called it, and the first run of a fresh server would not.
    """
    PagesManager.uses_pages_directory = False


def through_the_router() -> None:
    """From the next run on, pages go through the router, if Streamlit ran this one straight from `pages/`.

    Only the first tab of a fresh `streamlit run workshop_app.py` (no `serve.py`) opening a page
    other than the root is run that way: its first screen still shows the folder's file names,
    its next run (and every other tab's) goes through the router. Rerunning at once would drop
    what the person had just pressed. `serve.py` prevents it before anyone connects.
    """
    if PagesManager.uses_pages_directory:
        pages_from_the_router()
