"""Sentences built around participants' own words."""

from __future__ import annotations

from hopecircle.domain import Status
from hopecircle.i18n import t

_SENT_MESSAGES = {Status.APPROVED: "phone.sent_on_board", Status.HELD: "phone.sent_held"}


def goal_sentence(what: str, when: str | None, language: str | None = None) -> str:
    """A next-step goal as one sentence ("I will ... by ..."), in `language` (else the reader's).

    Pass the writer's language for someone else's goal: the frame must match the words inside it,
    or a Spanish phone would read "Voy a call my sister".
    """
    sentence = t("goal.sentence", lang=language, what=what)
    if when:
        sentence += " " + t("goal.by", lang=language, when=when)
    return sentence


def sent_message(status: Status) -> str:
    """The message key for what happened to words just sent, as the phone says it (posted or by form)."""
    return _SENT_MESSAGES.get(status, "phone.sent_pending")
