"""Waiting on the room: the endpoints phones and projectors ask between redraws, and the watcher on their pages."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.requests import Request

from hopecircle import http, process
from hopecircle.domain import Phase
from hopecircle.http import rooms
from hopecircle.live import pacing, waits
from hopecircle.services import participation, room, sessions
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


def request_for(code: str, shown: str, tab: str, seen: str | None, receive=None, proof: str | None = None) -> Request:
    """A phone's question; by default with the watch proof its room's page gives it."""
    if proof is None:
        proof = room.watch_proof(process.context(), code)
    query = f"shown={shown}&tab={tab}&proof={proof}" + (f"&seen={quote(seen, safe='')}" if seen is not None else "")
    scope = {
        "type": "http",
        "method": "GET",
        "path": f"/api/rooms/{code}",
        "path_params": {"code": code},
        "query_string": query.encode(),
        "headers": [],
    }
    return Request(scope, receive) if receive is not None else Request(scope)


async def _still_there() -> dict:
    await asyncio.sleep(3600)  # the phone never goes away
    return {"type": "http.disconnect"}


def ask(
    code: str, shown: str = "12", tab: str = TAB, seen: str | None = None, proof: str | None = None
) -> tuple[int, dict, dict]:
    response = asyncio.run(rooms.room_endpoint(request_for(code, shown, tab, seen, _still_there, proof)))
    return response.status_code, json.loads(response.body), dict(response.headers)


def test_the_endpoint_answers_a_rooms_signature_and_nothing_else(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    status, body, headers = ask(session.code)
    assert (status, body) == (200, {"signature": "welcome|open|-|0", "every": pacing.POLL_SECONDS})
    assert headers["cache-control"] == "no-store"  # no proxy or browser may answer from a copy
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    assert ask(session.code)[1]["signature"] == "reflect|open|-|0"


@pytest.mark.parametrize("proof", ["", "0" * 32, "not-hex", "ABCDEF0123456789ABCDEF0123456789"])
def test_without_its_rooms_proof_a_question_gets_404_whether_or_not_the_code_exists(app_ctx, admin_account, proof):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    assert ask(session.code, proof=proof)[:2] == (404, {"error": "no such room"})
    assert ask("NOSUCH", proof=proof)[:2] == (404, {"error": "no such room"})
    other = sessions.start_session(app_ctx, admin_account, "steady-hands", "Another circle")
    assert ask(session.code, proof=room.watch_proof(app_ctx, other.code))[0] == 404  # another room's proof
    assert ask(session.code)[0] == 200


def test_each_look_keeps_the_phone_counted_and_brings_the_interval_for_the_room_as_it_is(
    app_ctx, admin_account, monkeypatch
):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    monkeypatch.setattr(process, "PACING", pacing.Pacing())
    assert ask(session.code)[1]["every"] == pacing.POLL_SECONDS and process.PACING.phones() == 1
    for n in range(500):  # 500 more phones looking through this process
        process.PACING.seen(f"{n:016x}")
    every = ask(session.code)[1]["every"]
    assert pacing.MAX_POLL_SECONDS * (1 - pacing.JITTER) <= every <= pacing.MAX_POLL_SECONDS * (1 + pacing.JITTER)


@pytest.mark.parametrize(
    ("code", "shown", "status"),
    [
        ("NOSUCH", "12", 404),
        ("<b>hi</b>", "12", 400),
        ("A" * 13, "12", 400),
        ("", "12", 400),
        ("ABC123", "", 400),
        ("ABC123", "0", 400),
        ("ABC123", "-3", 400),
        ("ABC123", "twelve", 400),
        ("ABC123", "99999999999999999999", 400),
    ],
)
def test_the_endpoint_refuses_what_no_phone_would_send(app_ctx, code, shown, status):
    answered, body, headers = ask(code, shown)
    assert answered == status and "signature" not in body and body["error"]
    assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize("tab", ["", "XYZ", "0123456789ABCDEF", "0123456789abcdef0", "<script>"])
def test_the_endpoint_refuses_a_malformed_tab_key(app_ctx, tab):
    assert ask("ABC123", "12", tab)[0] == 400


@pytest.mark.parametrize(
    "seen", ["", "reflect", "reflect|open|-", "<b>|open|-|0", "reflect|open|-|0|x", "reflect|open|-|0" + "0" * 20]
)
def test_the_endpoint_refuses_a_signature_no_screen_was_drawn_for(app_ctx, admin_account, seen):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    assert ask(session.code, seen=seen)[0] == 400


def test_a_phone_showing_the_prompts_is_answered_when_the_facilitator_edits_them(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    sessions.set_prompts(app_ctx, admin_account, session.id, ["What stayed with you?"])
    status, body, _ = ask(session.code, seen="reflect|open|-|0")
    edited = body["signature"]
    assert status == 200 and edited.startswith("reflect|open|-|0|") and edited != "reflect|open|-|0"
    sessions.set_prompts(app_ctx, admin_account, session.id, None)
    assert ask(session.code, seen=edited)[1]["signature"] == "reflect|open|-|0"


def test_a_held_question_is_answered_when_the_room_moves_on(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    moved = threading.Timer(0.4, sessions.set_phase, (app_ctx, admin_account, session.id, Phase.CHECKIN))
    started = time.monotonic()
    moved.start()
    status, body, headers = ask(session.code, seen="welcome|open|-|0")
    waited = time.monotonic() - started
    assert (status, body["signature"]) == (200, "checkin|open|-|0") and body["every"] > 0
    assert 0.35 < waited < waits.HOLD_SECONDS  # held until the facilitator moved on, not longer
    assert headers["cache-control"] == "no-store"
    assert process.room_waits().flying() == 1  # its redraw is underway until the screen says it landed


def test_a_question_about_a_room_already_moved_on_is_answered_without_the_hold(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.STORY)
    started = time.monotonic()
    assert ask(session.code, seen="welcome|open|-|0")[1]["signature"] == "story|open|-|0"
    assert time.monotonic() - started < 2


def test_a_question_held_until_the_hold_ends_says_ask_again(app_ctx, admin_account, monkeypatch):
    monkeypatch.setattr(waits, "HOLD_SECONDS", 0.3)
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    status, body, _ = ask(session.code, seen="welcome|open|-|0")
    assert (status, body) == (200, {"signature": "welcome|open|-|0", "every": 0})
    assert process.room_waits().waiting() == 0  # nothing left behind


def test_a_held_question_ends_when_the_phone_goes_away(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict:
        if messages:
            return messages.pop()
        await asyncio.sleep(0.2)
        return {"type": "http.disconnect"}  # the tab closed, or its watcher stopped for a redraw

    started = time.monotonic()
    request = request_for(session.code, "12", TAB, "welcome|open|-|0", receive)
    asyncio.run(rooms.room_endpoint(request))
    assert time.monotonic() - started < 2 and process.room_waits().waiting() == 0


def test_a_question_for_a_room_that_goes_away_while_held_gets_404(app_ctx, admin_account, monkeypatch):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    monkeypatch.setattr(room, "room_state", lambda ctx, code: None)  # deleted by retention
    assert ask(session.code, seen="welcome|open|-|0")[0] == 404


def test_the_phone_page_mounts_the_watcher_with_what_its_screen_shows(app_ctx, admin_account, monkeypatch):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    token = participation.join(app_ctx, session.code).token
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)

    def watcher_data() -> dict:
        at = page("join", code=session.code, p=token)
        (watcher,) = [el for el in at.get("bidi_component") if el.proto.component_name == room_watch.COMPONENT_NAME]
        return json.loads(watcher.proto.json)

    # Started from workshop_app.py alone: no endpoint to ask, the fragment reads the room itself.
    assert watcher_data() == {"url": None, "seen": "reflect|open|-|0", "every": pacing.POLL_SECONDS}
    serve(monkeypatch)
    data = watcher_data()
    assert data["url"].startswith(f"/api/rooms/{session.code}?shown=12&tab=") and data["seen"] == "reflect|open|-|0"
    assert f"&proof={room.watch_proof(app_ctx, session.code)}&" in data["url"]
    assert data["url"].endswith("&seen=reflect%7Copen%7C-%7C0")  # the server holds the question until it differs


class LandingSpy:
    def __init__(self) -> None:
        self.landed: list[str] = []

    def drawn(self, tab: str) -> None:
        self.landed.append(tab)


@pytest.mark.parametrize("closed", [False, True])
def test_every_room_screen_redraw_reports_its_landing(app_ctx, admin_account, monkeypatch, closed):
    """Open or closed, the screen says it has redrawn, so the next phone waiting may go."""
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    token = participation.join(app_ctx, session.code).token
    if closed:
        sessions.close_session(app_ctx, admin_account, session.id)
    spy = LandingSpy()
    serve(monkeypatch)
    monkeypatch.setattr(process, "room_waits", lambda: spy)
    at = page("join", code=session.code, p=token)
    assert len(spy.landed) == 1 and len(spy.landed[0]) == 16
    watchers = [el for el in at.get("bidi_component") if el.proto.component_name == room_watch.COMPONENT_NAME]
    assert len(watchers) == (0 if closed else 1)


def test_routes_mount_the_endpoints_and_say_this_process_serves_them(monkeypatch):
    monkeypatch.setattr(process, "_served", threading.Event())
    assert not process.served()
    routes = http.routes(cookie_secret="a shared secret")
    assert [route.path for route in routes][:2] == [rooms.ROOM_PATH, rooms.BOARD_PATH] and process.served()


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


def test_past_the_most_questions_a_process_holds_they_are_answered_at_once(app_ctx, admin_account, monkeypatch):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    monkeypatch.setattr(rooms, "MAX_HELD", 0)  # a flood of made-up tabs has filled the process
    started = time.monotonic()
    status, body, _ = ask(session.code, seen="welcome|open|-|0")
    assert (status, body) == (200, {"signature": "welcome|open|-|0", "every": pacing.POLL_SECONDS})
    assert time.monotonic() - started < waits.HOLD_SECONDS / 4 and process.room_waits().waiting() == 0


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
