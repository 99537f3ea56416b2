"""Pieces of the participant's phone screen: consent, prompts, forms, their own contributions."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import streamlit as st

from hopecircle.content import Story
from hopecircle.domain import (
    MAX_WORD_CHARS,
    PULSE_MAX,
    PULSE_MIN,
    Contribution,
    Kind,
    Moment,
    ParticipantView,
    Status,
    WorkshopError,
)
from hopecircle.i18n import available_languages, language_name, t
from hopecircle.services import participation, support
from hopecircle.services.participation import Submitted
from hopecircle.ui.widgets import bullet_list, crisis_panel, escaped, participant_text, show_error
from hopecircle.ui.wiring import context, current_language, use_language
from hopecircle.wording import goal_sentence, sent_message

TOKEN_PARAM = "p"
CODE_PARAM = "code"
LANGUAGE_PARAM = "lang"
# A room of hundreds fills the board with hundreds of cards: each one is two elements to draw
# on every redraw of every phone (and to scroll on a small screen), so phones get a page at a time.
PHONE_CARDS = 12
CHECKIN_EMOJI = ("😌", "🙂", "😐", "😔", "😟", "😤", "🙏", "💪")


def language_picker() -> None:
    """EN / ES on the phone itself; the choice is kept in the page address."""
    languages = available_languages()
    if len(languages) < 2:
        return
    chosen = st.segmented_control(
        t("phone.language"),
        languages,
        default=current_language(),
        format_func=language_name,
        key="language-picker",
        label_visibility="collapsed",
    )
    if chosen and chosen != current_language():
        use_language(chosen)
        st.query_params[LANGUAGE_PARAM] = chosen
        token = st.query_params.get(TOKEN_PARAM)
        if token:
            with contextlib.suppress(WorkshopError):
                participation.set_language(context(), token, chosen)
        st.rerun()


def run_action(form: str, action: Callable[[], Submitted | str | None], clear: dict[str, object] | None = None) -> None:
    """Run a submission from a widget callback: keep the words on error, clear them on success."""
    st.session_state.pop(f"{form}-error", None)
    try:
        result = action()
    except WorkshopError as error:
        st.session_state[f"{form}-error"] = error
        return
    # Assigning (not deleting) the empty value is what makes the browser clear the box too.
    for key, empty in (clear or {}).items():
        st.session_state[key] = empty
    st.session_state[f"{form}-done"] = result if result is not None else True


# Forms whose own controls show what happened: a pressed "me too", the talk request's card.
_SAY_NOTHING = ("talk", "metoo")


def show_feedback(form: str) -> None:
    """The message under a form: the error to fix, or what happened to what was sent."""
    error = st.session_state.pop(f"{form}-error", None)
    if error is not None:
        show_error(error)
        return
    done = st.session_state.pop(f"{form}-done", None)
    if done is None:
        return
    if isinstance(done, str):  # a message key: what happened, for forms that send no card
        st.success(t(done), icon=":material/check_circle:")
    elif isinstance(done, Submitted) and done.needs_support:
        support_message()
    elif done is True and form in _SAY_NOTHING:
        return
    elif isinstance(done, Submitted) and done.contribution.status is Status.HELD:
        st.info(t(sent_message(Status.HELD)), icon=":material/hourglass_top:")
    elif isinstance(done, Submitted):
        st.success(t(sent_message(done.contribution.status)), icon=":material/check_circle:")
    else:
        st.success(t("phone.sent_pending"), icon=":material/check_circle:")


def support_message() -> None:
    """Shown gently, in the writer's language, when their words may signal they are struggling."""
    st.info(t("phone.support_message"), icon=":material/favorite:")
    crisis_panel(current_language(), expanded=True)
    st.session_state["talk-offered"] = True


def talk_after_group(token: str) -> None:
    """An optional, private request to talk with the facilitator; the participant chooses to be known."""
    try:
        request = support.my_request(context(), token)
    except WorkshopError:
        return
    with st.container(border=True, key="talk-after"):
        if request is not None:
            st.success(t("phone.talk_requested"), icon=":material/handshake:")
            st.button(
                t("phone.talk_withdraw"),
                key="talk-withdraw",
                on_click=lambda: run_action("talk", lambda: support.withdraw_request(context(), token)),
            )
            return
        st.markdown(f"**{t('phone.talk_title')}**")
        st.caption(t("phone.talk_explain"))
        st.text_input(
            t("phone.talk_note", limit=support.MAX_NOTE_CHARS), key="talk-note", max_chars=support.MAX_NOTE_CHARS
        )
        st.button(
            t("phone.talk_button"),
            key="talk-ask",
            icon=":material/handshake:",
            on_click=lambda: run_action(
                "talk", lambda: support.ask_to_talk(context(), token, st.session_state.get("talk-note"))
            ),
        )
    show_feedback("talk")


def shared_resources(push: int) -> None:
    """The support lines the facilitator just shared with every phone, until this phone closes them."""
    if push <= st.session_state.get("resources-seen", 0):
        return
    with st.container(border=True, key="resources-card"):
        st.info(t("phone.resources_shared"), icon=":material/support:")
        crisis_panel(current_language(), expanded=True)
        st.button(
            t("phone.resources_close"),
            key="resources-close",
            on_click=lambda: st.session_state.update({"resources-seen": push}),
        )


def word_form(token: str, view: ParticipantView, kind: Kind) -> None:
    """One word or emoji: "how are you arriving?" or "one thing I'm taking with me"."""
    existing = view.single(kind)
    form = f"word-{kind.value}"
    prompt = t("phone.checkin_prompt" if kind is Kind.CHECKIN else "phone.checkout_prompt")
    st.subheader(prompt)
    if existing is not None:
        st.caption(t("phone.you_said"))
        participant_text(existing.body)
    with st.form(form, border=False):
        st.pills(t("phone.pick_emoji"), CHECKIN_EMOJI, key=f"{form}-emoji")
        st.text_input(
            t("phone.one_word", limit=MAX_WORD_CHARS),
            key=f"{form}-text",
            placeholder=t("phone.one_word_placeholder"),
        )
        st.form_submit_button(
            t("phone.send"),
            type="primary",
            on_click=lambda: run_action(
                form, lambda: _send_word(token, kind, form), clear={f"{form}-text": "", f"{form}-emoji": None}
            ),
        )
    show_feedback(form)


def _send_word(token: str, kind: Kind, form: str) -> Submitted:
    word = st.session_state.get(f"{form}-text") or st.session_state.get(f"{form}-emoji") or ""
    return participation.submit_word(context(), token, kind, word)


def pulse_form(token: str, view: ParticipantView, moment: Moment) -> None:
    """The 0-10 hope pulse, clearly labeled as a pulse check that anyone may skip."""
    form = f"pulse-{moment.value}"
    st.subheader(t("phone.pulse_prompt"))
    st.caption(t("phone.pulse_label"))
    current = view.pulses.get(moment.value)
    with st.form(form, border=False):
        st.pills(
            t("phone.pulse_scale"),
            list(range(PULSE_MIN, PULSE_MAX + 1)),
            default=current,
            key=f"{form}-value",
        )
        st.form_submit_button(
            t("phone.save_pulse"), on_click=lambda: run_action(form, lambda: _save_pulse(token, moment))
        )
    if current is not None:
        st.button(
            t("phone.pulse_remove"),
            key=f"{form}-remove",
            icon=":material/backspace:",
            on_click=lambda: run_action(form, lambda: _remove_pulse(token, moment), clear={f"{form}-value": None}),
        )
    show_feedback(form)


def _save_pulse(token: str, moment: Moment) -> str:
    """Save the picked number; with none picked, take back an earlier answer or say there is nothing to save."""
    value = st.session_state.get(f"pulse-{moment.value}-value")
    if value is None:
        had_answer = moment.value in participation.resume(context(), token).pulses
        return _remove_pulse(token, moment) if had_answer else "phone.pulse_nothing"
    participation.submit_pulse(context(), token, moment, value)
    return "phone.pulse_saved"


def _remove_pulse(token: str, moment: Moment) -> str:
    participation.withdraw_pulse(context(), token, moment)
    return "phone.pulse_removed"


def reflect_heading(story: Story | None) -> None:
    """The Reflect screen's title and the story's prompts, above its form."""
    st.subheader(t("phone.reflect_title"))
    if story is not None:
        bullet_list(story.prompts)


def goal_heading(story: Story | None) -> None:
    """The Next step screen's title and the story's own next-step prompt, above its form."""
    st.subheader(t("phone.goal_title"))
    if story is not None:
        participant_text(story.next_step_prompt, "hc-prompt")


def goal_text(body: str, when: str | None, support: str | None) -> str:
    """The phone's own goal: the sentence, and on a line of its own who or what supports it."""
    text = goal_sentence(body, when)
    if support:
        text += "\n" + t("goal.support", support=support)
    return text


_STATUS_KEYS = {
    Status.PENDING: "phone.status_pending",
    Status.APPROVED: "phone.status_approved",
    Status.HIDDEN: "phone.status_hidden",
    Status.HELD: "phone.status_held",
}


MINE_KEY = "mine"


def my_contributions(token: str, view: ParticipantView, *, editable: bool, counted: bool) -> None:
    """The phone's own words, with their status; edit or delete while the session is open.

    `counted`: the title says how many (only when every send redraws the screen; see the forms'
    MINE_COUNTED).
    """
    mine = [c for c in view.contributions if c.kind in (Kind.REFLECTION, Kind.GOAL, Kind.CHECKIN, Kind.CHECKOUT)]
    title = t("phone.mine_title", count=len(mine)) if counted else t("phone.mine_heading")
    # Drawn only while open: each item is several widgets, and every phone redraws on each phase change.
    box = st.expander(title, icon=":material/edit_note:", key=MINE_KEY, on_change="rerun")
    with box:
        if not box.open:
            return
        if not mine:
            st.caption(t("phone.mine_empty"))
        for contribution in mine:
            _my_item(token, contribution, editable)


def _my_item(token: str, contribution: Contribution, editable: bool) -> None:
    body = (
        goal_text(contribution.body, contribution.goal_when, contribution.goal_support)
        if contribution.kind is Kind.GOAL
        else contribution.body
    )
    st.html(
        f'<div class="hc-card"><div class="hc-text">{escaped(body)}</div>'
        f'<div class="hc-meta">{escaped(t("kind." + contribution.kind.value))} · '
        f"{escaped(t(_STATUS_KEYS[contribution.status]))}</div></div>"
    )
    if not editable:
        return
    form = f"edit-{contribution.id}"
    confirming = st.session_state.get("confirm-delete") == contribution.id
    with st.container(horizontal=True):
        if contribution.kind is Kind.REFLECTION:
            with st.popover(t("phone.edit"), icon=":material/edit:"):
                st.text_area(t("phone.edit_label"), value=contribution.body, key=f"{form}-text")
                st.button(
                    t("phone.save_changes"),
                    key=f"{form}-save",
                    on_click=lambda: run_action(
                        form,
                        lambda: participation.edit_contribution(
                            context(), token, contribution.id, st.session_state.get(f"{form}-text", "")
                        ),
                    ),
                )
        if confirming:
            st.button(
                t("phone.confirm_delete"),
                key=f"{form}-yes",
                type="primary",
                on_click=lambda: run_action(form, lambda: _delete(token, contribution.id)),
            )
            st.button(t("phone.keep"), key=f"{form}-no", on_click=lambda: st.session_state.pop("confirm-delete", None))
        else:
            st.button(
                t("phone.delete"),
                key=f"{form}-delete",
                icon=":material/delete:",
                on_click=lambda: st.session_state.update({"confirm-delete": contribution.id}),
            )
    show_feedback(form)


def _delete(token: str, contribution_id: int) -> None:
    participation.delete_contribution(context(), token, contribution_id)
    st.session_state.pop("confirm-delete", None)


def cards_shown() -> int:
    """How many board cards this phone shows (more after each "show more")."""
    return int(st.session_state.get("board-shown", PHONE_CARDS))
