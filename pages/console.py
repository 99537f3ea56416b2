"""Facilitator console: start or resume a session, run its phases, review what phones send."""

import streamlit as st

from hopecircle.domain import Phase, WorkshopError
from hopecircle.i18n import t
from hopecircle.services import library, sessions, support
from hopecircle.ui import console, console_edit, console_print, console_team, console_timer
from hopecircle.ui.auth import require_account
from hopecircle.ui.widgets import escaped, guide_markdown, show_error, use_styles
from hopecircle.ui.wiring import context

use_styles("console")
account = require_account()
ctx = context()
console.show_pending_error()

selected = st.query_params.get(console.SESSION_PARAM)
session = None
if selected and selected.isdigit():
    try:
        session = sessions.get_session(ctx, account, int(selected))
    except WorkshopError as error:
        show_error(error)
        del st.query_params[console.SESSION_PARAM]

if session is None:
    st.title(t("console.title_start"))
    left, right = st.columns([3, 2], gap="large")
    with left:
        started = console.start_form(account)
        if started is not None:
            st.query_params[console.SESSION_PARAM] = str(started.id)
            st.rerun()
    with right:
        st.subheader(t("console.your_sessions"))
        mine = sessions.my_sessions(ctx, account)
        if not mine:
            st.caption(t("console.no_sessions"))
        for item in mine:
            label = f"{item.title} · {item.code} · " + t("console.status_" + item.status)
            if st.button(
                label, key=f"open-{item.id}", icon=":material/play_circle:" if item.is_open else ":material/history:"
            ):
                st.query_params[console.SESSION_PARAM] = str(item.id)
                st.rerun()
    st.stop()

story = library.get_story(ctx, session.story_id)
head, close = st.columns([4, 1], vertical_alignment="bottom")
with head:
    st.html(f'<h1 class="hc-title">{escaped(session.title)}</h1>')
    console.live_counts(account, session)
if close.button(t("console.all_sessions"), icon=":material/list:"):
    del st.query_params[console.SESSION_PARAM]
    st.rerun()
if not session.is_open:
    st.info(t("console.closed_note"))

left, right = st.columns([3, 2], gap="large")
with left:
    console.phase_controls(account, session)
    console_timer.countdown(account, session)
    if session.phase is Phase.STORY and story is not None:
        console.story_controls(account, session, story)
    note = ctx.guides.phase_note(session.phase)
    if note is not None:
        with st.container(border=True):
            st.markdown(f"#### {note.title}")
            guide_markdown(note.body, shift=3)
    console_edit.live_editor(account, session, story)
    with st.expander(t("console.on_board_title"), icon=":material/dashboard:"):
        console.on_board(account, session.id)
    if session.facilitator_id == account.id:  # the owner's private notes: not a co-facilitator's
        with st.expander(t("console.notes_title"), icon=":material/sticky_note_2:"):
            notes = st.text_area(t("console.notes_label"), value=session.notes, key=f"notes-{session.id}")
            if st.button(t("console.save_notes")):
                console.act(sessions.save_notes, account, session.id, notes)
                st.toast(t("console.notes_saved"))
with right:
    console.join_panel(session)
    console_team.team_panel(account, session)
    console_print.downloads(account, session)
    with st.container(horizontal=True):
        st.link_button(t("console.open_projector"), f"board?key={session.board_key}", icon=":material/open_in_new:")
        st.link_button(
            t("console.open_projector_dark"), f"board?key={session.board_key}&theme=dark", icon=":material/dark_mode:"
        )
    if session.is_open:
        st.toggle(
            t("console.show_join"),
            value=session.show_join,
            key=f"join-{session.id}-{session.version}",
            on_change=lambda: console.act(
                sessions.set_show_join, account, session.id, st.session_state[f"join-{session.id}-{session.version}"]
            ),
        )
        st.toggle(
            t("console.auto_approve"),
            value=session.auto_approve,
            key=f"auto-{session.id}-{session.version}",
            help=t("console.auto_approve_help"),
            on_change=lambda: console.act(
                sessions.set_auto_approve, account, session.id, st.session_state[f"auto-{session.id}-{session.version}"]
            ),
        )
        st.button(
            t("console.push_resources"),
            icon=":material/support:",
            help=t("console.push_resources_help"),
            on_click=console.act,
            args=(support.push_resources, account, session.id),
        )
        console.review_queue(account, session.id)
        with st.popover(t("console.close_session"), icon=":material/stop_circle:"):
            st.write(t("console.close_confirm"))
            st.button(
                t("console.close_now"),
                type="primary",
                on_click=console.act,
                args=(sessions.close_session, account, session.id),
            )
