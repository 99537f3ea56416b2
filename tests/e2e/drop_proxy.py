"""A TCP proxy that can drop a phone's network: between the phone's browser and the app (or nginx).

A venue's Wi-Fi that drops does not close a phone's connections politely: they die, and every
new one fails until it comes back. Playwright's `set_offline` hides that (an open WebSocket stays
open through it), so the phone's page is loaded through this proxy instead, and every request of
that page (the page, its WebSocket, its posts) goes through it. `down()` resets every open
connection on both sides (closed with SO_LINGER 0, so each peer gets a RST, not a FIN) and resets
every new one as soon as it is accepted; `up()` forwards again.

The proxy runs its own asyncio loop in a thread, so Playwright's sync API (which keeps a loop of
its own in the test thread) drives the browser while it runs; `down()` and `up()` return once done.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import time
import urllib.parse
from typing import Any

# SO_LINGER on, zero seconds: close() discards what is unsent and answers with a RST.
_RESET_ON_CLOSE = struct.pack("ii", 1, 0)
_CHUNK = 64 * 1024


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close a connection with a RST: the peer's next read or write fails with "connection reset"."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET_ON_CLOSE)
    writer.transport.abort()


class DropProxy:
    """Listens on 127.0.0.1 (a port of its own) and forwards each connection to `target` until `down()`."""

    def __init__(self, target: str) -> None:
        parts = urllib.parse.urlsplit(target if "//" in target else f"//{target}")
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"a host and a port are needed, not {target!r}")
        self.target_host = parts.hostname
        self.target_port = parts.port
        self.port = 0
        self.accepted = 0  # connections forwarded
        self.reset = 0  # connections reset (open ones at down(), new ones while down)
        self.refused_at: list[float] = []  # time.monotonic() of each new connection reset while down
        self._down = False
        self._open: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._tasks: set[asyncio.Task] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="drop-proxy", daemon=True)
        self._server: asyncio.AbstractServer | None = None

    # -- driving it from the test thread ----------------------------------------------------------

    def start(self) -> DropProxy:
        """Listen on a free loopback port (the kernel's pick: nothing else needs to know it first)."""
        self._thread.start()
        self._server = self._run(self._listen())
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def address_of(self, url: str) -> str:
        """`url` with its host and port replaced by the proxy's (the path and query kept)."""
        return urllib.parse.urlsplit(url)._replace(netloc=f"127.0.0.1:{self.port}").geturl()

    def down(self) -> None:
        """Reset every open connection, and from now on every new one."""
        self._run(self._go_down())

    def up(self) -> float:
        """Forward again; returns the moment (time.monotonic()) it did."""
        self._run(self._go_up())
        return time.monotonic()

    def open_connections(self) -> int:
        """Connections being forwarded now."""
        return self._run(self._count())

    def close(self) -> None:
        """Reset what is open and stop listening."""
        if not self._thread.is_alive():
            return
        with contextlib.suppress(Exception):
            self._run(self._shut())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self._loop.close()

    def __enter__(self) -> DropProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=15)

    # -- in the proxy's loop ------------------------------------------------------------------------

    async def _listen(self) -> asyncio.AbstractServer:
        return await asyncio.start_server(self._accept, "127.0.0.1", 0)

    async def _go_down(self) -> None:
        self._down = True
        for pair in list(self._open):
            self._drop(pair)

    async def _go_up(self) -> None:
        self._down = False

    async def _count(self) -> int:
        return len(self._open)

    async def _shut(self) -> None:
        if self._server is not None:
            self._server.close()
        for pair in list(self._open):
            self._drop(pair)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _drop(self, pair: tuple[asyncio.StreamWriter, asyncio.StreamWriter]) -> None:
        if pair in self._open:
            self._open.discard(pair)
            self.reset += 1
        for writer in pair:
            _reset(writer)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if self._down:
            self.reset += 1
            self.refused_at.append(time.monotonic())
            _reset(writer)
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            _reset(writer)
            return
        pair = (writer, upstream_writer)
        if self._down:  # dropped while this one was connecting
            self._open.add(pair)
            self._drop(pair)
            return
        self._open.add(pair)
        self.accepted += 1
        try:
            await asyncio.gather(self._pump(reader, upstream_writer), self._pump(upstream_reader, writer))
        except (OSError, asyncio.IncompleteReadError):
            self._drop(pair)  # one side failed: the other learns it the same way
        finally:
            if pair in self._open:
                self._open.discard(pair)
                for side in pair:
                    side.close()

    @staticmethod
    async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        """Copy one direction until its end, then pass the end on (a half-close, as TCP has it)."""
        while True:
            data = await source.read(_CHUNK)
            if not data:
                break
            sink.write(data)
            await sink.drain()
        if not sink.is_closing() and sink.can_write_eof():
            with contextlib.suppress(OSError):
                sink.write_eof()
