"""Load harness: simulated phones and projector boards driving the real app over Streamlit's WebSocket.

`python -m bench.load --help` for the options; docs/performance.md for the recorded runs.
"""
