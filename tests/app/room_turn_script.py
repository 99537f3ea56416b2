"""A room screen's own run and nothing else, for tests/app/test_room_watch.py (run by AppTest).

Like `pages/join.py`'s room screen (not served): the watcher's callback may mark the run a
redraw, then the screen's body runs in its turn at the gate.
"""

import streamlit as st

from hopecircle.ui import following, room_watch

if __name__ == "__main__":  # AppTest runs it as the main script; nothing runs on a plain import
    if st.session_state.get("woken"):
        room_watch._woken()  # what the watcher's on_change callback does before the run
    with following.turn():
        st.write("room screen drawn")
