"""The facilitator's use cases: start a session, move through its phases, close it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from hopecircle.content import Story
from hopecircle.domain import (
    MAX_PROGRAM_CHARS,
    MAX_TITLE_CHARS,
    PHASES,
    Account,
    NotAuthorized,
    Phase,
    Screen,
    SessionClosed,
    SessionInfo,
    UnknownStory,
    WorkshopError,
    clean_text,
    next_phase,
    optional_text,
    previous_phase,
)
from hopecircle.groups import UnknownGroup
from hopecircle.i18n import available_languages
from hopecircle.plans import find_plan
from hopecircle.services import library
from hopecircle.services.authz import require_active
from hopecircle.services.context import Context
from hopecircle.services.snapshots import snapshot_session
from hopecircle.store import Tx
from hopecircle.story_screens import steps

MAX_AGREEMENTS = 12
MAX_AGREEMENT_CHARS = 140
MAX_PROMPTS = 5
MAX_PROMPT_CHARS = 200


class SessionNotFound(WorkshopError):
    message_key = "error.session_not_found"


class UnknownPlan(WorkshopError):
    message_key = "error.unknown_plan"


class NoLines(WorkshopError):
    message_key = "error.no_lines"


class TooManyLines(WorkshopError):
    message_key = "error.too_many_lines"


class LineTooLong(WorkshopError):
    message_key = "error.line_too_long"


@dataclass(frozen=True)
class SessionCounts:
    """How many phones joined and what they sent, for the console's header."""

    participants: int
    by_kind_status: dict[tuple[str, str], int]

    def total(self, kind: str | None = None, status: str | None = None) -> int:
        return sum(
            n
            for (k, s), n in self.by_kind_status.items()
            if (kind is None or k == kind) and (status is None or s == status)
        )


def owned_session(tx: Tx, by: Account, session_id: int) -> SessionInfo:
    """The session, if `by` (still active) runs it or is an admin."""
    require_active(tx, by)
    session = tx.sessions.by_id(session_id)
    if session is None:
        raise SessionNotFound()
    if session.facilitator_id != by.id and not by.is_admin:
        raise NotAuthorized()
    return session


def hosted_session(tx: Tx, by: Account, session_id: int) -> SessionInfo:
    """The session, if `by` (still active) runs it: its owner, a co-facilitator, or an admin."""
    require_active(tx, by)
    session = tx.sessions.by_id(session_id)
    if session is None:
        raise SessionNotFound()
    if session.facilitator_id != by.id and not by.is_admin and not tx.hosts.is_host(session_id, by.id):
        raise NotAuthorized()
    return session


def start_session(
    ctx: Context,
    by: Account,
    story_id: str,
    title: str = "",
    program: str = "",
    language: str = "en",
    auto_approve: bool = False,
    plan_id: str | None = None,
    group_id: int | None = None,
) -> SessionInfo:
    """Open a new session with a fresh join code and projector key; phones can join at once.

    `plan_id` names the session plan it runs to (`plans.session_plans`); None is a custom
    session, with no planned minutes. `group_id` makes it the next meeting of a recurring group
    (any active staff member may run it), in the group's program; None is a one-off.
    """
    if plan_id and find_plan(ctx.guides, plan_id) is None:
        raise UnknownPlan()
    story = library.get_story(ctx, story_id)
    if story is None or not library.may_use(ctx, by, story_id):
        raise UnknownStory()
    if language not in available_languages():
        language = "en"
    title = optional_text(title, MAX_TITLE_CHARS) or story.title
    program = optional_text(program, MAX_PROGRAM_CHARS) or ""
    now = ctx.clock()
    with ctx.store.write() as tx:
        require_active(tx, by)
        if group_id is not None:
            group = tx.carry.group(group_id)
            if group is None:
                raise UnknownGroup()
            program = group.program
        code = ctx.random.join_code()
        while tx.sessions.code_taken(code):
            code = ctx.random.join_code()
        session_id = tx.sessions.insert(
            code=code,
            board_key=ctx.random.board_key(),
            title=title,
            program=program,
            story_id=story.id,
            language=language,
            facilitator_id=by.id,
            status="open",
            phase=Phase.WELCOME.value,
            phase_started_at=now,
            story_section=-1,
            auto_approve=auto_approve,
            notes="",
            version=0,
            created_at=now,
            plan_id=plan_id or None,
            group_id=group_id,
        )
        session = tx.sessions.by_id(session_id)
    assert session is not None
    return session


def my_sessions(ctx: Context, by: Account, limit: int = 20) -> list[SessionInfo]:
    """The sessions the facilitator runs (their own and those they co-facilitate), open ones first,
    so a closed browser can pick up where it was."""
    with ctx.store.read() as tx:
        require_active(tx, by)
        return [_for(by, session) for session in tx.sessions.for_host(by.id, limit=limit)]


def get_session(ctx: Context, by: Account, session_id: int) -> SessionInfo:
    """The session for a console of `by`, who runs it (owner, co-facilitator or admin)."""
    with ctx.store.read() as tx:
        return _for(by, hosted_session(tx, by, session_id))


def _for(by: Account, session: SessionInfo) -> SessionInfo:
    """The session as `by` may see it: the owner's private notes go to the owner alone."""
    return session if session.facilitator_id == by.id else replace(session, notes="")


def phones_without_the_story(ctx: Context, by: Account, session_id: int) -> dict[str, int]:
    """Phones (by language) that joined in a language the session's story is not told in: they
    read its topic notes and prompts in the session's language instead."""
    with ctx.store.read() as tx:
        session = hosted_session(tx, by, session_id)
        joined = tx.participants.languages(session_id)
    told = library.story_languages(ctx, session.story_id)
    return {language: n for language, n in joined.items() if language not in told}


def session_counts(ctx: Context, by: Account, session_id: int) -> SessionCounts:
    with ctx.store.read() as tx:
        hosted_session(tx, by, session_id)
        return SessionCounts(
            participants=tx.participants.count(session_id),
            by_kind_status=tx.contributions.counts(session_id),
        )


def _change_open_session(
    ctx: Context, by: Account, session_id: int, *, from_phase: Phase | None = None, **values: object
) -> SessionInfo:
    with ctx.store.write() as tx:
        session = hosted_session(tx, by, session_id)
        if not session.is_open:
            raise SessionClosed()
        if from_phase is not None and session.phase is not from_phase:
            return _for(by, session)  # asked from a screen drawn for a phase the room has left
        tx.sessions.change(session_id, **values)
        updated = tx.sessions.by_id(session_id)
    assert updated is not None
    return _for(by, updated)


def set_phase(
    ctx: Context, by: Account, session_id: int, phase: Phase, *, from_phase: Phase | None = None
) -> SessionInfo:
    """Move the whole room to `phase`; phones and the projector follow within seconds.

    `from_phase`: only if the room is still in that phase (a control drawn for it); when another
    console has moved the room meanwhile, nothing changes.
    """
    if phase not in PHASES:
        raise WorkshopError("error.invalid_choice")
    return _change_open_session(
        ctx, by, session_id, from_phase=from_phase, phase=phase.value, phase_started_at=ctx.clock(), changed_by=by.id
    )


def step_phase(ctx: Context, by: Account, session_id: int, forward: bool = True) -> SessionInfo:
    """Go to the next (or previous) phase."""
    session = get_session(ctx, by, session_id)
    target = next_phase(session.phase) if forward else previous_phase(session.phase)
    return set_phase(ctx, by, session_id, target)


def set_story_section(ctx: Context, by: Account, session_id: int, index: int) -> SessionInfo:
    """Show a story section on the projector; -1 is the topic-notes screen before the story."""
    session = get_session(ctx, by, session_id)
    story = library.get_story(ctx, session.story_id)
    last = len(story.sections) - 1 if story else -1
    return _change_open_session(
        ctx, by, session_id, story_section=max(-1, min(index, last)), story_screen=0, changed_by=by.id
    )


def step(ctx: Context, by: Account, session_id: int, forward: bool = True) -> SessionInfo:
    """One press of next (or back) on a keyboard or presenter remote.

    In the story phase it goes through the story one screen at a time (the topic notes, then
    each part's screens) and past either end to the phase before or after; elsewhere it moves
    to the next (or previous) phase. Each press is one step from where the room is now, so two
    quick presses are two steps.
    """
    session = get_session(ctx, by, session_id)
    story = library.story_in(ctx, session.story_id, session.language)  # the story the projector shows
    with ctx.store.write() as tx:
        session = hosted_session(tx, by, session_id)
        if not session.is_open:
            raise SessionClosed()
        values = _step(session, story, forward, ctx.clock)
        if values:
            tx.sessions.change(session_id, changed_by=by.id, **values)
        updated = tx.sessions.by_id(session_id)
    assert updated is not None
    return _for(by, updated)


def _step(session: SessionInfo, story: Story | None, forward: bool, clock: Callable[[], datetime]) -> dict[str, object]:
    """The fields one step changes (none at either end of the session)."""
    if session.phase is Phase.STORY and story is not None:
        places = steps(story)
        here = (session.story_section, session.story_screen)
        index = places.index(here) if here in places else _nearest(places, session.story_section)
        index += 1 if forward else -1
        if 0 <= index < len(places):
            section, screen = places[index]
            return {"story_section": section, "story_screen": screen}
    target = next_phase(session.phase) if forward else previous_phase(session.phase)
    if target is session.phase:
        return {}
    return {"phase": target.value, "phase_started_at": clock()}


def _nearest(places: list[tuple[int, int]], section: int) -> int:
    """Where a part's last screen is, when the part has fewer screens than the room was on (the text changed)."""
    return max(i for i, (part, _screen) in enumerate(places) if part <= section)


def set_screen(ctx: Context, by: Account, session_id: int, screen: Screen) -> SessionInfo:
    """Show the room's phase, a blank screen (a pause) or a big join QR on every projector."""
    try:
        screen = Screen(screen)
    except ValueError:
        raise WorkshopError("error.invalid_choice") from None
    return _change_open_session(ctx, by, session_id, screen=screen.value, changed_by=by.id)


def toggle_screen(ctx: Context, by: Account, session_id: int, screen: Screen) -> SessionInfo:
    """Show `screen` on the projectors, or go back to the room when they show it already (a key's toggle)."""
    try:
        screen = Screen(screen)
    except ValueError:
        raise WorkshopError("error.invalid_choice") from None
    with ctx.store.write() as tx:
        session = hosted_session(tx, by, session_id)
        if not session.is_open:
            raise SessionClosed()
        shown = Screen.ROOM if session.screen is screen else screen
        tx.sessions.change(session_id, screen=shown.value, changed_by=by.id)
        updated = tx.sessions.by_id(session_id)
    assert updated is not None
    return _for(by, updated)


def set_auto_approve(ctx: Context, by: Account, session_id: int, enabled: bool) -> SessionInfo:
    """Switch between approving each contribution and approving automatically (screening still holds)."""
    return _change_open_session(ctx, by, session_id, auto_approve=bool(enabled))


def set_agreements(ctx: Context, by: Account, session_id: int, agreements: list[str] | None) -> SessionInfo:
    """Replace this session's group agreements (None restores the guide's set).

    Blank lines are dropped; too many lines, or a line too long, is refused with the numbers to
    show, so the console keeps what was typed.
    """
    if agreements is not None:
        agreements = edited_lines(agreements, MAX_AGREEMENTS, MAX_AGREEMENT_CHARS)
    return _change_open_session(ctx, by, session_id, agreements=agreements)


def set_prompts(ctx: Context, by: Account, session_id: int, prompts: list[str] | None) -> SessionInfo:
    """Replace this session's reflection prompts (None restores the story's).

    The edited prompts are in the session's language: phones in that language and the
    projector show them; a phone in another language keeps the story's prompts in its own. The
    version moves on, so phones and projectors redraw. Validated like `set_agreements`.
    """
    if prompts is not None:
        prompts = edited_lines(prompts, MAX_PROMPTS, MAX_PROMPT_CHARS)
    return _change_open_session(ctx, by, session_id, prompts=prompts)


def edited_lines(lines: list[str], most: int, longest: int) -> list[str]:
    """Lines typed in the console, cleaned, blank ones dropped; refused when none are left, when
    there are more than `most`, or when one is longer than `longest` characters."""
    kept = [line for line in (clean_text(" ".join((raw or "").split())) for raw in lines) if line]
    if not kept:
        raise NoLines()
    if len(kept) > most:
        raise TooManyLines(count=len(kept), limit=most)
    for number, line in enumerate(kept, start=1):
        if len(line) > longest:
            raise LineTooLong(line=number, length=len(line), limit=longest)
    return kept


def set_projector_timer(ctx: Context, by: Account, session_id: int, shown: bool) -> SessionInfo:
    """Show or hide the projector's calm countdown in the timed phases (reflect, next step)."""
    return _change_open_session(ctx, by, session_id, projector_timer=bool(shown))


def set_show_join(ctx: Context, by: Account, session_id: int, shown: bool) -> SessionInfo:
    """Show or hide the QR code and join code in the projector's corner."""
    return _change_open_session(ctx, by, session_id, show_join=bool(shown))


def save_notes(ctx: Context, by: Account, session_id: int, notes: str) -> None:
    """Keep the facilitator's own notes on the session (never shown to participants)."""
    with ctx.store.write() as tx:
        owned_session(tx, by, session_id)
        tx.sessions.change(session_id, notes=(notes or "").strip()[:5000])


def close_session(ctx: Context, by: Account, session_id: int) -> SessionInfo:
    """End the session: phones show the close screen and nothing more can be sent."""
    now = ctx.clock()
    with ctx.store.write() as tx:
        session = hosted_session(tx, by, session_id)
        if session.is_open:
            tx.sessions.change(session_id, status="closed", closed_at=now, phase=Phase.CLOSE.value, changed_by=by.id)
        updated = tx.sessions.by_id(session_id)
    assert updated is not None
    if session.is_open:
        snapshot_session(ctx, session_id)
    return _for(by, updated)
