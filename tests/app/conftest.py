"""AppTest fixtures: every test gets its own data folder and a fresh process-wide Context."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.load.client import Element, component_event
from hopecircle import process
from hopecircle.services import accounts
from hopecircle.ui.phone_board import CARDS_COMPONENT
from hopecircle.ui.phone_room import COMPONENT_NAME as ROOM_COMPONENT
from hopecircle.ui.projector_fit import COMPONENT_NAME as PROJECTOR_FIT
from tests.conftest import PASSWORD

APP = str(Path(__file__).resolve().parents[2] / "workshop_app.py")
TIMEOUT = 30


@pytest.fixture
def app_ctx(tmp_path, monkeypatch):
    """The Context the app under test will use, on a fresh SQLite file."""
    monkeypatch.setenv("HOPECIRCLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("HOPECIRCLE_DATABASE_URL", raising=False)
    monkeypatch.delenv("HOPECIRCLE_PUBLIC_URL", raising=False)
    process.reset()
    ctx = process.context()
    ctx.cache.scale = 0
    yield ctx
    process.reset()


def serve(monkeypatch) -> None:
    """From now on (in this test) the process serves the HTTP endpoints, as started through serve.py."""
    served = threading.Event()
    served.set()
    monkeypatch.setattr(process, "_served", served)


@pytest.fixture
def served(monkeypatch):
    """The process serves the HTTP endpoints: phones post their words and wait on the room."""
    serve(monkeypatch)


@pytest.fixture
def admin_account(app_ctx):
    code = accounts.setup_code(app_ctx)
    return accounts.create_first_account(app_ctx, code, "ada", "Ada Admin", PASSWORD)


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def page(path: str, **params: str) -> AppTest:
    """An AppTest opened on `pages/<path>.py` with query params, already run once."""
    at = new_app()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if path != "join":
        at.switch_page(f"pages/{path}.py").run()
    return at


def signed_in(path: str, account, **params: str) -> AppTest:
    """An AppTest on a staff page with `account` already signed in."""
    at = new_app()
    at.session_state["account"] = account
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{path}.py").run()
    return at


def texts(at: AppTest) -> str:
    """Everything readable on the page, joined, for assertions about what a person sees."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "success", "warning", "error"):
        parts.extend(str(el.value) for el in at.get(kind))
    parts.extend(str(el.proto.body) for el in at.get("html"))
    parts.extend(f"{card['text']}\n{card['label']}" for card in phone_cards(at))
    parts.extend(f"{item['text']}\n{item.get('meta', '')}" for item in projected(at))
    data = room_data(at)
    if data is not None:
        parts.extend(room_texts(data))
    return "\n".join(parts)


def room_data(at: AppTest) -> dict | None:
    """What the served phone's room component was given (its JSON parts parsed), if the page has one."""
    found = [el for el in at.get("bidi_component") if el.proto.component_name == ROOM_COMPONENT]
    if not found:
        return None
    data = json.loads(found[0].proto.json)
    parsed = {name: json.loads(data[name]) if data[name] else None for name in ("strings", "setup", "lines", "state")}
    return {**data, **parsed}


def room_texts(data: dict) -> list[str]:
    """The words the served phone's screen draws from its data (not its catalog sentences): the
    session's name, the room's agreements, story, prompts and cards, the support lines, its own words."""
    found = [data["title"]]
    lines = (data["state"] or {}).get("room", data["lines"])["lines"]
    found += [f"{line['name']}\n{line['detail']}\n{line['call']}\n{line['text']}" for line in lines]
    state = data["state"]
    if state is None:
        return found
    room = state["room"]
    found += [room["title"], *room["agreements"], room["storyteller"], *room["notes"], *room["prompts"]]
    found += [room["next_step_prompt"], *(card["text"] for card in room["cards"])]
    for word in state["mine"]["words"]:
        found += [word["text"], word["when"], word["support"]]
    return [text for text in found if text]


def projected(at: AppTest, layout: str | None = None) -> list[dict]:
    """What the projector's fitted elements were given to show (cards, story, agreements, words), in order."""
    found = [el for el in at.get("bidi_component") if el.proto.component_name == PROJECTOR_FIT]
    specs = [json.loads(json.loads(el.proto.json)["spec"]) for el in found]
    return [item for spec in specs if layout in (None, spec["layout"]) for item in spec["items"]]


def phone_cards(at: AppTest) -> list[dict]:
    """The cards the phone's board shows, as its cards component was given them (text, label, added)."""
    found = [el for el in at.get("bidi_component") if el.proto.component_name == CARDS_COMPONENT]
    return [card for el in found for card in json.loads(json.loads(el.proto.json)["cards"])]


def tap_me_too(at: AppTest, card_id: int, on: bool | None = None) -> AppTest:
    """What a tap on a card's "me too" sends to the page from the cards component's JavaScript
    (as the load harness sends it): the card, and `on` (by default the other way from how the
    card shows it), and the run it causes."""
    if on is None:
        on = not any(card["added"] for card in phone_cards(at) if card["id"] == card_id)
    return send_me_too(at, {"card": card_id, "on": on})


def send_me_too(at: AppTest, wish: object) -> AppTest:
    """Any value as the cards component's "metoo" event (a tap's, or one no page would send)."""
    (cards,) = [el for el in at.get("bidi_component") if el.proto.component_name == CARDS_COMPONENT]
    states = at._tree.get_widget_states()
    states.widgets.append(component_event(Element(kind="bidi_component", id=cards.proto.id), "metoo", wish))
    return at._run(states)
