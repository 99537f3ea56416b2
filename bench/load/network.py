"""The phones' network in one load worker: up, or cut as when a venue's Wi-Fi drops (`--drop`).

A cut resets every connection the phones hold (the server reads a reset, as from a phone that
lost its network), and while it lasts every new connection fails at once, as a phone's `fetch`
fails at once with no network. The projector boards and the facilitator are not on it: their
connections stay up. Every connection a phone's `Session` opens goes through here
(`open_connection`, or `adopt` for its stream), so nothing a phone does gets past a cut.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import struct
import time


class NetworkDown(OSError):
    """A connection a phone tried to open while its network was cut."""

    def __init__(self) -> None:
        super().__init__(errno.ENETUNREACH, "the network is cut (--drop)")


def reset(transport: asyncio.BaseTransport) -> None:
    """Close a connection with a reset, not a goodbye: the server reads ECONNRESET."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    if isinstance(transport, asyncio.WriteTransport):
        transport.abort()
    else:
        transport.close()


class Network:
    """The connections of the phones of one worker, and whether their network is up."""

    def __init__(self) -> None:
        self.down = False
        self.cuts = 0  # how many times it was cut; a phone reports its return once per cut
        self.cut_at: float | None = None
        self.restored_at: float | None = None
        self._open: set[asyncio.BaseTransport] = set()

    def cut_off(self, error: BaseException) -> bool:
        """Whether a failure came of a cut: while it lasts, or refused by it (reported as it returned)."""
        return self.down or isinstance(error, NetworkDown)

    def check(self) -> None:
        """NetworkDown while the network is cut."""
        if self.down:
            raise NetworkDown()

    async def open_connection(self, host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """`asyncio.open_connection`, on this network."""
        self.check()
        reader, writer = await asyncio.open_connection(host, port)
        self.adopt(writer.transport)
        return reader, writer

    def adopt(self, transport: asyncio.BaseTransport) -> None:
        """Put a new connection on this network (a connection made as the cut came is reset at once)."""
        if self.down:
            reset(transport)
            raise NetworkDown()
        if len(self._open) > 64 and len(self._open) % 64 == 0:
            self._open = {known for known in self._open if not known.is_closing()}
        self._open.add(transport)

    def release(self, transport: asyncio.BaseTransport) -> None:
        self._open.discard(transport)

    def cut(self) -> int:
        """Every open connection reset, new ones refused; returns how many were reset."""
        self.down = True
        self.cuts += 1
        self.cut_at = time.time()
        open_now = [transport for transport in self._open if not transport.is_closing()]
        self._open.clear()
        for transport in open_now:
            reset(transport)
        return len(open_now)

    def restore(self) -> None:
        self.down = False
        self.restored_at = time.time()
