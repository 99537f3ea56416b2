"""Who did what, in the console only: "Approved by Ada", "Moved to Reflect by Sam".

A console names the others who acted (a co-facilitator, an admin); its own account's actions
carry no label.

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
    """Who did it, as this console says it: someone else by their display name; nothing for this
    console's own account (its own actions need no label, and a facilitator alone sees none)."""
    if actor_id is None or actor_id == account.id:
        return None
    return names.get(actor_id) or t("team.someone")


def by_line(account: Account, names: dict[int, str], actor_id: int | None, key: str, **params: str) -> None:
    """A quiet line saying who did it (`key` fills in `name`); nothing when nobody else is recorded."""
    name = name_of(account, names, actor_id)
    if name is not None:
        st.html(f'<div class="hc-meta hc-by">{escaped(t(key, name=name, **params))}</div>')


def moved_by(account: Account, session: SessionInfo) -> None:
    """Who last moved the room (phase, story part, closing), under the phase controls."""
    if session.changed_by is None or session.changed_by == account.id:
        return
    names = staff_names(account, session.id)
    by_line(account, names, session.changed_by, "team.moved_by", phase=t(f"phase.{session.phase.value}"))
