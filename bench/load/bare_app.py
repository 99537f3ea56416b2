"""The floor: bare Streamlit doing one fragment rerun on a timer (and one button for a full rerun).

The load harness drives this page exactly as it drives HopeCircle, so every HopeCircle figure
can be quoted as a multiple of what Streamlit itself costs on the same machine in the same run.
"""

import streamlit as st

every = float(st.query_params.get("every", "3"))
st.button("Press")


@st.fragment(run_every=every)
def tick() -> None:
    """Nothing to do: the cost measured is Streamlit's own."""


tick()
