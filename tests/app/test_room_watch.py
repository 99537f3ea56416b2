"""The room watcher: the endpoint phones ask between redraws, and the watcher on the phone page."""

from __future__ import annotations

import json

import pytest
from starlette.requests import Request

from hopecircle.domain import Phase
from hopecircle.services import participation, sessions
from hopecircle.ui import polling, room_watch
from tests.app.conftest import page

TAB = "0123456789abcdef"


def ask(code: str, shown: str = "12", tab: str = TAB) -> tuple[int, dict, dict]:
    request = Request(
        {
            "type": "http",
            "method": "GET",
            "path": f"/api/rooms/{code}",
            "path_params": {"code": code},
            "query_string": f"shown={shown}&tab={tab}".encode(),
            "headers": [],
        }
    )
    response = room_watch.room_endpoint(request)
    return response.status_code, json.loads(response.body), dict(response.headers)


def test_the_endpoint_answers_a_rooms_signature_and_nothing_else(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    status, body, headers = ask(session.code)
    assert (status, body) == (200, {"signature": "welcome|open|-|0", "every": polling.POLL_SECONDS})
    assert headers["cache-control"] == "no-store"  # no proxy or browser may answer from a copy
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    assert ask(session.code)[1]["signature"] == "reflect|open|-|0"


def test_each_look_keeps_the_phone_counted_and_brings_the_interval_for_the_room_as_it_is(
    app_ctx, admin_account, monkeypatch
):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    monkeypatch.setattr(polling, "_pollers", {})
    assert ask(session.code)[1]["every"] == polling.POLL_SECONDS and TAB in polling._pollers
    crowd = {f"{n:016x}": 1e12 for n in range(500)}  # 500 more phones looking through this process
    monkeypatch.setattr(polling, "_pollers", crowd)
    every = ask(session.code)[1]["every"]
    assert polling.MAX_POLL_SECONDS * (1 - polling.JITTER) <= every <= polling.MAX_POLL_SECONDS * (1 + polling.JITTER)


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


def test_the_phone_page_mounts_the_watcher_with_what_its_screen_shows(app_ctx, admin_account, monkeypatch):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    token = participation.join(app_ctx, session.code).token
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)

    def watcher_data() -> dict:
        at = page("join", code=session.code, p=token)
        (watcher,) = at.get("bidi_component")
        assert watcher.proto.component_name == room_watch.COMPONENT_NAME
        return json.loads(watcher.proto.json)

    # Started from workshop_app.py alone: no endpoint to ask, the fragment reads the room itself.
    assert watcher_data() == {"url": None, "seen": "reflect|open|-|0", "every": polling.POLL_SECONDS}
    monkeypatch.setattr(room_watch, "_serving", [True])
    data = watcher_data()
    assert data["url"].startswith(f"/api/rooms/{session.code}?shown=12&tab=") and data["seen"] == "reflect|open|-|0"


def test_routes_mount_the_endpoint_and_say_this_process_serves_it(monkeypatch):
    monkeypatch.setattr(room_watch, "_serving", [False])
    routes = room_watch.routes()
    assert [route.path for route in routes] == [room_watch.ROOM_PATH] and room_watch.serving()
