"""How a phone follows the room: poll cheaply, redraw for what changed, never drop words being typed."""

from __future__ import annotations

import streamlit as st

from hopecircle.domain import Kind, LiveState, ParticipantView, Phase
from hopecircle.i18n import t
from hopecircle.services import board
from hopecircle.ui import admission, polling
from hopecircle.ui.phone import cards_shown
from hopecircle.ui.wiring import context

MOVED_ON_KEY = "moved-on"


def follow_room(session_id: int, seen: tuple[object, ...], *, writing: bool = False) -> None:
    """Poll the room's state cheaply; redraw the whole phone only when the facilitator moved on.

    While `writing` (a form is on screen and nothing was sent from it yet), a redraw for a new
    phase would throw away words half typed: the phone says the group moved on and waits for a tap.
    """

    every = polling.poll_seconds()

    @st.fragment(run_every=every)
    def _poll() -> None:
        if not polling.is_tick():
            return
        state = board.live_state(context(), session_id)
        move = next_move(state, seen, writing=writing)
        if move == "ask":
            st.info(t("phone.moved_on", phase=t(f"phase.{state.phase.value}")), icon=":material/east:")
            if st.button(t("phone.moved_on_continue"), key=MOVED_ON_KEY, type="primary"):
                st.rerun(scope="app")
        elif move == "redraw" or (not writing and polling.out_of_step(every)):
            # Nobody here tapped anything: in a busy process this redraw waits behind people's sends.
            admission.mark_background()
            st.rerun()

    _poll()


def next_move(state: LiveState | None, seen: tuple[object, ...], *, writing: bool) -> str:
    """After a poll: "stay", "redraw" for what changed, or "ask" before leaving a form being written."""
    if state is None or phone_signature(state) == seen:
        return "stay"
    if writing and state.is_open and state.phase != seen[0]:
        return "ask"
    return "redraw"


def writing(view: ParticipantView, phase: Phase) -> bool:
    """Whether this phone shows a form for sentences it has sent nothing from yet (someone may be typing).

    Check-in is one word or an emoji: following the room at once costs less than a tap.
    """
    if phase is Phase.REFLECT:
        return not view.of_kind(Kind.REFLECTION)
    if phase is Phase.NEXT_STEP:
        return view.single(Kind.GOAL) is None
    return False


def phone_signature(state: LiveState) -> tuple[object, ...]:
    """What a phone redraws for: phase, open/closed, and (on the board phase) the cards it can show."""
    cards = min(state.approved_count, cards_shown()) if state.phase.value == "board" else None
    return (state.phase, state.status, cards, state.resources_push)
