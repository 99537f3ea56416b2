"""The process's Context for pages, quieter Streamlit logs, and each browser tab's language."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from hopecircle.i18n import DEFAULT_LANGUAGE, set_language_resolver
from hopecircle.process import context

__all__ = ["context", "current_language", "use_language"]
LANGUAGE_KEY = "language"


class QuietFragmentMisses(logging.Filter):
    """Drops Streamlit's notes that a fragment run was asked for a fragment a full rerun replaced.

    A projector's tick after its page was redrawn, or a phone's room watcher waking a room screen
    the page had just drawn anew, does that; in a big room it is hundreds of log lines per phase,
    all harmless (the new page has its own fragments), drowning what operators look for.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("The fragment with id", "Couldn't find fragment with id"))


_NOISY_LOGGERS = ("streamlit.runtime.app_session", "streamlit.runtime.scriptrunner.script_runner")


def quiet_streamlit_noise() -> None:
    for name in _NOISY_LOGGERS:
        streamlit_log = logging.getLogger(name)
        if not any(isinstance(existing, QuietFragmentMisses) for existing in streamlit_log.filters):
            streamlit_log.addFilter(QuietFragmentMisses())


quiet_streamlit_noise()


def current_language() -> str:
    return st.session_state.get(LANGUAGE_KEY) or DEFAULT_LANGUAGE


def use_language(language: str) -> None:
    """Make `language` the one every `t()` call in this browser tab uses."""
    st.session_state[LANGUAGE_KEY] = language
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        _run_languages[ctx.session_id] = (ctx.cursors, language)


# Every t() asks for the tab's language, and a session_state read is a script-runner yield
# point with locks: a sizeable share of a phone's rerun. Streamlit gives each run a fresh
# `ctx.cursors` dict, so the language read once is kept for the rest of that run
# (use_language keeps it current within the run).
_run_languages: dict[str, tuple[object, str | None]] = {}


def _language_of_this_tab() -> str | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    cached = _run_languages.get(ctx.session_id)
    if cached is not None and cached[0] is ctx.cursors:
        return cached[1]
    language = st.session_state.get(LANGUAGE_KEY)
    if len(_run_languages) > 10_000:
        _run_languages.clear()
    _run_languages[ctx.session_id] = (ctx.cursors, language)
    return language


set_language_resolver(_language_of_this_tab)
