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
# The band looks every second, so an alert is on screen within 2 s of the phone's send even when
# it lands just after a look (at 2 s, like the queue, it could take 2 s plus the band's own run).
# One indexed read a second for a console or two; phones never run it.
ALERT_POLL_SECONDS = 1
CLOSING_KEY = "console-closing"
CLOSE_CHANGED_KEY = "console-close-changed"


def header(account: Account, session: SessionInfo) -> None:
    """The session's name and counts, with the tools a facilitator reaches for: join QR, projector, sessions, close."""
    title, tools = st.columns([2, 3], vertical_alignment="center")
    with title:
        st.html(f'<h1 class="hc-title">{escaped(session.title)}</h1>')
        console.live_counts(account, session)
    with tools, st.container(horizontal=True, horizontal_alignment="right", key="hc-tools"):
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
    if not session.is_open:
        st.info(t("console.closed_note"))


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


def alert_band(account: Account, session: SessionInfo) -> None:
    """Risk alerts and requests to talk, pinned at the top, each until handled; refreshed with the queue's tick."""
    with st.container(key=BAND_KEY):
        _band(account, session)


def _band(account: Account, session: SessionInfo) -> None:
    @st.fragment(run_every=ALERT_POLL_SECONDS if session.is_open else None)
    def _draw() -> None:
        if st.session_state.pop(review.REDRAW_KEY, False):
            # An alert was answered: the queue, the board list and the counts show the change at once.
            st.rerun(scope="app")
        try:
            alerts = moderation.open_alerts(context(), account, session.id)
        except WorkshopError as error:
            show_error(error)
            return
        headline = _headline(alerts)
        with st.container(horizontal=True, vertical_alignment="center", key="hc-safety-bar"):
            state = "hc-band-alert" if alerts.count else "hc-band-calm"
            icon = "⚠" if alerts.count else "✓"
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
            alerting.alarm(session.id, alerts.count, headline)
        for item in alerts.items:
            key = f"hc-alert-{item.contribution.id}"
            with st.container(border=True, horizontal=True, vertical_alignment="center", key=key):
                review.item_text(item)
                review.item_actions(account, item, redraw=True)
        for request in alerts.requests:
            with st.container(border=True, horizontal=True, vertical_alignment="center", key=f"hc-talk-{request.id}"):
                note = escaped(request.note or t("console.talk_no_note"))
                st.html(f'<p class="hc-talk"><strong>{escaped(t("console.talk_one"))}</strong> {note}</p>')
                st.button(
                    t("console.talk_noted"),
                    key=f"talk-{request.id}",
                    type="primary",
                    on_click=_noted,
                    args=(account, session.id, request.id),
                )

    _draw()


def _headline(alerts: moderation.Alerts) -> str:
    parts = []
    if alerts.items:
        parts.append(t("console.alert_title", count=len(alerts.items)))
    if alerts.requests:
        parts.append(t("console.talk_requests", count=len(alerts.requests)))
    return " · ".join(parts) if parts else t("console.no_alerts")


def _noted(account: Account, session_id: int, request_id: int) -> None:
    st.session_state[review.REDRAW_KEY] = True  # an error, if any, shows at the top at once
    console.act(support.acknowledge, account, session_id, request_id)


def _share_lines(account: Account, session_id: int) -> None:
    st.session_state[review.REDRAW_KEY] = True
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
