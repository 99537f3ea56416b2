"""Pieces of the projector screen: large, calm, readable from the back of the room."""

from __future__ import annotations

import streamlit as st

from hopecircle import process
from hopecircle.analytics import pulse_figure
from hopecircle.content import Story
from hopecircle.crisis import crisis_lines
from hopecircle.domain import Kind, PulseSummary, SessionInfo
from hopecircle.i18n import current_language, t
from hopecircle.qr import qr_png
from hopecircle.services import room
from hopecircle.services.board import BoardView
from hopecircle.ui import room_watch, runs
from hopecircle.ui.console import join_address
from hopecircle.ui.widgets import escaped
from hopecircle.ui.wiring import context
from hopecircle.wording import goal_sentence

# How often a projector checks the room without the room endpoints (`streamlit run
# workshop_app.py`). Words reach the board within this plus the shared live state's half
# second; a room has one to three projectors, so looking often costs little and the room sees
# its words sooner.
POLL_SECONDS = 1.0


def heading(title: str, subtitle: str = "") -> None:
    sub = f'<div class="hc-muted">{escaped(subtitle)}</div>' if subtitle else ""
    st.html(f'<div class="hc-projector"><h1>{escaped(title)}</h1>{sub}</div>')


def join_block(session: SessionInfo) -> None:
    """Big QR and code, for the welcome screen."""
    url = join_address().join_url(session.code)
    left, right = st.columns([2, 3], vertical_alignment="center")
    if url:
        left.image(qr_png(url), width=520, alt=t("board.qr_alt", url=url))
    right.html(
        f'<div class="hc-projector"><div>{escaped(t("board.join_how"))}</div>'
        f'<div class="hc-code">{escaped(session.code)}</div>'
        f'<div class="hc-muted">{escaped(url or t("console.no_network"))}</div></div>'
    )


def join_corner(session: SessionInfo) -> None:
    """A small QR and the code, so latecomers can still join."""
    url = join_address().join_url(session.code)
    with st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center"):
        st.html(
            f'<div class="hc-projector" style="text-align:right"><div class="hc-muted">{escaped(t("board.join_short"))}</div>'
            f'<div class="hc-code" style="font-size:1.2em">{escaped(session.code)}</div></div>'
        )
        if url:
            st.image(qr_png(url, box_size=6), width=130, alt=t("board.qr_alt", url=url))


def agreements(items: tuple[str, ...]) -> None:
    if not items:
        return
    rows = "".join(f"<li>{escaped(item)}</li>" for item in items)
    st.html(f'<div class="hc-projector"><h2>{escaped(t("board.agreements"))}</h2><ul>{rows}</ul></div>')


def words(tally: tuple[tuple[str, int], ...]) -> None:
    """Check-in or check-out words, bigger when more people chose them."""
    if not tally:
        return
    top = tally[0][1]
    spans = "".join(
        f'<span style="font-size:{1 + 1.4 * (count / top):.2f}em">{escaped(word)}</span>' for word, count in tally
    )
    st.html(f'<div class="hc-projector"><div class="hc-words">{spans}</div></div>')


def story(story: Story, section: int) -> None:
    """The topic-notes screen (section -1) or one section of the story."""
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


def cards(view: BoardView) -> None:
    """Approved reflections and goals as cards, in their shuffled order."""
    if view.cards_waiting:
        st.html(f'<div class="hc-projector hc-muted">{escaped(t("board.waiting", count=view.cards_waiting))}</div>')
        return
    if not view.cards:
        st.html(f'<div class="hc-projector hc-muted">{escaped(t("board.empty"))}</div>')
        return
    # Only cards this projector has not shown before get the arrival animation.
    seen: set[int] = st.session_state.setdefault("cards-seen", set())
    first_draw = not seen
    blocks = []
    for card in view.cards:
        text = card.body
        css = "hc-card" if card.id in seen or first_draw else "hc-card hc-new"
        seen.add(card.id)
        if card.kind is Kind.GOAL:
            css += " hc-goal"
            text = goal_sentence(card.body, card.goal_when, card.language)
        meta = []
        if card.kind is Kind.GOAL and card.dimension:
            meta.append(t(f"dimension.{card.dimension}"))
        if card.me_too:
            meta.append(t("board.me_too", count=card.me_too))
        meta_html = f'<div class="hc-meta">{escaped(" · ".join(meta))}</div>' if meta else ""
        blocks.append(f'<div class="{css}" data-card="{card.id}">{escaped(text)}{meta_html}</div>')
    st.html(f'<div class="hc-projector"><div class="hc-cards">{"".join(blocks)}</div></div>')


# Beside the cards the chart has about two fifths of the screen: its axis title is wrapped to fit.
NARROW_AXIS_TITLE_CHARS = 30


def pulse(summary: PulseSummary, *, dark: bool, narrow: bool = False) -> None:
    """The room's hope pulse, before and after, as a chart (shown only when enough people answered)."""
    figure = pulse_figure(
        summary, _pulse_labels(), dark=dark, axis_title_chars=NARROW_AXIS_TITLE_CHARS if narrow else None
    )
    st.plotly_chart(figure, theme=None, config={"displayModeBar": False})


def _pulse_labels() -> dict[str, str]:
    return {
        "pre": t("pulse.pre"),
        "post": t("pulse.post"),
        "mean": t("pulse.mean"),
        "axis": t("pulse.axis"),
        "count": t("pulse.count"),
    }


def footer() -> None:
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
