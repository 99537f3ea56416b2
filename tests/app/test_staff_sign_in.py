"""Staff staying signed in: the endpoints that set and clear the cookie, and the pages that use them."""

from __future__ import annotations

import asyncio
import json
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import select
from starlette.requests import Request

from bench.load.client import Element, component_event
from hopecircle.http import staff
from hopecircle.services import sign_ins
from hopecircle.store.schema import staff_sign_ins
from hopecircle.ui import auth
from tests.app.conftest import page, texts
from tests.conftest import PASSWORD

SECRET = "the secret every process shares"


def call(
    endpoint,
    body: object,
    *,
    cookie: str | None = None,
    content_type: str = "application/json",
    scheme: str = "http",
    forwarded: str | None = None,
):
    """What a browser's `fetch` POST does to one of the staff endpoints, with the cookies it carries."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = [(b"content-type", content_type.encode())]
    if cookie is not None:
        headers.append((b"cookie", f"_streamlit_xsrf=abc; {sign_ins.COOKIE_NAME}={cookie}; hc_affinity=f00".encode()))
    if forwarded is not None:
        headers.append((b"x-forwarded-proto", forwarded.encode()))
    sent = False

    async def receive() -> dict:
        nonlocal sent
        chunk, sent = (b"" if sent else raw), True
        return {"type": "http.request", "body": chunk, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "scheme": scheme,
        "server": ("127.0.0.1", 8501),
        "path": "/",
        "query_string": b"",
        "headers": headers,
    }
    response = asyncio.run(endpoint(Request(scope, receive), SECRET))
    assert response.headers["cache-control"] == "no-store"
    return response


def set_cookie(response) -> tuple[str, dict[str, str]]:
    """The staff cookie a response sets: its value and attributes (lower-case names)."""
    (header,) = [value for name, value in response.headers.items() if name == "set-cookie"]
    parsed = SimpleCookie()
    parsed.load(header)
    morsel = parsed[sign_ins.COOKIE_NAME]
    attributes = {name: str(value) for name, value in morsel.items() if value}
    flags = {part.strip().lower() for part in header.split(";")}
    attributes.update({flag: "yes" for flag in ("httponly", "secure") if flag in flags})
    return morsel.value, attributes


# The endpoints.


def test_a_fresh_ticket_sets_an_httponly_strict_cookie_that_signs_the_account_in(app_ctx, admin_account):
    ticket = sign_ins.start_sign_in(app_ctx, admin_account)
    response = call(staff.keep_signed_in, {"ticket": ticket.value})
    assert response.status_code == 200 and json.loads(response.body) == {"ok": True}
    value, attributes = set_cookie(response)
    assert 12 * 3600 - 60 <= int(attributes.pop("max-age")) <= 12 * 3600  # the sign-in's end, from the ticket
    assert attributes == {"path": "/", "samesite": "strict", "httponly": "yes"}
    assert sign_ins.sign_in_from_cookie(app_ctx, value, SECRET).account == admin_account
    # The same ticket again (a retry, or someone who saw it): refused, and no cookie.
    again = call(staff.keep_signed_in, {"ticket": ticket.value})
    assert (again.status_code, json.loads(again.body)) == (403, {"error": "refused"})
    assert "set-cookie" not in again.headers


@pytest.mark.parametrize(("scheme", "forwarded"), [("https", None), ("http", "https"), ("http", "https, http")])
def test_the_cookie_is_secure_when_the_browser_came_over_https(app_ctx, admin_account, scheme, forwarded):
    ticket = sign_ins.start_sign_in(app_ctx, admin_account)
    _, attributes = set_cookie(call(staff.keep_signed_in, {"ticket": ticket.value}, scheme=scheme, forwarded=forwarded))
    assert attributes["secure"] == "yes"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ({"ticket": "x"}, "text/plain"),
        (b"not json", "application/json"),
        ([1, 2], "application/json"),
        ({}, "application/json"),
        ({"ticket": 5}, "application/json"),
        ({"ticket": None}, "application/json"),
        ({"ticket": "x", "username": "ada"}, "application/json"),
        ({"ticket": "x" * 5000}, "application/json"),
    ],
)
def test_the_session_endpoint_refuses_what_no_page_would_send(app_ctx, body, content_type):
    response = call(staff.keep_signed_in, body, content_type=content_type)
    assert (response.status_code, json.loads(response.body)) == (400, {"error": "bad request"})
    assert "set-cookie" not in response.headers


def test_a_ticket_nobody_made_is_refused(app_ctx, admin_account):
    response = call(staff.keep_signed_in, {"ticket": "A" * 43})
    assert (response.status_code, json.loads(response.body)) == (403, {"error": "refused"})


def test_signing_in_again_on_a_browser_ends_its_previous_sign_in(app_ctx, admin_account):
    before = sign_ins.exchange_ticket(app_ctx, sign_ins.start_sign_in(app_ctx, admin_account).value, SECRET).value
    ticket = sign_ins.start_sign_in(app_ctx, admin_account)
    value, _ = set_cookie(call(staff.keep_signed_in, {"ticket": ticket.value}, cookie=before))
    assert sign_ins.sign_in_from_cookie(app_ctx, before, SECRET) is None
    assert sign_ins.sign_in_from_cookie(app_ctx, value, SECRET) is not None


def test_signing_out_ends_the_sign_in_server_side_and_clears_the_cookie(app_ctx, admin_account):
    cookie = sign_ins.exchange_ticket(app_ctx, sign_ins.start_sign_in(app_ctx, admin_account).value, SECRET).value
    response = call(staff.sign_out, {}, cookie=cookie)
    assert response.status_code == 200
    value, attributes = set_cookie(response)
    assert value == "" and attributes["max-age"] == "0" and attributes["httponly"] == "yes"
    assert sign_ins.sign_in_from_cookie(app_ctx, cookie, SECRET) is None
    # Without a cookie, or with one that is not genuine, it still clears the browser's.
    for carried in (None, "forged.value"):
        response = call(staff.sign_out, {}, cookie=carried)
        assert response.status_code == 200 and set_cookie(response)[1]["max-age"] == "0"
    assert call(staff.sign_out, {}, content_type="text/plain").status_code == 400


def test_the_staff_routes_need_the_shared_secret_and_take_only_posts():
    with pytest.raises(ValueError, match="cookieSecret"):
        staff.routes("")
    assert {(route.path, frozenset(route.methods)) for route in staff.routes(SECRET)} == {
        (staff.SESSION_PATH, frozenset({"POST"})),
        (staff.SIGN_OUT_PATH, frozenset({"POST"})),
    }


# The pages.


@pytest.fixture
def routed(monkeypatch):
    """Every AppTest run goes through the router (`workshop_app.py`), as `serve.py` makes sure.

    AppTest forgets before each run that the router lists the pages, so with a `pages/` folder
    it would run a staff page straight from its file, without the router's sidebar and the
    staff-session component this file is about.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class RouterPages(PagesManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", RouterPages)


def sign_in(at, username: str = "ada", password: str = PASSWORD):
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def staff_session(at) -> tuple[str, dict] | None:
    """The staff-session component the page mounted, if any: its element id and data (None: nothing to post)."""
    found = [el for el in at.get("bidi_component") if el.proto.component_name == auth.COMPONENT_NAME]
    if not found:
        return None
    (element,) = found
    return element.proto.id, json.loads(element.proto.json) if element.proto.json else None


def component_done(at, value: object):
    """What the component's JavaScript tells the page once its post is answered."""
    element_id, _ = staff_session(at)
    states = at._tree.get_widget_states()
    states.widgets.append(component_event(Element(kind="bidi_component", id=element_id), "done", value))
    return at._run(states)


def rows(app_ctx) -> int:
    with app_ctx.store.read() as tx:
        return len(tx.connection.execute(select(staff_sign_ins.c.id)).all())


def test_served_the_sign_in_form_says_the_browser_keeps_the_sign_in_for_twelve_hours(
    app_ctx, admin_account, served, routed
):
    assert "This browser keeps you signed in for 12 hours" in texts(page("console"))


def test_without_the_endpoints_the_sign_in_lasts_as_long_as_the_tab_and_says_so(app_ctx, admin_account, routed):
    at = page("console")
    assert "only while this tab is open" in texts(at)
    at = sign_in(at)
    assert "Start a session" in texts(at)
    assert staff_session(at) is None and rows(app_ctx) == 0


def test_served_signing_in_hands_the_browser_a_ticket_the_endpoint_exchanges(app_ctx, admin_account, served, routed):
    at = sign_in(page("console"))
    assert "Start a session" in texts(at)
    _, data = staff_session(at)
    assert data["url"] == staff.SESSION_PATH
    # What the component's JavaScript posts: the endpoint takes it, once.
    response = call(staff.keep_signed_in, json.loads(data["body"]))
    cookie, _ = set_cookie(response)
    assert sign_ins.sign_in_from_cookie(app_ctx, cookie, SECRET).account == admin_account
    element_id = staff_session(at)[0]
    at = component_done(at, {"id": data["id"], "ok": True})
    # Done, it stays where it was with nothing to post: the console below it does not move.
    assert staff_session(at) == (element_id, None) and "Start a session" in texts(at)
    assert "did not keep your sign-in" not in "\n".join(c.value for c in at.sidebar.caption)


def test_a_browser_that_did_not_keep_the_cookie_is_told_and_the_tab_stays_signed_in(
    app_ctx, admin_account, served, routed
):
    at = sign_in(page("console"))
    _, data = staff_session(at)
    at = component_done(at, {"id": data["id"], "ok": False})
    assert "did not keep your sign-in" in "\n".join(c.value for c in at.sidebar.caption)
    assert "Start a session" in texts(at) and staff_session(at)[1] is None


def test_something_the_component_would_never_send_changes_nothing(app_ctx, admin_account, served, routed):
    at = sign_in(page("console"))
    _, data = staff_session(at)
    for value in ("done", {"id": "keep-999", "ok": True}, None):
        at = component_done(at, value)
        _, still = staff_session(at)
        assert still == data and not at.exception


def test_a_wrong_password_makes_no_ticket(app_ctx, admin_account, served, routed):
    at = sign_in(page("console"), password="not the password")
    assert "don't match an account" in texts(at)
    assert staff_session(at) is None and rows(app_ctx) == 0


def test_signing_out_ends_the_sign_in_server_side_and_has_the_browser_clear_its_cookie(
    app_ctx, admin_account, served, routed
):
    at = sign_in(page("console"))
    at = component_done(at, {"id": staff_session(at)[1]["id"], "ok": True})
    assert rows(app_ctx) == 1
    at.sidebar.button[0].click().run()
    assert rows(app_ctx) == 0  # every process sees it at once: the old cookie signs no one in
    assert "Facilitator sign-in" in texts(at) and "Start a session" not in texts(at)
    _, data = staff_session(at)
    assert (data["url"], data["body"]) == (staff.SIGN_OUT_PATH, "{}")
    at = component_done(at, {"id": data["id"], "ok": True})
    assert staff_session(at)[1] is None and "Facilitator sign-in" in texts(at)


def test_a_tab_whose_sign_in_ended_elsewhere_is_signed_out_within_seconds(
    app_ctx, admin_account, served, monkeypatch, routed
):
    at = sign_in(page("console"))
    sign_in_id = at.session_state[auth.SIGN_IN_KEY].id
    at.run()
    assert "Start a session" in texts(at)  # checked a moment ago: no database read needed
    sign_ins.sign_out(app_ctx, sign_in_id)  # another tab signed out (or an admin, or the end)
    monkeypatch.setattr(auth, "CHECK_SECONDS", 0.0)
    at.run()
    shown = texts(at)
    assert "Facilitator sign-in" in shown and "You are signed out" in shown and "Start a session" not in shown


def test_first_account_creation_signs_in_and_keeps_the_browser_signed_in(app_ctx, served, routed):
    from hopecircle.services import accounts

    code = accounts.setup_code(app_ctx)
    at = page("console")
    for field, value in zip(at.text_input, [code, "Ada", "ada", PASSWORD, PASSWORD], strict=True):
        field.input(value)
    at = at.button[0].click().run()
    assert "Start a session" in texts(at)
    _, data = staff_session(at)
    assert data["url"] == staff.SESSION_PATH and rows(app_ctx) == 1
