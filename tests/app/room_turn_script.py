"""A room screen's own run and nothing else, for tests/app/test_room_watch.py (run by AppTest).

Like `pages/join.py`'s room screen: the watcher's callback, or the posted form's, may mark the
run a redraw, then the screen's body runs in its turn at the gate.
"""

import streamlit as st

from hopecircle.ui import following, phone_posted, room_watch

if __name__ == "__main__":  # AppTest runs it as the main script; nothing runs on a plain import
    if st.session_state.get("woken"):
        room_watch._woken()  # what the watcher's on_change callback does before the run
    if "posted" in st.session_state:  # what the form's callback does after its words were posted
        st.session_state[phone_posted.form_key("reflection")] = {"sent": st.session_state["posted"]}
        phone_posted._sent("reflection")
    with following.turn():
        st.write("room screen drawn")
