"""The hope board on the phone when not served: the room's cards, a page at a time, each with its "me too".

Served by `serve.py` the phone draws its board itself (`phone_room.py`).
"""

from __future__ import annotations

import functools
import json
from typing import Any

import streamlit as st

from hopecircle.domain import Card, Kind
from hopecircle.i18n import t
from hopecircle.services import participation
from hopecircle.services.board import PublicCards
from hopecircle.ui.phone import PHONE_CARDS, cards_shown, run_action, show_feedback
from hopecircle.ui.widgets import static_component
from hopecircle.ui.wiring import context, current_language
from hopecircle.wording import goal_sentence

CARDS_COMPONENT = "hopecircle_board_cards"
CARDS_KEY = "board-cards"


def board_cards(token: str, room: PublicCards, mine: frozenset[int]) -> None:
    """The board on the phone, as the projector shows it, with a "me too" on each card (a page at a time).

    The cards and their buttons are one element (`static/board_cards.js`): as a Streamlit
    element and a button each, a page of cards was two dozen elements to build and send on
    every redraw of every phone in the room. Words are set as text there, never as HTML.
    """
    st.subheader(t("phone.board_title"))
    if room.waiting:
        st.caption(t("board.waiting", count=room.waiting))
    elif not room.cards:
        st.caption(t("phone.board_empty"))
    shown = cards_shown()
    total = room.approved
    if room.cards:
        _cards_component()(
            data={
                "label": t("phone.board_title"),
                # Not served (workshop_app.py alone): a tap goes to this page's script.
                "url": None,
                "token": token,
                "lang": current_language(),
                # As a JSON string: for a list in its data, Streamlit checks for a dataframe,
                # which imports pandas and pyarrow (tens of MB in every process phones use).
                "cards": json.dumps([_card_data(card, card.id in mine) for card in room.cards[:shown]]),
            },
            key=CARDS_KEY,
            on_metoo_change=functools.partial(_tapped, token),
        )
    if room.cards and total > shown:
        st.button(
            t("phone.board_more", count=total - shown),
            key="board-more",
            icon=":material/expand_more:",
            on_click=lambda: st.session_state.update({"board-shown": shown + PHONE_CARDS}),
        )
    show_feedback("metoo")


def _card_data(card: Card, added: bool) -> dict[str, object]:
    body = goal_sentence(card.body, card.goal_when, card.language) if card.kind is Kind.GOAL else card.body
    label = t("phone.me_too_added", count=card.me_too) if added else t("phone.me_too", count=card.me_too)
    return {"id": card.id, "text": body, "label": label, "added": added}


@functools.cache
def _cards_component() -> Any:
    return static_component(CARDS_COMPONENT, "board_cards")


def _tapped(token: str) -> None:
    """A "me too" tapped on the phone's board: the card's id and whether it is now on, as the browser sent them."""
    wish = (st.session_state.get(CARDS_KEY) or {}).get("metoo")
    card_id, on = (wish.get("card"), wish.get("on")) if isinstance(wish, dict) else (None, None)
    if isinstance(card_id, bool) or not isinstance(card_id, int) or not isinstance(on, bool):
        return  # not a tap this page can have sent
    run_action("metoo", lambda: _set(token, card_id, on))


def _set(token: str, card_id: int, on: bool) -> None:
    participation.set_me_too(context(), token, card_id, on)
