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


def test_the_review_keeps_alerts_and_requests_apart_from_the_queue_until_each_is_handled(ctx, facilitator, session):
    token, other = phone(ctx, session), phone(ctx, session)
    plain = participation.submit_reflection(ctx, token, "Walking helps me too").contribution
    personal = participation.submit_reflection(ctx, token, "text me at 555-201-7788").contribution
    first = participation.submit_reflection(ctx, token, "i want to end it all tonight").contribution
    second = participation.submit_reflection(ctx, other, "I don't want to be here anymore").contribution
    support.ask_to_talk(ctx, other, "by the window")

    review = moderation.read_review(ctx, facilitator, session.id)
    assert [item.contribution.id for item in review.alerts] == [first.id, second.id]
    assert [request.note for request in review.requests] == ["by the window"]
    assert [item.contribution.id for item in review.queue] == [plain.id, personal.id]
    assert review.alert_count == 3

    moderation.mark_reviewed(ctx, facilitator, first.id)  # reviewed: still held, no longer an alert
    moderation.hide(ctx, facilitator, second.id)  # kept hidden: handled
    (request,) = review.requests
    support.acknowledge(ctx, facilitator, session.id, request.id)
    review = moderation.read_review(ctx, facilitator, session.id)
    assert review.alert_count == 0
    assert [item.contribution.id for item in review.queue] == [plain.id, personal.id, first.id]

    support.ask_to_talk(ctx, other, "near the door")  # asking again re-opens the request
    assert [r.note for r in moderation.read_review(ctx, facilitator, session.id).requests] == ["near the door"]


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
    for read in (moderation.read_review, moderation.unresolved):
        with pytest.raises(NotAuthorized):
            read(ctx, other, session.id)
        read(ctx, admin, session.id)  # an admin may


def test_an_excerpt_is_one_line_cut_at_a_word():
    assert excerpt("  short\n\nand   sweet ") == "short and sweet"
    long = "I keep thinking about the part where she called her sister, " * 3
    cut = excerpt(long, limit=40)
    assert cut == "I keep thinking about the part where she…"
    assert len(cut) <= 41
    assert excerpt("x" * 100, limit=10) == "x" * 10 + "…"
