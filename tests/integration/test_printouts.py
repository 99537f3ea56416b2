"""The console's printouts on a real database: for the session's hosts, and the board as the room saw it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from hopecircle.services import accounts, moderation, organization, participation, printouts, sessions
from hopecircle.services.participation import GoalInput
from tests.conftest import PASSWORD


@pytest.fixture
def session(ctx, facilitator):
    return sessions.start_session(ctx, facilitator, "letters-to-my-daughter", "Tuesday circle")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_join_sheet_is_made_for_the_sessions_hosts_only(ctx, admin, facilitator, session):
    organization.update_settings(ctx, admin, local_crisis_lines="Eastside Warmline | 555-0100 | | Peers, 9am-9pm")
    url = f"http://192.168.1.20:8501/?code={session.code}"
    text = _pdf_text(printouts.join_sheet(ctx, facilitator, session.id, "http://192.168.1.20:8501", url, "letter"))
    assert "Tuesday circle" in text and "Eastside Warmline" in text
    outsider = accounts.create_account(ctx, admin, "olu", "Olu", PASSWORD)
    with pytest.raises(Exception, match="not_authorized"):
        printouts.join_sheet(ctx, outsider, session.id, "http://192.168.1.20:8501", url)


def test_the_printed_board_is_the_board_the_room_saw(ctx, admin, facilitator, session):
    organization.update_settings(ctx, admin, reveal_threshold=2)
    tokens = [participation.join(ctx, session.code).token for _ in range(3)]
    shown = participation.submit_reflection(ctx, tokens[0], "this shit is hard but I'm here").contribution
    goal = participation.submit_goal(
        ctx, tokens[1], GoalInput("call my sister", "Sunday", "my sister Ana", "community")
    )
    hidden = participation.submit_reflection(ctx, tokens[2], "keep this one off").contribution
    participation.submit_reflection(ctx, tokens[2], "still waiting for a look")
    moderation.approve(ctx, facilitator, shown.id)
    printed = _pdf_text(printouts.board_sheet(ctx, facilitator, session.id))
    assert "No cards were on the board." in printed  # one approved card: below the reveal threshold
    moderation.approve(ctx, facilitator, goal.contribution.id)
    moderation.hide(ctx, facilitator, hidden.id)
    printed = _pdf_text(printouts.board_sheet(ctx, facilitator, session.id, "letter"))
    assert "this s*** is hard" in printed.replace("\n", " ")
    assert "call my sister" in printed and "Sunday" in printed
    assert "Ana" not in printed and "keep this one off" not in printed and "still waiting" not in printed
    assert "Fran" not in printed and "Tuesday circle" in printed
