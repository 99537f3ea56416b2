"""The reports and organization screens in AppTest, as the right role and as the wrong one."""

from __future__ import annotations

from hopecircle.domain import Kind, Moment
from hopecircle.services import accounts, moderation, participation, sessions
from tests.app.conftest import page, signed_in, texts
from tests.conftest import PASSWORD


def held_session(ctx, by, people=6):
    session = sessions.start_session(ctx, by, "steady-hands", "Thursday circle", "Eastside")
    for n in range(people):
        token = participation.join(ctx, session.code).token
        participation.submit_pulse(ctx, token, Moment.PRE, 4)
        participation.submit_pulse(ctx, token, Moment.POST, 6 + n % 2)
    sessions.close_session(ctx, by, session.id)
    return session


def test_reports_ask_for_sign_in_first(app_ctx, admin_account):
    at = page("reports")
    assert not at.exception
    assert "Facilitator sign-in" in texts(at)


def test_a_facilitator_reviews_their_session_and_sees_the_exports(app_ctx, admin_account):
    fran = accounts.create_account(app_ctx, admin_account, "fran", "Fran", PASSWORD)
    held_session(app_ctx, fran)
    sessions.start_session(app_ctx, admin_account, "quiet-kitchen", "Admin's own circle")
    at = signed_in("reports", fran)
    assert not at.exception
    shown = texts(at)
    assert "Thursday circle" in shown and "Admin's own circle" not in shown
    assert "Sessions held" in [m.label for m in at.metric]
    assert "counted with a curated word list" in shown
    labels = [el.proto.label for el in at.get("download_button")]
    assert {"Figures (CSV)", "Shareable cards (CSV)", "Report (HTML)", "Report (PDF)"} <= set(labels)


def test_a_small_session_shows_fewer_than_five_on_screen(app_ctx, admin_account):
    held_session(app_ctx, admin_account, people=3)
    at = signed_in("reports", admin_account)
    assert not at.exception
    assert "fewer than 5" in [m.value for m in at.metric]


def test_an_admin_adds_a_facilitator_and_changes_settings(app_ctx, admin_account):
    at = signed_in("admin", admin_account)
    assert not at.exception and "Organization" in texts(at)
    form = {w.label: w for w in at.text_input}
    form["Name (shown only to staff)"].input("Sam Peer")
    form["Username"].input("sam")
    form["Password (at least 10 characters)"].input(PASSWORD)
    next(b for b in at.button if b.label == "Create account").click().run()
    assert "Account created." in texts(at)
    assert [s.account.username for s in accounts.account_statuses(app_ctx, admin_account)] == ["ada", "sam"]
    {w.label: w for w in at.number_input}["Smallest count shown in reports"].set_value(8)
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert "Settings saved." in texts(at)


def test_a_facilitator_is_refused_the_organization_screen(app_ctx, admin_account):
    fran = accounts.create_account(app_ctx, admin_account, "fran", "Fran", PASSWORD)
    at = signed_in("admin", fran)
    assert not at.exception
    assert "Your account can't open this" in texts(at)
    assert "Accounts" not in [tab.label for tab in at.tabs]


def test_two_sessions_with_the_same_day_title_and_site_each_open_their_own_report(app_ctx, admin_account):
    first = held_session(app_ctx, admin_account, people=6)
    second = held_session(app_ctx, admin_account, people=9)
    at = signed_in("reports", admin_account)
    picker = at.selectbox(key="report-session")
    assert len(set(picker.options)) == 2, picker.options
    opened = {}
    for session in (first, second, first):
        # The browser sends the picked entry's label: the label alone must lead to its own session.
        at.selectbox(key="report-session").select(session.id).run()
        assert not at.exception
        assert at.selectbox(key="report-session").value == session.id
        assert f"session #{session.id}" in texts(at)
        opened[session.id] = next(m.value for m in at.metric if m.label == "Phones that joined")
    assert opened == {first.id: "6", second.id: "9"}


def spread_session(ctx, by):
    """Seven phones: before 3,4,4,5,6,7,8 and after 5,6,6,7,7,8,9 (change sum 11, mean +1.6).
    No value, and no band (low 0-3, middle 4-6, high 7-10), has five people in both pulses."""
    session = sessions.start_session(ctx, by, "steady-hands", "Thursday circle", "Eastside")
    for before, after in zip([3, 4, 4, 5, 6, 7, 8], [5, 6, 6, 7, 7, 8, 9], strict=True):
        token = participation.join(ctx, session.code).token
        participation.submit_pulse(ctx, token, Moment.PRE, before)
        participation.submit_pulse(ctx, token, Moment.POST, after)
    sessions.close_session(ctx, by, session.id)
    return session


def test_a_group_of_seven_shows_what_it_can_and_says_why_the_rest_is_missing(app_ctx, admin_account):
    spread_session(app_ctx, admin_account)
    at = signed_in("reports", admin_account)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Phones that joined"] == "7"
    assert metrics["Hope pulse change, mean"] == "+1.6" and metrics["Answered both pulses"] == "7"
    shown = texts(at)
    assert "No bars: fewer than 5 people gave any one answer, even grouped as low, middle and high." in shown
    assert "counted with the other sessions of" in shown
    assert "7 answered both pulses" in shown


def test_the_console_offers_the_shareable_mark_only_on_cards_the_export_carries(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Thursday circle")
    token = participation.join(app_ctx, session.code).token
    for sent in (
        participation.submit_reflection(app_ctx, token, "Hope is a practice"),
        participation.submit_word(app_ctx, token, Kind.CHECKIN, "hopeful"),
    ):
        moderation.approve(app_ctx, admin_account, sent.contribution.id)
    at = signed_in("console", admin_account, session=str(session.id))
    assert not at.exception
    assert [toggle.label for toggle in at.toggle if toggle.label == "Shareable quote"] == ["Shareable quote"]
