"""The app's own HTTP endpoints beside Streamlit's pages: Starlette routes, never Streamlit.

`serve.py` mounts `routes()` with `st.App(routes=...)`. Phones and projectors wait on their
room here (`rooms.py`) instead of running a Streamlit fragment per look, phones post their
words and taps here (`phone.py`) instead of running their screen's script, and a staff
browser gets the cookie that keeps it signed in (`staff.py`). Every route calls the same
services as the pages, in the thread pool, and answers JSON with `Cache-Control: no-store`.
"""

from __future__ import annotations

from starlette.routing import Route

from hopecircle import process
from hopecircle.http import carry, phone, phone_room, rooms, staff


def routes(cookie_secret: str) -> list[Route]:
    """Every endpoint, for `st.App(routes=...)`; from now on this process serves them.

    `cookie_secret` signs staff cookies: Streamlit's `server.cookieSecret`, the same in every
    process behind a proxy.
    """
    staff_routes = staff.routes(cookie_secret)  # refuses an empty secret before anything is served
    process.serve()
    return [
        Route(rooms.BOARD_PATH, rooms.board_endpoint, methods=["GET"]),
        Route(phone_room.JOIN_PATH, phone_room.join_endpoint, methods=["POST"]),
        Route(phone_room.ROOM_PATH, phone_room.room_endpoint, methods=["POST"]),
        Route(phone_room.HOPE_CARD_PATH, phone_room.hope_card_endpoint, methods=["POST"]),
        Route(phone.SEND_PATH, phone.send_endpoint, methods=["POST"]),
        Route(phone.ME_TOO_PATH, phone.me_too_endpoint, methods=["POST"]),
        Route(phone.PULSE_PATH, phone.pulse_endpoint, methods=["POST"]),
        Route(phone.EDIT_PATH, phone.edit_endpoint, methods=["POST"]),
        Route(phone.DELETE_PATH, phone.delete_endpoint, methods=["POST"]),
        Route(phone.TALK_PATH, phone.talk_endpoint, methods=["POST"]),
        Route(phone.LANGUAGE_PATH, phone.language_endpoint, methods=["POST"]),
        *staff_routes,
        *carry.routes(),
    ]
