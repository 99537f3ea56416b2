"""Pieces of the facilitator console: start, phases, timer, story, the board's cards.

The live console's frame (header, alert band, closing, settings) is `console_live.py`; the
review queue and each item's actions are `review.py`.
"""

from __future__ import annotations

import streamlit as st

from hopecircle import network, plans, process
from hopecircle.config import load_settings
from hopecircle.content import Story
from hopecircle.domain import PHASES, Account, Phase, SessionInfo, WorkshopError, next_phase, previous_phase
from hopecircle.groups import Group
from hopecircle.i18n import available_languages, language_name, t
from hopecircle.services import carry, library, moderation, sessions
from hopecircle.services.context import Context
from hopecircle.ui import console_names
from hopecircle.ui.widgets import escaped, show_error
from hopecircle.ui.wiring import context

SESSION_PARAM = "session"
ONE_OFF = 0  # the group picker's choice for a session of no group
COUNTS_POLL_SECONDS = 4


ERROR_KEY = "console-error"
# The message key of a short confirmation to show once the action's run draws the console.
TOAST_KEY = "console-toast"


def act(action, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """Run a service call from a button; show its error instead of crashing the console."""
    try:
        action(context(), *args, **kwargs)
    except WorkshopError as error:
        st.session_state[ERROR_KEY] = error


def show_pending_error() -> None:
    """What the last action left to say: its error, or its confirmation."""
    error = st.session_state.pop(ERROR_KEY, None)
    if error is not None:
        show_error(error)
    done = st.session_state.pop(TOAST_KEY, None)
    if done is not None:
        st.toast(t(done), icon=":material/check_circle:")


def start_form(account: Account) -> SessionInfo | None:
    """Start a session in under a minute: a story, an optional title and site, go."""
    ctx = context()
    stories = {story.id: story for story in library.stories_for(ctx, account)}
    if not stories:
        st.error(t("console.no_stories"))
        return None
    with st.form("start-session"):
        story_id = st.selectbox(
            t("console.story"),
            list(stories),
            format_func=lambda sid: _story_label(ctx, stories.get(sid)),
        )
        # Two fields a row: the whole form, Start included, fits a 1366×768 laptop's screen.
        named, sited = st.columns(2)
        title = named.text_input(t("console.title"), placeholder=t("console.title_placeholder"), max_chars=120)
        program = sited.text_input(t("console.program"), placeholder=t("console.program_placeholder"), max_chars=80)
        spoken, planned = st.columns(2)
        with spoken:
            language = st.segmented_control(
                t("console.projector_language"), available_languages(), default="en", format_func=language_name
            )
        with planned:
            plan_id = _plan_choice(ctx)
        grouped, approving = st.columns(2, vertical_alignment="bottom")
        with grouped:
            group_id = group_picker(account)
        with approving:
            auto = st.toggle(t("console.auto_approve"), value=False, help=t("console.auto_approve_help"))
        started = st.form_submit_button(t("console.start"), type="primary", icon=":material/play_arrow:")
    if not started:
        return None
    try:
        return sessions.start_session(
            ctx, account, story_id, title, program, language or "en", auto, plan_id=plan_id or None, group_id=group_id
        )
    except WorkshopError as error:
        show_error(error)
        return None


def group_picker(account: Account) -> int | None:
    """A one-off session, or the next meeting of one of the organization's recurring groups."""
    groups = {group.id: group for group in carry.list_groups(context(), account)}
    chosen = st.selectbox(
        t("console.group"),
        [ONE_OFF, *groups],
        format_func=lambda gid: _group_label(groups[gid]) if gid else t("console.group_one_off"),
        help=t("console.group_help"),
    )
    return chosen or None


def _group_label(group: Group) -> str:
    return t("console.group_choice", name=group.name, program=group.program or "—", count=group.meetings)


def _plan_choice(ctx: Context) -> str:
    """The session plan to count each phase's minutes against ("" is a custom session, no plan)."""
    labels = {plan.id: plans.plan_label(plan, ctx.stories) for plan in plans.session_plans(ctx.guides)}
    labels[""] = t("console.plan_custom")
    choices = list(labels)
    default = choices.index(plans.DEFAULT_PLAN) if plans.DEFAULT_PLAN in labels else 0
    chosen = st.selectbox(
        t("console.plan"), choices, index=default, format_func=labels.__getitem__, help=t("console.plan_help")
    )
    return chosen or ""


def _story_label(ctx: Context, story: Story | None) -> str:
    """The story as the picker lists it, with every language it is told in ("English · Español")."""
    if story is None:
        return "?"
    told_in = " · ".join(language_name(code) for code in library.story_languages(ctx, story.id))
    return f"{story.title} — {story.storyteller} ({told_in}, {story.reading_minutes} min)"


def story_language_note(account: Account, session: SessionInfo) -> None:
    """A warning when phones joined in a language the session's story is not told in."""
    try:
        missing = sessions.phones_without_the_story(context(), account, session.id)
    except WorkshopError:
        return
    for language, count in missing.items():
        st.warning(
            t(
                "console.story_missing_language",
                count=count,
                language=language_name(language),
                shown=language_name(session.language),
            ),
            icon=":material/translate:",
        )


def join_address() -> network.JoinAddress:
    settings = load_settings()
    return network.join_address(settings.public_url, int(st.get_option("server.port") or 8501))


def phase_controls(account: Account, session: SessionInfo) -> None:
    """The seven phases: where the room is, and buttons to move it."""
    index = PHASES.index(session.phase)
    st.progress(
        (index + 1) / len(PHASES),
        text=t("console.phase_of", number=index + 1, total=len(PHASES), name=t(f"phase.{session.phase.value}")),
    )
    console_names.moved_by(account, session)
    # The buttons carry the phase they lead to, worked out when the page was drawn: a double
    # click then moves the room one phase, not two.
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.button(
            t("console.back"),
            icon=":material/arrow_back:",
            disabled=index == 0 or not session.is_open,
            on_click=act,
            args=(sessions.set_phase, account, session.id, previous_phase(session.phase)),
        )
        st.button(
            t("console.next"),
            icon=":material/arrow_forward:",
            type="primary",
            disabled=index == len(PHASES) - 1 or not session.is_open,
            on_click=act,
            args=(sessions.set_phase, account, session.id, next_phase(session.phase)),
        )
        _phase_picker(account, session)


def _phase_picker(account: Account, session: SessionInfo) -> None:
    # Like the buttons, the picker is the one drawn for the room's phase: a new one for each phase,
    # so it follows a move made elsewhere (another console). It moves the room only from the phase
    # it was drawn for: a run that still carries an old picker's value from the browser (a tick
    # sent before the redraw arrived) moves nothing back.
    key = f"jump-{session.id}-{session.phase.value}"
    st.selectbox(
        t("console.jump_to"),
        PHASES,
        index=PHASES.index(session.phase),
        format_func=lambda p: t(f"phase.{p.value}"),
        key=key,
        width=240,
        disabled=not session.is_open,
        on_change=lambda: act(
            sessions.set_phase, account, session.id, Phase(st.session_state[key]), from_phase=session.phase
        ),
    )


def live_counts(account: Account, session: SessionInfo) -> None:
    """Phones joined and contributions so far, kept current while the console is open."""

    @st.fragment(run_every=COUNTS_POLL_SECONDS)
    def _counts() -> None:
        counts = sessions.session_counts(context(), account, session.id)
        line = t(
            "console.header",
            code=session.code,
            phones=counts.participants,
            sent=counts.total(),
            program=session.program or "—",
        )
        st.html(f'<div class="hc-meta">{escaped(line)}</div>')
        wait = None if process.served() else process.PACING.slow_room_wait_seconds()
        if wait is not None:
            # Without the room endpoint a big room looks less often to spare the server: say so
            # before the facilitator moves on. With it, phones wait on the room and follow at the
            # pace the server redraws (live/waits.py).
            st.caption(t("console.phones_follow", seconds=wait))

    _counts()


def story_controls(account: Account, session: SessionInfo, story: Story) -> None:
    """Which part of the story the projector shows: topic notes first, then each section."""
    labels = [t("console.topic_notes_screen")] + [f"{i + 1}. {s.heading}" for i, s in enumerate(story.sections)]
    current = session.story_section + 1
    st.caption(t("console.story_showing", part=labels[current]))
    with st.container(horizontal=True):
        st.button(
            t("console.previous_section"),
            icon=":material/skip_previous:",
            disabled=current == 0,
            on_click=act,
            args=(sessions.set_story_section, account, session.id, session.story_section - 1),
        )
        st.button(
            t("console.next_section"),
            icon=":material/skip_next:",
            type="primary",
            disabled=current == len(labels) - 1,
            on_click=act,
            args=(sessions.set_story_section, account, session.id, session.story_section + 1),
        )
    if current > 0:
        section = story.sections[current - 1]
        with st.expander(t("console.reading_copy"), expanded=True):
            for paragraph in section.paragraphs:
                st.write(paragraph)


def on_board(account: Account, session_id: int) -> None:
    """What the projector shows now, with the shareable-quote mark and a way to take a card down."""
    shown = moderation.on_board(context(), account, session_id)
    st.caption(t("console.on_board_count", count=len(shown)))
    names = console_names.staff_names(account, session_id) if shown else {}
    for c in shown:
        with st.container(border=True):
            st.html(f'<div class="hc-text">{escaped(c.body)}</div>')
            console_names.by_line(account, names, c.moderated_by, "team.approved_by")
            with st.container(horizontal=True):
                if moderation.may_share(c):
                    st.toggle(
                        t("console.shareable"),
                        value=c.shareable,
                        key=f"share-{c.id}",
                        help=t("console.shareable_help"),
                        on_change=lambda cid=c.id: act(
                            moderation.set_shareable, account, cid, st.session_state[f"share-{cid}"]
                        ),
                    )
                st.button(
                    t("console.take_down"), key=f"down-{c.id}", on_click=act, args=(moderation.hide, account, c.id)
                )
