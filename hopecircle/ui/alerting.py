"""The console's alarm: the tab's title counts open alerts, and a chime plays when one arrives.

A tiny `st.components.v2` component (`static/alerting.js`) in the console's alert band, given
the number of open alerts on every tick of the band. The chime is `static/chime.wav` (made by
`scripts/make_chime.py`), sent as a data URL: a venue may have no internet, and nothing is
fetched. Whether the sound is on is remembered by the browser (localStorage), so a facilitator
who switched it off in a quiet room is not surprised by it next time.
"""

from __future__ import annotations

import base64
import functools
from typing import Any

from hopecircle.i18n import t
from hopecircle.ui.widgets import STATIC, static_component

COMPONENT_NAME = "hopecircle_alerting"
ALERTING_KEY = "console-alerting"
CHIME = STATIC / "chime.wav"


@functools.cache
def _component() -> Any:
    return static_component(COMPONENT_NAME, "alerting")


@functools.cache
def chime_url() -> str:
    """The chime as a data URL, read once per process."""
    return "data:audio/wav;base64," + base64.b64encode(CHIME.read_bytes()).decode("ascii")


def alarm(session_id: int, count: int, headline: str) -> None:
    """Mount the alarm: `count` open alerts now (the title shows it; a rise chimes), `headline` read out on a rise."""
    _component()(
        data={
            "session": str(session_id),
            "count": count,
            "announce": headline,
            "title": t("console.tab_alerts"),
            "chime": chime_url(),
            "sound": t("console.sound"),
            "on": t("console.sound_on"),
            "off": t("console.sound_off"),
            "test": t("console.sound_test"),
            "blocked": t("console.sound_blocked"),
            "failed": t("console.sound_failed"),
            "works": t("console.sound_works"),
        },
        key=ALERTING_KEY,
    )
