"""Use cases. Each takes a `Context` first, never imports streamlit, and returns plain data."""
