"""Two app processes on one database: words sent through one appear on a board served by the other."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.domain import Phase
from hopecircle.services import accounts, organization, sessions
from hopecircle.services.context import Context
from hopecircle.store import open_store
from tests.e2e.conftest import PHONE, RunningApp
from tests.e2e.helpers import join_on_phone


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return request.getfixturevalue("postgres").fresh_database()


def prepared_session(url: str):
    """An account and an auto-approving session made through the services, as a facilitator would."""
    ctx = Context(
        store=open_store(url), stories=load_stories(ROOT / "stories"), guides=load_guides(ROOT / "facilitator_guides")
    )
    admin = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", "correct horse battery")
    organization.update_settings(ctx, admin, reveal_threshold=0)
    session = sessions.start_session(ctx, admin, "quiet-kitchen", "Two replicas", auto_approve=True)
    sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
    ctx.store.dispose()
    return session


def test_a_card_sent_through_one_process_shows_on_a_board_served_by_another(shared_database, tmp_path, browser):
    session = prepared_session(shared_database)
    env = {"HOPECIRCLE_DATABASE_URL": shared_database}
    replica_a = RunningApp(tmp_path / "a", env=env)
    replica_b = RunningApp(tmp_path / "b", env=env)
    try:
        board = browser.new_page(viewport={"width": 1600, "height": 900})
        board.goto(f"{replica_b.base}/board?key={session.board_key}")
        expect(board.get_by_text("Cards will appear here")).to_be_visible(timeout=30_000)

        phone_context = browser.new_context(**PHONE)
        phone = phone_context.new_page()
        join_on_phone(phone, f"{replica_a.base}/?code={session.code}")
        phone.get_by_role("textbox", name=re.compile("Your reflection")).fill("Soup on Tuesdays saved me")
        phone.get_by_role("button", name="Share").click()
        expect(phone.get_by_text("It's on the board")).to_be_visible(timeout=30_000)

        expect(board.get_by_text("Soup on Tuesdays saved me")).to_be_visible(timeout=10_000)
        phone_context.close()
        board.close()
    finally:
        replica_a.stop()
        replica_b.stop()
