"""HopeCircle served with its endpoints: `streamlit run serve.py` (what scripts/run.sh runs).

The pages are those of `workshop_app.py`; beside them this process answers the endpoints of
`hopecircle/http/`: phones and projectors wait on their room there instead of running a
Streamlit fragment per look, and phones post their words and their "me too" there, answered
without a script run. `streamlit run workshop_app.py` still works: phones then follow the room
with a script run of their room screen per look, and send through Streamlit forms, several
times the cost in a big room.

The process's Context is built here, as the server starts: the database is opened and
upgraded, and the one-time setup code is printed before anyone opens a page.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from hopecircle import http, process

# The router lists pages/ itself (st.navigation). Left to guess, Streamlit sees the folder and,
# until someone opens the root page, runs a page opened by its address (the console, first of
# all) on its own: no router, so no menu, no wide layout, no title, no run gate. Said here, as
# the server starts, every first load goes through the router.
PagesManager.uses_pages_directory = False
process.context()
app = st.App("workshop_app.py", routes=http.routes())
