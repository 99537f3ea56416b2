"""Which page runs go first when a process is busy: the process's gate (`live/gate.py`) around them.

Page runs and the phone's room-screen runs (`following.turn`) pass the gate. A phone whose
room screen redraws because the room moved on marks that run as background (its watcher's
callback, or the posted form's after a send); everything else (a send, a tap, a join, a first
load, a projector's or a console's redraw) is urgent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

from hopecircle.live.gate import LeftTheLine
from hopecircle.process import GATE

# A tab whose next run is not for something the person did sets this (the room watcher's callback).
BACKGROUND_KEY = "background-redraw"


@contextmanager
def page_slot() -> Iterator[None]:
    """Run the page (or the room screen) in one of the process's slots, waiting in line if they are all taken."""
    urgent = not st.session_state.pop(BACKGROUND_KEY, False)
    ctx = get_script_run_ctx(suppress_warning=True)

    def cancelled() -> bool:
        # Streamlit asks a run to stop when the person taps again (it starts a new run at once)
        # or the tab closes. `_state` is private: tests/unit/test_gate.py pins it, and without
        # it a waiting run simply waits its turn.
        requests = ctx.script_requests if ctx is not None else None
        return getattr(requests, "_state", None) is ScriptRequestType.STOP

    try:
        with GATE.slot(urgent, cancelled):
            yield
    except LeftTheLine:
        raise StopException() from None
