"""The preflight's verdict where the facilitator sees it before starting: phones this setup holds, or what to fix.

The same checks as `python -m hopecircle check` (`hopecircle/preflight.py`), run inside the app
process, so the open-file limit is this process's own. They look at the machine and ask the
phones' address over the network, so the verdict is kept for a minute per process: the console's
reruns ask nothing.
"""

from __future__ import annotations

import streamlit as st

from hopecircle import capacity, preflight
from hopecircle.config import load_settings
from hopecircle.i18n import t
from hopecircle.ui.widgets import bullet_list

CHECK_SECONDS = 60


@st.cache_resource(ttl=CHECK_SECONDS, show_spinner=False)
def _verdict(public_url: str | None, database_url: str, data_dir: str, port: int) -> preflight.Verdict:
    """The verdict for these settings, shared by every console tab of the process for a minute."""
    del public_url, database_url, data_dir  # they key the cache; gather reads them again
    return preflight.judge(preflight.gather(load_settings(), port=port, in_app=True))


def current_verdict() -> preflight.Verdict:
    """This process's verdict, at most a minute old."""
    settings = load_settings()
    port = int(st.get_option("server.port") or preflight.DEFAULT_PORT)
    return _verdict(settings.public_url, settings.database_url, str(settings.data_dir), port)


def readiness_note() -> None:
    """One line when the setup is ready (about how many phones), a warning with the first fix when not."""
    verdict = current_verdict()
    first = verdict.first_fix
    if first is None:
        st.caption(t("console.readiness_ready", phones=f"{capacity.about(verdict.phones):,}"))
    else:
        assert first.fix is not None
        st.warning(t("console.readiness_not_ready", fix=first.fix.text()), icon=":material/warning:")
    with st.expander(t("console.readiness_details"), icon=":material/speed:"):
        bullet_list(
            f"{t('check.status_' + finding.status.value)}: {finding.says.text()}" for finding in verdict.findings
        )
