"""One Context per process (store, content, caches), and the per-person language."""

from __future__ import annotations

import logging
import os

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from hopecircle.config import load_settings
from hopecircle.i18n import DEFAULT_LANGUAGE, set_language_resolver
from hopecircle.services import accounts
from hopecircle.services.context import Context, build_context
from hopecircle.services.retention import run_retention

log = logging.getLogger("hopecircle")
LANGUAGE_KEY = "language"


@st.cache_resource(show_spinner=False)
def context() -> Context:
    """The process-wide Context: the database is opened and upgraded once, content is read once."""
    settings = load_settings()
    ctx = build_context(settings)
    for error in [*ctx.stories.errors, *ctx.guides.errors]:
        log.warning("Content refused: %s", error)
    # Retention runs on every start as well as from `python -m hopecircle retention`.
    run_retention(ctx)
    code = accounts.setup_code(ctx)
    if code:
        _announce_setup_code(code, settings.data_dir)
    return ctx


def _announce_setup_code(code: str, data_dir: os.PathLike[str]) -> None:
    """Tell whoever started the app how to create the first account (printed, and saved beside the data)."""
    message = (
        "\n  HopeCircle first start: open the facilitator console and create the first account.\n"
        f"  Setup code: {code}\n"
    )
    print(message, flush=True)
    try:
        path = os.path.join(data_dir, "setup-code.txt")
        os.makedirs(data_dir, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(code + "\n")
    except OSError:
        log.warning("Could not save the setup code beside the data; it is printed above.")


def current_language() -> str:
    return st.session_state.get(LANGUAGE_KEY) or DEFAULT_LANGUAGE


def use_language(language: str) -> None:
    """Make `language` the one every `t()` call in this browser tab uses."""
    st.session_state[LANGUAGE_KEY] = language


def _language_of_this_tab() -> str | None:
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get(LANGUAGE_KEY)


set_language_resolver(_language_of_this_tab)
