"""Pieces of the projector screen: large, calm, readable from the back of the room.

Sizes come from the screen's height (projector.css), never below the wall's smallest type
(`projector_fit.MIN_TYPE_VH`); what has to fit a varying amount of text (cards, a story screen,
agreements, words) is fitted in the browser by `projector_fit`.
"""

from __future__ import annotations

import base64
import math
from functools import lru_cache

import streamlit as st

from hopecircle import process
from hopecircle.analytics import pulse_figure
from hopecircle.content import Story
from hopecircle.crisis import crisis_lines
from hopecircle.domain import PulseSummary, SessionInfo
from hopecircle.i18n import current_language, t
from hopecircle.qr import qr_png
from hopecircle.services import room
from hopecircle.ui import room_watch, runs
from hopecircle.ui.console import join_address
from hopecircle.ui.projector_fit import MIN_TYPE_VH
from hopecircle.ui.widgets import escaped
from hopecircle.ui.wiring import context

# How often a projector checks the room without the room endpoints (`streamlit run
# workshop_app.py`). Words reach the board within this plus the shared live state's half
# second; a room has one to three projectors, so looking often costs little and the room sees
# its words sooner.
POLL_SECONDS = 1.0
# The pulse chart beside the cards (or the close screen's words) takes two fifths of the width.
CHART_SHARE = 0.4
CHART_HEIGHT_SHARE = 0.55


def heading(title: str, subtitle: str = "", join: SessionInfo | None = None) -> None:
    """The screen's title, with the join code and a small QR in the corner when `join` is given."""
    sub = f'<div class="hc-muted">{escaped(subtitle)}</div>' if subtitle else ""
    corner = _join_corner(join) if join is not None else ""
    st.html(
        f'<div class="hc-projector hc-head"><div class="hc-head-text"><h1>{escaped(title)}</h1>{sub}</div>{corner}</div>'
    )


def _join_corner(session: SessionInfo) -> str:
    """A small QR and the code, so latecomers can still join."""
    url = join_address().join_url(session.code)
    image = f'<img class="hc-qr" src="{_qr_uri(url)}" alt="{escaped(t("board.qr_alt", url=url))}">' if url else ""
    return (
        f'<div class="hc-join-corner"><div><div class="hc-muted">{escaped(t("board.join_short"))}</div>'
        f'<div class="hc-code">{escaped(session.code)}</div></div>{image}</div>'
    )


@lru_cache(maxsize=16)
def _qr_uri(url: str) -> str:
    """The QR code as an image address inside the page: the projector is drawn in one piece, offline."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url, box_size=10)).decode("ascii")


def join_block(session: SessionInfo) -> None:
    """Big QR and code, for the welcome screen (beside the agreements)."""
    url = join_address().join_url(session.code)
    image = f'<img class="hc-qr" src="{_qr_uri(url)}" alt="{escaped(t("board.qr_alt", url=url))}">' if url else ""
    st.html(
        f'<div class="hc-projector hc-join">{image}<div>{escaped(t("board.join_how"))}</div>'
        f'<div class="hc-code">{escaped(session.code)}</div>'
        f'<div class="hc-address">{escaped(url or t("console.no_network"))}</div></div>'
    )


def join_screen(session: SessionInfo) -> None:
    """The big join QR for latecomers: the code and the address as large as the screen allows."""
    url = join_address().join_url(session.code)
    image = f'<img class="hc-qr" src="{_qr_uri(url)}" alt="{escaped(t("board.qr_alt", url=url))}">' if url else ""
    st.html(
        f'<div class="hc-projector hc-join-screen">{image}<div class="hc-join-words">'
        f"<h1>{escaped(t('board.join_title'))}</h1><div>{escaped(t('board.join_how'))}</div>"
        f'<div class="hc-code">{escaped(session.code)}</div>'
        f'<div class="hc-address">{escaped(url or t("console.no_network"))}</div></div></div>'
    )


def blank() -> None:
    """A calm, empty screen: a soft background and nothing else (a screen reader hears why)."""
    st.html(f'<div class="hc-blank" role="status"><span class="hc-unseen">{escaped(t("board.blank"))}</span></div>')


def story(story: Story, section: int) -> None:
    """The topic-notes screen (section -1) or one whole section of the story, as one block.

    The story editor's preview shows every part this way; the live projector shows a part a
    screen at a time, fitted (`projector_fit.story_screen`).
    """
    if section < 0:
        notes = "".join(f"<li>{escaped(note)}</li>" for note in story.topic_notes)
        st.html(
            f'<div class="hc-projector hc-story"><h1>{escaped(story.title)}</h1>'
            f'<div class="hc-muted">{escaped(t("board.story_by", storyteller=story.storyteller))}</div>'
            f"<h2>{escaped(t('board.topic_notes'))}</h2><ul>{notes}</ul>"
            f"<p><strong>{escaped(t('board.step_out'))}</strong></p>"
            f'<p class="hc-muted">{escaped(story.composite_note)}</p></div>'
        )
        return
    part = story.sections[min(section, len(story.sections) - 1)]
    paragraphs = "".join(f"<p>{escaped(p)}</p>" for p in part.paragraphs)
    progress = t("board.section_of", number=section + 1, total=len(story.sections))
    st.html(
        f'<div class="hc-projector hc-story"><div class="hc-muted">{escaped(story.title)} · {escaped(progress)}</div>'
        f"<h2>{escaped(part.heading)}</h2>{paragraphs}</div>"
    )


def pulse(summary: PulseSummary, *, dark: bool, screen: tuple[int, int]) -> None:
    """The room's hope pulse, before and after, beside the cards or words (shown only when
    enough people answered): its type at least the wall's smallest for this `screen` size."""
    width, height = screen
    font = math.ceil(height * MIN_TYPE_VH / 100)
    # The column's width, less the page's margins and the plot's own (a character of the chart's
    # type is about 0.6 of its size wide).
    column = width * 0.94 * CHART_SHARE - 3 * font
    figure = pulse_figure(
        summary, _pulse_labels(), dark=dark, font_size=font, axis_title_chars=max(12, int(column / (0.6 * font)))
    )
    # The counts' axis gets a fixed margin for two-digit ticks and its title beside them: the wall
    # type is set after plotly measures, so its own automatic margin left the title on the ticks.
    figure.update_layout(
        height=int(height * CHART_HEIGHT_SHARE), margin={"l": math.ceil(3.4 * font), "r": font // 2, "t": 2 * font}
    )
    figure.update_yaxes(automargin=False, title_standoff=round(0.4 * font))
    st.plotly_chart(figure, theme=None, config={"displayModeBar": False, "staticPlot": True})


def _pulse_labels() -> dict[str, str]:
    return {
        "pre": t("pulse.pre"),
        "post": t("pulse.post"),
        "mean": t("pulse.mean"),
        "axis": t("pulse.axis"),
        "count": t("pulse.count"),
    }


def footer() -> None:
    """The crisis line, at the bottom of every screen but the blank one."""
    lifeline = crisis_lines(current_language()).lines[0]
    st.html(f'<div class="hc-footer">{escaped(t("board.footer", name=lifeline.name))}</div>')


def follow(session_id: int, version: int, board_key: str) -> None:
    """Redraw the projector when anything the room can see has changed, and only then.

    Served through `serve.py`, the page's watcher waits on the room (`room_watch.board_watch`):
    the page reruns as soon as the room's version is newer than the one drawn. Otherwise a
    fragment checks every POLL_SECONDS.
    """
    if process.served():
        room_watch.board_watch(board_key, version)
        return

    @st.fragment(run_every=POLL_SECONDS)
    def _poll() -> None:
        if not runs.is_tick():
            return
        state = room.live_state(context(), session_id)
        # Newer only: the page was drawn from a fresh read, while the shared live state may still be
        # up to its TTL behind. With `!=` every change made the board rerun itself in a loop until the
        # cache caught up (half a second of redraws per board per change).
        if state is not None and state.version > version:
            st.rerun()

    _poll()
