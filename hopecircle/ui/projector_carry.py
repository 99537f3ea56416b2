"""The projector's two moments of a recurring group: "Since last time" and words from another circle.

Both are screens the console puts up (`Screen.SINCE`, `Screen.OPENING`), fitted like the board's
cards. "Since last time" shows the counts and the approved "what helped" cards only once the
organization's reveal threshold answered; below it, a welcome and nothing that could point at
anyone. Words from another circle come with nothing that says where they came from.
"""

from __future__ import annotations

from hopecircle.domain import SessionInfo
from hopecircle.groups import FollowUp
from hopecircle.i18n import t
from hopecircle.services import carry
from hopecircle.ui import projector, projector_fit
from hopecircle.ui.wiring import context

_COUNTED = (
    (FollowUp.DID_IT, "board.since_taken"),
    (FollowUp.PARTLY, "board.since_partly"),
    (FollowUp.NOT_YET, "board.since_not_yet"),
)


def since_screen(session: SessionInfo) -> None:
    """The room's counts ("5 steps taken · 3 partly") and what helped, from the threshold on."""
    since = carry.since_for_room(context(), session)
    if not since.shown:
        projector.heading(t("board.since_title"), t("board.since_welcome"))
        return
    projector.heading(t("board.since_title"), t("board.since_answered", count=since.counts.answered))
    items: list[dict[str, object]] = [
        {"tag": "h2", "text": t(key, count=since.counts.of(answer)), "keep": True} for answer, key in _COUNTED
    ]
    if since.helped:
        items.append({"tag": "strong", "text": t("board.since_helped")})
        items.extend({"tag": "li", "text": text} for text in since.helped)
    projector_fit.fitted(
        "projector-since", "flow", items, largest=projector_fit.STORY_MAX_VH, label=t("board.since_title")
    )


def opening_screen(session: SessionInfo, *, seconds: tuple[float, float, float]) -> None:
    """The picked words as cards, with no time, session, group or name."""
    projector.heading(t("board.opening_title"), t("board.opening_subtitle"))
    cards = carry.opening_for_room(context(), session)
    items: list[dict[str, object]] = [{"id": card.id, "text": card.text, "meta": "", "goal": False} for card in cards]
    if items:
        projector_fit.fitted(
            "projector-opening",
            "cards",
            items,
            largest=projector_fit.CARD_MAX_VH,
            label=t("board.opening_title"),
            room=session.id,
            seconds=seconds,
        )
