"""Sign-in throttling on a real database: growing waits per account, a server-wide pause, an
admin's release, the setup code, and the same counts seen by another process or after a restart."""

from __future__ import annotations

import logging

import pytest

from hopecircle.domain import InvalidCredentials, WrongSetupCode
from hopecircle.services import accounts, retention, sign_in_limits
from hopecircle.services.context import Context
from hopecircle.services.sign_in_limits import SignInPaused, TooManyAttempts
from hopecircle.store import open_store
from tests.conftest import PASSWORD


def wrong(ctx, username: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            accounts.authenticate(ctx, username, "not the password")


def test_five_wrong_passwords_cost_nothing_then_each_try_waits_longer(ctx, clock, facilitator):
    wrong(ctx, "fran", sign_in_limits.FREE_FAILURES)
    with pytest.raises(TooManyAttempts) as waited:
        accounts.authenticate(ctx, "fran", PASSWORD)  # refused before the password is checked
    assert waited.value.params == {"seconds": 5}
    clock.advance(seconds=5)
    wrong(ctx, "fran", 1)
    with pytest.raises(TooManyAttempts) as waited:
        accounts.authenticate(ctx, "fran", PASSWORD)
    assert waited.value.params == {"seconds": 10}  # doubled
    assert sign_in_limits.delay_after(30).total_seconds() == sign_in_limits.MAX_DELAY.total_seconds()


def test_the_right_password_is_taken_as_soon_as_the_wait_is_over_and_ends_it(ctx, clock, facilitator):
    wrong(ctx, "fran", sign_in_limits.FREE_FAILURES)
    clock.advance(seconds=5)
    assert accounts.authenticate(ctx, "fran", PASSWORD).username == "fran"
    wrong(ctx, "fran", sign_in_limits.FREE_FAILURES - 1)  # the count started again
    assert accounts.authenticate(ctx, "fran", PASSWORD).username == "fran"


def test_another_accounts_wait_is_its_own(ctx, clock, admin, facilitator):
    wrong(ctx, "fran", sign_in_limits.FREE_FAILURES)
    assert accounts.authenticate(ctx, "ada", PASSWORD).username == "ada"


def test_many_usernames_tried_at_once_pause_sign_in_for_the_rest_of_the_minute(ctx, clock, facilitator):
    for n in range(sign_in_limits.GLOBAL_PER_MINUTE):
        wrong(ctx, f"nobody{n}", 1)  # one password against many usernames
    with pytest.raises(SignInPaused) as paused:
        accounts.authenticate(ctx, "fran", PASSWORD)
    assert paused.value.params == {"seconds": 60}
    clock.advance(seconds=61)
    assert accounts.authenticate(ctx, "fran", PASSWORD).username == "fran"


def test_an_admin_sees_the_wrong_passwords_and_can_let_the_owner_in_now(ctx, clock, admin, facilitator):
    wrong(ctx, "fran", sign_in_limits.FREE_FAILURES)
    statuses = {s.account.username: s.wrong_passwords for s in accounts.account_statuses(ctx, admin)}
    assert statuses == {"ada": 0, "fran": sign_in_limits.FREE_FAILURES}
    accounts.allow_sign_in_now(ctx, admin, facilitator.id)
    assert accounts.authenticate(ctx, "fran", PASSWORD).username == "fran"


def test_the_counts_hold_for_another_process_and_after_a_restart(ctx, clock, database_url, facilitator):
    wrong(ctx, "fran", sign_in_limits.FREE_FAILURES)
    other = Context(store=open_store(database_url), stories=ctx.stories, guides=ctx.guides, clock=clock)
    try:
        with pytest.raises(TooManyAttempts):
            accounts.authenticate(other, "fran", PASSWORD)
    finally:
        other.store.dispose()


def test_the_setup_code_is_throttled_like_a_password(ctx, clock):
    code = accounts.setup_code(ctx)
    for _ in range(sign_in_limits.FREE_FAILURES):
        with pytest.raises(WrongSetupCode):
            accounts.create_first_account(ctx, "0000-0000-0000", "ada", "Ada", PASSWORD)
    with pytest.raises(TooManyAttempts):
        accounts.create_first_account(ctx, code, "ada", "Ada", PASSWORD)
    clock.advance(seconds=5)
    assert accounts.create_first_account(ctx, code, "ada", "Ada", PASSWORD).username == "ada"


def test_the_admins_log_says_when_wrong_passwords_pile_up_without_any_address(ctx, clock, facilitator, caplog):
    with caplog.at_level(logging.WARNING, logger="hopecircle.services.sign_in_limits"):
        wrong(ctx, "fran", sign_in_limits.FREE_FAILURES)
    (line,) = [record.getMessage() for record in caplog.records]
    assert "5 wrong tries for username 'fran'" in line


def test_retention_forgets_wrong_passwords_after_a_day(ctx, clock, facilitator):
    wrong(ctx, "fran", 3)
    clock.advance(days=1, seconds=1)
    retention.run_retention(ctx)
    with ctx.store.read() as tx:
        assert tx.failures.since(None, clock.now.replace(year=2000)) == (0, None)
