"""Printouts from the console: the join sheet (A4 or Letter) and the hope board, as PDFs.

The files are made when the button is pressed, not on every console run: laying out a PDF
costs more than the rest of the console's run.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from hopecircle.domain import Account, SessionInfo
from hopecircle.i18n import t
from hopecircle.printing import PAPERS
from hopecircle.services import printouts
from hopecircle.ui.console import join_address
from hopecircle.ui.wiring import context

PDF = "application/pdf"


def downloads(account: Account, session: SessionInfo) -> None:
    """Download buttons for the join sheet and the printable board, on each paper size."""
    address = join_address()
    url = address.join_url(session.code)
    with st.expander(t("print.title"), icon=":material/print:"):
        if url is None or address.base_url is None:
            st.caption(t("console.no_network"))
        else:
            st.caption(t("print.join_help"))
            with st.container(horizontal=True):
                for paper in PAPERS:
                    st.download_button(
                        t(f"print.join_{paper}"),
                        data=_join_sheet(account, session.id, address.base_url, url, paper),
                        file_name=f"join-sheet-{session.code}-{paper}.pdf",
                        mime=PDF,
                        icon=":material/qr_code_2:",
                        on_click="ignore",
                        key=f"print-join-{session.id}-{paper}",
                    )
        st.caption(t("print.board_help"))
        with st.container(horizontal=True):
            for paper in PAPERS:
                st.download_button(
                    t(f"print.board_{paper}"),
                    data=_board(account, session.id, paper),
                    file_name=f"hope-board-{session.code}-{paper}.pdf",
                    mime=PDF,
                    icon=":material/dashboard:",
                    on_click="ignore",
                    key=f"print-board-{session.id}-{paper}",
                )


# Made when downloaded (Streamlit calls these then), with the account and session of the run
# that drew the button: still checked by the service at that moment.
def _join_sheet(account: Account, session_id: int, address: str, url: str, paper: str) -> Callable[[], bytes]:
    return lambda: printouts.join_sheet(context(), account, session_id, address, url, paper)


def _board(account: Account, session_id: int, paper: str) -> Callable[[], bytes]:
    return lambda: printouts.board_sheet(context(), account, session_id, paper)
