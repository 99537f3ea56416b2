"""HopeCircle served with its room endpoint: `streamlit run serve.py` (what scripts/run.sh runs).

The pages are those of `workshop_app.py`; beside them this process answers
`GET /api/rooms/<code>`, which every phone asks between redraws instead of running a Streamlit
fragment (hopecircle/ui/room_watch.py). `streamlit run workshop_app.py` still works: phones then
follow the room with a script run of their room screen per look, about five times the cost.
"""

import streamlit as st

from hopecircle.ui import room_watch

app = st.App("workshop_app.py", routes=room_watch.routes())
