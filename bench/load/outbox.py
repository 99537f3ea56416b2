"""A served phone's outbox: what `phone_room_outbox.js` does with words and taps.

Every word (`POST /api/phone/send`), hope pulse and "me too" goes through it. A send carries a
key made on the phone for that one send, and every try of it carries the same key: the server
stores one send per key, however often it arrives. An item is tried when it is made, unless
items before it still wait (they go first, in order). A try the server never answered (no
network, a connection reset, no answer in 20 s, or 502, 503 or 504 from a proxy) leaves it
waiting, and every item after it: they are tried again 1-1.5 s later, and at once when the
phone's question to the room is answered again (`flush`). Any other answer ends the item. An
answer after the phone was offline wakes its room question (`on_reached`), as the page does.

It reports, by key: ("send", key, phone, kind, mark, moment) when an item is made, ("queued",
key, moment) the first time it waits, and ("answered", key, moment, HTTP status, the answer's
"status" (a send's: approved, pending, held), tries); and each try
without an answer, as a failure of the drop while the network is cut, else as an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.load.network import Network
from bench.load.phone import ServedPhone

RETRY_SECONDS = (1.0, 1.5)  # after a try without an answer (phone_room_outbox.js: 1 s plus up to 0.5 s)
TRY_SECONDS = 20.0  # a try not answered in this long never will be (SEND_SECONDS)
UNREACHED = frozenset({502, 503, 504})  # a proxy's answer that the app never had the post
NO_ANSWER = (OSError, TimeoutError, asyncio.IncompleteReadError)


def send_key() -> str:
    """A key as the phone makes one for a send: 22 random characters of [A-Za-z0-9_-]."""
    return secrets.token_urlsafe(16)


@dataclass
class Item:
    """One word or tap: where it goes, what it says, and what to do with its answer (status,
    answer, when the try that got it began, when it came)."""

    url: str  # "send", "pulse" or "metoo"
    kind: str  # "reflection", "goal", "checkin", "checkout", "pulse", "metoo"
    body: dict[str, Any]
    mark: str
    on_answer: Callable[[int, dict[str, Any], float, float], None]
    key: str = field(default_factory=send_key)
    tries: int = 0
    queued: bool = False
    first_try: asyncio.Future[bool] | None = None


class Outbox:
    """One phone's words and taps, tried in order until each is answered."""

    def __init__(
        self,
        served: ServedPhone,
        emit: Callable[..., None],
        index: int,
        network: Network,
        on_reached: Callable[[], None] = lambda: None,
        on_unreached: Callable[[], None] = lambda: None,
    ) -> None:
        self.served = served
        self.emit = emit
        self.index = index
        self.network = network
        self.on_reached = on_reached  # the server answered a try
        self.on_unreached = on_unreached  # ... or did not
        self.waiting: deque[Item] = deque()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self.waiting)

    async def send(self, item: Item) -> bool:
        """Make an item: True once it is answered, False as soon as it waits in the outbox."""
        if item.url == "send":
            item.body = {**item.body, "key": item.key}
        self.emit("send", item.key, self.index, item.kind, item.mark, time.time())
        item.first_try = asyncio.get_running_loop().create_future()
        if self.waiting:
            self._queue(item)
        self.waiting.append(item)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush())
        self._wake.set()
        return await item.first_try

    def flush(self) -> None:
        """The room question was answered: try what waits now."""
        if self.waiting:
            self._wake.set()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _queue(self, item: Item) -> None:
        if not item.queued:
            item.queued = True
            self.emit("queued", item.key, time.time())
        if item.first_try is not None and not item.first_try.done():
            item.first_try.set_result(False)

    async def _try(self, item: Item) -> tuple[int, dict[str, Any]] | None:
        """One try: the answer, or None when the server was not reached."""
        try:
            status, answer = await asyncio.wait_for(self.served.post(item.url, item.body), TRY_SECONDS)
        except NO_ANSWER as error:
            if self.network.cut_off(error):
                self.emit("drop_failure", item.url, self.index, time.time())
            else:
                self.emit(
                    "error", "phone", self.index, time.time(), f"{item.url}: {type(error).__name__}: {error}"[:160]
                )
            return None
        if status in UNREACHED:
            self.emit("error", "phone", self.index, time.time(), f"{item.url}: {status} from the proxy")
            return None
        return status, answer

    async def _flush(self) -> None:
        while self.waiting:
            self._wake.clear()
            item = self.waiting[0]
            item.tries += 1
            began = time.time()
            answered = await self._try(item)
            if answered is None:
                for waiting in self.waiting:  # none goes before the first: all of them wait now
                    self._queue(waiting)
                self.on_unreached()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), random.uniform(*RETRY_SECONDS))
                continue
            status, answer = answered
            finished = time.time()
            self.waiting.popleft()
            self.emit("answered", item.key, finished, status, str(answer.get("status", "")), item.tries)
            item.on_answer(status, answer, began, finished)
            if item.first_try is not None and not item.first_try.done():
                item.first_try.set_result(True)
            self.on_reached()
