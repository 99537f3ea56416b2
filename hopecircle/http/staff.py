"""Where a staff browser gets, and gives back, the cookie that keeps it signed in.

Streamlit cannot set a cookie (it talks over a WebSocket), so after the sign-in form checks the
password, the page's staff-session component (`ui/static/staff_session.js`) posts the one-time
ticket it was given here, and this answer sets the cookie (`services/sign_ins.py`).

    POST /api/staff/session   {"ticket"}  200 {"ok": true} and Set-Cookie; 403 for a ticket
                                          used, too old or unknown; 400 for anything else
    POST /api/staff/sign-out  {}          200, the sign-in ended server-side and the cookie
                                          cleared (also when there was none)

The cookie is HttpOnly (page scripts cannot read it), SameSite=Strict (no other site's page
makes the browser send it), Path=/ (the WebSocket at /_stcore/stream carries it), Secure when
the request came over https (directly, or as the proxy says in X-Forwarded-Proto), and ends
with the sign-in. Its value is signed with the secret every process shares (Streamlit's
`server.cookieSecret`, passed in by `serve.py`: this module never imports Streamlit). Bodies
must be JSON, which another site's page cannot send without a CORS preflight that nothing
here answers. The staff cookie is the only cookie and the forwarded scheme the only header the
app reads; participants' requests never come here, and nothing is logged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hopecircle.http.answers import Refused, TooBig, answer, bad_request, json_object
from hopecircle.process import context
from hopecircle.services import sign_ins
from hopecircle.services.sign_ins import COOKIE_NAME, SignInNotKept

SESSION_PATH = "/api/staff/session"
SIGN_OUT_PATH = "/api/staff/sign-out"
MAX_BODY = 4096


def routes(cookie_secret: str) -> list[Route]:
    """The two staff endpoints, signing cookies with `cookie_secret` (the same in every process)."""
    if not cookie_secret:
        raise ValueError("staff sign-in needs Streamlit's server.cookieSecret")
    return [
        Route(SESSION_PATH, _with_secret(keep_signed_in, cookie_secret), methods=["POST"]),
        Route(SIGN_OUT_PATH, _with_secret(sign_out, cookie_secret), methods=["POST"]),
    ]


def _with_secret(
    endpoint: Callable[[Request, str], Awaitable[Response]], secret: str
) -> Callable[[Request], Awaitable[Response]]:
    async def bound(request: Request) -> Response:
        return await endpoint(request, secret)

    bound.__name__ = endpoint.__name__
    return bound


async def keep_signed_in(request: Request, secret: str) -> JSONResponse:
    """Exchange the sign-in form's ticket for this browser's cookie."""
    try:
        payload = await json_object(request, MAX_BODY)
    except (Refused, TooBig):
        return bad_request()
    ticket = payload.get("ticket")
    if not isinstance(ticket, str) or set(payload) != {"ticket"}:
        return bad_request()
    carried = _carried_cookie(request)
    try:
        cookie = await run_in_threadpool(sign_ins.exchange_ticket, context(), ticket, secret, replacing=carried)
    except SignInNotKept:
        return answer({"error": "refused"}, 403)
    response = answer({"ok": True})
    response.set_cookie(
        COOKIE_NAME,
        cookie.value,
        max_age=cookie.max_age,
        path="/",
        secure=_over_https(request),
        httponly=True,
        samesite="strict",
    )
    return response


async def sign_out(request: Request, secret: str) -> JSONResponse:
    """End the sign-in this browser's cookie stands for, and clear the cookie."""
    try:
        await json_object(request, MAX_BODY)
    except (Refused, TooBig):
        return bad_request()
    carried = _carried_cookie(request)
    if carried is not None:
        await run_in_threadpool(sign_ins.sign_out_cookie, context(), carried, secret)
    response = answer({"ok": True})
    response.delete_cookie(COOKIE_NAME, path="/", secure=_over_https(request), httponly=True, samesite="strict")
    return response


def _carried_cookie(request: Request) -> str | None:
    """The staff cookie this browser sent, if any (no other cookie is read)."""
    value = request.cookies.get(COOKIE_NAME)
    return value if value else None


def _over_https(request: Request) -> bool:
    """Whether the browser reached us over https: directly, or through the proxy, as it says."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"
