"""Projector: the room's shared screen. Follows the facilitator's phase and shows approved cards."""

import streamlit as st

from hopecircle.domain import Phase, WorkshopError
from hopecircle.i18n import t
from hopecircle.services import board
from hopecircle.ui import projector, projector_timer
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

if not session.is_open or phase is Phase.CLOSE:
    projector.heading(t("board.close_title"), t("board.close_subtitle"))
    projector.words(view.checkout_words)
    if view.pulse_ready:
        projector.pulse(view.pulse, dark=dark)
elif phase is Phase.WELCOME:
    projector.heading(session.title, t("board.welcome_subtitle"))
    projector.join_block(session)
    projector.agreements(view.agreements)
elif phase is Phase.CHECKIN:
    projector.heading(t("board.checkin_title"), t("board.checkin_subtitle", count=view.participants))
    if session.show_join:
        projector.join_corner(session)
    projector.words(view.checkin_words)
elif phase is Phase.STORY and view.story is not None:
    projector.story(view.story, session.story_section)
else:
    prompts = {
        Phase.REFLECT: view.story.prompts[0] if view.story else t("board.reflect_title"),
        Phase.NEXT_STEP: view.story.next_step_prompt if view.story else t("board.next_step_title"),
        Phase.BOARD: t("board.board_title"),
    }
    projector.heading(
        prompts.get(phase, session.title), t("board.count", approved=view.approved_count, sent=view.contributions)
    )
    if session.show_join:
        projector.join_corner(session)
    if phase is Phase.BOARD and view.pulse_ready:
        # Beside the cards, not below them: a full board would push the chart past the screen's fold.
        cards_column, chart_column = st.columns([3, 2])
        with cards_column:
            projector.cards(view)
        with chart_column:
            projector.pulse(view.pulse, dark=dark, narrow=True)
    else:
        projector.cards(view)

projector.footer()
projector_timer.calm_countdown(session)
projector.follow(session.id, session.version, session.board_key)
