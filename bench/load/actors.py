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
    session = Session(crew.target(index), "", f"code={crew.code}", run_timeout=crew.run_timeout, tick=False)
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
    changed = asyncio.Event()
    follower = asyncio.create_task(_follow(crew, served, index, changed))
    actions = plan_for(crew, index)
    rng = random.Random(crew.seed * 7_919 + index)
    think = crew.think * (1 + rng.random())  # this person's reading-and-typing time
    shown, since = served.phase, time.time()
    try:
        while not crew.stop.is_set():
            if session.disconnected:
                crew.emit("disconnect", "phone", index, time.time())
                return
            if served.phase != shown:
                shown, since = served.phase, time.time()
            action, wait = _next_action(crew, actions, shown, since, think)
            if action is not None:
                actions.remove(action)
                try:
                    await _perform(crew, served, index, action, rng)
                except asyncio.CancelledError:
                    crew.emit("unfinished", index, action.kind, time.time())
                    raise
                continue
            changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(wait, 2.0))
    finally:
        follower.cancel()
        if actions:
            # Planned but never done: the phone never saw the screen for them in time.
            crew.emit("skipped", index, [action.kind for action in actions])
        await session.close()


async def _follow(crew: Crew, served: ServedPhone, index: int, changed: asyncio.Event) -> None:
    """What the component does between posts: a question to the room, held until it moves on, and again."""
    shown = served.phase
    failures = 0
    while not crew.stop.is_set():
        try:
            new = await served.ask(held=True)
        except (OSError, ProtocolError, TimeoutError, asyncio.IncompleteReadError) as error:
            failures += 1
            crew.emit("error", "phone", index, time.time(), f"room question: {_describe(error)}")
            await asyncio.sleep(min(2**failures, 10))
            continue
        failures = 0
        if new:
            if served.phase != shown:
                shown = served.phase
                crew.emit("screen", index, shown, time.time())
            changed.set()


# What a person writes takes a while to type; a tap (an emoji, a number, a "me too", the card)
# takes a moment to decide.
WRITTEN = frozenset({"reflection", "goal", "edit", "doomed", "talk"})


def _next_action(
    crew: Crew, actions: list[Action], screen: str, since: float, think: float
) -> tuple[Action | None, float]:
    """The action to do now, or how long until one may be due.

    A person needs a moment to read a new screen and type: nothing is sent before the time the
    screen appeared on this phone (`since`) plus this person's think time (`think`, between the
    plan's think and twice it), or a third of it for a tap.
    """
    now = time.time()
    wait = 2.0
    for action in actions:
        due = crew.due(action.phase, action.fraction)
        if due is None:
            continue
        if crew.app == "hopecircle":
            due = max(due, since + (think if action.kind in WRITTEN else think / 3))
        on_screen = crew.app == "bare" or screen == action.phase
        if due <= now and on_screen:
            return action, 0.0
        if due > now:
            wait = min(wait, due - now)
    return None, max(0.05, wait)


async def _perform(crew: Crew, served: ServedPhone, index: int, action: Action, rng: random.Random) -> None:
    """One thing a person does on the phone, posted as the page posts it, and its acknowledgement."""
    kind = action.kind
    if kind in ("reflection", "goal"):
        await _contribute(crew, served, index, action)
        return
    if kind == "doomed":
        await _send_and_delete(crew, served, index, action)
        return
    sent = time.time()
    crew.emit("act_sent", kind, index, sent)
    try:
        status, answer = await _act(crew, served, index, kind, rng)
    except (OSError, ProtocolError, TimeoutError, asyncio.IncompleteReadError) as error:
        crew.emit("act_failed", kind, index, time.time(), _describe(error))
        return
    if status is None:
        crew.emit("act_skipped", kind, index)
    elif status == 200:
        crew.emit("act", kind, index, sent, time.time())
    else:
        crew.emit(
            "act_failed", kind, index, time.time(), f"refused ({status}): {answer.get('message') or answer}"[:160]
        )


async def _act(
    crew: Crew, served: ServedPhone, index: int, kind: str, rng: random.Random
) -> tuple[int | None, dict[str, Any]]:
    """Post one action; (None, {}) when there was nothing on the screen to do it with."""
    mine = served.mine
    if kind in ("checkin", "checkout"):
        return await served.post("send", {"form": kind, "fields": {"text": screens.word(kind, index)}})
    if kind == "pulse":
        moment = "pre" if served.phase == "checkin" else "post"
        return await served.post("pulse", {"moment": moment, "value": rng.randint(0, 10)})
    if kind == "edit":
        own = [w for w in mine.get("words", []) if w["kind"] == "reflection" and screens.MARKER.search(w["text"])]
        if not own:
            return None, {}
        return await served.post("edit", {"id": own[0]["id"], "text": own[0]["text"] + screens.EDITED})
    if kind == "metoo":
        cards = (served.state or {}).get("room", {}).get("cards") or []
        if not cards:
            return None, {}
        card = rng.choice(cards)
        on = card["id"] not in mine.get("reactions", [])
        status, answer = await served.post("metoo", {"card": card["id"], "on": on})
        if status == 200 and "label" not in answer:
            raise ProtocolError(f"the me-too post answered without a label: {answer}")
        return status, answer
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


async def _contribute(crew: Crew, served: ServedPhone, index: int, action: Action) -> None:
    """A reflection or a goal with a marker, posted as the page posts it: acknowledged by the post's answer."""
    mark = screens.marker(crew.run_tag, index, action.sequence)
    if action.kind == "reflection":
        body = {"form": "reflection", "fields": {"text": screens.reflection_text(index, action.sequence, mark)}}
    else:
        body = {"form": "goal", "fields": {"what": screens.goal_text(index, mark), "when": "this week"}}
    sent = time.time()
    crew.emit("sent", mark, index, action.kind, sent)
    try:
        status, answer = await served.post("send", body)
    except (OSError, ProtocolError, TimeoutError, asyncio.IncompleteReadError) as error:
        crew.emit("ack_failed", mark, index, time.time(), _describe(error))
        return
    finished = time.time()
    if status == 200 and answer.get("status") in ("approved", "pending"):
        crew.emit("ack", mark, index, sent, finished, False)
    elif status == 200:
        crew.emit("ack_failed", mark, index, finished, f"held for review (the screen flagged the text): {answer}")
    else:
        crew.emit("ack_failed", mark, index, finished, f"refused ({status}): {answer.get('message') or answer}"[:160])


async def _send_and_delete(crew: Crew, served: ServedPhone, index: int, action: Action) -> None:
    """One more reflection, then taken back: the delete is the action measured, and the words must
    be gone from the database at the end."""
    mark = screens.marker(crew.run_tag, index, action.sequence)
    crew.emit("doomed", mark, index)
    crew.emit("act_sent", "delete", index, time.time())
    try:
        body = {"form": "reflection", "fields": {"text": screens.reflection_text(index, action.sequence, mark)}}
        status, answer = await served.post("send", body)
        words = [w for w in answer.get("mine", {}).get("words", []) if mark in w["text"]]
        if status != 200 or not words:
            crew.emit("act_failed", "delete", index, time.time(), f"the words to delete were refused ({status})")
            return
        sent = time.time()
        status, answer = await served.post("delete", {"id": words[0]["id"]})
    except (OSError, ProtocolError, TimeoutError, asyncio.IncompleteReadError) as error:
        crew.emit("act_failed", "delete", index, time.time(), _describe(error))
        return
    if status == 200:
        crew.emit("act", "delete", index, sent, time.time())
    else:
        crew.emit("act_failed", "delete", index, time.time(), f"refused ({status}): {answer.get('message') or answer}")


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
