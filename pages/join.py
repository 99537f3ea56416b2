"""Participant phone: join by code, consent, then the prompt for the room's current phase."""

import streamlit as st

from hopecircle import process
from hopecircle.domain import Kind, Moment, ParticipantView, Phase, UnknownParticipant
from hopecircle.i18n import available_languages, t
from hopecircle.services import board, library, participation, phone_room, room
from hopecircle.ui import following, joining, phone, phone_board, phone_card, phone_fallback
from hopecircle.ui import phone_room as room_screen_served
from hopecircle.ui.widgets import bullet_list, crisis_bar, crisis_panel, participant_text, use_styles
from hopecircle.ui.wiring import context, current_language, use_language

use_styles("phone")
params = st.query_params
if params.get(phone.LANGUAGE_PARAM) in available_languages():
    use_language(params[phone.LANGUAGE_PARAM])
ctx = context()
language = current_language()
# Served by serve.py, the phone draws its room itself and posts every word (no script runs);
# started from workshop_app.py alone, the room screen below is Streamlit's, with its forms.
served = process.served()

crisis_bar(language)
if not served:
    phone.language_picker()  # served, the room screen has its own: a page load in the other language

token = params.get(phone.TOKEN_PARAM)
view, state = None, None
if token:
    try:
        if served:
            state = phone_room.state(ctx, token, language)
        else:
            view = participation.resume(ctx, token)
    except UnknownParticipant:
        del params[phone.TOKEN_PARAM]
        st.warning(t("phone.place_lost"))

if state is not None:
    room_screen_served.screen(state.code, language, token=token, state=state)
    st.caption(t("phone.pass_reminder"))
    st.stop()

if view is None:
    # A scanned code (in the address) goes straight to consent when served; else the code box.
    scanned = joining.scanned_room(params.get(phone.CODE_PARAM, "")) if served else None
    session = scanned or joining.code_box(params.get(phone.CODE_PARAM, ""))
    if session is None:
        st.caption(t("phone.code_hint"))
        crisis_panel(language)
        st.stop()
    title = library.session_title(ctx, session, language)
    if served:
        room_screen_served.screen(session.code, language, title=title, typed=scanned is None)
        st.caption(t("phone.pass_reminder"))
        st.stop()
    participant_text(title, "hc-session-title")
    st.markdown(t("consent.body"))
    with st.container(key="consent"):
        # Joining in the button's callback lets this same run draw the room (no second page run).
        st.button(
            t("consent.join"),
            type="primary",
            icon=":material/login:",
            on_click=joining.consent_and_join,
            args=(session.code, language),
        )
        st.caption(t("consent.not_now"))
    st.page_link(
        "pages/privacy.py",
        label=t("privacy.link"),
        icon=":material/shield:",
        query_params={phone.LANGUAGE_PARAM: language},
    )
    crisis_panel(language)
    st.stop()

session = view.session
participant_text(library.session_title(ctx, session, language), "hc-session-name")


@st.fragment
def room_screen(drawn: ParticipantView) -> None:
    """What the phone shows for the room's phase, and its own words.

    A fragment: a send, a "me too", an edit or a delete, and the room moving on (the watcher at
    its end wakes it) redraw only this part of the page; the crisis bar, the language picker
    and the session's name above stay as they are. Its own runs queue at the process's gate,
    sends and taps before redraws for the room.
    """
    with following.turn():
        draw_room_screen(drawn)


def draw_room_screen(drawn: ParticipantView) -> None:
    view = following.view_for_this_run(token, drawn)
    live = room.live_state(ctx, session.id)
    phase, is_open, moved_to = following.screen_phase(live, session, view)
    story = library.session_story(ctx, view.session, language)
    if live is not None:
        phone.shared_resources(live.resources_push)

    if not is_open or phase is Phase.CLOSE:
        st.title(t("phone.close_title"))
        if is_open:
            phone.word_form(token, view, Kind.CHECKOUT)
            phone.pulse_form(token, view, Moment.POST)
        goal = view.single(Kind.GOAL)
        if goal is not None:
            st.subheader(t("phone.your_goal"))
            participant_text(phone.goal_text(goal.body, goal.goal_when, goal.goal_support), "hc-card")
            phone_card.hope_card_button(goal, language)
        st.write(t("phone.close_thanks"))
        crisis_panel(language, expanded=True)
        if not is_open:
            st.info(t("phone.session_ended"))
    elif phase is Phase.WELCOME:
        st.title(t("phone.welcome_title"))
        st.write(t("phone.welcome_body"))
        bullet_list(view.session.agreements or ctx.guides.agreements(language))
    elif phase is Phase.CHECKIN:
        phone.word_form(token, view, Kind.CHECKIN)
        phone.pulse_form(token, view, Moment.PRE)
    elif phase is Phase.STORY:
        st.title(t("phone.story_title"))
        if story is not None:
            participant_text(t("phone.story_body", storyteller=story.storyteller))
            st.caption(t("phone.topic_notes"))
            bullet_list(story.topic_notes)
        st.info(t("phone.step_out"), icon=":material/door_open:")
    elif phase is Phase.REFLECT:
        phone_fallback.reflection_form(token, story)
    elif phase is Phase.NEXT_STEP:
        phone_fallback.goal_form(token, view, story)
    elif phase is Phase.BOARD:
        # The projector's cards for the session as this run read it with the phone's own words
        # (the page's copy is as old as the page: a "me too" just made would not count yet).
        phone_board.board_cards(
            token, board.public_cards(ctx, view.session, limit=phone.cards_shown()), view.my_reactions
        )
    if moved_to is not None:
        following.moved_on(moved_to)

    if is_open and (phase is Phase.CLOSE or st.session_state.get("talk-offered")):
        phone.talk_after_group(token)
    phone.my_contributions(token, view, editable=is_open, counted=phone_fallback.MINE_COUNTED)
    following.watch(live if is_open else None)


room_screen(view)
st.caption(t("phone.pass_reminder"))
