"""Who did what, in the console only: "Approved by Ada", "Moved to Reflect by Sam".

The names are staff display names, shown escaped to the people who run the session; the
projector and the phones never ask for them (`services.hosts.staff_names` needs a host).
"""

from __future__ import annotations

import streamlit as st

from hopecircle.domain import Account, SessionInfo, WorkshopError
from hopecircle.i18n import t
from hopecircle.services import hosts
from hopecircle.ui.widgets import escaped
from hopecircle.ui.wiring import context


def staff_names(account: Account, session_id: int) -> dict[int, str]:
    """Display names by account id, read once per call site (an empty map when refused)."""
    try:
        return hosts.staff_names(context(), account, session_id)
    except WorkshopError:
        return {}


def name_of(account: Account, names: dict[int, str], actor_id: int | None) -> str | None:
    """The actor as this console names them: "you" for its own account, else their display name."""
    if actor_id is None:
        return None
    if actor_id == account.id:
        return t("team.you")
    return names.get(actor_id) or t("team.someone")


def by_line(account: Account, names: dict[int, str], actor_id: int | None, key: str, **params: str) -> None:
    """A quiet line saying who did it (`key` fills in `name`); nothing when nobody is recorded."""
    name = name_of(account, names, actor_id)
    if name is not None:
        st.html(f'<div class="hc-meta hc-by">{escaped(t(key, name=name, **params))}</div>')


def moved_by(account: Account, session: SessionInfo) -> None:
    """Who last moved the room (phase, story part, closing), under the phase controls."""
    if session.changed_by is None:
        return
    names = staff_names(account, session.id) if session.changed_by != account.id else {}
    by_line(account, names, session.changed_by, "team.moved_by", phase=t(f"phase.{session.phase.value}"))
