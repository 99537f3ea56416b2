"""How a phone follows the room: watch it cheaply, redraw for what changed, never drop words being typed."""

from __future__ import annotations

import streamlit as st

from hopecircle.domain import Kind, LiveState, ParticipantView, Phase, SessionInfo
from hopecircle.i18n import t
from hopecircle.services import board
from hopecircle.ui import admission, polling, room_watch
from hopecircle.ui.phone import cards_shown
from hopecircle.ui.wiring import context

MOVED_ON_KEY = "moved-on"


def follow_room(session: SessionInfo, seen: str, *, writing: bool = False) -> None:
    """Watch the room cheaply; redraw the whole phone only when the facilitator moved on.

    While `writing` (a form is on screen and nothing was sent from it yet), a redraw for a new
    phase would throw away words half typed: the phone says the group moved on and waits for a tap.
    """
    every = polling.poll_seconds()

    @st.fragment
    def _watch() -> None:
        watching = seen
        if polling.is_tick():  # the watcher woke this fragment: the room may have moved on
            state = board.live_state(context(), session.id)
            move = next_move(state, seen, writing=writing)
            if move == "ask":
                st.info(t("phone.moved_on", phase=t(f"phase.{state.phase.value}")), icon=":material/east:")
                if st.button(t("phone.moved_on_continue"), key=MOVED_ON_KEY, type="primary"):
                    st.rerun(scope="app")
                watching = signature(state)  # asked: wake again only for a further change
            elif move == "redraw" or (not writing and not room_watch.serving() and polling.out_of_step(every)):
                # (With the endpoint, each look brings the watcher the room's interval: no redraw for it.)
                # Nobody here tapped anything: in a busy process this redraw waits behind people's sends.
                admission.mark_background()
                st.rerun()
        room_watch.watch(session.code, cards_shown(), watching, every)

    _watch()


def next_move(state: LiveState | None, seen: str, *, writing: bool) -> str:
    """After a poll: "stay", "redraw" for what changed, or "ask" before leaving a form being written."""
    if state is None or signature(state) == seen:
        return "stay"
    if writing and state.is_open and state.phase.value != seen.split("|", 1)[0]:
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


def signature(state: LiveState) -> str:
    """What this phone redraws for (see `board.phone_signature`), with the cards it shows."""
    return board.phone_signature(state, cards_shown())
