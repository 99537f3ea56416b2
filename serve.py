"""HopeCircle served with its endpoints: `streamlit run serve.py` (what scripts/run.sh runs).

The pages are those of `workshop_app.py`; beside them this process answers
`GET /api/rooms/<code>`, which every phone asks between redraws instead of running a Streamlit
fragment (hopecircle/ui/room_watch.py), and the phone's posts of its words and its "me too",
answered without a script run (hopecircle/ui/phone_api.py). `streamlit run workshop_app.py`
still works: phones then follow the room with a script run of their room screen per look, and
send through Streamlit forms, several times the cost in a big room.
"""

import streamlit as st

from hopecircle.ui import phone_api, room_watch

app = st.App("workshop_app.py", routes=[*room_watch.routes(), *phone_api.routes()])
