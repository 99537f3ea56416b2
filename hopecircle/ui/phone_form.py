"""The phone's reflection and next-step forms as one element that posts its words over HTTP.

Served by `serve.py`, a phone sends without a script run (`hopecircle/ui/phone_api.py`): the form
(`static/phone_form.js`) posts the words and shows the answer's sentence at once. Nothing else on
the screen needs the words, so there is no redraw, unless the words may signal risk (the support
message and the crisis lines come at once) or the phone's list of what it shared is open (a
redraw behind what people do: a background run at the process's gate). A run of the room
screen after every send was as much server time as the send itself saved: in a room of a
thousand it kept the process's one core busy, and the database's writes, waiting for it between
statements, queued for seconds (docs/performance.md). Words are set as the value of plain text
fields, never as HTML or Markdown; a draft survives the screen being drawn again.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import streamlit as st

from hopecircle.i18n import t
from hopecircle.ui import admission, phone_api
from hopecircle.ui.widgets import static_component
from hopecircle.ui.wiring import current_language

FORM_COMPONENT = "hopecircle_phone_form"
SUPPORT_NEEDED = "support-needed"  # what a form's "-done" holds when the words may signal risk


def form_key(form: str) -> str:
    return f"{form}-quick"


def quick_form(
    token: str,
    form: str,
    fields: list[dict[str, Any]],
    submit: str,
    *,
    submitted: str | None = None,
    choice: dict[str, Any] | None = None,
    redraw: bool = False,
) -> None:
    """Mount the form `form` ("reflection" or "goal") with its `fields` and optional single `choice`.

    Each field: `name`, `label`, `placeholder`, `value`, `multiline`. `submit` is the button's
    label; `submitted` its label once something was saved (a goal is updated, not added).
    `redraw`: the room screen shows something the words change (the open list of what the phone
    shared), so a send asks for its redraw.
    """
    _component()(
        data={
            "form": form,
            "url": phone_api.SEND_PATH,
            "token": token,
            "lang": current_language(),
            "submit": submit,
            "submitted": submitted or submit,
            "redraw": redraw,
            "sending": t("phone.sending"),
            "failed": t("phone.send_failed"),
            # As JSON strings: for a list in its data, Streamlit checks for a dataframe, which
            # imports pandas and pyarrow (see phone_board.board_cards).
            "fields": json.dumps(fields),
            "choice": json.dumps(choice),
        },
        key=form_key(form),
        on_sent_change=functools.partial(_sent, form),
    )


@functools.cache
def _component() -> Any:
    return static_component(FORM_COMPONENT, "phone_form")


def _sent(form: str) -> None:
    """The form's words were saved (or refused because the place or the session is gone).

    Words that may signal risk bring the support message and the crisis lines at once. Otherwise
    the redraw that follows only brings the open list of what the phone shared up to date: it
    waits behind sends.
    """
    value = (st.session_state.get(form_key(form)) or {}).get("sent")
    if not isinstance(value, dict):
        return  # not something this page's form sends
    if value.get("support") is True:
        st.session_state[f"{form}-done"] = SUPPORT_NEEDED
    elif value.get("refresh") is not True:
        st.session_state[admission.BACKGROUND_KEY] = True
