"""Organization review: one session's summary, figures across sessions, and the aggregates behind them.

Every figure leaves this module already suppressed (see reporting/suppression.py), so the pages and
the exports cannot show a small count by mistake. Facilitators see their own sessions; admins see all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from hopecircle import safety
from hopecircle.domain import Account, NotAuthorized, ReportFilter, SessionRow
from hopecircle.groups import FollowUp, FollowUpCounts
from hopecircle.reporting import trends
from hopecircle.reporting.figures import Figures, contributors, suppressed_figures
from hopecircle.reporting.follow_through import NO_FOLLOW_THROUGH, FollowRecord, FollowThrough, follow_through
from hopecircle.reporting.suppression import Value
from hopecircle.reporting.trends import StoryRow, TrendRow
from hopecircle.services import library
from hopecircle.services.authz import require_active
from hopecircle.services.context import Context
from hopecircle.services.organization import OrgSettings, read_settings
from hopecircle.services.sessions import owned_session
from hopecircle.services.snapshots import snapshot_session
from hopecircle.stats import combine_columns

__all__ = ["Card", "Dashboard", "Figures", "SessionSummary", "suppressed_figures"]


@dataclass(frozen=True)
class Card:
    """A shareable quote: the words and where they came from, never who or when."""

    kind: str
    body: str
    goal_when: str | None
    goal_support: str | None
    dimension: str | None
    day: date
    story_title: str
    program: str


@dataclass(frozen=True)
class SessionSummary:
    session: SessionRow
    story_title: str
    facilitator_name: str
    threshold: int
    organization: str
    figures: Figures
    cards: tuple[Card, ...]
    notes: str | None
    from_snapshot: bool


@dataclass(frozen=True)
class Dashboard:
    filters: ReportFilter
    threshold: int
    organization: str
    sessions: int
    open_sessions: int
    figures: Figures
    contributions_per_participant: Value
    trends: tuple[TrendRow, ...]
    period: str
    stories: tuple[StoryRow, ...]
    # How last time's next steps went, per recurring group and program, by month.
    follow: FollowThrough = NO_FOLLOW_THROUGH


def report_sessions(ctx: Context, by: Account, limit: int = 500) -> list[SessionRow]:
    """Sessions `by` may review, newest first: their own, or every session for an admin."""
    with ctx.store.read() as tx:
        require_active(tx, by)
        return tx.reports.sessions(None if by.is_admin else by.id, limit)


def session_summary(ctx: Context, by: Account, session_id: int) -> SessionSummary:
    """One session's figures, from its raw rows while they exist and from its snapshot after."""
    with ctx.store.read() as tx:
        require_active(tx, by)
        info = owned_session(tx, by, session_id)
        session = tx.reports.session(session_id)
        assert session is not None
        settings = read_settings(tx)
        stats = tx.reports.snapshot(session_id) if session.purged else None
        from_snapshot = stats is not None
        if stats is None:
            stats = tx.reports.compute(session_id, ctx.clock())
        cards = tx.reports.shareable_cards(ReportFilter(), session_id)
        notes = info.notes if by.id == session.facilitator_id else None
        facilitator = tx.accounts.by_id(session.facilitator_id)
    threshold = settings.suppression_threshold
    return SessionSummary(
        session=session,
        story_title=_story_title(ctx, session.story_id),
        facilitator_name=facilitator.display_name if facilitator else "",
        threshold=threshold,
        organization=settings.organization_name,
        figures=suppressed_figures(stats, threshold, settings),
        cards=tuple(_card(ctx, row, settings) for row in cards),
        # The console promises "only you see these": notes go to their author's screen only, never to exports.
        notes=notes or None,
        from_snapshot=from_snapshot,
    )


def filter_choices(ctx: Context, by: Account) -> dict[str, list[Any]]:
    """What the cross-session filters can offer `by` (facilitators appear only for admins)."""
    with ctx.store.read() as tx:
        require_active(tx, by)
        choices = tx.reports.choices(None if by.is_admin else by.id)
        settings = read_settings(tx)
        names = {account.id: account.display_name for account in tx.accounts.all()} if by.is_admin else {}
    choices["program"] = sorted(set(choices["program"]) | set(settings.program_list))
    choices["facilitator_id"] = [(fid, names.get(fid, str(fid))) for fid in choices["facilitator_id"]] if names else []
    choices["story_id"] = [(sid, _story_title(ctx, sid)) for sid in choices["story_id"]]
    return choices


def dashboard(ctx: Context, by: Account, filters: ReportFilter | None = None) -> Dashboard:
    """Figures across the sessions a filter selects; a facilitator's view is always their own sessions."""
    filters = _allowed(by, filters or ReportFilter())
    with ctx.store.read() as tx:
        require_active(tx, by)
        missing = tx.reports.unsnapshotted_closed(filters)
    # Sessions closed before snapshots existed get theirs now, once; open ones are counted live below.
    for session_id in missing:
        snapshot_session(ctx, session_id)
    now = ctx.clock()
    with ctx.store.read() as tx:
        settings = read_settings(tx)
        columns = tx.reports.snapshot_columns(filters)
        live = [(session, tx.reports.compute(session.id, now)) for session in tx.reports.open_sessions(filters)]
        followed = tx.reports.follow_ups(filters)
    for session, stats in live:
        row = {"created_at": session.day, "story_id": session.story_id, **stats.to_row()}
        for name, values in columns.items():
            values.append(row[name])
    threshold = settings.suppression_threshold
    total = combine_columns(columns)
    frame = trends.frame_of(columns)
    period, trend_rows = trends.period_trends(frame, total, threshold)
    figures = suppressed_figures(total, threshold, settings)
    return Dashboard(
        filters=filters,
        threshold=threshold,
        organization=settings.organization_name,
        sessions=len(columns["story_id"]),
        open_sessions=len(live),
        figures=figures,
        contributions_per_participant=trends.per_person(
            total.contributions, total.participants, contributors(total), figures.participants
        ),
        trends=trend_rows,
        period=period,
        stories=trends.stories(frame, total, threshold, lambda story_id: _story_title(ctx, story_id)),
        follow=follow_through(
            (
                FollowRecord(
                    row["day"],
                    row["program"],
                    row["group"],
                    FollowUpCounts({FollowUp(answer): n for answer, n in row["counts"].items()}),
                )
                for row in followed
            ),
            threshold,
        ),
    )


def dashboard_cards(ctx: Context, by: Account, filters: ReportFilter | None = None) -> list[Card]:
    """The shareable quotes from the sessions a filter selects (still only while their raw rows exist)."""
    filters = _allowed(by, filters or ReportFilter())
    with ctx.store.read() as tx:
        require_active(tx, by)
        settings = read_settings(tx)
        rows = tx.reports.shareable_cards(filters)
    return [_card(ctx, row, settings) for row in rows]


def _allowed(by: Account, filters: ReportFilter) -> ReportFilter:
    if by.is_admin:
        return filters
    if filters.facilitator_id not in (None, by.id):
        raise NotAuthorized()
    return replace(filters, facilitator_id=by.id)


def _story_title(ctx: Context, story_id: str) -> str:
    story = library.get_story(ctx, story_id)
    return story.title if story else story_id


def _card(ctx: Context, row: Mapping[str, Any], settings: OrgSettings) -> Card:
    def clean(text: str | None) -> str | None:
        if text is None or settings.profanity_policy is safety.ProfanityPolicy.OFF:
            return text
        return safety.mask_profanity(text)

    return Card(
        kind=row["kind"],
        body=clean(row["body"]) or "",
        goal_when=clean(row["goal_when"]),
        goal_support=clean(row["goal_support"]),
        dimension=row["dimension"],
        day=row["day"],
        story_title=_story_title(ctx, row["story_id"]),
        program=row["program"],
    )
