"""Who runs the session: its owner and co-facilitators, and how the owner adds one.

Every console of the session follows the room: when another console moves it (a phase, a story
part, closing, edited agreements or prompts), this one redraws within a couple of seconds.
"""

from __future__ import annotations

import streamlit as st

from hopecircle.domain import Account, LiveState, SessionInfo, WorkshopError, edit_mark
from hopecircle.i18n import t
from hopecircle.services import hosts, room
from hopecircle.services.hosts import SessionTeam
from hopecircle.ui import runs
from hopecircle.ui.console import act
from hopecircle.ui.widgets import escaped, show_error
from hopecircle.ui.wiring import context

FOLLOW_SECONDS = 2


def team_panel(account: Account, session: SessionInfo) -> None:
    """The session's facilitators; the owner (or an admin) adds and removes co-facilitators."""
    try:
        team = hosts.team(context(), account, session.id)
    except WorkshopError as error:
        show_error(error)
        return
    with st.expander(t("team.title", count=1 + len(team.co_hosts)), icon=":material/group:", key=f"team-{session.id}"):
        _members(account, session, team)
        if team.may_manage(account) and session.is_open:
            _add_form(account, session)
        st.caption(t("team.explain"))
    if session.is_open:
        _follow(session)


def _members(account: Account, session: SessionInfo, team: SessionTeam) -> None:
    owner = t("team.owner", name=team.owner.display_name)
    st.html(f'<div class="hc-text">{escaped(owner)}</div>')
    for member in team.co_hosts:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.html(f'<div class="hc-text">{escaped(t("team.co_host", name=member.display_name))}</div>')
            if team.may_manage(account):
                st.button(
                    t("team.remove"),
                    key=f"team-remove-{session.id}-{member.id}",
                    icon=":material/person_remove:",
                    on_click=act,
                    args=(hosts.remove_co_host, account, session.id, member.id),
                )


def _add_form(account: Account, session: SessionInfo) -> None:
    try:
        staff = hosts.staff_to_add(context(), account, session.id)
    except WorkshopError as error:
        show_error(error)
        return
    if not staff:
        st.caption(t("team.nobody_to_add"))
        return
    names = {member.id: member.display_name for member in staff}
    with st.form(f"team-add-{session.id}", border=False):
        chosen = st.selectbox(t("team.pick"), list(names), format_func=names.__getitem__, index=None)
        added = st.form_submit_button(t("team.add"), icon=":material/person_add:")
    if added:
        if chosen is None:
            st.warning(t("team.pick_first"))
            return
        act(hosts.add_co_host, account, session.id, chosen)
        st.rerun()


def room_key(room_now: LiveState | SessionInfo) -> tuple[object, ...]:
    """What another console can change that this console draws: phase, story part, open or
    closed, and the edited agreements and prompts (not cards or joins: those have their own ticks)."""
    if isinstance(room_now, SessionInfo):
        marks = (edit_mark(room_now.agreements), edit_mark(room_now.prompts))
    else:
        marks = (room_now.agreements_mark, room_now.prompts_mark)
    return (room_now.phase, room_now.status, room_now.story_section, *marks)


def _follow(session: SessionInfo) -> None:
    # What this tab last drew, kept where every run of the page updates it: a tick that arrives
    # just after this console moved the room itself must not redraw it again (a redraw started
    # from a tick carries the browser's widget values of that moment, the phase picker's too).
    drawn = f"room-drawn-{session.id}"
    st.session_state[drawn] = room_key(session)

    @st.fragment(run_every=FOLLOW_SECONDS)
    def _watch() -> None:
        if not runs.is_tick():
            return  # drawn with the page, from the session it has just read
        live = room.live_state(context(), session.id)
        if live is not None and room_key(live) != st.session_state.get(drawn):
            st.rerun(scope="app")

    _watch()
