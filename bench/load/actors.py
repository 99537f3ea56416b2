"""Simulated people: a phone that joins, follows the room and contributes; a projector board that watches.

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

from bench.load import screens
from bench.load.client import Element, ProtocolError, Session, text, trigger
from hopecircle.ui import projector

SUBMIT_WINDOW_SHARE = 0.85  # submissions are spread over this much of their phase, leaving time to land


@dataclass
class Plan:
    """What the parent decides for every actor: targets, the room, how much each phone sends (picklable)."""

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
    kind: str  # "reflection", "goal", "reaction" (or "press" on the bare app)
    fraction: float
    sequence: int


def plan_for(crew: Crew, index: int) -> list[Action]:
    """This phone's contributions: reflections while reflecting, a goal at the next step, reactions on the board."""
    rng = random.Random(crew.seed * 1_000_003 + index)
    actions = [Action("reflect", "reflection", rng.random(), n) for n in range(crew.reflections)]
    actions += [Action("next_step", "goal", rng.random(), crew.reflections + n) for n in range(crew.goals)]
    actions += [Action("board", "reaction", rng.random(), -1) for _ in range(crew.reactions)]
    return sorted(actions, key=lambda a: (("reflect", "next_step", "board").index(a.phase), a.fraction))


async def _sleep_until(crew: Crew, moment: float) -> None:
    delay = moment - time.time()
    if delay > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(crew.stop.wait(), delay)


async def _join(crew: Crew, session: Session, role: str, index: int) -> bool:
    started = time.time()
    try:
        await session.open()
        if crew.app == "hopecircle" and role == "phone":
            consent = session.page.widget(label=screens.CONSENT_LABEL, kind="button")
            if consent is None:
                raise ProtocolError("no consent button on the join screen")
            await session.rerun(trigger(consent))
            if "p=" not in session.query_string:
                raise ProtocolError("no participant token in the address after consenting")
        elif crew.app == "bare" and role == "phone":
            button = session.page.widget(label=screens.BARE_BUTTON_LABEL, kind="button")
            if button is None:
                raise ProtocolError("no button on the bare page")
            await session.rerun(trigger(button))
    except Exception as error:  # every failure is counted, none stops the run
        crew.emit("join_failed", role, index, time.time(), _describe(error))
        await session.close()
        return False
    crew.emit("join", role, index, started, time.time())
    return True


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:160]


async def phone(crew: Crew, index: int, join_at: float) -> None:
    """One participant's phone, from scanning the QR code to the end of the run."""
    await _sleep_until(crew, join_at)
    if crew.stop.is_set():
        return
    query = f"code={crew.code}" if crew.app == "hopecircle" else "every=3"
    session = Session(
        crew.target(index),
        "",
        query,
        run_timeout=crew.run_timeout,
        fetch_page=crew.fetch_page,
        watchers=screens.WATCHERS,
    )
    crew.sessions.append(session)
    if not await _join(crew, session, "phone", index):
        return
    actions = plan_for(crew, index)
    rng = random.Random(crew.seed * 7_919 + index)
    think = crew.think * (1 + rng.random())  # this person's reading-and-typing time
    last_screen = ""
    screen_since = time.time()
    try:
        while not crew.stop.is_set():
            if session.disconnected:
                crew.emit("disconnect", "phone", index, time.time())
                return
            if not session.settled:
                # Half-drawn: read the screen only once the page's run under way has finished.
                with contextlib.suppress(TimeoutError):
                    await session.wait_for_full_run(after=session.full_runs_finished)
                continue
            if not session.idle:
                # The room screen redrawing itself (a fragment run): give it a moment to finish.
                with contextlib.suppress(TimeoutError):
                    await session.wait_for_run(timeout=2.0)
            if crew.app == "hopecircle":
                screen = screens.phone_screen(session.page)
                if screen != last_screen:
                    crew.emit("screen", index, screen, session.last_finish)
                    last_screen = screen
                    screen_since = session.last_finish
            else:
                screen = ""
            action, wait = _next_action(crew, actions, screen, screen_since + think)
            if action is not None:
                actions.remove(action)
                try:
                    await _perform(crew, session, index, action, rng)
                except asyncio.CancelledError:
                    crew.emit("unfinished", index, action.kind, time.time())
                    raise
                continue
            moved_on = screens.moved_on_button(session.page) if crew.app == "hopecircle" else None
            if moved_on is not None:
                # The group moved on while this phone still had a form it never sent from: tap
                # Continue, as a person would after reading the notice.
                with contextlib.suppress(TimeoutError):
                    await session.act(trigger(moved_on), within=moved_on)
                continue
            with contextlib.suppress(TimeoutError):
                await session.wait_for_run(timeout=min(wait, 2.0))
    except ProtocolError as error:
        crew.emit("error", "phone", index, time.time(), _describe(error))
    finally:
        if actions:
            # Planned but never done: the phone never saw the screen for them in time.
            crew.emit("skipped", index, [action.kind for action in actions])
        await session.close()


def _next_action(crew: Crew, actions: list[Action], screen: str, ready_at: float) -> tuple[Action | None, float]:
    """The action to do now, or how long until one may be due.

    A person needs a moment to read a new screen and type: nothing is sent before `ready_at`, the
    time the screen appeared on this phone plus this person's think time (`think` to 2 x `think`).
    """
    now = time.time()
    wait = 2.0
    for action in actions:
        due = crew.due(action.phase, action.fraction)
        if due is None:
            continue
        if crew.app == "hopecircle":
            due = max(due, ready_at)
        on_screen = crew.app == "bare" or screen == action.phase
        if due <= now and on_screen:
            return action, 0.0
        if due > now:
            wait = min(wait, due - now)
    return None, max(0.05, wait)


async def _perform(crew: Crew, session: Session, index: int, action: Action, rng: random.Random) -> None:
    if crew.app == "bare":
        await _press(crew, session, index, action)
    elif action.kind == "reaction":
        await _react(crew, session, index, rng)
    else:
        await _contribute(crew, session, index, action)


async def _contribute(crew: Crew, session: Session, index: int, action: Action) -> None:
    mark = screens.marker(crew.run_tag, index, action.sequence)
    page = session.page
    if action.kind == "reflection":
        words = {screens.REFLECTION_KEY: screens.reflection_text(index, action.sequence, mark)}
    else:
        words = {screens.GOAL_WHAT_KEY: screens.goal_text(index, mark), screens.GOAL_WHEN_KEY: "this week"}
    posted = screens.posted_form(page)
    if posted is not None:
        await _post(crew, session, index, action, mark, posted, words)
        return
    first = next(iter(words))
    field_ = page.widget(key=first)
    states = [text(widget, value) for key, value in words.items() if (widget := page.widget(key=key)) is not None]
    button = page.submit_button(field_) if field_ else None
    if field_ is None or button is None:
        crew.emit("error", "phone", index, time.time(), f"no {action.kind} form on the screen")
        return
    sent = time.time()
    crew.emit("sent", mark, index, action.kind, sent)
    try:
        finished = await session.act(*states, trigger(button), within=button)
        outcome = _submit_outcome(session)
        deadline = time.monotonic() + crew.run_timeout
        while outcome is None and time.monotonic() < deadline:
            if screens.phone_screen(session.page) != action.phase:
                # The room moved on while this was in flight: the new screen has no confirmation
                # to show. Whether the words were kept is checked against the database at the end.
                outcome = "moved on"
                break
            # A run that was already under way finished first; ours is the next one.
            await session.wait_for_run(timeout=deadline - time.monotonic())
            finished = session.last_finish
            outcome = _submit_outcome(session)
    except (ProtocolError, TimeoutError) as error:
        crew.emit("ack_failed", mark, index, time.time(), _describe(error))
        return
    if outcome in ("ok", "moved on"):
        crew.emit("ack", mark, index, sent, finished, outcome == "moved on")
    else:
        crew.emit("ack_failed", mark, index, time.time(), outcome or "no confirmation on the phone")


async def _post(
    crew: Crew, session: Session, index: int, action: Action, mark: str, form: Element, words: dict[str, str]
) -> None:
    """A send from the posted form (served through serve.py): acknowledged by the post's answer."""
    fields = {screens.POSTED_FIELDS[key]: value for key, value in words.items()}
    sent = time.time()
    crew.emit("sent", mark, index, action.kind, sent)
    try:
        status, answer = await screens.post_words(session, form, fields)
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


def _submit_outcome(session: Session) -> str | None:
    alerts = session.page.alerts()
    if any(alert in screens.SENT_OK for alert in alerts):
        return "ok"
    if screens.SENT_HELD in alerts:
        return "held for review (the screen flagged the text)"
    errors = session.page.alerts(1)
    if errors:
        return "refused: " + errors[0][:100]
    return None


async def _react(crew: Crew, session: Session, index: int, rng: random.Random) -> None:
    taps = screens.me_too_taps(session.page)
    if not taps:
        crew.emit("error", "phone", index, time.time(), "no me-too buttons on the board screen")
        return
    cards, card_id = rng.choice(taps)
    sent = time.time()
    crew.emit("react_sent", index, sent)
    try:
        finished = await screens.tap_me_too(session, cards, card_id)
    except (OSError, ProtocolError, TimeoutError, asyncio.IncompleteReadError) as error:
        crew.emit("reaction_failed", index, time.time(), _describe(error))
        return
    crew.emit("reaction", index, sent, finished)


async def _press(crew: Crew, session: Session, index: int, action: Action) -> None:
    """The bare app's stand-in for a contribution: one button press, one full rerun."""
    button = session.page.widget(label=screens.BARE_BUTTON_LABEL, kind="button")
    if button is None:
        crew.emit("error", "phone", index, time.time(), "no button on the bare page")
        return
    sent = time.time()
    mark = f"bare{index}-{action.sequence}"
    crew.emit(
        "react_sent" if action.kind == "reaction" else "sent",
        *((index, sent) if action.kind == "reaction" else (mark, index, action.kind, sent)),
    )
    try:
        finished = await session.rerun(trigger(button))
    except (ProtocolError, TimeoutError) as error:
        crew.emit("ack_failed", mark, index, time.time(), _describe(error))
        return
    if action.kind == "reaction":
        crew.emit("reaction", index, sent, finished)
    else:
        crew.emit("ack", mark, index, sent, finished)


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
    if not await _join(crew, session, "board", index):
        return
    try:
        while not crew.stop.is_set():
            if session.disconnected:
                crew.emit("disconnect", "board", index, time.time())
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(crew.stop.wait(), 1.0)
    finally:
        await session.close()
