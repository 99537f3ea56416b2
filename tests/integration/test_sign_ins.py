"""Staff staying signed in: one-time tickets, signed cookies, sign-out and their end, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hopecircle.services import accounts, retention, sign_ins
from hopecircle.services.context import Context
from hopecircle.services.sign_ins import SIGN_IN_LIFETIME, SignInNotKept
from hopecircle.store import open_store
from hopecircle.store.schema import staff_sign_ins

SECRET = "the secret every process shares"


def signed_in_browser(ctx, account) -> tuple[sign_ins.Ticket, str]:
    """What a browser holds after the sign-in form and its post: the tab's ticket and the cookie value."""
    ticket = sign_ins.start_sign_in(ctx, account)
    return ticket, sign_ins.exchange_ticket(ctx, ticket.value, SECRET).value


def test_a_ticket_is_exchanged_once_for_a_cookie_that_signs_the_account_in(ctx, facilitator):
    ticket = sign_ins.start_sign_in(ctx, facilitator)
    cookie = sign_ins.exchange_ticket(ctx, ticket.value, SECRET)
    assert cookie.max_age == SIGN_IN_LIFETIME.total_seconds()
    found = sign_ins.sign_in_from_cookie(ctx, cookie.value, SECRET)
    assert found == sign_ins.StaffSignIn(ticket.sign_in_id, facilitator)
    with pytest.raises(SignInNotKept):
        sign_ins.exchange_ticket(ctx, ticket.value, SECRET)  # a ticket seen twice is good once


def test_a_ticket_is_good_for_a_minute_and_a_made_up_one_for_nothing(ctx, facilitator, clock):
    late = sign_ins.start_sign_in(ctx, facilitator)
    clock.advance(seconds=61)
    with pytest.raises(SignInNotKept):
        sign_ins.exchange_ticket(ctx, late.value, SECRET)
    for made_up in ("", "short", "x" * 43, late.value + "x", "../" * 20):
        with pytest.raises(SignInNotKept):
            sign_ins.exchange_ticket(ctx, made_up, SECRET)


def test_a_cookie_not_signed_with_the_shared_secret_signs_no_one_in(ctx, facilitator):
    _, cookie = signed_in_browser(ctx, facilitator)
    token, _, signature = cookie.partition(".")
    assert sign_ins.sign_in_from_cookie(ctx, cookie, "another secret") is None
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forged = sign_ins.signed_cookie(sign_ins._new_token(), "a guessed secret")
    for value in (f"{token}.{flipped}", token, f"{token}.", forged, "", ".", "a.b.c", cookie + " "):
        assert sign_ins.sign_in_from_cookie(ctx, value, SECRET) is None, value


def test_a_sign_in_ends_twelve_hours_after_the_password_was_typed(ctx, facilitator, clock):
    ticket, cookie = signed_in_browser(ctx, facilitator)
    clock.advance(hours=11, minutes=59)
    assert sign_ins.sign_in_from_cookie(ctx, cookie, SECRET) is not None
    assert sign_ins.check_sign_in(ctx, ticket.sign_in_id) == facilitator
    clock.advance(minutes=1)
    assert sign_ins.sign_in_from_cookie(ctx, cookie, SECRET) is None
    assert sign_ins.check_sign_in(ctx, ticket.sign_in_id) is None


def test_a_ticket_never_exchanged_keeps_only_its_own_tab_signed_in_until_the_same_end(ctx, facilitator, clock):
    ticket = sign_ins.start_sign_in(ctx, facilitator)  # the browser blocked the cookie
    clock.advance(hours=6)
    assert sign_ins.check_sign_in(ctx, ticket.sign_in_id) == facilitator
    assert sign_ins.sign_in_from_cookie(ctx, sign_ins.signed_cookie(ticket.value, SECRET), SECRET) is None
    clock.advance(hours=6)
    assert sign_ins.check_sign_in(ctx, ticket.sign_in_id) is None


def test_signing_out_ends_the_cookie_at_once_whichever_way_it_is_named(ctx, facilitator):
    ticket, cookie = signed_in_browser(ctx, facilitator)
    sign_ins.sign_out(ctx, ticket.sign_in_id)  # from the tab
    assert sign_ins.sign_in_from_cookie(ctx, cookie, SECRET) is None
    assert sign_ins.check_sign_in(ctx, ticket.sign_in_id) is None
    other, cookie = signed_in_browser(ctx, facilitator)
    sign_ins.sign_out_cookie(ctx, cookie, SECRET)  # from the browser's cookie (the sign-out endpoint)
    assert sign_ins.sign_in_from_cookie(ctx, cookie, SECRET) is None
    assert sign_ins.check_sign_in(ctx, other.sign_in_id) is None
    sign_ins.sign_out_cookie(ctx, "not a cookie", SECRET)  # nothing to end: nothing happens


def test_signing_in_again_on_the_same_browser_ends_the_sign_in_its_old_cookie_stood_for(ctx, admin, facilitator):
    first, old_cookie = signed_in_browser(ctx, facilitator)
    ticket = sign_ins.start_sign_in(ctx, admin)
    new_cookie = sign_ins.exchange_ticket(ctx, ticket.value, SECRET, replacing=old_cookie).value
    assert sign_ins.sign_in_from_cookie(ctx, old_cookie, SECRET) is None
    assert sign_ins.check_sign_in(ctx, first.sign_in_id) is None
    assert sign_ins.sign_in_from_cookie(ctx, new_cookie, SECRET).account == admin


def test_a_deactivated_account_or_a_reset_password_signs_out_every_browser(ctx, admin, facilitator):
    ticket, cookie = signed_in_browser(ctx, facilitator)
    accounts.reset_password(ctx, admin, facilitator.id, "a brand new passphrase")
    assert sign_ins.sign_in_from_cookie(ctx, cookie, SECRET) is None
    assert sign_ins.check_sign_in(ctx, ticket.sign_in_id) is None
    ticket, cookie = signed_in_browser(ctx, facilitator)
    waiting = sign_ins.start_sign_in(ctx, facilitator)
    accounts.set_account_active(ctx, admin, facilitator.id, False)
    assert sign_ins.sign_in_from_cookie(ctx, cookie, SECRET) is None
    with pytest.raises(SignInNotKept):
        sign_ins.exchange_ticket(ctx, waiting.value, SECRET)
    accounts.set_account_active(ctx, admin, facilitator.id, True)
    assert sign_ins.sign_in_from_cookie(ctx, cookie, SECRET) is None  # coming back means signing in anew
    assert accounts.authenticate(ctx, "fran", "a brand new passphrase") == facilitator


def test_a_ticket_for_an_account_deactivated_meanwhile_is_refused(ctx, admin, facilitator):
    ticket = sign_ins.start_sign_in(ctx, facilitator)
    with ctx.store.write() as tx:
        tx.accounts.set_active(facilitator.id, False)  # as another process's admin page would, in between
    with pytest.raises(SignInNotKept):
        sign_ins.exchange_ticket(ctx, ticket.value, SECRET)
    assert sign_ins.check_sign_in(ctx, ticket.sign_in_id) is None


def test_the_database_keeps_only_hashes_never_a_ticket_a_token_or_a_cookie(ctx, facilitator):
    ticket = sign_ins.start_sign_in(ctx, facilitator)
    with ctx.store.read() as tx:
        (stored,) = tx.connection.execute(select(staff_sign_ins.c.token_hash, staff_sign_ins.c.kind)).all()
    assert stored.kind == "ticket" and ticket.value not in stored.token_hash and len(stored.token_hash) == 64
    cookie = sign_ins.exchange_ticket(ctx, ticket.value, SECRET).value
    token = cookie.split(".")[0]
    with ctx.store.read() as tx:
        rows = [tuple(row) for row in tx.connection.execute(select(staff_sign_ins))]
    assert len(rows) == 1 and rows[0][3] == "cookie"
    for value in rows[0]:
        assert token not in str(value) and ticket.value not in str(value)
    assert facilitator.username not in cookie  # a random token and its signature, nothing about the person


def test_retention_deletes_ended_sign_ins_and_keeps_the_rest(ctx, facilitator, clock):
    _, ended_cookie = signed_in_browser(ctx, facilitator)
    unexchanged = sign_ins.start_sign_in(ctx, facilitator)
    clock.advance(hours=12)
    live, live_cookie = signed_in_browser(ctx, facilitator)
    fresh_ticket = sign_ins.start_sign_in(ctx, facilitator)
    retention.run_retention(ctx)
    with ctx.store.read() as tx:
        left = {row.id for row in tx.connection.execute(select(staff_sign_ins.c.id))}
    assert left == {live.sign_in_id, fresh_ticket.sign_in_id}
    assert unexchanged.sign_in_id not in left
    assert sign_ins.sign_in_from_cookie(ctx, live_cookie, SECRET) is not None
    assert sign_ins.sign_in_from_cookie(ctx, ended_cookie, SECRET) is None


def test_another_process_on_the_same_database_with_the_same_secret_accepts_the_cookie(ctx, facilitator, database_url):
    """Two app processes behind a proxy: each has its own Context on one database."""
    _, cookie = signed_in_browser(ctx, facilitator)
    other = Context(store=open_store(database_url, upgrade=False), stories=ctx.stories, guides=ctx.guides)
    other.clock = ctx.clock
    try:
        assert sign_ins.sign_in_from_cookie(other, cookie, SECRET).account == facilitator
        assert sign_ins.sign_in_from_cookie(other, cookie, "this process's own random secret") is None
        sign_ins.sign_out_cookie(other, cookie, SECRET)  # signed out through the other process
        assert sign_ins.sign_in_from_cookie(ctx, cookie, SECRET) is None
    finally:
        other.store.dispose()


def test_signing_needs_a_secret():
    with pytest.raises(ValueError, match="cookieSecret"):
        sign_ins.signed_cookie("A" * 43, "")
