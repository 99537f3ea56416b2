"""The machinery that serves a big room, below the services and free of Streamlit.

`cache` (the shared, expiring reads), `waits` (phones and projectors waiting on their room),
`gate` (a few page runs at a time, people's own actions first) and `pacing` (how many phones a
process serves, and the intervals that follow). Nothing here reads the database or knows HTTP:
`hopecircle.process` wires these to the services for one app process.
"""
