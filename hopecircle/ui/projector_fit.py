"""The projector's content fitted to its screen: cards, story screens, agreements and words.

One `st.components.v2` component (`static/projector_fit.js`) gets the content as data and lays
it out in the browser, the only place that knows the screen's size: the largest type, from the
wall's smallest (MIN_TYPE_VH, a share of the screen's height) up, at which it all fits above
the crisis line; past that, pages that turn by themselves with "2 / 3" and a pause. Words are
set as text there, never as HTML. See docs/projector.md.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import streamlit as st

from hopecircle import story_screens
from hopecircle.content import Story
from hopecircle.domain import Kind
from hopecircle.i18n import t
from hopecircle.services.board import BoardView
from hopecircle.ui.widgets import escaped, static_component
from hopecircle.wording import goal_sentence

COMPONENT_NAME = "hopecircle_projector_fit"
# The wall's smallest type, as a share of the screen's height (in vh): 1/32 of the height, 34 px
# on a 1080-line projector, 24 px at 768, 22.5 px at 720. projector-room.css says the same number.
MIN_TYPE_VH = 3.125
# The largest each kind of content is drawn, also in vh.
CARD_MAX_VH = 6.0
STORY_MAX_VH = 5.5
WORDS_MAX_VH = 7.0
# Board pages stay up for as long as their words take to read (READ_CHARS_PER_SECOND), between
# these bounds (a venue can set a fixed time with the projector URL's `seconds=`).
PAGE_SECONDS = (12, 40)
READ_CHARS_PER_SECOND = 20
PAGE_SECONDS_RANGE = (4, 120)


@functools.cache
def _component() -> Any:
    return static_component(COMPONENT_NAME, "projector_fit")


def page_seconds(raw: str | None) -> tuple[float, float, float]:
    """How long a board page stays up: from the projector URL's `seconds=` when it is a number in
    range (every page that long), otherwise by how much each page has to read."""
    try:
        seconds = float(raw) if raw else None
    except ValueError:
        seconds = None
    low, high = PAGE_SECONDS_RANGE
    if seconds is not None and low <= seconds <= high:
        return (seconds, seconds, 1.0)
    return (PAGE_SECONDS[0], PAGE_SECONDS[1], READ_CHARS_PER_SECOND)


def fitted(
    key: str,
    layout: str,
    items: list[dict[str, object]],
    *,
    largest: float,
    overflow: str = "pages",
    label: str = "",
    room: int | None = None,
    seconds: tuple[float, float, float] = (PAGE_SECONDS[0], PAGE_SECONDS[1], READ_CHARS_PER_SECOND),
) -> None:
    """Mount the fitted content: `layout` is "cards", "flow" (headings, paragraphs, list items)
    or "cloud" (words); `overflow` "pages" turns pages, "shrink" keeps one screen (a story screen)."""
    spec = {
        "layout": layout,
        "items": items,
        "min": MIN_TYPE_VH,
        "max": largest,
        "overflow": overflow,
        "label": label,
        "rotate": list(seconds),
        # P in another window of this browser (the console) pauses this screen's pages.
        "room": f"hopecircle-room-{room}" if room is not None else "",
        "labels": _pager_labels(),
    }
    # One JSON string: for a list in its data, Streamlit checks for a dataframe (pandas, pyarrow).
    _component()(data={"spec": json.dumps(spec, ensure_ascii=False)}, key=key)


def _pager_labels() -> dict[str, str]:
    return {
        "page": t("board.page_of_short"),
        "page_name": t("board.page_of"),
        "previous": "‹",
        "previous_name": t("board.page_previous"),
        "next": "›",
        "next_name": t("board.page_next"),
        "pause": t("board.pages_pause"),
        "resume": t("board.pages_resume"),
    }


def cards(view: BoardView, *, room: int, seconds: tuple[float, float, float]) -> None:
    """Approved reflections and goals as cards, in their shuffled order, fitted or paged."""
    if view.cards_waiting or not view.cards:
        message = t("board.waiting", count=view.cards_waiting) if view.cards_waiting else t("board.empty")
        st.html(f'<div class="hc-projector hc-muted">{escaped(message)}</div>')
        return
    items: list[dict[str, object]] = []
    for card in view.cards:
        goal = card.kind is Kind.GOAL
        meta = []
        if goal and card.dimension:
            meta.append(t(f"dimension.{card.dimension}"))
        if card.me_too:
            meta.append(t("board.me_too", count=card.me_too))
        text = goal_sentence(card.body, card.goal_when, card.language) if goal else card.body
        items.append({"id": card.id, "text": text, "meta": " · ".join(meta), "goal": goal})
    fitted(
        "projector-cards",
        "cards",
        items,
        largest=CARD_MAX_VH,
        label=t("board.board_title"),
        room=room,
        seconds=seconds,
    )


def story_screen(story: Story, section: int, screen: int) -> None:
    """The topic notes (section -1) or one screen of a story part, as large as the screen allows."""
    if section < 0:
        items = [
            _text("h1", story.title),
            _text("muted", t("board.story_by", storyteller=story.storyteller)),
            _text("h2", t("board.topic_notes")),
            *[_text("li", note) for note in story.topic_notes],
            _text("strong", t("board.step_out")),
            _text("muted", story.composite_note),
        ]
    else:
        section = min(section, len(story.sections) - 1)
        screens = story_screens.part_screens(story, section)
        screen = max(0, min(screen, len(screens) - 1))
        where = [story.title, t("board.section_of", number=section + 1, total=len(story.sections))]
        if len(screens) > 1:
            where.append(t("board.screen_of", number=screen + 1, total=len(screens)))
        items = [
            _text("muted", " · ".join(where)),
            _text("h2", story.sections[section].heading),
            *[_text("p", paragraph) for paragraph in screens[screen]],
        ]
    fitted("projector-story", "flow", items, largest=STORY_MAX_VH, overflow="shrink")


def _text(tag: str, text: str) -> dict[str, object]:
    """A heading ("h1", "h2"), paragraph ("p", "muted", "strong") or list item ("li") of flowing text."""
    return {"tag": tag, "text": text}


def agreements(items: tuple[str, ...]) -> None:
    """The group agreements, as large as fits beside the join code (paged when there are many)."""
    if not items:
        return
    listed = [{**_text("h2", t("board.agreements")), "keep": True}, *[_text("li", item) for item in items]]
    fitted("projector-agreements", "flow", listed, largest=STORY_MAX_VH, label=t("board.agreements"))


def words(tally: tuple[tuple[str, int], ...], *, room: int) -> None:
    """Check-in or check-out words, bigger when more people chose them."""
    if not tally:
        return
    top = tally[0][1]
    items: list[dict[str, object]] = [{"text": word, "scale": round(1 + 1.4 * count / top, 2)} for word, count in tally]
    fitted("projector-words", "cloud", items, largest=WORDS_MAX_VH, room=room)
