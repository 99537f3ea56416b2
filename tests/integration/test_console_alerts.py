"""What the console must not miss (open alerts, requests to talk) and what closing would leave unanswered."""

from __future__ import annotations

import pytest

from hopecircle.domain import NotAuthorized
from hopecircle.services import accounts, moderation, participation, sessions, support
from hopecircle.services.moderation import excerpt
from tests.conftest import PASSWORD


@pytest.fixture
def session(ctx, facilitator):
    return sessions.start_session(ctx, facilitator, "steady-hands")


def phone(ctx, session):
    return participation.join(ctx, session.code).token


def test_open_alerts_hold_unreviewed_risk_and_unnoted_requests_until_each_is_handled(ctx, facilitator, session):
    token, other = phone(ctx, session), phone(ctx, session)
    participation.submit_reflection(ctx, token, "Walking helps me too")
    participation.submit_reflection(ctx, token, "text me at 555-201-7788")
    first = participation.submit_reflection(ctx, token, "i want to end it all tonight").contribution
    second = participation.submit_reflection(ctx, other, "I don't want to be here anymore").contribution
    support.ask_to_talk(ctx, other, "by the window")

    alerts = moderation.open_alerts(ctx, facilitator, session.id)
    assert [item.contribution.id for item in alerts.items] == [first.id, second.id]
    assert [request.note for request in alerts.requests] == ["by the window"]
    assert alerts.count == 3

    moderation.mark_reviewed(ctx, facilitator, first.id)  # reviewed: still held, no longer an alert
    moderation.hide(ctx, facilitator, second.id)  # kept hidden: handled
    (request,) = alerts.requests
    support.acknowledge(ctx, facilitator, session.id, request.id)
    assert moderation.open_alerts(ctx, facilitator, session.id).count == 0

    support.ask_to_talk(ctx, other, "near the door")  # asking again re-opens the request
    assert [r.note for r in moderation.open_alerts(ctx, facilitator, session.id).requests] == ["near the door"]


def test_unresolved_lists_alerts_requests_and_held_items_but_not_plain_pending_ones(ctx, facilitator, session):
    token = phone(ctx, session)
    participation.submit_reflection(ctx, token, "Walking helps me too")  # pending: nothing to answer
    participation.submit_reflection(ctx, token, "text me at 555-201-7788")
    risky = participation.submit_reflection(ctx, token, "i want to end it all tonight").contribution
    support.ask_to_talk(ctx, token, "")

    left = moderation.unresolved(ctx, facilitator, session.id)
    assert left.alerts == ("i want to end it all tonight",)
    assert left.talk_requests == ("",)
    assert left.held == ("text me at 555-201-7788",)
    assert left.count == 3

    # Reviewed, a risk item is no longer an alert but is still held back from the board.
    moderation.mark_reviewed(ctx, facilitator, risky.id)
    left = moderation.unresolved(ctx, facilitator, session.id)
    assert left.alerts == () and set(left.held) == {"text me at 555-201-7788", "i want to end it all tonight"}

    for item in moderation.review_queue(ctx, facilitator, session.id):
        moderation.hide(ctx, facilitator, item.contribution.id)
    (request,) = support.requests_for(ctx, facilitator, session.id)
    support.acknowledge(ctx, facilitator, session.id, request.id)
    assert moderation.unresolved(ctx, facilitator, session.id).count == 0


def test_only_the_sessions_facilitator_or_an_admin_reads_its_alerts(ctx, admin, facilitator, session):
    other = accounts.create_account(ctx, admin, "bo", "Bo", PASSWORD)
    for read in (moderation.open_alerts, moderation.unresolved):
        with pytest.raises(NotAuthorized):
            read(ctx, other, session.id)
        assert read(ctx, admin, session.id).count == 0


def test_an_excerpt_is_one_line_cut_at_a_word():
    assert excerpt("  short\n\nand   sweet ") == "short and sweet"
    long = "I keep thinking about the part where she called her sister, " * 3
    cut = excerpt(long, limit=40)
    assert cut == "I keep thinking about the part where she…"
    assert len(cut) <= 41
    assert excerpt("x" * 100, limit=10) == "x" * 10 + "…"
