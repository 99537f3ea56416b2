"""Private support routing, and anonymity checked against the schema, the code and the stored rows."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select

from hopecircle.domain import InvalidChoice, Moment, NotAuthorized, SessionClosed
from hopecircle.services import accounts, participation, room, sessions, support
from hopecircle.services.participation import GoalInput
from hopecircle.store.schema import metadata
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def session(ctx, facilitator):
    return sessions.start_session(ctx, facilitator, "small-lights")


def test_a_participant_can_ask_to_talk_and_only_the_facilitator_sees_it(ctx, admin, facilitator, session):
    token = participation.join(ctx, session.code).token
    support.ask_to_talk(ctx, token, "  blue jacket, by the door  ")
    (request,) = support.requests_for(ctx, facilitator, session.id)
    assert request.note == "blue jacket, by the door" and not request.acknowledged
    support.ask_to_talk(ctx, token, "green scarf")
    assert [r.note for r in support.requests_for(ctx, facilitator, session.id)] == ["green scarf"]
    other = accounts.create_account(ctx, admin, "olu", "Olu", PASSWORD)
    with pytest.raises(NotAuthorized):
        support.requests_for(ctx, other, session.id)
    support.acknowledge(ctx, facilitator, session.id, request.id)
    assert support.requests_for(ctx, facilitator, session.id)[0].acknowledged
    with pytest.raises(InvalidChoice):
        support.acknowledge(ctx, facilitator, session.id, 9999)
    support.withdraw_request(ctx, token)
    assert support.requests_for(ctx, facilitator, session.id) == []


def test_pushing_resources_reaches_every_phone_through_the_polled_state(ctx, facilitator, session):
    before = room.live_state(ctx, session.id)
    support.push_resources(ctx, facilitator, session.id)
    after = room.live_state(ctx, session.id)
    assert after.resources_push == before.resources_push + 1 and after.version > before.version
    sessions.close_session(ctx, facilitator, session.id)
    with pytest.raises(SessionClosed):
        support.push_resources(ctx, facilitator, session.id)


IDENTIFYING = {
    "ip",
    "address",
    "agent",
    "header",
    "headers",
    "cookie",
    "cookies",
    "geo",
    "location",
    "lat",
    "lon",
    "lng",
    "device",
    "fingerprint",
    "email",
    "phone",
    "name",
    "username",
    "user",
    "browser",
    "host",
}
# Staff accounts have names; participants have none. These columns are about staff or are not identifying.
# Staff accounts, settings, and a recurring group's name ("Tuesday evening circle"), which staff give it.
ALLOWED = {"accounts.username", "accounts.display_name", "settings.value", "recurring_groups.name"}


def test_the_schema_has_no_column_that_could_identify_a_participant():
    suspicious = {
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if IDENTIFYING & set(column.name.lower().split("_"))
    }
    assert suspicious <= ALLOWED, suspicious - ALLOWED


READS_FROM_BROWSERS = re.compile(
    r"st\.context(?!\.timezone\b)|ip_address|user_agent|\.cookies\b|remote_ip|X-Forwarded-For"
    r'|\.headers(?!\.get\("content-type",)',
    re.I,
)
# The staff sign-in cookie, the one cookie the app reads (the router looks for it on every page,
# a phone never has one), and, where it is set, whether the browser came over https.
STAFF_READS = {
    "hopecircle/ui/auth.py": ["st.context.cookies.get(COOKIE_NAME)"],
    "hopecircle/http/staff.py": ["request.cookies.get(COOKIE_NAME)", 'request.headers.get("x-forwarded-proto", "")'],
}


def test_no_code_reads_ip_addresses_headers_cookies_or_user_agents():
    # The one thing read from a participant's browser is its time zone, to date the hope card
    # (never stored), and of a phone's post, that its body is JSON (phone_api: says nothing
    # about anyone). Of a staff browser: its staff cookie, by name, and nothing else.
    offenders = []
    for folder in ("hopecircle", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            name = str(path.relative_to(ROOT))
            source = path.read_text(encoding="utf-8")
            for allowed in STAFF_READS.get(name, []):
                assert allowed in source, f"{name} no longer reads {allowed}: update this test"
                source = source.replace(allowed, "")
            if READS_FROM_BROWSERS.search(source):
                offenders.append(name)
    assert offenders == []


def test_usage_statistics_are_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False


def test_nothing_stored_contains_the_token_or_a_precise_participant_time(ctx, facilitator, session, clock):
    clock.advance(seconds=37)
    joined = participation.join(ctx, session.code)
    token = joined.token
    participation.submit_reflection(ctx, token, "thank you all")
    participation.submit_goal(ctx, token, GoalInput("rest", "tonight"))
    participation.submit_pulse(ctx, token, Moment.PRE, 5)
    support.ask_to_talk(ctx, token)
    participant_tables = {"participants", "contributions", "pulses", "reactions", "support_requests"}
    with ctx.store.read() as tx:
        for table in metadata.sorted_tables:
            for row in tx.connection.execute(select(table)):
                for value in row:
                    assert token not in str(value)
                    if table.name in participant_tables and hasattr(value, "second"):
                        assert value.second == 0 and value.microsecond == 0, (table.name, value)
