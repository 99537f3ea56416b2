"""The phone's reflection and next-step forms when served: one element each that posts its words over HTTP.

Served by `serve.py`, a phone sends without a script run (`hopecircle/http/phone.py`): the form
(`static/phone_form.js`) posts the words and shows the answer's sentence at once. Nothing else on
the screen needs the words, so there is no redraw, unless the words may signal risk (the support
message and the crisis lines come at once) or the phone's list of what it shared is open (a
redraw behind what people do: a background run at the process's gate). A run of the room screen
after every send would cost the server what the post saves, and in a big room would keep the
database's writes waiting behind redraws. Words are set as the value of plain text fields,
never as HTML or Markdown; a draft survives the screen being drawn again.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import streamlit as st

from hopecircle.content import Story
from hopecircle.domain import (
    DIMENSIONS,
    MAX_GOAL_CHARS,
    MAX_REFLECTION_CHARS,
    MAX_SUPPORT_CHARS,
    MAX_WHEN_CHARS,
    Contribution,
    Kind,
    ParticipantView,
)
from hopecircle.http.phone import SEND_PATH
from hopecircle.i18n import t
from hopecircle.ui import admission
from hopecircle.ui.phone import SUPPORT_NEEDED, goal_heading, mine_open, reflect_heading, show_feedback
from hopecircle.ui.widgets import static_component
from hopecircle.ui.wiring import current_language

FORM_COMPONENT = "hopecircle_phone_form"
# Sends redraw nothing, so a count of what the phone shared would lag behind them: the list's
# title has none, and the list is read when it opens.
MINE_COUNTED = False


def reflection_form(token: str, story: Story | None) -> None:
    """Anonymous reflections; the prompts from the story; several allowed."""
    reflect_heading(story)
    field = {
        "name": "text",
        "label": t("phone.reflection_label", limit=MAX_REFLECTION_CHARS),
        "placeholder": t("phone.reflection_placeholder"),
        "multiline": True,
    }
    quick_form(token, "reflection", [field], t("phone.share"), redraw=mine_open())
    show_feedback("reflection")


def goal_form(token: str, view: ParticipantView, story: Story | None) -> None:
    """One small next step, filled with the goal already saved: "I will ___ by ___", support, part of life."""
    existing = view.single(Kind.GOAL)
    goal_heading(story)
    fields = [
        {
            "name": "what",
            "label": t("phone.goal_what", limit=MAX_GOAL_CHARS),
            "placeholder": t("phone.goal_what_placeholder"),
            "value": existing.body if existing else "",
        },
        {
            "name": "when",
            "label": t("phone.goal_when", limit=MAX_WHEN_CHARS),
            "placeholder": t("phone.goal_when_placeholder"),
            "value": _saved(existing, "goal_when"),
        },
        {
            "name": "support",
            "label": t("phone.goal_support", limit=MAX_SUPPORT_CHARS),
            "value": _saved(existing, "goal_support"),
        },
    ]
    choice = {
        "name": "dimension",
        "label": t("phone.goal_dimension"),
        "options": [[dimension, t(f"dimension.{dimension}")] for dimension in DIMENSIONS],
        "value": existing.dimension if existing else None,
    }
    submit = t("phone.save_goal") if existing is None else t("phone.update_goal")
    quick_form(token, "goal", fields, submit, submitted=t("phone.update_goal"), choice=choice, redraw=mine_open())
    show_feedback("goal")


def _saved(existing: Contribution | None, name: str) -> str:
    return (getattr(existing, name) if existing else None) or ""


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
            "url": SEND_PATH,
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
