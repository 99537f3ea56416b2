"""The projector's calm countdown for timed activities (reflect, next step): "About 4 minutes left".

Shown when the facilitator switches it on in the console and the session's plan times the phase.
Calm on purpose: minutes, not seconds, and no red when time is up (the console has the exact
clock). It redraws itself every few seconds; the rest of the projector stays as drawn.
"""

from __future__ import annotations

import streamlit as st

from hopecircle import plans
from hopecircle.domain import Screen, SessionInfo
from hopecircle.i18n import t
from hopecircle.ui.widgets import escaped, use_styles
from hopecircle.ui.wiring import context

TICK_SECONDS = 10


def calm_countdown(session: SessionInfo) -> None:
    """The time left in the room's phase, in words, in a corner of the projector (when switched on)."""
    if not session.projector_timer or not session.is_open or session.screen is not Screen.ROOM:
        return
    if session.phase not in plans.TIMED_ON_PROJECTOR:
        return
    plan = plans.find_plan(context().guides, session.plan_id)
    minutes = plan.minutes_for(session.phase) if plan else None
    if not minutes:
        return
    use_styles("projector-timer")

    @st.fragment(run_every=TICK_SECONDS)
    def _tick() -> None:
        elapsed = (context().clock() - session.phase_started_at).total_seconds()
        text = calm_text(plans.minutes_left_about(elapsed, minutes))
        st.html(f'<div class="hc-calm-timer" role="status">{escaped(text)}</div>')

    _tick()


def calm_text(minutes_left: int | None) -> str:
    """The words for minutes left (`plans.minutes_left_about`): none left reads as a gentle wrap-up."""
    if minutes_left is None:
        return t("projector_timer.finish")
    if minutes_left == 0:
        return t("projector_timer.under_minute")
    if minutes_left == 1:
        return t("projector_timer.one_minute")
    return t("projector_timer.minutes", count=minutes_left)
