"""The facilitator's review of what phones send: approve, hide, redact, and answer alerts."""

from __future__ import annotations

from dataclasses import dataclass

from hopecircle import safety
from hopecircle.domain import CARD_KINDS, Account, Contribution, InvalidChoice, Kind, Status, WorkshopError
from hopecircle.services.context import Context
from hopecircle.services.sessions import hosted_session
from hopecircle.store import Tx
from hopecircle.store.safety import SupportRequest

REVIEWED_FLAG = "reviewed"
# How much of a contribution or a note the close check quotes: enough to recognise it.
EXCERPT_CHARS = 80


TEXT_FIELDS: tuple[str, ...] = ("body", "goal_when", "goal_support")

# What the shareable-quotes export carries (reflections and next-step goals: the board's cards).
# Check-in and check-out words are counted in reports, never quoted, so they cannot be marked.
SHAREABLE_KINDS: frozenset[Kind] = CARD_KINDS


class NotShareable(WorkshopError):
    message_key = "error.not_shareable"


def may_share(contribution: Contribution) -> bool:
    """Whether the console offers the "shareable quote" mark on this card: a kind the export carries."""
    return contribution.kind in SHAREABLE_KINDS


@dataclass(frozen=True)
class ReviewItem:
    """One contribution waiting for the facilitator, with what the screener noticed and why."""

    contribution: Contribution
    risk: tuple[safety.RiskHit, ...]
    details: dict[str, tuple[safety.Detail, ...]]
    caution: tuple[safety.RiskHit, ...] = ()  # only the classifier's: worth a careful read, not an alert

    @property
    def redactable(self) -> bool:
        """Some field holds a personal detail that "approve with details removed" would mark out."""
        return any(self.details.values())

    @property
    def is_risk_alert(self) -> bool:
        return any(flag.startswith("risk:") for flag in self.contribution.flags)

    @property
    def alert_open(self) -> bool:
        """A risk alert the facilitator has not yet marked reviewed."""
        return self.is_risk_alert and REVIEWED_FLAG not in self.contribution.flags


@dataclass(frozen=True)
class Review:
    """What waits for the facilitator, read at once: what must not be missed, then the rest of the queue."""

    alerts: tuple[ReviewItem, ...]  # risk alerts not yet reviewed, oldest first
    requests: tuple[SupportRequest, ...]  # requests to talk not yet noted
    queue: tuple[ReviewItem, ...]  # everything else awaiting review, oldest first

    @property
    def alert_count(self) -> int:
        """Open alerts and requests: what the console's title counts."""
        return len(self.alerts) + len(self.requests)


@dataclass(frozen=True)
class Unresolved:
    """What closing the session would leave unanswered, as short excerpts (the words as typed)."""

    alerts: tuple[str, ...]
    talk_requests: tuple[str, ...]
    held: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.alerts) + len(self.talk_requests) + len(self.held)


def review_queue(ctx: Context, by: Account, session_id: int) -> list[ReviewItem]:
    """Pending and held contributions, risk alerts first, then oldest first."""
    with ctx.store.read() as tx:
        hosted_session(tx, by, session_id)
        waiting = tx.contributions.awaiting_review(session_id)
    return _sorted_items(waiting)


def read_review(ctx: Context, by: Account, session_id: int) -> Review:
    """Open risk alerts, unnoted requests to talk and the rest of the queue, in one read (the console's every look)."""
    with ctx.store.read() as tx:
        hosted_session(tx, by, session_id)
        waiting = tx.contributions.awaiting_review(session_id)
        requests = tx.support.for_session(session_id)
    items = _sorted_items(waiting)
    return Review(
        alerts=tuple(item for item in items if item.alert_open),
        requests=tuple(r for r in requests if not r.acknowledged),
        queue=tuple(item for item in items if not item.alert_open),
    )


def unresolved(ctx: Context, by: Account, session_id: int) -> Unresolved:
    """What is still open before closing: risk alerts, requests to talk, and held contributions."""
    with ctx.store.read() as tx:
        hosted_session(tx, by, session_id)
        waiting = tx.contributions.awaiting_review(session_id)
        requests = tx.support.for_session(session_id)
    items = _sorted_items(waiting)
    return Unresolved(
        alerts=tuple(excerpt(item.contribution.body) for item in items if item.alert_open),
        talk_requests=tuple(excerpt(r.note) for r in requests if not r.acknowledged),
        held=tuple(
            excerpt(item.contribution.body)
            for item in items
            if item.contribution.status is Status.HELD and not item.alert_open
        ),
    )


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of `text` on one line, cut at a word and marked with an ellipsis when longer than `limit`."""
    line = " ".join((text or "").split())
    if len(line) <= limit:
        return line
    cut = line[:limit] if line[limit] == " " else (line[:limit].rsplit(" ", 1)[0] or line[:limit])
    return cut.rstrip(" ,.;:") + "…"


def _sorted_items(waiting: list[Contribution]) -> list[ReviewItem]:
    items = [_item(contribution) for contribution in waiting]
    return sorted(items, key=lambda item: (not item.alert_open, item.contribution.id))


def _item(contribution: Contribution) -> ReviewItem:
    texts = {name: getattr(contribution, name) or "" for name in TEXT_FIELDS}
    personal = any(f.startswith("personal:") for f in contribution.flags)
    details = {name: safety.personal.find_details(text) if personal else () for name, text in texts.items()}
    risky = any(f.startswith("risk:") for f in contribution.flags) or safety.CAUTION_FLAG in contribution.flags
    hits = safety.risk.find_risks("\n".join(t for t in texts.values() if t)) if risky else ()
    return ReviewItem(
        contribution=contribution,
        risk=tuple(hit for hit in hits if hit.source == "rule"),
        details=details,
        caution=tuple(hit for hit in hits if hit.source != "rule"),
    )


def _hosted_contribution(tx: Tx, by: Account, contribution_id: int) -> Contribution:
    contribution = tx.contributions.by_id(contribution_id)
    if contribution is None:
        raise WorkshopError("error.contribution_gone")
    hosted_session(tx, by, contribution.session_id)
    return contribution


def approve(ctx: Context, by: Account, contribution_id: int, *, redacted: bool = False) -> None:
    """Put a contribution on the board; `redacted` replaces its personal details with a mark first."""
    with ctx.store.write() as tx:
        contribution = _hosted_contribution(tx, by, contribution_id)
        changes: dict[str, object] = {"status": Status.APPROVED.value, "moderated_by": by.id}
        if redacted:
            for name in TEXT_FIELDS:
                if getattr(contribution, name):
                    changes[name] = safety.redact(getattr(contribution, name))
            # The double-tap key was derived from the original words: it must not outlive them.
            changes["client_key"] = ctx.random.token()
        tx.contributions.change(contribution_id, **changes)
        tx.sessions.bump_version(contribution.session_id)


def hide(ctx: Context, by: Account, contribution_id: int) -> None:
    """Keep a contribution off the board (it stays in the phone's own list)."""
    _set_status(ctx, by, contribution_id, Status.HIDDEN)


def mark_reviewed(ctx: Context, by: Account, contribution_id: int) -> None:
    """Acknowledge a risk alert; the contribution stays held until approved or hidden."""
    with ctx.store.write() as tx:
        contribution = _hosted_contribution(tx, by, contribution_id)
        if REVIEWED_FLAG not in contribution.flags:
            tx.contributions.change(contribution_id, flags=(*contribution.flags, REVIEWED_FLAG), moderated_by=by.id)


def approve_all_pending(ctx: Context, by: Account, session_id: int) -> int:
    """Approve every pending contribution at once; held ones still wait for a look. Returns how many."""
    with ctx.store.write() as tx:
        hosted_session(tx, by, session_id)
        pending = tx.contributions.with_status(session_id, Status.PENDING)
        for contribution in pending:
            tx.contributions.change(contribution.id, status=Status.APPROVED.value, moderated_by=by.id)
        if pending:
            tx.sessions.bump_version(session_id)
    return len(pending)


def set_shareable(ctx: Context, by: Account, contribution_id: int, shareable: bool) -> None:
    """Mark an approved card as a quote that may appear in organization reports (or unmark any card)."""
    with ctx.store.write() as tx:
        contribution = _hosted_contribution(tx, by, contribution_id)
        if shareable and not may_share(contribution):
            raise NotShareable()
        if shareable and contribution.status is not Status.APPROVED:
            raise InvalidChoice()
        tx.contributions.change(contribution_id, shareable=bool(shareable))


def remove(ctx: Context, by: Account, contribution_id: int) -> None:
    """Delete a contribution for good."""
    with ctx.store.write() as tx:
        contribution = _hosted_contribution(tx, by, contribution_id)
        tx.contributions.delete(contribution_id)
        tx.sessions.bump_version(contribution.session_id)


def on_board(ctx: Context, by: Account, session_id: int) -> list[Contribution]:
    """Approved contributions, for the console's list of what is showing."""
    with ctx.store.read() as tx:
        hosted_session(tx, by, session_id)
        return tx.contributions.with_status(session_id, Status.APPROVED)


def _set_status(ctx: Context, by: Account, contribution_id: int, status: Status) -> None:
    with ctx.store.write() as tx:
        contribution = _hosted_contribution(tx, by, contribution_id)
        tx.contributions.change(contribution_id, status=status.value, moderated_by=by.id)
        tx.sessions.bump_version(contribution.session_id)
