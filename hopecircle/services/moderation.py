"""The facilitator's review of what phones send: approve, hide, redact, and answer alerts."""

from __future__ import annotations

from dataclasses import dataclass

from hopecircle import safety
from hopecircle.domain import Account, Contribution, InvalidChoice, Status, WorkshopError
from hopecircle.services.context import Context
from hopecircle.services.sessions import hosted_session
from hopecircle.store import Tx

REVIEWED_FLAG = "reviewed"


TEXT_FIELDS: tuple[str, ...] = ("body", "goal_when", "goal_support")


@dataclass(frozen=True)
class ReviewItem:
    """One contribution waiting for the facilitator, with what the screener noticed and why."""

    contribution: Contribution
    risk: tuple[safety.RiskHit, ...]
    details: dict[str, tuple[safety.Detail, ...]]

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


def review_queue(ctx: Context, by: Account, session_id: int) -> list[ReviewItem]:
    """Pending and held contributions, risk alerts first, then oldest first."""
    with ctx.store.read() as tx:
        hosted_session(tx, by, session_id)
        waiting = tx.contributions.awaiting_review(session_id)
    items = [_item(contribution) for contribution in waiting]
    return sorted(items, key=lambda item: (not item.alert_open, item.contribution.id))


def _item(contribution: Contribution) -> ReviewItem:
    texts = {name: getattr(contribution, name) or "" for name in TEXT_FIELDS}
    personal = any(f.startswith("personal:") for f in contribution.flags)
    details = {name: safety.personal.find_details(text) if personal else () for name, text in texts.items()}
    risky = any(f.startswith("risk:") for f in contribution.flags)
    risk = safety.risk.find_risks("\n".join(t for t in texts.values() if t)) if risky else ()
    return ReviewItem(contribution=contribution, risk=risk, details=details)


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
    """Mark an approved card as a quote that may appear in organization reports."""
    with ctx.store.write() as tx:
        contribution = _hosted_contribution(tx, by, contribution_id)
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
