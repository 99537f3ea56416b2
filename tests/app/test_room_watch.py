"""The room watcher: the endpoint phones ask between redraws, and the watcher on the phone page."""

from __future__ import annotations

import json

import pytest
from starlette.requests import Request

from hopecircle.domain import Phase
from hopecircle.services import participation, sessions
from hopecircle.ui import polling, room_watch
from tests.app.conftest import page


def ask(code: str, shown: str = "12") -> tuple[int, dict, dict]:
    request = Request(
        {
            "type": "http",
            "method": "GET",
            "path": f"/api/rooms/{code}",
            "path_params": {"code": code},
            "query_string": f"shown={shown}".encode(),
            "headers": [],
        }
    )
    response = room_watch.room_endpoint(request)
    return response.status_code, json.loads(response.body), dict(response.headers)


def test_the_endpoint_answers_a_rooms_signature_and_nothing_else(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    status, body, headers = ask(session.code)
    assert (status, body) == (200, {"signature": "welcome|open|-|0"})
    assert headers["cache-control"] == "no-store"  # no proxy or browser may answer from a copy
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    assert ask(session.code)[1] == {"signature": "reflect|open|-|0"}


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
    assert data["url"] == f"/api/rooms/{session.code}?shown=12" and data["seen"] == "reflect|open|-|0"


def test_routes_mount_the_endpoint_and_say_this_process_serves_it(monkeypatch):
    monkeypatch.setattr(room_watch, "_serving", [False])
    routes = room_watch.routes()
    assert [route.path for route in routes] == [room_watch.ROOM_PATH] and room_watch.serving()
