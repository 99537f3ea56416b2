"""Facilitator console: start or resume a session, run its phases, review what phones send."""

import streamlit as st

from hopecircle.domain import Phase, WorkshopError
from hopecircle.i18n import t
from hopecircle.services import library, sessions
from hopecircle.ui import (
    console,
    console_carry,
    console_edit,
    console_live,
    console_print,
    console_team,
    console_timer,
    hands_free,
    projector_controls,
    readiness,
    review,
    sidebar_menu,
)
from hopecircle.ui.auth import require_account
from hopecircle.ui.widgets import guide_markdown, show_error, use_styles
from hopecircle.ui.wiring import context

use_styles("console")
account = require_account()
sidebar_menu.valid_menu_markup()
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
    readiness.readiness_note()
    left, right = st.columns([3, 2], gap="large")
    with left:
        started = console.start_form(account)
        if started is not None:
            st.query_params[console.SESSION_PARAM] = str(started.id)
            st.rerun()
        console_carry.new_group_form(account)
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
waiting = console_live.read_review(account, session)
console_live.header(account, session)
console_live.close_check(account, session)
console_live.alert_band(account, session, waiting)

left, right = st.columns([3, 2], gap="large")
with left:
    console.phase_controls(account, session)
    console_timer.countdown(account, session)
    if session.phase is Phase.STORY and story is not None:
        console.story_controls(account, session, story)
    console.story_language_note(account, session)
    projector_controls.screen_controls(account, session)
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
    console_carry.carry_panel(account, session)
    console_live.room_settings(account, session)
    console_team.team_panel(account, session)
    console_print.downloads(account, session)
    # The keys work anywhere on the page; the button that lists them sits out of the way.
    hands_free.listen(session, account, where="console")
with right:
    review.review_queue(account, session.id, waiting.queue)
