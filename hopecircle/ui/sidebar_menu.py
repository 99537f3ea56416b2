"""The staff sidebar menu's markup made valid: its sections as named groups of links, not broken lists.

Streamlit draws a menu with sections as a list whose children are not list items (axe's "list"
and "listitem" rules, both serious). A tiny component (`static/sidebar_menu.js`) gives the
sections and items the roles that describe them; nothing about the menu's look changes.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from hopecircle.ui.widgets import static_component

COMPONENT_NAME = "hopecircle_sidebar_menu"


@functools.cache
def _component() -> Any:
    return static_component(COMPONENT_NAME, "sidebar_menu", css=False)


def valid_menu_markup() -> None:
    """Mount the fix in the sidebar (it draws nothing)."""
    with st.sidebar:
        _component()(key="sidebar-menu-roles")
