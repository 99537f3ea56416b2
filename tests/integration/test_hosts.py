"""Co-facilitators on a real database: who may add them, what they may do, and who did what."""

from __future__ import annotations

import pytest

from hopecircle.domain import NotAuthorized, Phase, SessionClosed, Status
from hopecircle.reporting import summaries
from hopecircle.services import accounts, hosts, moderation, participation, sessions, support
from hopecircle.services.hosts import NotStaffToAdd
from tests.conftest import PASSWORD


@pytest.fixture
def sam(ctx, admin):
    return accounts.create_account(ctx, admin, "sam", "Sam Cohost", PASSWORD)


@pytest.fixture
def olu(ctx, admin):
    return accounts.create_account(ctx, admin, "olu", "Olu Outsider", PASSWORD)


@pytest.fixture
def session(ctx, facilitator):
    return sessions.start_session(ctx, facilitator, "steady-hands", "Tuesday circle")


def test_the_owner_adds_a_co_facilitator_who_then_sees_the_session_among_theirs(ctx, facilitator, sam, session):
    assert sessions.my_sessions(ctx, sam) == []
    team = hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    assert team.owner.id == facilitator.id and [member.id for member in team.co_hosts] == [sam.id]
    assert [item.id for item in sessions.my_sessions(ctx, sam)] == [session.id]
    assert sessions.get_session(ctx, sam, session.id).code == session.code
    assert hosts.team(ctx, sam, session.id) == team
    # Adding twice changes nothing.
    assert hosts.add_co_host(ctx, facilitator, session.id, sam.id).co_hosts == team.co_hosts


def test_a_co_facilitator_runs_the_room_like_the_owner(ctx, facilitator, sam, session):
    hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    token = participation.join(ctx, session.code).token
    sent = participation.submit_reflection(ctx, token, "The walks helped").contribution
    alert = participation.submit_reflection(ctx, token, "I don't want to be here anymore").contribution
    support.ask_to_talk(ctx, token, "blue jacket")

    queue = moderation.review_queue(ctx, sam, session.id)
    assert {item.contribution.id for item in queue} == {sent.id, alert.id} and queue[0].alert_open
    moderation.approve(ctx, sam, sent.id)
    moderation.mark_reviewed(ctx, sam, alert.id)
    assert [c.id for c in moderation.on_board(ctx, sam, session.id)] == [sent.id]
    moved = sessions.set_phase(ctx, sam, session.id, Phase.STORY)
    assert sessions.set_story_section(ctx, sam, session.id, 1).story_section == 1
    assert moved.phase is Phase.STORY
    (request,) = support.requests_for(ctx, sam, session.id)
    support.acknowledge(ctx, sam, session.id, request.id)
    support.push_resources(ctx, sam, session.id)
    sessions.set_auto_approve(ctx, sam, session.id, True)
    assert sessions.session_counts(ctx, sam, session.id).participants == 1
    assert sessions.close_session(ctx, sam, session.id).status == "closed"


def test_the_console_records_who_did_each_thing(ctx, facilitator, sam, session):
    hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    first, second = (participation.join(ctx, session.code).token for _ in range(2))
    approved = participation.submit_reflection(ctx, first, "The walks helped").contribution
    hidden = participation.submit_reflection(ctx, second, "Not for the board").contribution
    pending = participation.submit_reflection(ctx, second, "Me too, the walks").contribution
    alert = participation.submit_reflection(ctx, first, "I don't want to be here anymore").contribution
    support.ask_to_talk(ctx, first, "")

    moderation.approve(ctx, sam, approved.id)
    moderation.hide(ctx, facilitator, hidden.id)
    moderation.mark_reviewed(ctx, sam, alert.id)
    assert moderation.approve_all_pending(ctx, facilitator, session.id) == 1
    sessions.set_phase(ctx, sam, session.id, Phase.REFLECT)
    (request,) = support.requests_for(ctx, facilitator, session.id)
    support.acknowledge(ctx, sam, session.id, request.id)

    with ctx.store.read() as tx:
        by_id = {c.id: c.moderated_by for c in tx.contributions.awaiting_review(session.id)}
        by_id |= {c.id: c.moderated_by for c in tx.contributions.with_status(session.id, Status.APPROVED)}
        by_id |= {c.id: c.moderated_by for c in tx.contributions.with_status(session.id, Status.HIDDEN)}
    assert by_id == {approved.id: sam.id, hidden.id: facilitator.id, pending.id: facilitator.id, alert.id: sam.id}
    assert sessions.get_session(ctx, facilitator, session.id).changed_by == sam.id
    assert support.requests_for(ctx, facilitator, session.id)[0].acknowledged_by == sam.id
    names = hosts.staff_names(ctx, facilitator, session.id)
    assert names[sam.id] == "Sam Cohost" and names[facilitator.id] == "Fran Facilitator"


def test_closing_and_moving_the_story_record_who_moved_the_room(ctx, facilitator, sam, session):
    hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    assert sessions.set_story_section(ctx, sam, session.id, 0).changed_by == sam.id
    assert sessions.close_session(ctx, facilitator, session.id).changed_by == facilitator.id


def test_a_talk_request_asked_again_is_open_again_with_nobody_noted(ctx, facilitator, session):
    token = participation.join(ctx, session.code).token
    support.ask_to_talk(ctx, token, "")
    (request,) = support.requests_for(ctx, facilitator, session.id)
    support.acknowledge(ctx, facilitator, session.id, request.id)
    support.ask_to_talk(ctx, token, "by the door")
    (again,) = support.requests_for(ctx, facilitator, session.id)
    assert (again.acknowledged, again.acknowledged_by) == (False, None)


def test_someone_who_does_not_run_the_session_is_refused_everywhere(ctx, facilitator, olu, session):
    token = participation.join(ctx, session.code).token
    sent = participation.submit_reflection(ctx, token, "hello").contribution
    refused = [
        lambda: sessions.get_session(ctx, olu, session.id),
        lambda: sessions.set_phase(ctx, olu, session.id, Phase.CHECKIN),
        lambda: sessions.set_prompts(ctx, olu, session.id, ["Mine"]),
        lambda: moderation.review_queue(ctx, olu, session.id),
        lambda: moderation.approve(ctx, olu, sent.id),
        lambda: support.requests_for(ctx, olu, session.id),
        lambda: hosts.team(ctx, olu, session.id),
        lambda: hosts.staff_names(ctx, olu, session.id),
        lambda: sessions.close_session(ctx, olu, session.id),
    ]
    for action in refused:
        with pytest.raises(NotAuthorized):
            action()
    assert sessions.my_sessions(ctx, olu) == []


def test_only_the_owner_or_an_admin_changes_who_runs_a_session(ctx, admin, facilitator, sam, olu, session):
    hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    for action in (
        lambda: hosts.add_co_host(ctx, sam, session.id, olu.id),
        lambda: hosts.remove_co_host(ctx, sam, session.id, sam.id),
        lambda: hosts.staff_to_add(ctx, sam, session.id),
    ):
        with pytest.raises(NotAuthorized):
            action()
    assert [member.id for member in hosts.add_co_host(ctx, admin, session.id, olu.id).co_hosts] == [sam.id, olu.id]
    assert [member.id for member in hosts.remove_co_host(ctx, admin, session.id, olu.id).co_hosts] == [sam.id]


def test_only_other_active_staff_can_be_added(ctx, admin, facilitator, sam, olu, session):
    hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    accounts.set_account_active(ctx, admin, olu.id, False)
    assert [account.id for account in hosts.staff_to_add(ctx, facilitator, session.id)] == [admin.id]
    for account_id in (olu.id, facilitator.id, 9999):
        with pytest.raises(NotStaffToAdd):
            hosts.add_co_host(ctx, facilitator, session.id, account_id)
    sessions.close_session(ctx, facilitator, session.id)
    with pytest.raises(SessionClosed):
        hosts.add_co_host(ctx, facilitator, session.id, admin.id)


def test_a_removed_or_deactivated_co_facilitator_is_refused_from_then_on(ctx, admin, facilitator, sam, olu, session):
    hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    hosts.add_co_host(ctx, facilitator, session.id, olu.id)
    hosts.remove_co_host(ctx, facilitator, session.id, sam.id)
    with pytest.raises(NotAuthorized):
        sessions.set_phase(ctx, sam, session.id, Phase.CHECKIN)
    assert sessions.my_sessions(ctx, sam) == []
    accounts.set_account_active(ctx, admin, olu.id, False)
    with pytest.raises(NotAuthorized):
        moderation.review_queue(ctx, olu, session.id)


def test_the_owners_notes_and_the_sessions_report_stay_with_the_owner(ctx, admin, facilitator, sam, session):
    hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    sessions.save_notes(ctx, facilitator, session.id, "Ask J. about the ride home")
    assert sessions.get_session(ctx, facilitator, session.id).notes == "Ask J. about the ride home"
    assert sessions.get_session(ctx, sam, session.id).notes == ""
    assert sessions.my_sessions(ctx, sam)[0].notes == ""
    assert sessions.set_phase(ctx, sam, session.id, Phase.CHECKIN).notes == ""
    with pytest.raises(NotAuthorized):
        sessions.save_notes(ctx, sam, session.id, "overwritten")
    with pytest.raises(NotAuthorized):
        summaries.session_summary(ctx, sam, session.id)
    assert session.id not in {row.id for row in summaries.report_sessions(ctx, sam)}
    assert summaries.session_summary(ctx, facilitator, session.id).session.id == session.id
    assert sessions.get_session(ctx, admin, session.id).notes == ""


def test_a_phase_control_drawn_before_another_console_moved_the_room_changes_nothing(ctx, facilitator, sam, session):
    hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    sessions.set_phase(ctx, sam, session.id, Phase.STORY)
    kept = sessions.set_phase(ctx, facilitator, session.id, Phase.CHECKIN, from_phase=Phase.WELCOME)
    assert (kept.phase, kept.changed_by) == (Phase.STORY, sam.id)
    moved = sessions.set_phase(ctx, facilitator, session.id, Phase.REFLECT, from_phase=Phase.STORY)
    assert (moved.phase, moved.changed_by) == (Phase.REFLECT, facilitator.id)
