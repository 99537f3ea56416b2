"""Every service checks the account against the database, not the signed-in tab's memory."""

from __future__ import annotations

import pytest

from hopecircle.domain import NotAuthorized, Role, UnknownStory
from hopecircle.reporting import summaries
from hopecircle.services import accounts, library, organization, sessions
from tests.conftest import PASSWORD
from tests.integration.test_library import valid_draft


def test_a_deactivated_account_is_refused_everywhere_even_in_an_open_tab(ctx, admin, facilitator):
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    other_admin = accounts.create_account(ctx, admin, "bob", "Bob", PASSWORD, Role.ADMIN)
    accounts.set_account_active(ctx, admin, facilitator.id, False)
    accounts.set_account_active(ctx, admin, other_admin.id, False)
    refused = [
        lambda: sessions.start_session(ctx, facilitator, "steady-hands"),
        lambda: sessions.step_phase(ctx, facilitator, session.id),
        lambda: sessions.my_sessions(ctx, facilitator),
        lambda: library.my_drafts(ctx, facilitator),
        lambda: summaries.report_sessions(ctx, facilitator),
        lambda: accounts.create_account(ctx, other_admin, "bob2", "Bob Two", PASSWORD, Role.ADMIN),
        lambda: accounts.set_account_active(ctx, other_admin, other_admin.id, True),
        lambda: organization.update_settings(ctx, other_admin, suppression_threshold=3),
    ]
    for action in refused:
        with pytest.raises(NotAuthorized):
            action()
    with pytest.raises(Exception, match="invalid_credentials"):
        accounts.authenticate(ctx, "fran", PASSWORD)


def test_a_role_changed_behind_a_tab_is_not_trusted(ctx, admin, facilitator):
    pretending = accounts.Account(facilitator.id, facilitator.username, facilitator.display_name, Role.ADMIN)
    with pytest.raises(NotAuthorized):
        organization.update_settings(ctx, pretending, retention_days=1)


def test_a_story_written_in_the_app_starts_sessions_only_for_its_author(ctx, admin, facilitator):
    story_id, _result = library.save_draft(ctx, facilitator, valid_draft())
    other = accounts.create_account(ctx, admin, "olu", "Olu", PASSWORD)
    with pytest.raises(UnknownStory):
        sessions.start_session(ctx, other, story_id)
    assert sessions.start_session(ctx, facilitator, story_id).story_id == story_id
    assert sessions.start_session(ctx, admin, story_id).story_id == story_id
