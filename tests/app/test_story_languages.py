"""Every shipped story in both languages, as a phone shows it: not one sentence in the other language.

A phone walks a session of each story, in English and in Spanish, through every screen: the
join page and consent, the welcome with the group agreements, check-in, the story's topic
notes, the reflection prompts, the next step with its prompt and parts of life, the board, the
close with the support lines, the session's end (as Streamlit draws them, and served, as the
room component is given them: every sentence of its catalog and everything its data shows),
and the hope card it can save. Every sentence it is shown of four words or more goes to a
language identifier (py3langid, whose model ships inside its wheel, asked to choose between
English and Spanish); a shorter one ("Salud", a story's title) is looked up among the other
language's own words: its catalog and its versions of the stories.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from html.parser import HTMLParser

import pytest
from google.protobuf.message import Message
from PIL import ImageDraw
from streamlit.testing.v1 import AppTest

from hopecircle import hope_card
from hopecircle.config import ROOT
from hopecircle.content import StoryLibrary, load_stories
from hopecircle.domain import Phase
from hopecircle.i18n import catalog
from hopecircle.services import moderation, sessions
from hopecircle.ui.phone_board import CARDS_COMPONENT
from hopecircle.ui.phone_room import COMPONENT_NAME as ROOM_COMPONENT
from hopecircle.ui.room_watch import COMPONENT_NAME as WATCH_COMPONENT
from tests.app.conftest import page, room_texts, serve

LANGUAGES = ("en", "es")
LIBRARY = load_stories(ROOT / "stories")
# The stories a facilitator picks from; each of the others is one of these told in another language.
ORIGINALS = sorted(story.id for story in LIBRARY.stories.values() if story.translation_of is None)
MIN_WORDS = 4
# Names that are the same in either language: the product's, and a support line's own brand.
NAMES = ("HopeCircle", "Crisis Text Line")
# What a phone writes, in its own language (a participant's words are theirs, in any language,
# but these make the board, the list of what was shared and the hope card speak one language).
WORDS = {
    "en": {
        "reflection": "The part about asking for help stayed with me.",
        "what": "call my sister",
        "when": "Friday",
        "support": "my neighbor",
    },
    "es": {
        "reflection": "Me quedé con la parte de pedir ayuda.",
        "what": "llamar a mi hermana",
        "when": "el viernes",
        "support": "mi vecina",
    },
}


@cache
def identifier():
    """py3langid's model (in its wheel, nothing downloaded), choosing between our two languages only."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identify = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identify.set_languages(list(LANGUAGES))
    return identify


def sentences(text: str) -> Iterator[str]:
    """`text` cut into lines and sentences, without Markdown marks, list bullets or web addresses."""
    text = re.sub(r"\S+\.(?:org|com|gov)\S*", " ", text)
    text = re.sub(r"[*_#`>]", " ", text)
    for line in text.splitlines():
        for piece in re.split(r"(?<=[.!?:;])\s+", line):
            piece = piece.strip(" \t-–—•·,()")
            if re.search(r"[^\W\d_]", piece):
                yield piece


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@cache
def words_of(language: str) -> frozenset[str]:
    """Every sentence of a language's catalog and of its versions of the stories."""
    texts = list(catalog(language).values())
    for story in LIBRARY.stories.values():
        if story.language == language:
            texts += [story.title, *story.topic_notes, *story.prompts, story.next_step_prompt]
    return frozenset(_folded(sentence) for text in texts for sentence in sentences(text))


def foreign_sentences(texts: Iterable[str], language: str) -> list[str]:
    """The sentences in `texts` that are not in `language` (it is "en" or "es")."""
    other = next(code for code in LANGUAGES if code != language)
    theirs_only = words_of(other) - words_of(language)
    found = []
    for text in texts:
        for sentence in sentences(text):
            bare = sentence
            for name in NAMES:
                bare = bare.replace(name, " ")
            words = re.findall(r"[^\W\d_]+", bare)
            if len(words) >= MIN_WORDS:
                if identifier().classify(bare)[0] != language:
                    found.append(sentence)
            elif _folded(sentence) in theirs_only:
                found.append(sentence)
    return found


class _HtmlText(HTMLParser):
    """The text a person reads in an HTML block (and hears: labels and titles), never its styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in ("aria-label", "title", "alt") and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data)


def _html_text(body: str) -> list[str]:
    parser = _HtmlText()
    parser.feed(body)
    return parser.parts


# The fields of Streamlit's messages that a person reads: text, labels, hints, options, tooltips.
_READ_FIELDS = frozenset({"body", "label", "placeholder", "help", "content"})


def _proto_text(message: Message) -> Iterator[str]:
    for field, value in message.ListFields():
        items = value if field.is_repeated else [value]
        if field.type == field.TYPE_MESSAGE:
            for item in items:
                yield from _proto_text(item)
        elif field.type == field.TYPE_STRING and field.name in _READ_FIELDS:
            yield from items


def _component_text(name: str, data: dict) -> list[str]:
    """What the phone's own components draw from the data they are given."""
    if name == WATCH_COMPONENT:
        return []  # the watcher draws nothing
    if name == CARDS_COMPONENT:
        cards = json.loads(data["cards"])
        return [data["label"], *(card["text"] for card in cards), *(card["label"] for card in cards)]
    if name == ROOM_COMPONENT:
        # Every sentence it may draw, in the phone's language, and everything its data shows.
        parsed = {key: json.loads(data[key]) if data[key] else None for key in ("strings", "setup", "lines", "state")}
        setup = parsed["setup"]
        consent = [text for part in setup["consent"] for item in part["items"] for _bold, text in item]
        return [*parsed["strings"].values(), *consent, *room_texts({**data, **parsed})]
    raise AssertionError(f"the phone shows a component this test cannot read: {name}")


def shown(at: AppTest) -> list[str]:
    """Every piece of text on the phone's page, as a person reads it."""
    assert not at.exception, at.exception
    found: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        kind = proto.DESCRIPTOR.name if isinstance(proto, Message) else ""
        if kind == "Html":
            found.extend(_html_text(proto.body))
        elif kind == "BidiComponent":
            found.extend(_component_text(proto.component_name, json.loads(proto.json)))
        elif kind == "ButtonGroup" and proto.id.endswith("-language-picker"):
            found.append(proto.label)  # each language is named in itself
        elif isinstance(proto, Message):
            found.extend(_proto_text(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def drawn_on_hope_card(language: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the hope card draws (each block whole, as the card writes it, and every line)."""
    blocks: list[str] = []
    lines: list[str] = []
    block = hope_card._block
    draw_text = ImageDraw.ImageDraw.text

    def recording_block(draw, y, text, *args, **kwargs):
        blocks.append(text)
        return block(draw, y, text, *args, **kwargs)

    def recording_text(self, xy, text, *args, **kwargs):
        lines.append(text)
        return draw_text(self, xy, text, *args, **kwargs)

    words = WORDS[language]
    with monkeypatch.context() as drawing:
        drawing.setattr(hope_card, "_block", recording_block)
        drawing.setattr(ImageDraw.ImageDraw, "text", recording_text)
        png = hope_card.hope_card_png(
            words["what"], words["when"], words["support"], "community", language, date(2026, 5, 4)
        )
    assert png.startswith(b"\x89PNG") and lines
    return [*blocks, *lines]


def walk_a_phone(ctx, account, story_id: str, language: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A phone in `language` through a whole session of `story_id`: what it was shown, screen by screen."""
    session = sessions.start_session(ctx, account, story_id)
    screens: dict[str, list[str]] = {}
    at = page("join", code=session.code, lang=language)
    screens["consent"] = shown(at)
    join = next(b for b in at.button if b.proto.type == "primary")
    join.click().run()
    assert at.query_params["p"], "the phone joined"
    screens["welcome"] = shown(at)

    def phase(to: Phase) -> None:
        sessions.set_phase(ctx, account, session.id, to)
        at.run()
        screens[to.value] = shown(at)

    words = WORDS[language]
    phase(Phase.CHECKIN)
    phase(Phase.STORY)
    phase(Phase.REFLECT)
    at.text_area(key="reflection-text").input(words["reflection"])
    next(b for b in at.button if b.proto.form_id == "reflection").click().run()
    screens["reflect, sent"] = shown(at)
    phase(Phase.NEXT_STEP)
    at.text_input(key="goal-what").input(words["what"])
    at.text_input(key="goal-when").input(words["when"])
    at.text_input(key="goal-support").input(words["support"])
    at.pills(key="goal-dimension").set_value("community")
    next(b for b in at.button if b.proto.form_id == "goal").click().run()
    screens["next step, saved"] = shown(at)
    # Served by serve.py the phone draws every screen itself, from the room component's data.
    with monkeypatch.context() as served:
        serve(served)
        consent = page("join", code=session.code, lang=language)
        screens["consent, served"] = shown(consent)
        served_phone = page("join", code=session.code, p=at.query_params["p"], lang=language)
        for to in (Phase.REFLECT, Phase.NEXT_STEP):
            sessions.set_phase(ctx, account, session.id, to)
            served_phone.run()
            screens[f"{to.value}, served"] = shown(served_phone)
    moderation.approve_all_pending(ctx, account, session.id)
    phase(Phase.BOARD)
    at.session_state["mine"] = True  # the phone opens its list of what it shared
    at.run()
    screens["board, what I shared"] = shown(at)
    at.session_state["mine"] = False
    with monkeypatch.context() as served:
        serve(served)
        served_phone.run()
        screens["board, served"] = shown(served_phone)
    assert WORDS[language]["reflection"] in "\n".join(screens["board, served"])  # the cards, with its own words
    phase(Phase.CLOSE)
    sessions.close_session(ctx, account, session.id)
    at.run()
    screens["ended"] = shown(at)
    with monkeypatch.context() as served:
        serve(served)
        served_phone.run()
        screens["ended, served"] = shown(served_phone)
    screens["hope card"] = drawn_on_hope_card(language, monkeypatch)
    return screens


def test_every_story_has_a_version_in_every_language():
    assert not LIBRARY.errors, [str(error) for error in LIBRARY.errors]
    assert len(ORIGINALS) >= 10
    for story_id in ORIGINALS:
        for language in LANGUAGES:
            version = LIBRARY.translation(story_id, language)
            assert version is not None and version.language == language, (story_id, language)


def test_the_check_finds_a_sentence_or_a_word_in_the_other_language():
    assert foreign_sentences(["Menciona pensamientos de suicidio", "Mentions thoughts of suicide"], "es") == [
        "Mentions thoughts of suicide"
    ]
    assert foreign_sentences(["Health", "Salud", "Small Lights"], "es") == ["Health", "Small Lights"]
    assert foreign_sentences(["¿Qué parte de la historia de Ana se quedó contigo?", "Lucecitas"], "en") == [
        "¿Qué parte de la historia de Ana se quedó contigo?",
        "Lucecitas",
    ]
    # Names, numbers and addresses are the same in both: "Crisis Text Line" on a Spanish phone.
    assert foreign_sentences(["Crisis Text Line (en español)", "Chat: 988lineadevida.org. 24/7."], "es") == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("story_id", ORIGINALS)
def test_a_phone_shows_every_story_only_in_its_own_language(app_ctx, admin_account, monkeypatch, story_id, language):
    screens = walk_a_phone(app_ctx, admin_account, story_id, language, monkeypatch)
    version = LIBRARY.translation(story_id, language)
    assert version is not None
    everything = "\n".join(text for texts in screens.values() for text in texts)
    # The walk reached what it means to check: the story's own words and the support lines.
    assert version.topic_notes[0] in "\n".join(screens[Phase.STORY.value])
    assert version.prompts[-1] in "\n".join(screens["reflect, served"])
    assert version.next_step_prompt in "\n".join(screens["next_step, served"])
    assert "988" in "\n".join(screens["ended"]) and WORDS[language]["what"] in everything
    assert "988" in "\n".join(screens["ended, served"]) and WORDS[language]["what"] in "\n".join(
        screens["ended, served"]
    )
    wrong = {name: foreign_sentences(texts, language) for name, texts in screens.items()}
    assert {name: found for name, found in wrong.items() if found} == {}


@pytest.mark.parametrize("story_id", sorted(story.id for story in LIBRARY.in_language("es")))
def test_a_session_started_from_a_spanish_version_shows_an_english_phone_only_english(
    app_ctx, admin_account, monkeypatch, story_id
):
    screens = walk_a_phone(app_ctx, admin_account, story_id, "en", monkeypatch)
    english = LIBRARY.translation(story_id, "en")
    assert english is not None and english.title in "\n".join(screens["consent"])
    wrong = {name: foreign_sentences(texts, "en") for name, texts in screens.items()}
    assert {name: found for name, found in wrong.items() if found} == {}


def test_a_story_told_only_in_english_would_be_caught_on_a_spanish_phone(app_ctx, admin_account, monkeypatch):
    english_only = StoryLibrary(
        stories={id_: s for id_, s in app_ctx.stories.stories.items() if id_ != "small-lights-es"}
    )
    monkeypatch.setattr(app_ctx, "stories", english_only)
    screens = walk_a_phone(app_ctx, admin_account, "small-lights", "es", monkeypatch)
    assert "Mentions thoughts of suicide" in foreign_sentences(screens[Phase.STORY.value], "es")
    assert "What part of Ana's story stayed with you?" in foreign_sentences(screens["reflect, served"], "es")
