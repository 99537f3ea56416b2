"""The console's part in hope that carries over: a new recurring group, "Since last time", and
words from another circle to open with. (Choosing the group a session meets as is in the start
form, `console.group_picker`.)"""

from __future__ import annotations

import streamlit as st

from hopecircle.domain import Account, Screen, SessionInfo, WorkshopError
from hopecircle.groups import MAX_OPENING_CARDS, FollowUp, SinceLastTime
from hopecircle.i18n import t
from hopecircle.services import carry, sessions
from hopecircle.ui.console import ERROR_KEY, TOAST_KEY, act
from hopecircle.ui.widgets import escaped, guide_markdown, show_error
from hopecircle.ui.wiring import context

GUIDE = "since-last-time"


def new_group_form(account: Account) -> None:
    """A new recurring group, named within its program; it is then listed in the start form."""
    with st.expander(t("console.new_group"), icon=":material/groups:"):
        with st.form("new-group", border=False):
            named, sited = st.columns(2)
            name = named.text_input(
                t("console.group_name"), placeholder=t("console.group_name_placeholder"), max_chars=80
            )
            program = sited.text_input(
                t("console.group_program"), placeholder=t("console.program_placeholder"), max_chars=80
            )
            made = st.form_submit_button(t("console.create_group"), icon=":material/add:")
        if made:
            try:
                carry.create_group(context(), account, name, program)
            except WorkshopError as error:
                show_error(error)
                return
            # Drawn again, the start form above lists the new group.
            st.session_state[TOAST_KEY] = "console.group_created"
            st.rerun()


def carry_panel(account: Account, session: SessionInfo) -> None:
    """For a group's meeting, the follow-up's counts; for a session in a program, the opening words."""
    if session.group_id is not None:
        with st.expander(t("carry.console_title"), icon=":material/history:", key=f"since-{session.id}"):
            _since(account, session)
    if session.program:
        with st.expander(t("carry.opening_title"), icon=":material/format_quote:", key=f"opening-{session.id}"):
            _opening(account, session)


def _since(account: Account, session: SessionInfo) -> None:
    try:
        group = carry.group_of(context(), account, session.id)
        since = carry.since_last_time(context(), account, session.id)
    except WorkshopError as error:
        show_error(error)
        return
    if group is not None:
        st.caption(t("carry.console_group", name=group.name, program=group.program or "—"))
        if group.meetings < 2:
            st.info(t("carry.console_first_meeting"))
    st.html(f'<div class="hc-text">{escaped(counts_line(since))}</div>')
    if since.shown:
        st.caption(t("carry.console_helped", count=len(since.helped)))
    else:
        st.warning(t("carry.console_too_few", count=since.counts.answered, threshold=max(1, since.threshold)))
    st.button(
        t("carry.console_show_since"),
        key=f"show-since-{session.id}",
        icon=":material/co_present:",
        disabled=not session.is_open or session.projected is Screen.SINCE,
        on_click=act,
        args=(sessions.set_screen, account, session.id, Screen.SINCE),
    )
    guide = context().guides.guides.get(GUIDE)
    if guide is not None:
        with st.popover(t("carry.console_guide"), icon=":material/menu_book:"):
            guide_markdown(guide.body, shift=3)


def counts_line(since: SinceLastTime) -> str:
    """Every answer's count, for the console (which sees them below the threshold too)."""
    counts = since.counts
    return t(
        "carry.console_counts",
        did_it=counts.of(FollowUp.DID_IT),
        partly=counts.of(FollowUp.PARTLY),
        not_yet=counts.of(FollowUp.NOT_YET),
        rather_not=counts.of(FollowUp.RATHER_NOT),
    )


def _opening(account: Account, session: SessionInfo) -> None:
    try:
        offered = carry.opening_candidates(context(), account, session.id)
        picked = carry.opening_choice(context(), account, session.id)
    except WorkshopError as error:
        show_error(error)
        return
    if not offered:
        st.caption(t("carry.opening_none"))
        return
    texts = {card.id: card.text for card in offered}
    key = f"opening-pick-{session.id}"
    chosen = st.multiselect(
        t("carry.opening_pick", limit=MAX_OPENING_CARDS),
        list(texts),
        default=picked,
        format_func=lambda cid: _short(texts[cid]),
        max_selections=MAX_OPENING_CARDS,
        key=key,
        disabled=not session.is_open,
    )
    with st.container(horizontal=True):
        if st.button(t("carry.opening_save"), key=f"opening-save-{session.id}", disabled=not session.is_open):
            act(carry.set_opening_cards, account, session.id, list(chosen))
            if ERROR_KEY not in st.session_state:
                st.session_state[TOAST_KEY] = "carry.opening_saved"
            st.rerun()
        st.button(
            t("carry.opening_show"),
            key=f"show-opening-{session.id}",
            icon=":material/co_present:",
            disabled=not session.is_open or not picked or session.projected is Screen.OPENING,
            on_click=act,
            args=(sessions.set_screen, account, session.id, Screen.OPENING),
        )


def _short(text: str, limit: int = 90) -> str:
    """A card's words on one line of the picker (the widget shows them as plain text)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
