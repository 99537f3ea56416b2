"""What the running script is for: which browser tab, and whether it is a fragment's own run."""

from __future__ import annotations

import hashlib

from streamlit.runtime.scriptrunner import get_script_run_ctx


def tab_key() -> str:
    """A key for this browser tab that says nothing else (not the Streamlit session id, which resumes a session)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    session_id = ctx.session_id if ctx is not None else ""
    return hashlib.sha256(session_id.encode()).hexdigest()[:16] if session_id else ""


def is_tick() -> bool:
    """Whether this script run reruns fragments only (a tick, a watcher's wake, a tap inside a
    fragment), not the full page.

    A full page run also runs each fragment, at its place in the page. A projector's ticker acts
    only on its own runs: if it asked for a rerun whenever the room had moved on since the page
    was drawn, a busy room (a change every second) would interrupt each full run at its end and
    a projector would never finish drawing. The next tick catches up.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx is not None and bool(ctx.fragment_ids_this_run)
