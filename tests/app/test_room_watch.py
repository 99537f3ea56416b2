"""Waiting on the room: the endpoint projectors ask between redraws, and the watcher on their pages (and,
not served, on a phone's room screen)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

import pytest
from starlette.requests import Request

from hopecircle import http, process
from hopecircle.domain import Phase
from hopecircle.http import rooms
from hopecircle.live import pacing, waits
from hopecircle.services import participation, sessions
from hopecircle.ui import room_watch, runs
from tests.app.conftest import page, serve

TAB = "0123456789abcdef"


@pytest.fixture(autouse=True)
def fresh_waits():
    """Each test's held questions in a RoomWaits of their own."""
    cached = (process.room_waits, process.board_waits)  # the cached functions, even while a test replaces them
    for function in cached:
        function.cache_clear()
    yield
    for function in cached:
        function.cache_clear()


async def _still_there() -> dict:
    await asyncio.sleep(3600)  # the projector never goes away
    return {"type": "http.disconnect"}


def test_unserved_the_phone_page_mounts_the_watcher_that_wakes_its_room_screen(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    token = participation.join(app_ctx, session.code).token
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    at = page("join", code=session.code, p=token)
    (watcher,) = [el for el in at.get("bidi_component") if el.proto.component_name == room_watch.COMPONENT_NAME]
    # Started from workshop_app.py alone: no endpoint to ask, the fragment reads the room itself.
    assert json.loads(watcher.proto.json) == {"url": None, "seen": "reflect|open|-|0", "every": pacing.POLL_SECONDS}
    sessions.close_session(app_ctx, admin_account, session.id)
    at = page("join", code=session.code, p=token)
    assert not [el for el in at.get("bidi_component") if el.proto.component_name == room_watch.COMPONENT_NAME]


def test_routes_mount_the_board_endpoint_and_say_this_process_serves_them(monkeypatch):
    monkeypatch.setattr(process, "_served", threading.Event())
    assert not process.served()
    routes = http.routes(cookie_secret="a shared secret")
    assert rooms.BOARD_PATH in [route.path for route in routes] and process.served()


@pytest.mark.parametrize(("tick", "woken"), [(True, False), (True, True), (False, False)])
def test_the_room_screens_own_runs_pass_the_gate_redraws_behind_peoples_actions(app_ctx, monkeypatch, tick, woken):
    """A send or a tap in the room screen is urgent; a redraw its watcher woke waits behind them."""
    from streamlit.testing.v1 import AppTest

    from hopecircle.process import GATE
    from hopecircle.ui.admission import BACKGROUND_KEY

    monkeypatch.setattr(runs, "is_tick", lambda: tick)  # a run of the room screen alone, or a full page run
    at = AppTest.from_file(str(Path(__file__).with_name("room_turn_script.py")))
    at.session_state["woken"] = woken
    before = dict(GATE.admitted)
    at.run()
    assert not at.exception and at.markdown[0].value == "room screen drawn"
    if not tick:  # in a full page run the page already holds its slot
        assert GATE.admitted == before
    else:
        assert GATE.admitted == {True: before[True] + (not woken), False: before[False] + woken}
        assert BACKGROUND_KEY not in at.session_state  # the mark is for one run only
    assert GATE.waiting() == (0, 0) and GATE.running() == (0, 0)


def ask_board(key: str, seen: str, tab: str = TAB) -> tuple[int, dict]:
    scope = {
        "type": "http",
        "method": "GET",
        "path": f"/api/boards/{key}",
        "path_params": {"key": key},
        "query_string": f"tab={tab}&seen={seen}".encode(),
        "headers": [],
    }
    response = asyncio.run(rooms.board_endpoint(Request(scope, _still_there)))
    return response.status_code, json.loads(response.body)


def test_a_projector_is_answered_once_the_room_has_a_newer_version(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    moved = threading.Timer(0.4, sessions.set_phase, (app_ctx, admin_account, session.id, Phase.CHECKIN))
    started = time.monotonic()
    moved.start()
    status, body = ask_board(session.board_key, str(session.version))
    assert status == 200 and int(body["signature"]) > session.version and body["every"] > 0
    assert 0.35 < time.monotonic() - started < waits.HOLD_SECONDS


def test_a_projector_drawn_from_a_newer_read_than_the_shared_state_is_not_answered(app_ctx, admin_account, monkeypatch):
    """Newer only: a live state half a second behind the page must not redraw the board again."""
    monkeypatch.setattr(waits, "HOLD_SECONDS", 0.5)
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    ahead = str(session.version + 5)
    assert ask_board(session.board_key, ahead) == (200, {"signature": ahead, "every": 0})


@pytest.mark.parametrize(
    ("key", "seen", "status"),
    [
        ("x" * 32, "3", 404),
        ("short", "3", 400),
        ("<script>alert(1)</script>aaaaaaaa", "3", 400),
        ("k" * 65, "3", 400),
        ("k" * 32, "", 400),
        ("k" * 32, "-1", 400),
        ("k" * 32, "three", 400),
        ("k" * 32, "1" * 13, 400),
    ],
)
def test_the_board_endpoint_refuses_what_no_projector_would_send(app_ctx, key, seen, status):
    answered, body = ask_board(key, seen)
    assert answered == status and "signature" not in body and body["error"]


def test_the_projector_waits_on_the_room_when_served_and_polls_without(app_ctx, admin_account, monkeypatch):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")

    def watchers(at) -> list:
        return [el for el in at.get("bidi_component") if el.proto.component_name == room_watch.COMPONENT_NAME]

    assert not watchers(page("board", key=session.board_key))  # workshop_app.py alone: a ticker
    serve(monkeypatch)
    (watcher,) = watchers(page("board", key=session.board_key))
    data = json.loads(watcher.proto.json)
    assert data["url"].startswith(f"/api/boards/{session.board_key}?tab=")
    assert data["url"].endswith(f"&seen={session.version}") and data["seen"] == str(session.version)


def test_past_the_most_questions_a_projector_is_answered_at_once_and_asks_again_after_a_second(
    app_ctx, admin_account, monkeypatch
):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    monkeypatch.setattr(rooms, "MAX_HELD", 0)
    assert ask_board(session.board_key, str(session.version)) == (
        200,
        {"signature": str(session.version), "every": rooms.BOARD_EVERY},
    )
    assert process.board_waits().waiting() == 0
