"""The console's countdown for the room's phase, its optional chime, and the projector's calm countdown switch.

The minutes come from the session's plan (`plans.find_plan`, picked when the session started).
The clock ticks in the browser (`static/countdown.js`), so it costs the server nothing between
the console's own runs; the first state is drawn here with the same rule (`plans.countdown`).
"""

from __future__ import annotations

import base64
import functools
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from hopecircle import plans
from hopecircle.domain import Account, SessionInfo
from hopecircle.i18n import t
from hopecircle.services import sessions
from hopecircle.ui.console import act
from hopecircle.ui.widgets import STATIC, static_component
from hopecircle.ui.wiring import context

COMPONENT_NAME = "hopecircle_countdown"
CHIME_FILE = STATIC / "time_chime.wav"


def countdown(account: Account, session: SessionInfo) -> None:
    """The phase's time left against the plan (or time spent, without one), with its switches."""
    if not session.is_open:
        return
    ctx = context()
    plan = plans.find_plan(ctx.guides, session.plan_id)
    planned = plan.minutes_for(session.phase) if plan else None
    now = ctx.clock()
    state = plans.countdown((now - session.phase_started_at).total_seconds(), planned)
    chime_key = f"chime-{session.id}"
    _component()(
        data={
            "started": _epoch_ms(session.phase_started_at),
            "now": _epoch_ms(now),
            "planned": planned * 60 if planned else None,
            "tone": state.tone,
            "text": _text(state),
            "name": t("timer.name", phase=t(f"phase.{session.phase.value}")),
            "labels": _labels(),
            # Sent only when wanted: the sound is tens of kilobytes on every console run.
            "chime": _chime_uri() if st.session_state.get(chime_key) and planned else None,
            "id": f"{session.id}-{_epoch_ms(session.phase_started_at)}",
        },
        key=f"countdown-{session.id}",
    )
    if plan is None:
        st.caption(t("timer.no_plan"))
        return
    st.caption(t("timer.plan", plan=plans.plan_label(plan, ctx.stories), minutes=planned or 0))
    with st.container(horizontal=True):
        st.toggle(t("timer.chime"), key=chime_key, value=False, help=t("timer.chime_help"))
        projector_key = f"projector-timer-{session.id}-{session.version}"
        st.toggle(
            t("timer.projector"),
            value=session.projector_timer,
            key=projector_key,
            help=t("timer.projector_help"),
            on_change=_set_projector_timer,
            args=(account, session.id, projector_key),
        )


def _set_projector_timer(account: Account, session_id: int, key: str) -> None:
    act(sessions.set_projector_timer, account, session_id, bool(st.session_state.get(key)))


def _text(state: plans.Countdown) -> str:
    clock = plans.clock_text(state.seconds)
    key = {"none": "timer.elapsed", "over": "timer.over"}.get(state.tone, "timer.left")
    return t(key, time=clock)


def _labels() -> dict[str, str]:
    return {
        "left": t("timer.left", time="{time}"),
        "over": t("timer.over", time="{time}"),
        "elapsed": t("timer.elapsed", time="{time}"),
        "near": t("timer.near"),
        "up": t("timer.up"),
    }


def _epoch_ms(moment: datetime) -> int:
    """A stored time (UTC, without tzinfo) as milliseconds since the epoch, as the browser counts."""
    return int(moment.replace(tzinfo=UTC).timestamp() * 1000)


@functools.cache
def _chime_uri() -> str:
    return "data:audio/wav;base64," + base64.b64encode(CHIME_FILE.read_bytes()).decode("ascii")


@functools.cache
def _component() -> Any:
    return static_component(COMPONENT_NAME, "countdown")
