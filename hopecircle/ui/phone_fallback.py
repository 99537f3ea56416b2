"""The phone's reflection and next-step forms as Streamlit forms: when the process serves no endpoints.

Started from `workshop_app.py` alone (no `serve.py`), nothing answers a posted form, so the phone
sends through `st.form`: a script run of its room screen per send. The services store the same
words once whichever way they came.
"""

from __future__ import annotations

import streamlit as st

from hopecircle.content import Story
from hopecircle.domain import (
    DIMENSIONS,
    MAX_GOAL_CHARS,
    MAX_REFLECTION_CHARS,
    MAX_SUPPORT_CHARS,
    MAX_WHEN_CHARS,
    Kind,
    ParticipantView,
)
from hopecircle.i18n import t
from hopecircle.services import participation
from hopecircle.services.participation import GoalInput, Submitted
from hopecircle.ui.phone import goal_heading, reflect_heading, run_action, show_feedback
from hopecircle.ui.wiring import context

# Every send redraws the room screen, so the list of what the phone shared can count it.
MINE_COUNTED = True


def reflection_form(token: str, story: Story | None) -> None:
    """Anonymous reflections; the prompts from the story; several allowed."""
    form = "reflection"
    reflect_heading(story)
    with st.form(form, border=False):
        st.text_area(
            t("phone.reflection_label", limit=MAX_REFLECTION_CHARS),
            key=f"{form}-text",
            height=120,
            placeholder=t("phone.reflection_placeholder"),
        )
        st.form_submit_button(
            t("phone.share"),
            type="primary",
            on_click=lambda: run_action(
                form,
                lambda: participation.submit_reflection(context(), token, st.session_state.get(f"{form}-text", "")),
                clear={f"{form}-text": ""},
            ),
        )
    show_feedback(form)


def goal_form(token: str, view: ParticipantView, story: Story | None) -> None:
    """One small next step: "I will ___ by ___", optional support and recovery dimension."""
    form = "goal"
    existing = view.single(Kind.GOAL)
    goal_heading(story)
    if existing is not None and f"{form}-what" not in st.session_state:
        st.session_state[f"{form}-what"] = existing.body
        st.session_state[f"{form}-when"] = existing.goal_when or ""
        st.session_state[f"{form}-support"] = existing.goal_support or ""
        st.session_state[f"{form}-dimension"] = existing.dimension
    with st.form(form, border=False):
        st.text_input(
            t("phone.goal_what", limit=MAX_GOAL_CHARS), key=f"{form}-what", placeholder=t("phone.goal_what_placeholder")
        )
        st.text_input(
            t("phone.goal_when", limit=MAX_WHEN_CHARS), key=f"{form}-when", placeholder=t("phone.goal_when_placeholder")
        )
        st.text_input(t("phone.goal_support", limit=MAX_SUPPORT_CHARS), key=f"{form}-support")
        st.pills(
            t("phone.goal_dimension"), DIMENSIONS, format_func=lambda d: t(f"dimension.{d}"), key=f"{form}-dimension"
        )
        st.form_submit_button(
            t("phone.save_goal") if existing is None else t("phone.update_goal"),
            type="primary",
            on_click=lambda: run_action(form, lambda: _send_goal(token, form)),
        )
    show_feedback(form)


def _send_goal(token: str, form: str) -> Submitted:
    goal = GoalInput(
        what=st.session_state.get(f"{form}-what", ""),
        when=st.session_state.get(f"{form}-when"),
        support=st.session_state.get(f"{form}-support"),
        dimension=st.session_state.get(f"{form}-dimension"),
    )
    return participation.submit_goal(context(), token, goal)
