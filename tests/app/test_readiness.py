"""The console's start screen says how many phones this setup is ready for, or what to fix first.

The check runs inside the app process (here, the test's), against real addresses: a port nobody
listens on, and a real app process started for the test.
"""

from __future__ import annotations

import pytest

from bench.load import servers
from hopecircle import capacity, host, preflight
from hopecircle.ui import readiness
from tests.app.conftest import signed_in


@pytest.fixture(autouse=True)
def fresh_verdict(monkeypatch, tmp_path):
    """No verdict kept from another test, and no nginx of this machine's in the count."""
    monkeypatch.setattr(preflight, "DEFAULT_CONFIG", tmp_path / "no-nginx" / "nginx.conf")
    readiness._verdict.clear()
    yield
    readiness._verdict.clear()


def test_an_address_nobody_answers_is_the_warning_on_the_start_screen(app_ctx, admin_account, monkeypatch):
    monkeypatch.setenv("HOPECIRCLE_PUBLIC_URL", f"http://127.0.0.1:{servers.free_port()}")

    at = signed_in("console", admin_account)

    assert not at.exception
    (warning,) = at.warning
    assert warning.value == (
        "Before you start: Make sure the app runs (./scripts/run.sh, or the systemd units) and "
        "HOPECIRCLE_PUBLIC_URL is the address phones will use."
    )
    (details,) = [item for item in at.expander if item.label == "What this setup can hold"]
    listed = " ".join(str(block.proto.body) for block in details.get("html"))
    assert "fix: Phones&#x27; address: nothing answers at" in listed  # every finding, escaped
    assert "ok: Database: reachable, schema up to date" in listed


def test_a_setup_that_holds_the_group_says_for_about_how_many_phones(app_ctx, admin_account, monkeypatch, tmp_path):
    apps = servers.start_apps(1, tmp_path / "app", env={"HOPECIRCLE_DATA_DIR": str(tmp_path / "app-data")})
    try:
        monkeypatch.setenv("HOPECIRCLE_PUBLIC_URL", apps[0].base)
        at = signed_in("console", admin_account)
        again = signed_in("console", admin_account)
    finally:
        servers.stop_process(apps[0].process)

    assert not at.exception and not at.warning
    phones = min(
        capacity.phones_for_cores(host.cores_available(), 1),
        capacity.phones_for_app_files(host.own_open_file_limit()),
    )
    expected = f"This setup is ready for about {capacity.about(phones):,} phones."
    assert [caption.value for caption in at.caption if "ready for" in caption.value] == [expected]
    # The second console asked nothing of the network: the verdict is kept for a minute (the app
    # that answered the first has stopped since).
    assert [caption.value for caption in again.caption if "ready for" in caption.value] == [expected]


def test_the_start_screen_says_it_in_spanish_too(app_ctx, admin_account, monkeypatch):
    monkeypatch.setenv("HOPECIRCLE_PUBLIC_URL", f"http://127.0.0.1:{servers.free_port()}")
    at = signed_in("console", admin_account)
    at.session_state["language"] = "es"
    at.run()

    (warning,) = at.warning
    assert warning.value.startswith("Antes de empezar: Asegúrate de que la app esté en marcha")
