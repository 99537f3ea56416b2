"""Which page runs go first when a process is busy: see `hopecircle.gate`.

A phone that redraws because the room moved on marks its next run as background; everything
else (a send, a tap, a join, a first load, a projector's or a console's redraw) is urgent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

from hopecircle.gate import PriorityGate

# Three at a time: one run's database wait overlaps another's Python, and one slot stays
# free for urgent runs. More would only split the one core (GIL) between more runs.
GATE = PriorityGate(slots=3)
BACKGROUND_KEY = "background-redraw"


def mark_background() -> None:
    """This tab's next full run redraws for the room, not for something the person did."""
    st.session_state[BACKGROUND_KEY] = True


@contextmanager
def page_slot() -> Iterator[None]:
    """Run the page in one of the process's slots, waiting in line if they are all taken."""
    urgent = not st.session_state.pop(BACKGROUND_KEY, False)
    ctx = get_script_run_ctx(suppress_warning=True)

    def hurry() -> bool:
        # The person tapped something while this redraw waited: Streamlit asked for a new run
        # (or the tab went away). Let it in as urgent so it reaches Streamlit's stop point.
        requests = ctx.script_requests if ctx is not None else None
        return requests is not None and requests._state is not ScriptRequestType.CONTINUE

    with GATE.slot(urgent, hurry):
        yield
