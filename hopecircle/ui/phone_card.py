"""The hope card on the phone's close screen: drawn when asked for, dated on the phone's own clock."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from hopecircle.domain import Contribution
from hopecircle.hope_card import hope_card_png, leaves_out
from hopecircle.i18n import t
from hopecircle.ui.wiring import context


def hope_card_button(goal: Contribution, language: str) -> None:
    """Download the hope card; the image is drawn only when the button is pressed, and never kept."""
    st.download_button(
        t("phone.save_card"),
        data=lambda: hope_card_png(
            goal.body, goal.goal_when, goal.goal_support, goal.dimension, language, local_today()
        ),
        file_name="hope-card.png",
        mime="image/png",
        icon=":material/download:",
        type="primary",
        on_click="ignore",
        help=t("phone.card_help"),
    )
    st.caption(t("phone.card_help"))
    if leaves_out(goal.body, goal.goal_when, goal.goal_support):
        st.caption(t("phone.card_left_out"))


def local_today() -> date:
    """Today on this phone's clock (its browser's time zone), else on the server's."""
    now = context().clock()
    try:
        return now.astimezone(ZoneInfo(st.context.timezone or "")).date()
    except (ValueError, ZoneInfoNotFoundError):
        return now.astimezone().date()
