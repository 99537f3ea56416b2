"""Hands-free control: the room moved from a keyboard or a presenter remote, on the console and the projector.

A small `st.components.v2` component (`static/hands_free.js`) listens for keys on its window.
Next, back, blank and big QR come here as a "key" event and go to the services as the
console's buttons do, for the account signed in in this tab: the services check it may run
the session. Full screen, pausing the board's pages and the shortcuts' overlay stay in the
browser. A projector tab with nobody signed in (or someone who does not run the session) sends
nothing and says so. On the projector it also says how big the window is, which sizes the
pulse chart's type (`projector.pulse`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import streamlit as st

from hopecircle.domain import Account, Screen, SessionInfo, WorkshopError
from hopecircle.i18n import t
from hopecircle.services import sessions
from hopecircle.ui.widgets import static_component
from hopecircle.ui.wiring import context

KEY = "hands-free"
COMPONENT_NAME = "hopecircle_hands_free"
NOTICE_KEY = "hands-free-notice"
# The window's size reported by the projector, when no report has come yet: the reference projector.
DEFAULT_VIEWPORT = (1920, 1080)
ACTIONS = ("next", "back", "blank", "join")


@functools.cache
def _component() -> Any:
    return static_component(COMPONENT_NAME, "hands_free")


def listen(session: SessionInfo, account: Account | None, *, where: str) -> tuple[int, int]:
    """Mount the key listener for `session` on this page ("console" or "projector") and return
    the window's size as the browser last reported it (the reference size until then).

    `account` is whoever is signed in in this tab; the keys that move the room work only when
    it may run the session.
    """
    control = account is not None and _runs(account, session)
    known = _viewport()
    settings = {
        "where": where,
        "control": control,
        "room": f"hopecircle-room-{session.id}",
        "report": where == "projector",
        "viewport": list(known),
        "notice": st.session_state.pop(NOTICE_KEY, ""),
        "labels": {
            "open": t("hands_free.open"),
            "title": t("hands_free.title"),
            "close": t("hands_free.close"),
            "signed_out": t("hands_free.signed_out"),
        },
        "shortcuts": shortcuts(),
    }
    on_key = functools.partial(_pressed, session.id, account if control else None)
    # One JSON string: for a list in its data, Streamlit checks for a dataframe (pandas, pyarrow).
    _component()(
        data={"settings": json.dumps(settings, ensure_ascii=False)},
        key=KEY,
        on_key_change=on_key,
        on_viewport_change=_resized,
    )
    return known


def shortcuts() -> list[tuple[str, str]]:
    """The keys and what they do, as the overlay lists them."""
    return [
        (t("hands_free.keys_next"), t("hands_free.next")),
        (t("hands_free.keys_back"), t("hands_free.back")),
        ("B", t("hands_free.blank")),
        ("Q", t("hands_free.join")),
        ("P", t("hands_free.pause")),
        ("F", t("hands_free.full_screen")),
        ("?", t("hands_free.help")),
        (t("hands_free.keys_escape"), t("hands_free.escape")),
    ]


def _runs(account: Account, session: SessionInfo) -> bool:
    """Whether `account` may move this session's room (the services say, as for the console's buttons)."""
    try:
        sessions.get_session(context(), account, session.id)
    except WorkshopError:
        return False
    return True


def _viewport() -> tuple[int, int]:
    reported = (st.session_state.get(KEY) or {}).get("viewport")
    if (
        isinstance(reported, list)
        and len(reported) == 2
        and all(isinstance(n, int) and 0 < n < 100_000 for n in reported)
    ):
        return reported[0], reported[1]
    return DEFAULT_VIEWPORT


def _resized() -> None:
    """Nothing to do: the run that follows draws for the new size."""


def _pressed(session_id: int, account: Account | None) -> None:
    """A key that moves the room, as the browser sent it; refused plainly when this tab may not."""
    wish = (st.session_state.get(KEY) or {}).get("key")
    action = wish.get("action") if isinstance(wish, dict) else None
    if action not in ACTIONS:
        return  # not a key this page can have sent
    if account is None:
        st.session_state[NOTICE_KEY] = t("hands_free.signed_out")
        return
    try:
        _ACTIONS[action](account, session_id)
    except WorkshopError as error:
        st.session_state[NOTICE_KEY] = t(error.message_key, **error.params)


def _step(forward: bool) -> Callable[[Account, int], object]:
    return lambda account, session_id: sessions.step(context(), account, session_id, forward)


def _toggle(screen: Screen) -> Callable[[Account, int], object]:
    return lambda account, session_id: sessions.toggle_screen(context(), account, session_id, screen)


_ACTIONS: dict[str, Callable[[Account, int], object]] = {
    "next": _step(True),
    "back": _step(False),
    "blank": _toggle(Screen.BLANK),
    "join": _toggle(Screen.JOIN),
}
