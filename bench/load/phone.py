"""A served phone without a browser: what `hopecircle/ui/static/phone_room.js` does, over plain HTTP.

After the page's one Streamlit run (`Session.open`), the phone's room component has its data:
the room's code and watch proof, the catalog's sentences, where to post, and (for a phone with
a place) its token and the room's state. From then on the JavaScript never talks to Streamlit:
it joins with one post, holds a question to the room (`POST /api/phone/room` with the
signature of the state it shows) and draws each answer, and posts every word and tap. This does
the same, on the session's kept-alive connections (the held question on one, posts on the
other, as a browser's fetches use two).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from bench.load.client import Element, ProtocolError, Session
from hopecircle.ui.phone_room import COMPONENT_NAME as ROOM_COMPONENT

TAB_DIGITS = "0123456789abcdef"


def room_component(session: Session) -> Element | None:
    """The served phone's room component on the page, if it has one."""
    for element in session.page.elements.values():
        if element.kind == "bidi_component" and element.label == ROOM_COMPONENT:
            return element
    return None


class ServedPhone:
    """One phone's room component: its data, the room's state it shows, and its posts."""

    def __init__(self, session: Session) -> None:
        component = room_component(session)
        if component is None:
            raise ProtocolError("no room component on the phone's page (is the app served through serve.py?)")
        self.session = session
        self.data: dict[str, Any] = json.loads(component.data or "{}")
        self.setup: dict[str, Any] = json.loads(self.data.get("setup") or "{}")
        self.urls: dict[str, str] = self.setup.get("urls", {})
        self.lang: str = self.data.get("lang") or "en"
        self.code: str = self.data.get("code", "")
        self.proof: str = self.data.get("proof", "")
        self.token: str = self.data.get("token", "")
        self.tab = "".join(secrets.choice(TAB_DIGITS) for _ in range(16))
        self.shown = int(self.setup.get("page") or 12)
        self.state: dict[str, Any] | None = None
        self.signature = ""
        self.version = -1
        state = self.data.get("state")
        if state:
            self.apply(json.loads(state))

    # -- the room's state ----------------------------------------------------------------------

    @property
    def phase(self) -> str:
        """The phase the screen shows ("close" once the session has ended), or "" before any state."""
        if self.state is None:
            return ""
        room = self.state["room"]
        return room["phase"] if room.get("open") else "close"

    @property
    def mine(self) -> dict[str, Any]:
        return (self.state or {}).get("mine") or {}

    def apply(self, answer: dict[str, Any]) -> bool:
        """Take an answer's state as the JavaScript does (never an older one); whether it was new."""
        if "mine" in answer and self.state is not None:
            self.state["mine"] = answer["mine"]
        if "room" not in answer or answer.get("version", 0) < self.version:
            return False
        self.state = {"room": answer["room"], "mine": answer.get("mine") or self.mine}
        self.signature = answer.get("signature", "")
        self.version = answer.get("version", self.version)
        return True

    async def join(self) -> None:
        """Consent: one post with this tab's join key; the room's state comes with the token."""
        key = secrets.token_hex(16)
        status, answer = await self._post("join", {"code": self.code, "proof": self.proof, "key": key}, held=False)
        if status != 200 or not answer.get("token"):
            raise ProtocolError(f"the join post answered {status}: {answer.get('message') or answer}")
        self.token = answer["token"]
        self.apply(answer)

    async def ask(self, held: bool = True) -> bool:
        """One question to the room: held until it differs from what the screen shows (`held`), or
        answered at once. Whether a new state came (False: "ask again")."""
        body: dict[str, Any] = {"code": self.code, "proof": self.proof, "tab": self.tab, "shown": self.shown}
        if held and self.signature:
            body["seen"] = self.signature
        self.session.counters.looks += 1
        status, answer = await self._post("room", body, held=True)
        if status != 200:
            self.session.counters.looks_unanswered += 1
            raise ProtocolError(f"the room question answered {status}: {answer.get('message') or answer}")
        return self.apply(answer)

    # -- posts --------------------------------------------------------------------------------------

    async def post(self, name: str, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A write as the page posts it (with the phone's token and language); its status and answer.
        A post that changed the phone's own words brings them: kept, as the page keeps them."""
        status, answer = await self._post(name, fields, held=False)
        if status == 200 and "mine" in answer:
            self.apply({"mine": answer["mine"]})
        return status, answer

    async def hope_card(self, day: str) -> tuple[int, bytes, str]:
        """The hope card download: status, the bytes and their type."""
        self.session.counters.posts += 1
        payload = {"token": self.token, "lang": self.lang, "date": day}
        status, body, kind = await self.session.post_raw(f"{self.urls['card']}?lang={self.lang}", payload)
        return status, body, kind

    async def _post(self, name: str, fields: dict[str, Any], *, held: bool) -> tuple[int, dict[str, Any]]:
        payload = (
            {"token": self.token, "lang": self.lang, **fields} if name != "join" else {"lang": self.lang, **fields}
        )
        url = f"{self.urls[name]}?lang={self.lang}"
        if held:
            return await self.session.ask(url, payload)
        return await self.session.post(url, payload)
