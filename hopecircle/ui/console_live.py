"""The live console's frame on a laptop: the header and its tools, the alert band, closing, settings.

What a facilitator must never miss sits in the alert band at the top, pinned there while the
page scrolls (`console.css`, `.st-key-hc-safety`): risk alerts and requests to talk, each until
handled, with the safety protocol and the support lines one click away and the alarm (tab title
and chime, `ui/alerting.py`). The join QR code is behind "Show join QR": the projector shows it
big, and the prime space on the laptop goes to the room.
"""

from __future__ import annotations

from collections import Counter

import streamlit as st

from hopecircle.domain import Account, SessionInfo, WorkshopError
from hopecircle.i18n import t
from hopecircle.qr import qr_png
from hopecircle.services import moderation, sessions, support
from hopecircle.services.moderation import Unresolved
from hopecircle.ui import alerting, console, review
from hopecircle.ui.widgets import bullet_list, escaped, show_error
from hopecircle.ui.wiring import context

BAND_KEY = "hc-safety"
# The console looks every second, so an alert is on screen within 2 s of the phone's send even
# when it lands just after a look (at 2 s it could take 2 s plus the redraw). One indexed read a
# second for a console or two; phones never run it.
ALERT_POLL_SECONDS = 1
CLOSING_KEY = "console-closing"
CLOSE_CHANGED_KEY = "console-close-changed"


def header(account: Account, session: SessionInfo) -> None:
    """The session's name and counts, with the tools a facilitator reaches for: join QR, projector, sessions, close."""
    # One row when the title is short: every line the header takes is a line less for the alerts.
    with st.container(horizontal=True, vertical_alignment="center", key="hc-head"):
        st.html(f'<h1 class="hc-title">{escaped(session.title)}</h1>', width="content")
        _tools(session)
    console.live_counts(account, session)
    if not session.is_open:
        st.info(t("console.closed_note"))


def _tools(session: SessionInfo) -> None:
    with st.container(horizontal=True, horizontal_alignment="right", width="stretch", key="hc-tools"):
        with st.popover(t("console.show_join_qr"), icon=":material/qr_code_2:"):
            join_panel(session)
        st.link_button(t("console.open_projector"), f"board?key={session.board_key}", icon=":material/open_in_new:")
        if st.button(t("console.all_sessions"), icon=":material/list:"):
            del st.query_params[console.SESSION_PARAM]
            st.rerun()
        if session.is_open:
            st.button(
                t("console.close_session"),
                icon=":material/stop_circle:",
                key="close-ask",
                on_click=lambda: st.session_state.update({CLOSING_KEY: session.id}),
            )


def join_panel(session: SessionInfo) -> None:
    """The QR code, the join code and where phones go, with a hint when they may not get there."""
    address = console.join_address()
    url = address.join_url(session.code)
    st.html(f'<p class="hc-join-code">{escaped(t("console.join_code"))}: <strong>{escaped(session.code)}</strong></p>')
    if url is None:
        st.error(t("console.no_network"))
        return
    st.image(qr_png(url), width=280)
    # The address in full-contrast text (a grey caption was too faint to read, and to pass WCAG).
    st.html(f'<p class="hc-join-url">{escaped(url)}</p>')
    if address.source == "configured":
        st.caption(t("console.address_configured"))
    else:
        st.caption(t("console.address_lan", host=address.host or ""))


def read_review(account: Account, session: SessionInfo) -> moderation.Review:
    """What waits for the facilitator (alerts, requests, the queue), read once for the band and the queue."""
    try:
        return moderation.read_review(context(), account, session.id)
    except WorkshopError as error:
        show_error(error)
        st.stop()


def alert_band(account: Account, session: SessionInfo, waiting: moderation.Review) -> None:
    """Risk alerts and requests to talk, pinned at the top, each until handled.

    The band and the queue are drawn with the page, not in fragments that redraw them every
    second or two: a click on a button that is being redrawn can be lost, and "Keep hidden" must
    never be. A small watch looks every second instead and redraws the console when what waits
    for the facilitator has changed.
    """
    with st.container(key=BAND_KEY):
        _draw_band(account, session, waiting)
        if session.is_open:
            _watch(account, session.id, _signature(waiting))


def _draw_band(account: Account, session: SessionInfo, waiting: moderation.Review) -> None:
    headline = _headline(waiting)
    with st.container(horizontal=True, vertical_alignment="center", key="hc-safety-bar"):
        state = "hc-band-alert" if waiting.alert_count else "hc-band-calm"
        icon = "⚠" if waiting.alert_count else "✓"
        st.html(
            f'<p class="hc-band-head {state}"><span aria-hidden="true">{icon}</span> {escaped(headline)}</p>',
            width="content",
        )
        with st.popover(t("console.protocol"), icon=":material/health_and_safety:"):
            bullet_list(context().guides.protocol_steps())
            st.page_link("pages/guides.py", label=t("console.protocol_full"), icon=":material/menu_book:")
        if session.is_open:
            st.button(
                t("console.push_resources"),
                icon=":material/support:",
                help=t("console.push_resources_help"),
                on_click=_share_lines,
                args=(account, session.id),
            )
        alerting.alarm(session.id, waiting.alert_count, headline)
    for item in waiting.alerts:
        key = f"hc-alert-{item.contribution.id}"
        with st.container(border=True, horizontal=True, vertical_alignment="center", key=key):
            review.item_text(item)
            review.item_actions(account, item)
    for request in waiting.requests:
        with st.container(border=True, horizontal=True, vertical_alignment="center", key=f"hc-talk-{request.id}"):
            note = escaped(request.note or t("console.talk_no_note"))
            st.html(f'<p class="hc-talk"><strong>{escaped(t("console.talk_one"))}</strong> {note}</p>')
            st.button(
                t("console.talk_noted"),
                key=f"talk-{request.id}",
                type="primary",
                on_click=console.act,
                args=(support.acknowledge, account, session.id, request.id),
            )


def _signature(waiting: moderation.Review) -> tuple[object, ...]:
    """What the band and the queue show, in a form the watch can compare."""
    return (
        tuple((i.contribution.id, i.contribution.status, i.contribution.flags) for i in waiting.alerts + waiting.queue),
        tuple((request.id, request.note) for request in waiting.requests),
    )


def _watch(account: Account, session_id: int, drawn: tuple[object, ...]) -> None:
    @st.fragment(run_every=ALERT_POLL_SECONDS)
    def _look() -> None:
        try:
            now = moderation.read_review(context(), account, session_id)
        except WorkshopError:
            st.rerun(scope="app")  # the page's own run says what went wrong
        if _signature(now) != drawn:
            st.rerun(scope="app")

    _look()


def _headline(waiting: moderation.Review) -> str:
    parts = []
    if waiting.alerts:
        parts.append(t("console.alert_title", count=len(waiting.alerts)))
    if waiting.requests:
        parts.append(t("console.talk_requests", count=len(waiting.requests)))
    return " · ".join(parts) if parts else t("console.no_alerts")


def _share_lines(account: Account, session_id: int) -> None:
    console.act(support.push_resources, account, session_id)
    if console.ERROR_KEY not in st.session_state:
        st.session_state[console.TOAST_KEY] = "console.resources_pushed"


def close_check(account: Account, session: SessionInfo) -> None:
    """After "Close session": what is still open (alerts, requests, held words), and a confirmation."""
    if st.session_state.get(CLOSING_KEY) != session.id or not session.is_open:
        return
    try:
        left = moderation.unresolved(context(), account, session.id)
    except WorkshopError as error:
        show_error(error)
        return
    with st.container(border=True, key="hc-close-check"):
        if st.session_state.pop(CLOSE_CHANGED_KEY, False):
            st.warning(t("console.close_changed"), icon=":material/update:")
        if left.count:
            st.html(f'<h2 class="hc-close-title">{escaped(t("console.close_unresolved", count=left.count))}</h2>')
            _listed(t("console.close_alerts", count=len(left.alerts)), left.alerts)
            notes = tuple(note or t("console.talk_no_note") for note in left.talk_requests)
            _listed(t("console.close_talks", count=len(notes)), notes)
            _listed(t("console.close_held", count=len(left.held)), left.held)
        else:
            st.write(t("console.close_confirm"))
        with st.container(horizontal=True):
            st.button(
                t("console.close_keep_open"),
                key="close-cancel",
                type="primary" if left.count else "secondary",
                on_click=lambda: st.session_state.pop(CLOSING_KEY, None),
            )
            st.button(
                t("console.close_anyway") if left.count else t("console.close_now"),
                key="close-now",
                type="secondary" if left.count else "primary",
                on_click=_close,
                args=(account, session.id, left),
            )


def _listed(title: str, excerpts: tuple[str, ...]) -> None:
    if excerpts:
        st.html(f'<p class="hc-close-group">{escaped(title)}</p>')
        bullet_list(excerpts)


def _close(account: Account, session_id: int, shown: Unresolved) -> None:
    """Close, unless something arrived since the list was drawn: then show the list again."""
    try:
        now = moderation.unresolved(context(), account, session_id)
    except WorkshopError as error:
        st.session_state[console.ERROR_KEY] = error
        return
    if _grew(shown, now):
        st.session_state[CLOSE_CHANGED_KEY] = True
        return
    st.session_state.pop(CLOSING_KEY, None)
    console.act(sessions.close_session, account, session_id)


def _grew(shown: Unresolved, now: Unresolved) -> bool:
    """Something is open now that the list did not show (what was answered meanwhile does not count)."""
    return any(
        Counter(getattr(now, name)) - Counter(getattr(shown, name)) for name in ("alerts", "talk_requests", "held")
    )


def room_settings(account: Account, session: SessionInfo) -> None:
    """What is set once or rarely: the dark projector, the join corner on the projector, automatic approval."""
    with st.expander(t("console.settings_title"), icon=":material/tune:"):
        st.link_button(
            t("console.open_projector_dark"), f"board?key={session.board_key}&theme=dark", icon=":material/dark_mode:"
        )
        if not session.is_open:
            return
        join_key, auto_key = f"join-{session.id}-{session.version}", f"auto-{session.id}-{session.version}"
        st.toggle(
            t("console.show_join"),
            value=session.show_join,
            key=join_key,
            on_change=lambda: console.act(sessions.set_show_join, account, session.id, st.session_state[join_key]),
        )
        st.toggle(
            t("console.auto_approve"),
            value=session.auto_approve,
            key=auto_key,
            help=t("console.auto_approve_help"),
            on_change=lambda: console.act(sessions.set_auto_approve, account, session.id, st.session_state[auto_key]),
        )
