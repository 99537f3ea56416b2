"""Two tiers of risk: a rule's match is a private alert; the classifier's alone is a caution,
read by the facilitator before it can be shown, never an alert nor a message to the writer."""

from __future__ import annotations

import pytest

from hopecircle import safety
from hopecircle.domain import Phase, Status
from hopecircle.safety.risk import RiskHit
from hopecircle.services import moderation, participation, sessions

MODEL_ONLY = (RiskHit("suicide", "reads like “…”", source="model"),)


@pytest.fixture
def session(ctx, facilitator):
    started = sessions.start_session(ctx, facilitator, "steady-hands", "Evening circle")
    return sessions.set_phase(ctx, facilitator, started.id, Phase.REFLECT)


@pytest.fixture
def classifier_finds_risk(monkeypatch):
    """The classifier flags the next words and no rule does (as it does for many ordinary texts)."""
    found = lambda text, others=(): MODEL_ONLY  # noqa: E731
    monkeypatch.setattr(safety, "find_risks", found)  # as screen() calls it
    monkeypatch.setattr(safety.risk, "find_risks", found)  # as the console's queue reads it again


def test_a_caution_is_not_an_alert_nor_held_but_marked_for_reading(classifier_finds_risk):
    found = safety.screen("some ordinary words")
    assert (found.risk, found.caution) == ((), MODEL_ONLY)
    assert found.flags == (safety.CAUTION_FLAG,) and not found.holds


def test_with_moderation_a_caution_waits_as_pending_with_its_reason_and_no_alert(
    ctx, facilitator, session, classifier_finds_risk
):
    token = participation.join(ctx, session.code).token
    sent = participation.submit_reflection(ctx, token, "I have faith in tomorrow")
    assert sent.contribution.status is Status.PENDING and not sent.needs_support  # no crisis message
    (item,) = moderation.review_queue(ctx, facilitator, session.id)
    assert not item.alert_open and item.caution and not item.risk
    assert moderation.read_review(ctx, facilitator, session.id).alerts == ()


def test_when_the_session_approves_by_itself_a_caution_is_held_for_a_person(
    ctx, facilitator, session, classifier_finds_risk
):
    sessions.set_auto_approve(ctx, facilitator, session.id, True)
    token = participation.join(ctx, session.code).token
    sent = participation.submit_reflection(ctx, token, "I have faith in tomorrow")
    assert sent.contribution.status is Status.HELD and not sent.needs_support


def test_a_rules_match_stays_a_held_alert_with_the_support_message(ctx, facilitator, session):
    token = participation.join(ctx, session.code).token
    sent = participation.submit_reflection(ctx, token, "i want to kill myself tonight")
    assert sent.contribution.status is Status.HELD and sent.needs_support
    assert moderation.read_review(ctx, facilitator, session.id).alerts
