"""Projector: the room's shared screen. Follows the facilitator's phase and shows approved cards."""

import streamlit as st

from hopecircle.domain import Phase, Screen, WorkshopError
from hopecircle.i18n import t
from hopecircle.services import board
from hopecircle.ui import hands_free, projector, projector_carry, projector_fit, projector_timer
from hopecircle.ui.auth import signed_in
from hopecircle.ui.widgets import show_error, use_styles
from hopecircle.ui.wiring import context, use_language

dark = st.query_params.get("theme") == "dark"
use_styles("projector", "projector-room", *(["projector-dark"] if dark else []))
ctx = context()
try:
    session = board.find_board(ctx, st.query_params.get("key", ""))
except WorkshopError as error:
    show_error(error)
    st.stop()
use_language(session.language)
view = board.board_view(ctx, session)
session = view.session
phase = session.phase
# Keys move the room from here only for someone signed in to this session in this tab.
screen_size = hands_free.listen(session, signed_in(), where="projector")
seconds = projector_fit.page_seconds(st.query_params.get("seconds"))
join_corner = session if session.show_join else None

if session.projected is Screen.BLANK:
    projector.blank()
elif session.projected is Screen.JOIN:
    projector.join_screen(session)
elif session.projected is Screen.SINCE:
    projector_carry.since_screen(session)
elif session.projected is Screen.OPENING:
    projector_carry.opening_screen(session, seconds=seconds)
elif not session.is_open or phase is Phase.CLOSE:
    projector.heading(t("board.close_title"), t("board.close_subtitle"))
    if view.pulse_ready:
        words_column, chart_column = st.columns([3, 2])
        with words_column:
            projector_fit.words(view.checkout_words, room=session.id)
        with chart_column:
            projector.pulse(view.pulse, dark=dark, screen=screen_size)
    else:
        projector_fit.words(view.checkout_words, room=session.id)
elif phase is Phase.WELCOME:
    projector.heading(session.title, t("board.welcome_subtitle"))
    join_column, agreements_column = st.columns([2, 3], gap="large")
    with join_column:
        projector.join_block(session)
    with agreements_column:
        projector_fit.agreements(view.agreements)
elif phase is Phase.CHECKIN:
    projector.heading(t("board.checkin_title"), t("board.checkin_subtitle", count=view.participants), join=join_corner)
    projector_fit.words(view.checkin_words, room=session.id)
elif phase is Phase.STORY and view.story is not None:
    projector_fit.story_screen(view.story, session.story_section, session.story_screen)
else:
    prompts = {
        Phase.REFLECT: view.story.prompts[0] if view.story else t("board.reflect_title"),
        Phase.NEXT_STEP: view.story.next_step_prompt if view.story else t("board.next_step_title"),
        Phase.BOARD: t("board.board_title"),
    }
    projector.heading(
        prompts.get(phase, session.title),
        t("board.count", approved=view.approved_count, sent=view.contributions),
        join=join_corner,
    )
    if phase is Phase.BOARD and view.pulse_ready:
        # Beside the cards, not below them: a full board would push the chart past the screen's fold.
        cards_column, chart_column = st.columns([3, 2])
        with cards_column:
            projector_fit.cards(view, room=session.id, seconds=seconds)
        with chart_column:
            projector.pulse(view.pulse, dark=dark, screen=screen_size)
    else:
        projector_fit.cards(view, room=session.id, seconds=seconds)

if session.projected is not Screen.BLANK:
    projector.footer()
    projector_timer.calm_countdown(session)
projector.follow(session.id, session.version, session.board_key)
