"""HopeCircle served with its endpoints: `streamlit run serve.py` (what scripts/run.sh runs).

The pages are those of `workshop_app.py`; beside them this process answers the endpoints of
`hopecircle/http/`: phones and projectors wait on their room there instead of running a
Streamlit fragment per look, phones post their words and their "me too" there, answered
without a script run, and staff browsers get the cookie that keeps them signed in (signed with
Streamlit's `server.cookieSecret`, which every process behind a proxy must share).
`streamlit run workshop_app.py` still works: phones then follow the room with a script run of
their room screen per look, send through Streamlit forms, several times the cost in a big room,
and staff stay signed in only as long as their tab.

The process's Context is built here, as the server starts: the database is opened and
upgraded, and the one-time setup code is printed before anyone opens a page. Streamlit is told
here, before the first tab connects, that the router lists the pages (not the `pages/` folder).
"""

import streamlit as st
from starlette.middleware import Middleware

from hopecircle import http, process
from hopecircle.http.headers import SecurityHeaders
from hopecircle.ui.navigation import pages_from_the_router

pages_from_the_router()
process.context()
app = st.App(
    "workshop_app.py",
    routes=http.routes(cookie_secret=st.get_option("server.cookieSecret")),
    middleware=[Middleware(SecurityHeaders)],
)
