"""Simulated people: a phone that joins, follows the room and does what a person does; a projector board.

Each actor is a coroutine holding one `Session`. It reports what happened through `Crew.emit`
as small tuples (the worker batches them to the parent process); times are `time.time()`, so
the parent can compare them with its own (phase changes, approvals) on the same machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.load import screens
from bench.load.client import ProtocolError, Session, trigger
from bench.load.network import Network
from bench.load.outbox import Item, Outbox
from bench.load.phone import ServedPhone
from hopecircle.ui import projector

SUBMIT_WINDOW_SHARE = 0.85  # submissions are spread over this much of their phase, leaving time to land


@dataclass
class Plan:
    """What the parent decides for every actor: targets, the room, how much each phone does (picklable)."""

    targets: list[str]
    code: str
    board_key: str
    app: str  # "hopecircle" or "bare"
    run_tag: str
    seed: int
    reflections: int
    goals: int
    reactions: int
    run_timeout: float
    think: float = 10.0
    fetch_page: bool = True
    edits: float = 0.0  # the share of phones that edit a reflection they sent
    deletes: float = 0.0  # ... that send one more reflection and delete it
    talks: float = 0.0  # ... that ask to talk after the group at the close, and take it back


@dataclass
class Crew(Plan):
    """What every actor in one worker process shares: the plan, a way to report, the run's moments."""

    emit: Callable[..., None] = field(kw_only=True)
    windows: dict[str, tuple[float, float]] = field(default_factory=dict, kw_only=True)
    stop: asyncio.Event = field(default_factory=asyncio.Event, kw_only=True)
    sessions: list[Session] = field(default_factory=list, kw_only=True)
    network: Network = field(default_factory=Network, kw_only=True)  # the phones': cut by --drop
    phase: str = field(default="", kw_only=True)  # the room's phase, as the parent last said

    def target(self, index: int) -> str:
        return self.targets[index % len(self.targets)]

    def due(self, phase: str, fraction: float) -> float | None:
        """When an action planned at `fraction` of `phase` should happen, once the phase has a window."""
        window = self.windows.get(phase)
        if window is None:
            return None
        start, end = window
        return start + fraction * SUBMIT_WINDOW_SHARE * (end - start)


@dataclass
class Action:
    phase: str
    kind: str  # what the person does: "checkin", "pulse", "reflection", "edit", "doomed", "goal", ...
    fraction: float
    sequence: int
    put_off: bool = False  # a tap put off while the phone was offline: done once it is back, on any screen
    announced: bool = False  # reported as begun ("act_sent")
    target: int = 0  # the words a delete takes back


# What each phase has a person do, in the order the phases come.
ORDER = ("checkin", "reflect", "next_step", "board", "close")


def plan_for(crew: Crew, index: int) -> list[Action]:
    """This phone's session: a check-in word and pulse, reflections (some edited, one sent and
    deleted by a share), a goal, "me too"s on the board, and at the close a check-out word, a
    pulse, the hope card and (a share) a request to talk taken back again."""
    rng = random.Random(crew.seed * 1_000_003 + index)
    chance = random.Random(crew.seed * 15_485_863 + index).random
    actions = [Action("checkin", "checkin", rng.random(), -1), Action("checkin", "pulse", rng.random(), -1)]
    actions += [Action("reflect", "reflection", rng.random() * 0.6, n) for n in range(crew.reflections)]
    if crew.reflections and chance() < crew.edits:
        actions.append(Action("reflect", "edit", 0.6 + rng.random() * 0.4, -1))  # after its reflections
    if chance() < crew.deletes:
        actions.append(Action("reflect", "doomed", 0.6 + rng.random() * 0.4, crew.reflections + crew.goals + 1))
    actions += [Action("next_step", "goal", rng.random(), crew.reflections + n) for n in range(crew.goals)]
    actions += [Action("board", "metoo", rng.random(), -1) for _ in range(crew.reactions)]
    actions += [Action("close", "checkout", rng.random(), -1), Action("close", "pulse", rng.random(), -1)]
    if crew.goals:
        actions.append(Action("close", "card", rng.random(), -1))
    if chance() < crew.talks:
        actions.append(Action("close", "talk", rng.random(), -1))
    return sorted(actions, key=lambda a: (ORDER.index(a.phase), a.fraction))


async def _sleep_until(crew: Crew, moment: float) -> None:
    delay = moment - time.time()
    if delay > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(crew.stop.wait(), delay)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:160]


@dataclass
class Online:
    """What a served phone knows of its connection (phone_room.js): offline once a question or a
    try got no answer, reached again when the server answers either."""

    offline: bool = False
    back_at: float = 0.0  # when the server last answered after the phone was offline
    reported: int = 0  # the network's cuts whose return this phone has reported
    wake: asyncio.Event = field(default_factory=asyncio.Event)  # ask the room again at once

    def reached(self) -> bool:
        """The server answered; whether the phone had been offline (then its room is asked at once)."""
        was, self.offline = self.offline, False
        if was:
            self.back_at = time.time()
            self.wake.set()
        return was


@dataclass
class Phone:
    """One served phone's parts: what it shows, what it plans, its outbox and its connection."""

    index: int
    session: Session
    served: ServedPhone
    actions: list[Action]
    rng: random.Random
    think: float
    online: Online = field(default_factory=Online)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    outbox: Outbox = field(init=False)


async def phone(crew: Crew, index: int, join_at: float) -> None:
    """One participant's phone, from scanning the QR code to the end of the run."""
    await _sleep_until(crew, join_at)
    if crew.stop.is_set():
        return
    if crew.app == "bare":
        await _bare_phone(crew, index)
        return
    # Served, the page has no timers and no watcher: after its first run the phone never asks
    # Streamlit for anything; its room component joins, follows and posts over plain HTTP.
    session = Session(
        crew.target(index), "", f"code={crew.code}", run_timeout=crew.run_timeout, tick=False, network=crew.network
    )
    session.fetch_page = crew.fetch_page
    crew.sessions.append(session)
    started = time.time()
    try:
        await session.open()
        served = ServedPhone(session)
        await served.join()
    except Exception as error:  # every failure is counted, none stops the run
        crew.emit("join_failed", "phone", index, time.time(), _describe(error))
        await session.close()
        return
    crew.emit("join", "phone", index, started, time.time())
    crew.emit("screen", index, served.phase, time.time())
    rng = random.Random(crew.seed * 7_919 + index)
    think = crew.think * (1 + rng.random())  # this person's reading-and-typing time
    p = Phone(index, session, served, plan_for(crew, index), rng, think)

    def reached() -> None:
        if p.online.reached():
            p.changed.set()

    def unreached() -> None:
        p.online.offline = True

    p.outbox = Outbox(served, crew.emit, index, crew.network, reached, unreached)
    follower = asyncio.create_task(_follow(crew, p))
    stream: asyncio.Task[None] | None = None
    shown, since = served.phase, time.time()
    try:
        while not crew.stop.is_set():
            if session.disconnected:
                if not session.cut_off:
                    crew.emit("disconnect", "phone", index, time.time())
                    return
                if stream is None or stream.done():  # the page's stream, reset by a drop: the frontend reopens it
                    stream = asyncio.create_task(_reopen_stream(crew, session, index))
            if served.phase != shown:
                shown, since = served.phase, time.time()
            action, wait = _next_action(crew, p.actions, shown, since, think, p.online)
            if action is not None:
                p.actions.remove(action)
                try:
                    await _perform(crew, p, action)
                except asyncio.CancelledError:
                    crew.emit("unfinished", index, action.kind, time.time())
                    raise
                continue
            p.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(p.changed.wait(), min(wait, 2.0))
    finally:
        follower.cancel()
        p.outbox.stop()
        if stream is not None:
            stream.cancel()
        if p.actions:
            # Planned but never done: the phone never saw the screen for them in time.
            crew.emit("skipped", index, [action.kind for action in p.actions])
        await session.close()


# After a question without an answer, the next in 0.25, then every 0.3 s, each plus up to 0.15 s
# (phone_room.js, RETRY_SECONDS and RETRY_SPREAD).
ROOM_RETRY_SECONDS = (0.25, 0.3)
ROOM_RETRY_SPREAD = 0.15


async def _follow(crew: Crew, p: Phone) -> None:
    """What the component does between posts: a question to the room, held until it moves on, and
    again. After a question without an answer it asks again within 1.3 s; asked at once, not
    held, when the server was just reached again (a try of the outbox got through)."""
    served, online = p.served, p.online
    shown = served.phase
    failures = 0
    fresh = False
    while not crew.stop.is_set():
        online.wake.clear()
        asking = asyncio.create_task(served.ask(held=not fresh))
        woken = asyncio.create_task(online.wake.wait())
        try:
            await asyncio.wait({asking, woken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            if not asking.done():
                asking.cancel()  # the page drops the held question (or the follower stops)
                await asyncio.wait({asking})
        fresh = False
        if asking.cancelled():
            fresh = True  # woken: ask again at once
            continue
        try:
            new = asking.result()
        except (OSError, ProtocolError, TimeoutError, asyncio.IncompleteReadError) as error:
            failures += 1
            if crew.network.cut_off(error):
                online.offline = True
                crew.emit("drop_failure", "room", p.index, time.time())
            else:
                crew.emit("error", "phone", p.index, time.time(), f"room question: {_describe(error)}")
            pause = ROOM_RETRY_SECONDS[min(failures, len(ROOM_RETRY_SECONDS)) - 1] + random.random() * ROOM_RETRY_SPREAD
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(online.wake.wait(), pause)
            fresh = online.wake.is_set()
            continue
        failures = 0
        now = time.time()
        if online.reached():
            fresh = True  # the page asks once more at once, not held
            p.changed.set()
        p.outbox.flush()  # the server is reachable again: what waited goes now
        network = crew.network
        if network.cuts > online.reported and not network.down and _caught_up(served.phase, crew.phase):
            online.reported = network.cuts
            crew.emit("back", p.index, now, served.phase)
        if new:
            if served.phase != shown:
                shown = served.phase
                crew.emit("screen", p.index, shown, now)
            p.changed.set()


def _caught_up(shown: str, current: str) -> bool:
    """Whether a phone showing `shown` shows the room's phase `current` (or one after it)."""
    order = screens.PHASES
    return current not in order or (shown in order and order.index(shown) >= order.index(current))


async def _reopen_stream(crew: Crew, session: Session, index: int) -> None:
    try:
        attempts = await session.reconnect()
    except Exception as error:  # counted, and the phone goes on: its room never needed the stream
        crew.emit("error", "phone", index, time.time(), f"page stream: {_describe(error)}")
        return
    if not session.closed:
        crew.emit("stream_back", index, time.time(), attempts)


# What a person writes takes a while to type; a tap (an emoji, a number, a "me too", the card)
# takes a moment to decide.
WRITTEN = frozenset({"reflection", "goal", "edit", "doomed", "talk"})
# What goes through the outbox (phone_room_outbox.js): words, pulses, "me too"s. Edits, deletes,
# the request to talk and the hope card are posted at once.
SENDS = frozenset({"reflection", "goal", "doomed", "checkin", "checkout"})
KEPT = SENDS | {"pulse", "metoo"}


def _next_action(
    crew: Crew, actions: list[Action], screen: str, since: float, think: float, online: Online | None = None
) -> tuple[Action | None, float]:
    """The action to do now, or how long until one may be due.

    A person needs a moment to read a new screen and type: nothing is sent before the time the
    screen appeared on this phone (`since`) plus this person's think time (`think`, between the
    plan's think and twice it), or a third of it for a tap. A tap put off while the phone was
    offline is done once it is back, a moment (a third of the think time) after.
    """
    now = time.time()
    wait = 2.0
    for action in actions:
        if action.put_off:
            if online is None or online.offline:
                continue
            due = online.back_at + think / 3
        else:
            found = crew.due(action.phase, action.fraction)
            if found is None:
                continue
            due = found
            if crew.app == "hopecircle":
                due = max(due, since + (think if action.kind in WRITTEN else think / 3))
            if crew.app != "bare" and screen != action.phase:
                if due > now:
                    wait = min(wait, due - now)
                continue
        if due <= now:
            return action, 0.0
        wait = min(wait, due - now)
    return None, max(0.05, wait)


def _put_off(crew: Crew, p: Phone, action: Action) -> None:
    """The person taps again once the phone is back."""
    if not action.put_off:
        action.put_off = True
        crew.emit("deferred", action.kind, p.index, time.time())
    p.online.offline = True
    p.actions.append(action)


async def _perform(crew: Crew, p: Phone, action: Action) -> None:
    """One thing a person does on the phone, posted as the page posts it, and its acknowledgement."""
    kind = action.kind
    if kind in KEPT:
        await _keep(crew, p, action)
        return
    if p.online.offline:  # the page says it is reconnecting: the person waits with the tap
        _put_off(crew, p, action)
        return
    if not action.announced:
        crew.emit("act_sent", kind, p.index, time.time())
        action.announced = True
    sent = time.time()
    try:
        status, answer = await _act(crew, p, action)
    except (OSError, ProtocolError, TimeoutError, asyncio.IncompleteReadError) as error:
        if crew.network.cut_off(error) and not isinstance(error, ProtocolError):
            crew.emit("drop_failure", kind, p.index, time.time())
            _put_off(crew, p, action)
        else:
            crew.emit("act_failed", kind, p.index, time.time(), _describe(error))
        return
    if status is None:
        crew.emit("act_skipped", kind, p.index)
    elif status == 200:
        crew.emit("act", kind, p.index, sent, time.time())
    else:
        crew.emit(
            "act_failed", kind, p.index, time.time(), f"refused ({status}): {answer.get('message') or answer}"[:160]
        )


async def _act(crew: Crew, p: Phone, action: Action) -> tuple[int | None, dict[str, Any]]:
    """Post one tap; (None, {}) when there was nothing on the screen to do it with."""
    served, kind = p.served, action.kind
    mine = served.mine
    if kind == "edit":
        own = [w for w in mine.get("words", []) if w["kind"] == "reflection" and screens.MARKER.search(w["text"])]
        if not own:
            return None, {}
        return await served.post("edit", {"id": own[0]["id"], "text": own[0]["text"] + screens.EDITED})
    if kind == "delete":
        return await served.post("delete", {"id": action.target})
    if kind == "card":
        today = time.strftime("%Y-%m-%d")
        status, body, content_type = await served.hope_card(today)
        if status == 200 and not (content_type.startswith("image/png") and body.startswith(b"\x89PNG")):
            raise ProtocolError(f"the hope card came as {content_type}, {len(body)} bytes")
        return status, {} if status == 200 else {"message": body[:100].decode("utf-8", "replace")}
    if kind == "talk":
        status, answer = await served.post("talk", {"on": True, "note": "by the door"})
        if status != 200:
            return status, answer
        return await served.post("talk", {"on": False, "note": ""})
    raise ProtocolError(f"no such action: {kind}")


async def _keep(crew: Crew, p: Phone, action: Action) -> None:
    """Words, a pulse or a "me too" through the phone's outbox (a send with its own key): a
    reflection or a goal with a marker (acknowledged by the post's answer), a one-word check-in
    or check-out, a pulse, a "me too", or one more reflection to take back (then deleted: the
    delete is the action measured, and the words must be gone from the database at the end)."""
    kind, index = action.kind, p.index
    mark = screens.marker(crew.run_tag, index, action.sequence) if kind in ("reflection", "goal", "doomed") else ""
    url, form = ("send", "reflection" if kind == "doomed" else kind) if kind in SENDS else (kind, kind)
    if kind in ("reflection", "doomed"):
        body: dict[str, Any] = {"fields": {"text": screens.reflection_text(index, action.sequence, mark)}}
    elif kind == "goal":
        body = {"fields": {"what": screens.goal_text(index, mark), "when": "this week"}}
    elif kind in SENDS:
        body = {"fields": {"text": screens.word(kind, index)}}
    elif kind == "pulse":
        body = {"moment": "pre" if action.phase == "checkin" else "post", "value": p.rng.randint(0, 10)}
    else:
        cards = (p.served.state or {}).get("room", {}).get("cards") or []
        if not cards:
            crew.emit("act_sent", kind, index, time.time())
            crew.emit("act_skipped", kind, index)
            return
        card = p.rng.choice(cards)
        body = {"card": card["id"], "on": card["id"] not in p.served.mine.get("reactions", [])}
    if url == "send":
        body["form"] = form

    def answered(status: int, answer: dict[str, Any], began: float, finished: float) -> None:
        if kind == "doomed":
            words = [w for w in answer.get("mine", {}).get("words", []) if mark in w["text"]]
            if status != 200 or not words:
                crew.emit("act_failed", "delete", index, finished, f"the words to delete were refused ({status})")
                return
            # The delete is the person's next tap (put off, if the phone went offline meanwhile).
            p.actions.append(
                Action(action.phase, "delete", 0.0, -1, put_off=True, announced=True, target=words[0]["id"])
            )
            p.changed.set()
        elif mark and status == 200 and answer.get("status") in ("approved", "pending"):
            crew.emit("ack", mark, index, began, finished, False)
        elif mark:
            what = "held for review (the screen flagged the text)" if status == 200 else f"refused ({status})"
            crew.emit("ack_failed", mark, index, finished, f"{what}: {answer}"[:160])
        elif status == 200 and (kind != "metoo" or "label" in answer):
            crew.emit("act", kind, index, began, finished)
        else:
            crew.emit("act_failed", kind, index, finished, f"refused ({status}): {answer}"[:160])

    if kind == "doomed":
        crew.emit("doomed", mark, index)
        crew.emit("act_sent", "delete", index, time.time())
    elif mark:
        crew.emit("sent", mark, index, kind, time.time())
    else:
        crew.emit("act_sent", kind, index, time.time())
    await p.outbox.send(Item(url, form, body, mark, answered))


async def _bare_phone(crew: Crew, index: int) -> None:
    """The floor's phone: bare Streamlit, a full run to join and one button press per action."""
    session = Session(crew.target(index), "", "every=3", run_timeout=crew.run_timeout, fetch_page=crew.fetch_page)
    crew.sessions.append(session)
    started = time.time()
    try:
        await session.open()
        button = session.page.widget(label=screens.BARE_BUTTON_LABEL, kind="button")
        if button is None:
            raise ProtocolError("no button on the bare page")
        await session.rerun(trigger(button))
    except Exception as error:
        crew.emit("join_failed", "phone", index, time.time(), _describe(error))
        await session.close()
        return
    crew.emit("join", "phone", index, started, time.time())
    actions = plan_for(crew, index)
    try:
        while not crew.stop.is_set():
            if session.disconnected:
                crew.emit("disconnect", "phone", index, time.time())
                return
            action, wait = _next_action(crew, actions, "", 0.0, 0.0)
            if action is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(crew.stop.wait(), wait)
                continue
            actions.remove(action)
            await _press(crew, session, index, action)
    except ProtocolError as error:
        crew.emit("error", "phone", index, time.time(), _describe(error))
    finally:
        if actions:
            crew.emit("skipped", index, [action.kind for action in actions])
        await session.close()


async def _press(crew: Crew, session: Session, index: int, action: Action) -> None:
    """The bare app's stand-in for anything a person does: one button press, one full rerun."""
    button = session.page.widget(label=screens.BARE_BUTTON_LABEL, kind="button")
    if button is None:
        crew.emit("error", "phone", index, time.time(), "no button on the bare page")
        return
    sent = time.time()
    contribution = action.kind in ("reflection", "goal")
    kind = "delete" if action.kind == "doomed" else action.kind  # named as the app's figure is
    mark = f"bare{index}-{action.sequence}"
    if contribution:
        crew.emit("sent", mark, index, action.kind, sent)
    else:
        crew.emit("act_sent", kind, index, sent)
    try:
        finished = await session.rerun(trigger(button))
    except (ProtocolError, TimeoutError) as error:
        if contribution:
            crew.emit("ack_failed", mark, index, time.time(), _describe(error))
        else:
            crew.emit("act_failed", kind, index, time.time(), _describe(error))
        return
    if contribution:
        crew.emit("ack", mark, index, sent, finished)
    else:
        crew.emit("act", kind, index, sent, finished)


async def board(crew: Crew, index: int) -> None:
    """A projector: opens the board page and reports every card the moment it shows."""
    seen: set[str] = set()

    def on_run(session: Session) -> None:
        found = screens.markers_in(session.page) - seen
        if found:
            seen.update(found)
            crew.emit("seen", index, session.last_full_finish, sorted(found))

    if crew.app == "hopecircle":
        session = Session(
            crew.target(index),
            "board",
            f"key={crew.board_key}",
            run_timeout=crew.run_timeout,
            watchers=screens.WATCHERS,  # the page's watcher waits on the room and reruns it
        )
        session.on_full_run = on_run
    else:
        session = Session(crew.target(index), "", f"every={projector.POLL_SECONDS}", run_timeout=crew.run_timeout)
    session.fetch_page = crew.fetch_page
    crew.sessions.append(session)
    started = time.time()
    try:
        await session.open()
    except Exception as error:
        crew.emit("join_failed", "board", index, time.time(), _describe(error))
        await session.close()
        return
    crew.emit("join", "board", index, started, time.time())
    try:
        while not crew.stop.is_set():
            if session.disconnected:
                crew.emit("disconnect", "board", index, time.time())
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(crew.stop.wait(), 1.0)
    finally:
        await session.close()
