"""How a phone follows the room when not served: redraw only its room screen, never drop words being typed.

Served by `serve.py` the phone draws its room itself (`phone_room.py`, the same rules in
`static/phone_room.js`); started from `workshop_app.py` alone its room screen is a Streamlit
fragment that its watcher wakes on an interval.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from hopecircle.domain import Kind, LiveState, ParticipantView, Phase, SessionInfo, UnknownParticipant
from hopecircle.i18n import t
from hopecircle.services import participation, room
from hopecircle.ui import admission, room_watch, runs
from hopecircle.ui.phone import cards_shown
from hopecircle.ui.wiring import context

MOVED_ON_KEY = "moved-on"
SHOWN_KEY = "room-phase"  # the phase this tab's room screen shows
_PHASES = {phase.value for phase in Phase}


@contextmanager
def turn() -> Iterator[None]:
    """The room screen's own runs wait their turn at the process's gate, like page runs.

    A send or a tap is urgent; a redraw the watcher woke is background (`room_watch._woken`
    marks it), so a room moving on never holds up what people do. In a full page run the page
    already holds its slot.
    """
    if not runs.is_tick():
        yield
        return
    with admission.page_slot():
        yield


def view_for_this_run(token: str, drawn: ParticipantView) -> ParticipantView:
    """The phone's own words: as read for this page, or read again when only the room screen reruns.

    The room screen is a fragment: a send, a "me too", a delete or the watcher reruns only it,
    with the view the page was drawn with, which has neither what was just sent nor the room's
    latest state.
    """
    if not runs.is_tick():
        return drawn
    try:
        return participation.resume(context(), token)
    except UnknownParticipant:
        st.rerun(scope="app")  # the whole page says the place was lost and offers to join again
        raise


def screen_phase(
    live: LiveState | None, session: SessionInfo, view: ParticipantView
) -> tuple[Phase, bool, Phase | None]:
    """The phase the room screen shows, whether the session is open, and the phase the room
    moved on to while a form on this screen is being written (None when the screen follows).

    Redrawing a form away would throw words half typed: the screen stays, says the group moved
    on, and follows on a tap (`moved_on`).
    """
    if live is None:
        return session.phase, session.is_open, None
    shown = st.session_state.get(SHOWN_KEY)
    held = Phase(shown) if shown in _PHASES else None
    if held is not None and holds_for_writing(live, held, view):
        return held, True, live.phase
    if shown != live.phase.value:
        st.session_state[SHOWN_KEY] = live.phase.value
    return live.phase, live.is_open, None


def holds_for_writing(live: LiveState, shown: Phase, view: ParticipantView) -> bool:
    """Whether a screen showing `shown` stays although the room is at `live.phase`: a form on it is being written.

    Only for a new phase of an open session: support lines shared, new cards or the session
    closing (nothing can be sent any more) redraw at once.
    """
    return live.is_open and shown is not live.phase and writing(view, shown)


def moved_on(to: Phase) -> None:
    """The note under a form being written when the room moved on, and the tap that follows it."""
    st.info(t("phone.moved_on", phase=t(f"phase.{to.value}")), icon=":material/east:")
    st.button(
        t("phone.moved_on_continue"),
        key=MOVED_ON_KEY,
        type="primary",
        on_click=lambda: st.session_state.update({SHOWN_KEY: to.value}),
    )


def watch(live: LiveState | None) -> None:
    """Mount the room watcher at the end of the room screen: on every interval the screen redraws
    itself. `live` None: a closed room, nothing more to watch."""
    if live is not None:
        room_watch.watch(signature(live))


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
    """What this phone redraws for (see `room.phone_signature`), with the cards it shows."""
    return room.phone_signature(state, cards_shown())
