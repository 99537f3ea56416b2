"""The console and projector for a recurring group, in AppTest: groups at start, "Since last
time" with its threshold, and words from another circle shown with nothing about where they came from."""

from __future__ import annotations

from hopecircle.domain import Screen
from hopecircle.services import carry, moderation, organization, participation, sessions
from tests.app.conftest import page, projected, signed_in, texts

HELPED = "Walking there with a friend"


def second_meeting(app_ctx, account, program="Eastside"):
    group = carry.create_group(app_ctx, account, "Tuesday evening circle", program)
    first = sessions.start_session(app_ctx, account, "steady-hands", "First night", group_id=group.id)
    sessions.close_session(app_ctx, account, first.id)
    return group, sessions.start_session(app_ctx, account, "steady-hands", "Second night", group_id=group.id)


def answered(app_ctx, account, session, *answers: str) -> None:
    for n, answer in enumerate(answers):
        token = participation.join(app_ctx, session.code).token
        result = carry.answer_follow_up(app_ctx, token, answer, HELPED if n == 0 else "")
        if result.helped is not None:
            moderation.approve(app_ctx, account, result.helped.contribution.id)


def test_a_new_group_is_made_on_the_start_screen_and_a_session_starts_as_its_meeting(app_ctx, admin_account):
    at = signed_in("console", admin_account)
    name = next(field for field in at.text_input if field.label == "Group name")
    name.input("Tuesday evening circle")
    program = next(field for field in at.text_input if field.label == "Program (optional)")
    program.input("Eastside")
    next(button for button in at.button if button.label == "Create group").click().run()
    assert "Group created" in at.toast[0].value
    picker = next(box for box in at.selectbox if box.label == "Group")
    (group,) = carry.list_groups(app_ctx, admin_account)
    assert picker.options[1] == "Tuesday evening circle · Eastside · 0 meetings"
    picker.set_value(group.id)
    next(button for button in at.button if button.label == "Start session").click().run()
    (session,) = sessions.my_sessions(app_ctx, admin_account)
    assert (session.group_id, session.program) == (group.id, "Eastside")


def test_below_the_threshold_the_console_says_too_few_and_the_projector_only_welcomes(app_ctx, admin_account):
    organization.update_settings(app_ctx, admin_account, reveal_threshold=3)
    _group, session = second_meeting(app_ctx, admin_account)
    answered(app_ctx, admin_account, session, "did_it", "partly")
    at = signed_in("console", admin_account, session=str(session.id))
    shown = texts(at)
    assert "1 did it · 1 partly · 0 not yet · 0 rather not say" in shown
    assert "Too few answers to show (2 of the 3 needed)" in shown
    at.button(key=f"show-since-{session.id}").click().run()
    board = page("board", key=session.board_key)
    on_wall = texts(board)
    assert "Since last time" in on_wall and "Welcome back." in on_wall
    assert "steps taken" not in on_wall and HELPED not in on_wall


def test_from_the_threshold_the_projector_shows_the_counts_and_what_helped(app_ctx, admin_account):
    organization.update_settings(app_ctx, admin_account, reveal_threshold=3)
    _group, session = second_meeting(app_ctx, admin_account)
    answered(app_ctx, admin_account, session, "did_it", "did_it", "partly", "not_yet")
    sessions.set_screen(app_ctx, admin_account, session.id, Screen.SINCE)
    board = page("board", key=session.board_key)
    flowed = [item["text"] for item in projected(board, "flow")]
    assert flowed[:3] == ["2 steps taken", "1 partly", "1 not yet"]
    assert HELPED in flowed
    assert "4 people answered" in texts(board)
    spanish = sessions.start_session(app_ctx, admin_account, "steady-hands", language="es", group_id=_group.id)
    answered(app_ctx, admin_account, spanish, "did_it", "partly", "rather_not")
    sessions.set_screen(app_ctx, admin_account, spanish.id, Screen.SINCE)
    flowed = [item["text"] for item in projected(page("board", key=spanish.board_key), "flow")]
    assert flowed[:3] == ["1 paso dado", "1 en parte", "0 todavía no"]


def test_opening_words_are_picked_in_the_console_and_shown_without_where_they_came_from(app_ctx, admin_account):
    group, _second = second_meeting(app_ctx, admin_account)
    earlier = sessions.start_session(app_ctx, admin_account, "steady-hands", "Spring circle", program="Eastside")
    token = participation.join(app_ctx, earlier.code).token
    kept = participation.submit_reflection(app_ctx, token, "Hope <b>grows</b> when **shared**").contribution
    private = participation.submit_reflection(app_ctx, token, "Only for this room").contribution
    for card in (kept, private):
        moderation.approve(app_ctx, admin_account, card.id)
    carry.set_pass_on(app_ctx, token, kept.id, True)
    sessions.close_session(app_ctx, admin_account, earlier.id)
    later = sessions.start_session(app_ctx, admin_account, "steady-hands", "Summer circle", group_id=group.id)
    at = signed_in("console", admin_account, session=str(later.id))
    pick = at.multiselect(key=f"opening-pick-{later.id}")
    assert pick.options == ["Hope <b>grows</b> when **shared**"]
    pick.set_value([kept.id])
    at.button(key=f"opening-save-{later.id}").click().run()
    assert carry.opening_choice(app_ctx, admin_account, later.id) == [kept.id]
    at.button(key=f"show-opening-{later.id}").click().run()
    board = page("board", key=later.board_key)
    assert [item["text"] for item in projected(board, "cards")] == ["Hope <b>grows</b> when **shared**"]
    on_wall = texts(board)
    assert "Words from another circle" in on_wall
    assert "Spring circle" not in on_wall and "Only for this room" not in on_wall


def test_the_reports_page_lists_follow_through_per_group_and_program(app_ctx, admin_account):
    _group, session = second_meeting(app_ctx, admin_account)
    answered(app_ctx, admin_account, session, *["did_it"] * 5, *["partly"] * 5)
    sessions.close_session(app_ctx, admin_account, session.id)
    at = signed_in("reports", admin_account)
    assert not at.exception
    assert "Follow-through on next steps" in texts(at)
    (table,) = [frame.value for frame in at.dataframe if "Did it" in frame.value.columns]
    month = f"{session.created_at:%Y-%m}"
    rows = {row["Group or program · month"]: row for row in table.to_dict("records")}
    group_row = rows[f"Tuesday evening circle (Eastside) · {month}"]
    assert (group_row["Answered"], group_row["Did it"], group_row["Partly"]) == ("10", "50%", "50%")
    assert f"Program Eastside (all groups) · {month}" in rows
