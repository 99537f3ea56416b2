"""Sentences built around participants' own words."""

from __future__ import annotations

from hopecircle.i18n import t


def goal_sentence(what: str, when: str | None, language: str | None = None) -> str:
    """A next-step goal as one sentence ("I will ... by ..."), in `language` (else the reader's).

    Pass the writer's language for someone else's goal: the frame must match the words inside it,
    or a Spanish phone would read "Voy a call my sister".
    """
    sentence = t("goal.sentence", lang=language, what=what)
    if when:
        sentence += " " + t("goal.by", lang=language, when=when)
    return sentence
