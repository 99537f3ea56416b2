"""A browser tab without a browser: one Streamlit session driven over `/_stcore/stream`.

It does what Streamlit's frontend does and nothing more: an HTTP GET of the page (so a proxy
can set its affinity cookie), a WebSocket with the `streamlit` subprotocol, `rerun_script`
BackMsgs carrying the query string, page and widget states, a timer for every `auto_rerun`
fragment, and the ForwardMsg cache (it tells the server which big messages it already holds,
so the server sends references to them, as it would to a browser). It also does what the
JavaScript of a room watcher component (`hopecircle/ui/static/room_watch.js`) does in a
projector's browser: a GET of the board endpoint on a kept-alive connection, which the server
holds until the room differs from what the page shows (then asked again at once), and a
trigger that reruns the page when the answer differs; and it posts JSON as a page's `fetch`
does, on kept-alive connections (`post`, `ask`, `post_raw`: what a served phone's room
component does, `bench/load/phone.py`).

What the server draws is kept as a flat map from delta path to a small `Element`, pruned after
each run like the frontend prunes stale nodes (the whole page after a full run, a fragment's
own elements after that fragment's run). A widget inside a fragment reruns only that fragment,
as in a browser (`Session.act`). That is enough to find a widget by its key
or label and to read text, and cheap enough for a few hundred sessions in one asyncio process.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import websockets
from streamlit.components.v2.bidi_component.constants import EVENT_DELIM
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

from bench.load.network import Network

FINISHED = ForwardMsg.ScriptFinishedStatus
_TEXT_FIELDS = {"html": "body", "markdown": "body", "heading": "body", "alert": "body", "text": "body"}
_WIDGET_TYPES = {"button", "text_area", "text_input", "button_group", "checkbox", "radio", "selectbox"}
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SHORTEST_WAIT = 0.25  # seconds between a watcher's questions, as in room_watch.js
AFTER_WAKE = 10.0  # ... and after an answer woke its screen, as in room_watch.js
# Streamlit 1.67's frontend (ConnectionManager) after its stream closed: a first wait of 250-500 ms
# (then longer, to 4 s, after each stream that failed to open), and pings of the health and
# host-config routes until both answer: 100 ms, then doubling with jitter to at most 4 s.
RECONNECT_FIRST = (0.25, 0.5)
RECONNECT_MOST = 4.0
PING_FIRST = 0.1
PING_MOST = 4.0


class ProtocolError(Exception):
    """The server did something a browser would not expect (or did not answer in time)."""


@dataclass(slots=True)
class Element:
    """What the harness needs of one drawn element."""

    kind: str
    id: str = ""
    label: str = ""
    body: str = ""
    form_id: str = ""
    submit: bool = False
    alert_format: int = 0
    generation: int = 0
    fragment_id: str = ""
    run: int = 0
    data: str = ""  # a custom component's data (JSON)

    @property
    def key(self) -> str:
        """The user key a widget was created with (Streamlit puts it at the end of the id)."""
        if not self.id.startswith("$$ID-"):
            return ""
        return self.id.split("-", 2)[2] if self.id.count("-") >= 2 else ""


@dataclass
class Page:
    """The elements of the current screen, by delta path."""

    elements: dict[tuple[int, ...], Element] = field(default_factory=dict)

    def widgets(self, kind: str | None = None) -> list[Element]:
        return [e for e in self.elements.values() if e.id and (kind is None or e.kind == kind)]

    def widget(self, *, key: str | None = None, label: str | None = None, kind: str | None = None) -> Element | None:
        """The first widget with this user key, or whose label starts with `label`."""
        for element in self.elements.values():
            if not element.id or (kind is not None and element.kind != kind):
                continue
            if key is not None and element.key == key:
                return element
            if label is not None and element.label.startswith(label):
                return element
        return None

    def submit_button(self, form_of: Element) -> Element | None:
        """The submit button of the form that `form_of` sits in."""
        for element in self.elements.values():
            if element.kind == "button" and element.submit and element.form_id == form_of.form_id:
                return element
        return None

    def texts(self, kind: str | None = None) -> Iterable[str]:
        for element in self.elements.values():
            if element.body and (kind is None or element.kind == kind):
                yield element.body

    def alerts(self, alert_format: int | None = None) -> list[str]:
        return [
            e.body
            for e in self.elements.values()
            if e.kind == "alert" and (alert_format is None or e.alert_format == alert_format)
        ]

    def has_exception(self) -> bool:
        return any(e.kind == "exception" for e in self.elements.values())


@dataclass
class Counters:
    """What one session saw, for the run's totals."""

    full_runs: int = 0
    fragment_runs: int = 0
    interrupted_runs: int = 0
    messages: int = 0
    bytes_in: int = 0
    exceptions: int = 0
    looks: int = 0  # questions to the room (a phone's room posts, a projector's board GETs), held or at once
    looks_unanswered: int = 0  # ... that got no state or signature (no endpoint, an error)
    wakes: int = 0  # ... and the runs a projector's watcher asked for
    posts: int = 0  # a page's posts of what a person did (words, taps, joins, cards), answered without a run


def _summarize(element, generation: int) -> Element:  # type: ignore[no-untyped-def]
    kind = element.WhichOneof("type") or ""
    if kind in _TEXT_FIELDS:
        inner = getattr(element, kind)
        if kind == "alert":
            return Element(kind, body=inner.body, alert_format=inner.format, generation=generation)
        return Element(kind, body=inner.body, generation=generation)
    if kind in _WIDGET_TYPES:
        inner = getattr(element, kind)
        return Element(
            kind,
            id=inner.id,
            label=inner.label,
            form_id=getattr(inner, "form_id", ""),
            submit=bool(getattr(inner, "is_form_submitter", False)),
            generation=generation,
        )
    if kind == "bidi_component":
        inner = element.bidi_component
        data = inner.json or (inner.mixed.json if inner.HasField("mixed") else "")
        return Element(kind, id=inner.id, label=inner.component_name, data=data, generation=generation)
    return Element(kind, generation=generation)


def trigger(widget: Element) -> WidgetState:
    """A button or form-submit press."""
    return WidgetState(id=widget.id, trigger_value=True)


def text(widget: Element, value: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=value)


def component_event(component: Element, event: str, value: object) -> WidgetState:
    """What `setTriggerValue(event, value)` sends from a `st.components.v2` component's JavaScript."""
    return WidgetState(
        id=f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{component.id}{EVENT_DELIM}events",
        json_trigger_value=json.dumps([{"event": event, "value": value}]),
    )


class KeptAliveHttp:
    """Requests on one kept-alive HTTP/1.1 connection, as a browser's `fetch` reuses its connection."""

    def __init__(self, base_url: str, timeout: float, network: Network | None = None) -> None:
        parts = urlsplit(base_url)
        if parts.hostname not in _LOOPBACK:
            raise ValueError(f"load traffic goes only to loopback addresses, not {parts.hostname}")
        self.host, self.port, self.netloc = parts.hostname, parts.port or 80, parts.netloc
        self.timeout = timeout
        self.network = network  # a phone's: cut by --drop
        self.content_type = ""
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._lock = asyncio.Lock()

    async def get(self, path: str, cookies: dict[str, str]) -> tuple[int, bytes]:
        """The status and body; reconnects once if the server had closed the idle connection."""
        return await self.request("GET", path, cookies)

    async def post(self, path: str, payload: object, cookies: dict[str, str]) -> tuple[int, bytes]:
        """POST `payload` as JSON, as a page's `fetch` does; the status and body."""
        return await self.request("POST", path, cookies, json.dumps(payload).encode())

    async def request(
        self, method: str, path: str, cookies: dict[str, str], body: bytes | None = None
    ) -> tuple[int, bytes]:
        """Once on the kept-alive connection, and once more on a new one if that connection had
        gone (the server closes idle ones: uvicorn after 5 s) before any answer came back, as
        browsers do. A post is sent again only then: once an answer has begun, never. The answer's
        `Content-Type` is left in `content_type`."""
        return await self._request(method, path, cookies, body)

    async def _request(
        self, method: str, path: str, cookies: dict[str, str], body: bytes | None = None
    ) -> tuple[int, bytes]:
        async with self._lock:
            reused = self._streams is not None
            try:
                return await asyncio.wait_for(self._exchange(method, path, cookies, body), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError, ValueError) as error:
                self.close()
                if method != "GET" and not (reused and _nothing_read(error)):
                    raise  # the server may have it: a post is not sent twice behind the person's back
            except BaseException:
                # Called off or timed out with the answer unread (a held question, when a redraw
                # stops the watcher): the connection is dropped, as a browser's abort drops it.
                self.close()
                raise
            try:
                return await asyncio.wait_for(self._exchange(method, path, cookies, body), self.timeout)
            except BaseException:
                self.close()
                raise

    async def _exchange(self, method: str, path: str, cookies: dict[str, str], body: bytes | None) -> tuple[int, bytes]:
        if self._streams is not None and self._streams[0].at_eof():
            self.close()  # closed by the server while idle, and already known to be: not reused
        if self._streams is None:
            if self.network is not None:
                self._streams = await self.network.open_connection(self.host, self.port)
            else:
                self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        content = f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n" if body is not None else ""
        writer.write(
            (
                f"{method} {path} HTTP/1.1\r\nHost: {self.netloc}\r\nAccept: application/json\r\n"
                + content
                + (f"Cookie: {cookie_header}\r\n" if cookie_header else "")
                + "\r\n"
            ).encode("latin-1")
            + (body or b"")
        )
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:])}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.content_type = headers.get("content-type", "")
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self._streams is not None:
            if self.network is not None:
                self.network.release(self._streams[1].transport)
            self._streams[1].close()
            self._streams = None


def _json_object(body: bytes) -> dict:
    try:
        answer = json.loads(body) if body else {}
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _nothing_read(error: BaseException) -> bool:
    """Whether a request failed before any byte of an answer (a connection the server had closed)."""
    if isinstance(error, asyncio.IncompleteReadError):
        return not error.partial
    return isinstance(error, ConnectionError)


async def http_get(
    url: str, cookies: dict[str, str], timeout: float, network: Network | None = None
) -> tuple[int, dict[str, str]]:
    """GET `url` (loopback only) like a browser loading the page; returns the status and new cookies."""
    parts = urlsplit(url)
    if parts.hostname not in _LOOPBACK:
        raise ValueError(f"load traffic goes only to loopback addresses, not {parts.hostname}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    connecting = network.open_connection(host, port) if network is not None else asyncio.open_connection(host, port)
    reader, writer = await asyncio.wait_for(connecting, timeout)
    try:
        cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/html\r\nConnection: close\r\n"
            + (f"Cookie: {cookie_header}\r\n" if cookie_header else "")
            + "\r\n"
        )
        writer.write(request.encode("latin-1"))
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        if network is not None:
            network.release(writer.transport)
        writer.close()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    found: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            jar = SimpleCookie()
            jar.load(value.strip())
            found.update({k: morsel.value for k, morsel in jar.items()})
    return status, found


class Session:
    """One Streamlit session, as one browser tab would hold it."""

    def __init__(
        self,
        base_url: str,
        page_name: str = "",
        query_string: str = "",
        *,
        run_timeout: float = 60.0,
        fetch_page: bool = True,
        on_full_run: Callable[[Session], None] | None = None,
        tick: bool = True,
        watchers: frozenset[str] = frozenset(),
        network: Network | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.network = network  # a phone's network, which --drop cuts; None: never cut
        self.page_name = page_name
        self.query_string = query_string
        self.run_timeout = run_timeout
        self.fetch_page = fetch_page
        self.on_full_run = on_full_run
        self.tick = tick  # fire fragment timers and room watchers (off: the caller drives them)
        self.watchers = watchers  # names of room watcher components this client plays the JavaScript of
        self.fragments: dict[str, float] = {}
        self.page = Page()
        self.counters = Counters()
        self.cookies: dict[str, str] = {}
        self.page_script_hash = ""
        self.closed = False
        self.disconnected = False
        self.cut_off = False  # the stream closed because the network was cut: the frontend reconnects
        self.session_id = ""  # the server's id for this session, to reconnect the stream to it
        self.last_full_finish = 0.0
        self._ws: websockets.ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._tickers: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._generation = 0
        self._full_started = 0
        self._full_finished = 0
        self._fragments_finished = 0
        self._run_is_fragment = False
        self._runs_started = 0
        self._runs_done = 0
        self._fragment_ids_this_run: tuple[str, ...] = ()
        self._answers: list[tuple[int, tuple[str, ...]]] = []  # recent finished runs: (number, fragments or ())
        self.last_finish = 0.0
        self._finished = asyncio.Event()
        self._cache: dict[str, tuple[Element | None, int]] = {}
        self._max_cache_age = 2
        self._http = KeptAliveHttp(self.base_url, run_timeout, network)
        # A second connection for the page's posts: the watcher's question may be held on the first.
        self._posts = KeptAliveHttp(self.base_url, run_timeout, network)
        self._watching: tuple[tuple[str, str, str], asyncio.Task[None]] | None = None

    # -- connecting -------------------------------------------------------------------------

    async def open(self) -> None:
        """Load the page, open the stream and wait for the first run to finish."""
        if self.fetch_page:
            path = f"/{self.page_name}" if self.page_name else "/"
            query = f"?{self.query_string}" if self.query_string else ""
            status, cookies = await http_get(self.base_url + path + query, self.cookies, self.run_timeout, self.network)
            if status != 200:
                raise ProtocolError(f"page load answered {status}")
            self.cookies.update(cookies)
        await self._connect()
        await self.rerun(first=True)

    async def _connect(self, existing_session: str = "") -> None:
        """Open the stream; with `existing_session`, as the frontend reopens it to the same session
        (the subprotocol list carries an XSRF token, or the frontend's placeholder, and the id)."""
        ws_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        if urlsplit(ws_url).hostname not in _LOOPBACK:
            raise ValueError("load traffic goes only to loopback addresses")
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        protocols = ["streamlit"]
        if existing_session:
            protocols += [self.cookies.get("_streamlit_xsrf", "PLACEHOLDER_AUTH_TOKEN"), existing_session]
        if self.network is not None:
            self.network.check()
        self._ws = await asyncio.wait_for(
            websockets.connect(
                ws_url,
                subprotocols=[websockets.Subprotocol(name) for name in protocols],
                additional_headers=headers,
                compression=None,
                max_size=None,
                open_timeout=self.run_timeout,
                ping_interval=None,
            ),
            self.run_timeout,
        )
        if self.network is not None:
            self.network.adopt(self._ws.transport)
        self.disconnected = self.cut_off = False
        self._reader = asyncio.create_task(self._read())

    async def reconnect(self) -> int:
        """What Streamlit's frontend does when its stream closed (1.67, ConnectionManager): wait,
        ping the server until it answers, open the stream again to the same session, and, on a page
        with no run under way, no fragment and no timer (a served phone's), ask for no run. Returns
        the streams it tried to open."""
        attempts = 0
        while not self.closed:
            attempts += 1
            most = min(RECONNECT_MOST, 2 * RECONNECT_FIRST[0] * 2 ** (attempts - 1))
            await asyncio.sleep(random.uniform(*RECONNECT_FIRST) if attempts == 1 else random.uniform(most / 2, most))
            await self._ping_until_answered()
            try:
                await self._connect(self.session_id)
                return attempts
            except (OSError, TimeoutError, websockets.WebSocketException):
                continue
        return attempts

    async def _ping_until_answered(self) -> None:
        pings = 0
        while not self.closed:
            pings += 1
            try:
                answers = await asyncio.gather(
                    *(
                        http_get(f"{self.base_url}/_stcore/{route}", self.cookies, self.run_timeout, self.network)
                        for route in ("health", "host-config")
                    )
                )
                if all(status == 200 for status, _cookies in answers):
                    return
            except (OSError, TimeoutError, ValueError, IndexError):
                pass
            wait = min(PING_MOST, PING_FIRST * 2 ** (pings - 1))
            await asyncio.sleep(wait if pings == 1 else wait * random.uniform(0.7, 1.0))

    async def close(self) -> None:
        self.closed = True
        for _interval, task in self._tickers.values():
            task.cancel()
        self._tickers.clear()
        self._stop_watching()
        self._http.close()
        self._posts.close()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # -- asking for runs ----------------------------------------------------------------------

    def _rerun_msg(
        self, widgets: Iterable[WidgetState], fragment_id: str = "", first: bool = False, timer: bool = True
    ) -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        if first:
            state.page_name = self.page_name
        else:
            state.page_script_hash = self.page_script_hash
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = timer
        state.widget_states.widgets.extend(widgets)
        state.cached_message_hashes.extend(self._cache)
        return msg.SerializeToString()

    async def rerun(self, *widgets: WidgetState, first: bool = False) -> float:
        """Ask for a full run (a widget interaction); return when a run started after it has finished."""
        if self._ws is None or self.disconnected:
            raise ProtocolError("not connected")
        before = self._full_started
        await self._ws.send(self._rerun_msg(widgets, first=first))
        await self.wait_for_full_run(after=before)
        return self.last_full_finish

    async def act(self, *widgets: WidgetState, within: Element) -> float:
        """Use a widget as a browser does: inside a fragment it reruns that fragment, else the page.

        `within` is the widget pressed. Returns when a run that answers it has finished (that
        fragment's run or a full run, started after the request), with the time it finished.
        """
        if not within.fragment_id:
            return await self.rerun(*widgets)
        if self._ws is None or self.disconnected:
            raise ProtocolError("not connected")
        before = self._runs_started
        await self._ws.send(self._rerun_msg(widgets, fragment_id=within.fragment_id, timer=False))
        await self._until(
            lambda: any(n > before and (not ids or within.fragment_id in ids) for n, ids in self._answers),
            self.run_timeout,
            lambda: (
                f"no run answered in time (runs started {before} -> {self._runs_started}, "
                f"finished since {[(n, len(ids)) for n, ids in self._answers if n > before]}, "
                f"interrupted {self.counters.interrupted_runs})"
            ),
        )
        return self.last_finish

    async def tell(self, *widgets: WidgetState, within: Element) -> None:
        """Use a widget and go on without waiting for the run it starts, as a component's
        `setTriggerValue` does after its own answer is on the screen."""
        if self._ws is None or self.disconnected:
            raise ProtocolError("not connected")
        await self._ws.send(self._rerun_msg(widgets, fragment_id=within.fragment_id or "", timer=False))

    async def wait_for_run(self, timeout: float) -> None:
        """Wait until the next run (full or fragment) finishes."""
        last = self._answers[-1][0] if self._answers else 0
        await self._until(lambda: bool(self._answers) and self._answers[-1][0] != last, timeout)

    async def wait_for_full_run(self, after: int | None = None, timeout: float | None = None) -> None:
        """Wait until a full run numbered above `after` (default: the one under way now) has finished."""
        after = self._full_finished if after is None else after
        await self._until(lambda: self._full_finished > after, self.run_timeout if timeout is None else timeout)

    async def _until(
        self, done: Callable[[], bool], timeout: float, why: Callable[[], str] = lambda: "no finished run in time"
    ) -> None:
        """Wait, woken by each finished run, until `done()`; TimeoutError (saying `why()`) after `timeout`."""
        deadline = time.monotonic() + timeout
        while not done():
            if self.disconnected:
                raise ProtocolError("disconnected")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(why())
            self._finished.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), remaining)

    @property
    def full_runs_finished(self) -> int:
        return self._full_finished

    @property
    def settled(self) -> bool:
        """No full run under way: the page is the complete result of the last one."""
        return self._full_started == self._full_finished

    @property
    def idle(self) -> bool:
        """No run at all under way (full or fragment): what is on the page is complete."""
        return self._runs_started == self._runs_done

    # -- fragments ------------------------------------------------------------------------------

    async def rerun_fragment(self, fragment_id: str) -> None:
        """Run one fragment now, as its timer would, and wait for that run to finish."""
        if self._ws is None or self.disconnected:
            raise ProtocolError("not connected")
        before_fragments, before_full = self._fragments_finished, self._full_finished
        await self._ws.send(self._rerun_msg((), fragment_id=fragment_id))
        deadline = time.monotonic() + self.run_timeout
        while self._fragments_finished == before_fragments and self._full_finished == before_full:
            if self.disconnected:
                raise ProtocolError("disconnected")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no finished fragment run in time")
            self._finished.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), remaining)

    def _start_ticker(self, fragment_id: str, interval: float) -> None:
        self.fragments[fragment_id] = interval
        if not self.tick:
            return
        current = self._tickers.get(fragment_id)
        if current is not None:
            if current[0] == interval:
                return
            current[1].cancel()
        self._tickers[fragment_id] = (interval, asyncio.create_task(self._tick(fragment_id, interval)))

    def _stop_tickers(self, fragment_ids: Iterable[str] | None = None) -> None:
        for fragment_id in list(self._tickers if fragment_ids is None else fragment_ids):
            entry = self._tickers.pop(fragment_id, None)
            if entry is not None:
                entry[1].cancel()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        # Like the frontend's setInterval: fire every `interval`, whether or not a run is under way.
        next_at = time.monotonic() + interval
        while not self.closed and not self.disconnected and self._ws is not None:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            try:
                await self._ws.send(self._rerun_msg((), fragment_id=fragment_id))
            except websockets.ConnectionClosed:
                return

    # -- the room watcher ------------------------------------------------------------------------

    def watcher(self) -> Element | None:
        """The room watcher component on the screen, if any."""
        for element in self.page.elements.values():
            if element.kind == "bidi_component" and element.label in self.watchers:
                return element
        return None

    async def look(self, watcher: Element, *, hold: bool = True) -> tuple[str, float | None]:
        """One question of the watcher's JavaScript: the room's signature ("" without an answer),
        and when to ask next if the answer says (0: at once).

        The watcher's URL carries what its screen shows (`seen`), and the server holds the
        question until the room differs; `hold=False` asks without it, for an answer at once.
        """
        url = json.loads(watcher.data or "{}").get("url")
        if url and not hold:
            url = re.sub(r"&seen=[^&]*", "", url)
        self.counters.looks += 1
        if url:
            try:
                status, body = await self._http.get(url, self.cookies)
                if status == 200:
                    answer = json.loads(body)
                    every = answer.get("every")
                    return str(answer.get("signature") or ""), float(every) if every is not None else None
            except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError):
                pass
        self.counters.looks_unanswered += 1
        return "", None

    async def post(self, url: str, payload: object) -> tuple[int, dict]:
        """What a page's `fetch` posting JSON to `url` gets back: the status and the JSON answer ({} if none)."""
        self.counters.posts += 1
        status, body = await self._posts.post(url, payload, self.cookies)
        return status, _json_object(body)

    async def ask(self, url: str, payload: object) -> tuple[int, dict]:
        """A question posted on the connection kept for held questions (a served phone's room)."""
        status, body = await self._http.post(url, payload, self.cookies)
        return status, _json_object(body)

    async def post_raw(self, url: str, payload: object) -> tuple[int, bytes, str]:
        """A post whose answer may be a file (a hope card): the status, the bytes, their type."""
        status, body = await self._posts.post(url, payload, self.cookies)
        return status, body, self._posts.content_type

    def _sync_watcher(self) -> None:
        """After a run: a watcher with new data replaces the old one (the JavaScript is called again)."""
        watcher = self.watcher() if self.tick else None
        identity = (watcher.id, watcher.data, watcher.fragment_id) if watcher is not None else None
        if self._watching is not None and self._watching[0] == identity:
            return
        self._stop_watching()
        if watcher is not None and identity is not None and not self.closed:
            self._watching = (identity, asyncio.create_task(self._watch(watcher)))

    def _stop_watching(self) -> None:
        if self._watching is not None:
            self._watching[1].cancel()
            self._watching = None

    async def _watch(self, watcher: Element) -> None:
        data = json.loads(watcher.data or "{}")
        every, seen = float(data.get("every") or 0), data.get("seen")
        if every <= 0:
            return
        wait: float | None = None if data.get("url") else every  # a held question is asked at once
        while not self.closed and not self.disconnected and self._ws is not None:
            if wait is not None:
                await asyncio.sleep(max(wait, SHORTEST_WAIT))
            signature, asked = await self.look(watcher)
            wait = asked if asked is not None and signature == seen else every
            if signature != seen and signature:
                wait = max(wait, AFTER_WAKE)  # answered: the redraw will replace this watch
            if signature != seen:
                self.counters.wakes += 1
                msg = self._rerun_msg(
                    [component_event(watcher, "changed", signature)], watcher.fragment_id, timer=False
                )
                try:
                    await self._ws.send(msg)
                except websockets.ConnectionClosed:
                    return

    # -- reading --------------------------------------------------------------------------------

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for data in self._ws:
                self.counters.messages += 1
                self.counters.bytes_in += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            if not self.closed:
                self.disconnected = True
                self.cut_off = self.network is not None and self.network.down
            self._stop_tickers()
            self._stop_watching()
            self._finished.set()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "delta":
            self._delta(msg)
        elif kind == "ref_hash":
            self._reference(msg)
        elif kind == "new_session":
            if msg.new_session.initialize.session_id:
                self.session_id = msg.new_session.initialize.session_id
            fragment_run = len(msg.metadata.run.fragment_ids) > 0
            self._run_is_fragment = fragment_run
            self._runs_started += 1
            self._fragment_ids_this_run = tuple(msg.metadata.run.fragment_ids)
            if not fragment_run:
                self._full_started += 1
                self._generation += 1
                self._stop_tickers()
                self.fragments.clear()
                self._max_cache_age = msg.new_session.config.max_cached_message_age or 2
        elif kind == "script_finished":
            self._script_finished(msg.script_finished)
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "navigation":
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "auto_rerun":
            self._start_ticker(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._stop_tickers(msg.stop_auto_rerun.fragment_ids)

    def _delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        path = tuple(msg.metadata.delta_path)
        which = delta.WhichOneof("type")
        if which == "new_element":
            element = _summarize(delta.new_element, self._generation)
            element.fragment_id = delta.fragment_id
            element.run = self._runs_started
            if element.kind == "exception":
                self.counters.exceptions += 1
            self.page.elements[path] = element
            if msg.metadata.cacheable and msg.hash:
                self._cache[msg.hash] = (element, self._full_started)
        elif which == "add_block":
            self.page.elements[path] = Element(
                "block", generation=self._generation, fragment_id=delta.fragment_id, run=self._runs_started
            )

    def _reference(self, msg: ForwardMsg) -> None:
        cached = self._cache.get(msg.ref_hash)
        path = tuple(msg.metadata.delta_path)
        if cached is None or cached[0] is None:
            return
        element = cached[0]
        self._cache[msg.ref_hash] = (element, self._full_started)
        self.page.elements[path] = dataclasses.replace(element, generation=self._generation, run=self._runs_started)

    def _answer(self, number: int, fragment_ids: tuple[str, ...]) -> None:
        self._answers.append((number, fragment_ids))
        del self._answers[:-8]

    def _script_finished(self, status: int) -> None:
        self._runs_done += 1
        if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
            self.counters.interrupted_runs += 1
            if self._run_is_fragment:
                # When the next run starts before a fragment run's messages went out, Streamlit
                # keeps that fragment's elements and only relabels its end (ForwardMsgQueue.clear):
                # a browser shows them, so the tap was answered. The next run prunes what is stale.
                self.last_finish = time.time()
                self._answer(self._runs_started, self._fragment_ids_this_run)
                self._finished.set()
            return
        self.last_finish = time.time()
        if status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY or self._run_is_fragment:
            self.counters.fragment_runs += 1
            self._fragments_finished += 1
            # What this fragment drew before and did not draw again is gone from the screen.
            ran, number = self._fragment_ids_this_run, self._runs_started
            self.page.elements = {
                p: e for p, e in self.page.elements.items() if e.run >= number or e.fragment_id not in ran
            }
            self._answer(number, ran)
            self._sync_watcher()
            self._finished.set()
            return
        self.counters.full_runs += 1
        generation = self._generation
        self.page.elements = {p: e for p, e in self.page.elements.items() if e.generation >= generation}
        oldest = self._full_started - self._max_cache_age
        if len(self._cache) > 0:
            self._cache = {h: v for h, v in self._cache.items() if v[1] >= oldest}
        self._full_finished = self._full_started
        self.last_full_finish = self.last_finish
        self._answer(self._runs_started, ())
        self._sync_watcher()
        if self.on_full_run is not None:
            self.on_full_run(self)
        self._finished.set()
