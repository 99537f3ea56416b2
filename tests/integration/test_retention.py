"""Retention: raw words really go, aggregates stay, forgotten sessions close."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import func, select

from hopecircle.__main__ import main
from hopecircle.domain import Kind, Moment
from hopecircle.reporting import summaries
from hopecircle.services import moderation, organization, participation, retention, sessions, support
from hopecircle.services.participation import GoalInput
from hopecircle.services.retention import RetentionSchedule, run_retention
from hopecircle.store.schema import contributions, participants, pulses, reactions, support_requests


def filled_session(ctx, facilitator, people=6):
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    for n in range(people):
        token = participation.join(ctx, session.code).token
        card = participation.submit_reflection(ctx, token, f"reflection {n}").contribution
        moderation.approve(ctx, facilitator, card.id)
        participation.submit_goal(ctx, token, GoalInput("rest"))
        participation.submit_word(ctx, token, Kind.CHECKIN, "ok")
        participation.submit_pulse(ctx, token, Moment.PRE, 4)
        participation.submit_pulse(ctx, token, Moment.POST, 6)
        participation.set_me_too(ctx, token, card.id, True)
        support.ask_to_talk(ctx, token)
    return session


def counts(ctx, session_id):
    with ctx.store.read() as tx:
        return {
            table.name: tx.connection.execute(
                select(func.count()).select_from(table).where(table.c.session_id == session_id)
            ).scalar_one()
            for table in (contributions, participants, pulses, support_requests)
        } | {"reactions": tx.connection.execute(select(func.count()).select_from(reactions)).scalar_one()}


def test_raw_rows_are_deleted_after_the_period_and_aggregates_stay(ctx, admin, facilitator, clock):
    organization.update_settings(ctx, admin, retention_days=30)
    session = filled_session(ctx, facilitator)
    sessions.close_session(ctx, facilitator, session.id)
    before = summaries.session_summary(ctx, facilitator, session.id)

    clock.advance(days=29)
    assert run_retention(ctx).sessions_purged == 0
    assert counts(ctx, session.id)["contributions"] == 18

    clock.advance(days=2)
    report = run_retention(ctx)
    assert (report.sessions_purged, report.contributions_deleted) == (1, 18)
    assert counts(ctx, session.id) == {
        "contributions": 0,
        "participants": 0,
        "pulses": 0,
        "support_requests": 0,
        "reactions": 0,
    }
    after = summaries.session_summary(ctx, facilitator, session.id)
    assert after.figures.participants == before.figures.participants
    assert after.figures.pulse.pre_mean == before.figures.pulse.pre_mean
    assert run_retention(ctx).sessions_purged == 0


def test_open_sessions_are_never_purged_but_forgotten_ones_are_closed(ctx, facilitator, clock):
    session = filled_session(ctx, facilitator, people=2)
    clock.advance(hours=23)
    assert run_retention(ctx).sessions_closed == 0
    clock.advance(hours=2)
    assert run_retention(ctx).sessions_closed == 1
    assert not sessions.get_session(ctx, facilitator, session.id).is_open
    assert counts(ctx, session.id)["contributions"] == 6


def test_the_retention_command_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOPECIRCLE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HOPECIRCLE_DATABASE_URL", raising=False)
    assert main(["retention"]) == 0
    assert "Retention: 0 forgotten session(s) closed" in capsys.readouterr().out


def test_a_purged_session_keeps_its_row_and_drops_the_facilitators_notes(ctx, facilitator, clock):
    session = filled_session(ctx, facilitator, people=1)
    sessions.save_notes(ctx, facilitator, session.id, "talked with the person in the red jacket")
    sessions.close_session(ctx, facilitator, session.id)
    clock.advance(days=31)
    run_retention(ctx)
    kept = sessions.get_session(ctx, facilitator, session.id)
    assert kept.purged_at == clock() and kept.notes == ""
    assert kept.title and kept.code
    assert timedelta(0) < kept.purged_at - kept.closed_at


def test_a_running_app_applies_retention_on_its_own_schedule(ctx, facilitator, clock):
    session = filled_session(ctx, facilitator, people=1)
    sessions.close_session(ctx, facilitator, session.id)
    clock.advance(days=31)
    schedule = RetentionSchedule(ctx, interval=0.05)
    schedule.start()
    try:
        deadline = time.monotonic() + 20
        while counts(ctx, session.id)["contributions"] and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        schedule.stop()
        schedule.join(timeout=10)
    assert counts(ctx, session.id)["contributions"] == 0
    assert schedule.runs >= 1 and schedule.failures == 0 and not schedule.is_alive()


def test_a_failed_retention_run_is_logged_and_the_schedule_goes_on(ctx, monkeypatch, caplog):
    calls = []

    def flaky(_ctx):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")

    monkeypatch.setattr(retention, "run_retention", flaky)
    schedule = RetentionSchedule(ctx, interval=0.02)
    schedule.start()
    deadline = time.monotonic() + 20
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    schedule.stop()
    schedule.join(timeout=10)
    assert schedule.failures == 1 and schedule.runs >= 2
    assert "Retention failed" in caplog.text
