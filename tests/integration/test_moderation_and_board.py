"""Review queue, approval, redaction, and what the projector may show."""

from __future__ import annotations

import pytest

from hopecircle.domain import Kind, Moment, NotAuthorized, Phase, Status
from hopecircle.services import accounts, board, moderation, organization, participation, room, sessions
from hopecircle.services.participation import GoalInput
from tests.conftest import PASSWORD


@pytest.fixture
def session(ctx, facilitator):
    return sessions.start_session(ctx, facilitator, "steady-hands")


def phones(ctx, session, n):
    return [participation.join(ctx, session.code).token for _ in range(n)]


def test_nothing_reaches_the_board_until_approved(ctx, facilitator, session):
    (token,) = phones(ctx, session, 1)
    sent = participation.submit_reflection(ctx, token, "I felt less alone").contribution
    assert sent.status is Status.PENDING
    assert [i.contribution.id for i in moderation.review_queue(ctx, facilitator, session.id)] == [sent.id]
    assert board.board_view(ctx, session).approved_count == 0
    moderation.approve(ctx, facilitator, sent.id)
    assert moderation.review_queue(ctx, facilitator, session.id) == []
    assert board.board_view(ctx, session).approved_count == 1


def test_auto_approve_skips_the_queue_but_screening_still_holds(ctx, facilitator, session):
    sessions.set_auto_approve(ctx, facilitator, session.id, True)
    (token,) = phones(ctx, session, 1)
    fine = participation.submit_reflection(ctx, token, "Walking helps me too").contribution
    risky = participation.submit_reflection(ctx, token, "i want to end it all tonight")
    personal = participation.submit_reflection(ctx, token, "text me at 555-201-7788").contribution
    assert fine.status is Status.APPROVED
    assert risky.contribution.status is Status.HELD and risky.needs_support
    assert personal.status is Status.HELD and "personal:phone" in personal.flags


def test_risk_alerts_come_first_and_can_be_marked_reviewed(ctx, facilitator, session):
    (token,) = phones(ctx, session, 1)
    participation.submit_reflection(ctx, token, "Good story")
    alert = participation.submit_reflection(ctx, token, "I don't want to be here anymore").contribution
    queue = moderation.review_queue(ctx, facilitator, session.id)
    assert queue[0].contribution.id == alert.id and queue[0].alert_open
    assert queue[0].risk
    moderation.mark_reviewed(ctx, facilitator, alert.id)
    queue = moderation.review_queue(ctx, facilitator, session.id)
    reviewed = next(i for i in queue if i.contribution.id == alert.id)
    assert not reviewed.alert_open and reviewed.contribution.status is Status.HELD


def test_a_personal_detail_can_be_approved_redacted(ctx, facilitator, session):
    (token,) = phones(ctx, session, 1)
    sent = participation.submit_reflection(ctx, token, "Thanks to my sponsor John Smith, call 555-201-7788")
    item = moderation.review_queue(ctx, facilitator, session.id)[0]
    assert {d.kind for d in item.details["body"]} == {"name", "phone"} and item.redactable
    moderation.approve(ctx, facilitator, sent.contribution.id, redacted=True)
    with ctx.store.read() as tx:
        body = tx.contributions.by_id(sent.contribution.id).body
    assert "John Smith" not in body and "555" not in body and "[…]" in body


def test_approve_all_leaves_held_items_for_a_look(ctx, facilitator, session):
    a, b = phones(ctx, session, 2)
    participation.submit_reflection(ctx, a, "one")
    participation.submit_reflection(ctx, b, "two")
    participation.submit_reflection(ctx, b, "my email is someone@example.org")
    assert moderation.approve_all_pending(ctx, facilitator, session.id) == 2
    assert [i.contribution.status for i in moderation.review_queue(ctx, facilitator, session.id)] == [Status.HELD]


def test_the_board_waits_for_the_reveal_threshold(ctx, facilitator, session):
    tokens = phones(ctx, session, 3)
    for n, token in enumerate(tokens):
        sent = participation.submit_reflection(ctx, token, f"card {n}").contribution
        moderation.approve(ctx, facilitator, sent.id)
        view = board.board_view(ctx, session)
        if n < 2:
            assert view.cards == () and view.cards_waiting == 3 - (n + 1)
    assert len(board.board_view(ctx, session).cards) == 3


def test_board_order_is_shuffled_not_arrival_order(ctx, facilitator, session):
    tokens = phones(ctx, session, 12)
    ids = []
    for n, token in enumerate(tokens):
        sent = participation.submit_reflection(ctx, token, f"card {n}").contribution
        moderation.approve(ctx, facilitator, sent.id)
        ids.append(sent.id)
    shown = [card.id for card in board.board_view(ctx, session).cards]
    assert sorted(shown) == sorted(ids) and shown != ids


def test_board_masks_profanity_by_default_and_shows_no_hidden_or_pending(ctx, facilitator, admin, session):
    organization.update_settings(ctx, admin, reveal_threshold=0)
    a, b, c = phones(ctx, session, 3)
    shown = participation.submit_reflection(ctx, a, "this shit is hard but I'm here").contribution
    hidden = participation.submit_reflection(ctx, b, "hide me").contribution
    participation.submit_reflection(ctx, c, "still pending")
    moderation.approve(ctx, facilitator, shown.id)
    moderation.hide(ctx, facilitator, hidden.id)
    cards = board.board_view(ctx, session).cards
    assert [card.body for card in cards] == ["this s*** is hard but I'm here"]


def test_words_and_pulse_reach_the_board_as_tallies(ctx, facilitator, session):
    tokens = phones(ctx, session, 5)
    for n, token in enumerate(tokens):
        word = participation.submit_word(ctx, token, Kind.CHECKIN, "Hopeful" if n % 2 else "tired").contribution
        moderation.approve(ctx, facilitator, word.id)
        participation.submit_pulse(ctx, token, Moment.PRE, n + 3)
    view = board.board_view(ctx, session)
    assert dict(view.checkin_words) == {"tired": 3, "hopeful": 2}
    assert view.pulse.pre == (3, 4, 5, 6, 7) and view.pulse_ready
    assert view.participants == 5


def test_goals_show_as_cards_with_their_dimension(ctx, facilitator, admin, session):
    organization.update_settings(ctx, admin, reveal_threshold=1)
    (token,) = phones(ctx, session, 1)
    goal = participation.submit_goal(ctx, token, GoalInput("walk my dog", "Sunday", None, "health")).contribution
    moderation.approve(ctx, facilitator, goal.id)
    (card,) = board.board_view(ctx, session).cards
    assert (card.kind, card.body, card.goal_when, card.dimension) == (Kind.GOAL, "walk my dog", "Sunday", "health")


def test_only_the_sessions_facilitator_or_an_admin_moderates(ctx, admin, facilitator, session):
    other = accounts.create_account(ctx, admin, "olu", "Olu", PASSWORD)
    (token,) = phones(ctx, session, 1)
    sent = participation.submit_reflection(ctx, token, "hello").contribution
    for action in (moderation.approve, moderation.hide, moderation.remove):
        with pytest.raises(NotAuthorized):
            action(ctx, other, sent.id)
    with pytest.raises(NotAuthorized):
        moderation.review_queue(ctx, other, session.id)
    moderation.approve(ctx, admin, sent.id)


def test_shareable_is_only_for_approved_cards(ctx, facilitator, session):
    from hopecircle.domain import InvalidChoice

    (token,) = phones(ctx, session, 1)
    sent = participation.submit_reflection(ctx, token, "quote me").contribution
    with pytest.raises(InvalidChoice):
        moderation.set_shareable(ctx, facilitator, sent.id, True)
    moderation.approve(ctx, facilitator, sent.id)
    moderation.set_shareable(ctx, facilitator, sent.id, True)
    assert moderation.on_board(ctx, facilitator, session.id)[0].shareable


def test_an_unknown_board_key_is_refused(ctx):
    with pytest.raises(board.UnknownBoard):
        board.find_board(ctx, "nope")


def test_personal_details_in_a_goals_support_line_can_be_redacted_too(ctx, facilitator, session):
    (token,) = phones(ctx, session, 1)
    goal = GoalInput("call for help", "Friday", "Dave Kowalski 555-867-5309", "community")
    sent = participation.submit_goal(ctx, token, goal).contribution
    (item,) = moderation.review_queue(ctx, facilitator, session.id)
    assert {d.kind for d in item.details["goal_support"]} == {"name", "phone"} and item.redactable
    moderation.approve(ctx, facilitator, sent.id, redacted=True)
    with ctx.store.read() as tx:
        stored = tx.contributions.by_id(sent.id)
    assert "Kowalski" not in stored.goal_support and "555" not in stored.goal_support


def test_redacting_also_replaces_the_key_derived_from_the_original_words(ctx, facilitator, session):
    (token,) = phones(ctx, session, 1)
    sent = participation.submit_reflection(ctx, token, "text me at 555-201-7788").contribution
    moderation.approve(ctx, facilitator, sent.id, redacted=True)
    with ctx.store.read() as tx:
        assert (
            tx.contributions.by_client_key(tx.contributions.by_id(sent.id).participant_id, "hash-of-the-words") is None
        )


def test_held_words_are_not_counted_on_the_projector(ctx, facilitator, session):
    sessions.set_auto_approve(ctx, facilitator, session.id, True)
    a, b = phones(ctx, session, 2)
    participation.submit_reflection(ctx, a, "Walking helps me too")
    before = board.board_view(ctx, session).contributions
    held = participation.submit_reflection(ctx, b, "i want to end it all tonight").contribution
    assert held.status is Status.HELD
    # The room's count stays put: a jump with no new card would say someone wrote something held.
    assert board.board_view(ctx, session).contributions == before == 1


def test_each_pulse_series_is_drawn_only_with_enough_answers(ctx, admin, session):
    organization.update_settings(ctx, admin, suppression_threshold=5)
    tokens = phones(ctx, session, 6)
    for n, token in enumerate(tokens):
        participation.submit_pulse(ctx, token, Moment.PRE, n + 2)
    for token in tokens[:2]:
        participation.submit_pulse(ctx, token, Moment.POST, 9)
    view = board.board_view(ctx, session)
    assert view.pulse.pre == (2, 3, 4, 5, 6, 7) and view.pulse.post == () and view.pulse_ready
    for token in tokens[2:]:
        participation.submit_pulse(ctx, token, Moment.POST, 8)
    assert len(board.board_view(ctx, session).pulse.post) == 6


def test_no_pulse_chart_while_both_series_are_too_small(ctx, session):
    for token in phones(ctx, session, 3):
        participation.submit_pulse(ctx, token, Moment.PRE, 5)
    view = board.board_view(ctx, session)
    assert view.pulse.pre == () and not view.pulse_ready


def test_the_phones_copy_of_the_board_is_the_projectors(ctx, facilitator, admin, session, phone_board):
    organization.update_settings(ctx, admin, reveal_threshold=2)
    a, b = phones(ctx, session, 2)
    goal = participation.submit_goal(ctx, a, GoalInput("call my shit sponsor", "Friday", "my sister Ana"))
    moderation.approve(ctx, facilitator, goal.contribution.id)
    first = phone_board(b)
    assert first.cards == () and first.waiting == 1  # the reveal threshold holds on phones too
    sent = participation.submit_reflection(ctx, b, "I can do hard things").contribution
    moderation.approve(ctx, facilitator, sent.id)
    on_phone = {card.kind: card for card in phone_board(b).cards}
    assert on_phone[Kind.GOAL].body == "call my s*** sponsor"  # masked, as on the projector
    assert on_phone[Kind.GOAL].goal_support is None  # who supports a goal stays with its writer
    assert phone_board(b).cards == board.board_view(ctx, session).cards


def test_a_card_carries_its_writers_language(ctx, facilitator, admin, session):
    organization.update_settings(ctx, admin, reveal_threshold=0)
    english = participation.join(ctx, session.code, "en").token
    spanish = participation.join(ctx, session.code, "es").token
    for token, words in ((english, "call my sister"), (spanish, "llamar a mi hermana")):
        goal = participation.submit_goal(ctx, token, GoalInput(words, None, None)).contribution
        moderation.approve(ctx, facilitator, goal.id)
    languages = {card.body: card.language for card in board.board_view(ctx, session).cards}
    assert languages == {"call my sister": "en", "llamar a mi hermana": "es"}


def test_a_phone_reads_a_page_of_the_board_in_the_projectors_order(ctx, facilitator, admin, session, phone_board):
    organization.update_settings(ctx, admin, reveal_threshold=3)
    tokens = phones(ctx, session, 5)
    for n, token in enumerate(tokens):
        sent = participation.submit_reflection(ctx, token, f"card {n}").contribution
        moderation.approve(ctx, facilitator, sent.id)
    page = phone_board(tokens[0], limit=2)
    projector = board.board_view(ctx, session).cards
    assert page.cards == projector[:2] and page.approved == 5 and page.waiting == 0
    few = phones(ctx, sessions.start_session(ctx, facilitator, "steady-hands"), 1)
    assert phone_board(few[0], limit=2).approved == 0


def test_a_rooms_signature_names_what_its_phones_redraw_for(ctx, facilitator, admin, session):
    organization.update_settings(ctx, admin, reveal_threshold=0)

    def signature(shown: int) -> str:
        state = room.phone_room(ctx, session.code)
        assert state is not None
        return room.room_signature(state, shown).rsplit("|", 1)[0]  # without the content stamp

    assert signature(12) == "welcome|open|-|0"
    sessions.set_phase(ctx, facilitator, session.id, Phase.BOARD)
    tokens = phones(ctx, session, 3)
    for n, token in enumerate(tokens):
        sent = participation.submit_reflection(ctx, token, f"card {n}").contribution
        moderation.approve(ctx, facilitator, sent.id)
    # A phone showing two cards has nothing new to draw for a third; one showing twelve has.
    assert signature(2) == "board|open|2|0"
    assert signature(12) == "board|open|3|0"
    sessions.close_session(ctx, facilitator, session.id)
    assert signature(12) == "close|closed|-|0"  # closing ends on the close phase
    assert room.phone_room(ctx, "NOSUCH") is None


@pytest.mark.parametrize(
    ("seen", "now", "minor"),
    [
        ("board|open|3|0", "board|open|4|0", True),
        ("board|open|3|0", "board|open|3|0", False),  # no change at all
        ("board|open|3|0", "board|closed|3|0", False),
        ("board|open|3|0", "board|open|4|1", False),  # support lines shared: every phone at once
        ("reflect|open|-|0", "board|open|4|0", False),
        ("board|open|3", "board|open|4", False),
        ("board|open|3|0|0a1b2c3d", "board|open|4|0|0a1b2c3d", True),
        ("board|open|3|0|0a1b2c3d", "board|open|4|0|ffffffff", False),  # the prompts changed too
    ],
)
def test_only_new_cards_make_a_minor_change_for_a_phone(seen, now, minor):
    assert room.only_cards_differ(seen, now) is minor
