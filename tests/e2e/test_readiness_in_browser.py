"""The facilitator sees the setup's verdict on the start screen, without scrolling, on the console's laptop."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from bench.load.servers import free_port
from tests.e2e.conftest import RunningApp
from tests.e2e.helpers import WAIT_MS, create_first_account

CONSOLE = {"width": 1366, "height": 768}


def in_viewport(element: Locator) -> bool:
    box = element.bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= CONSOLE["width"]
        and box["y"] + box["height"] <= CONSOLE["height"]
    )


def test_the_start_screen_says_how_many_phones_the_setup_is_ready_for(app, browser, artifacts):
    console = browser.new_page(viewport=CONSOLE)
    create_first_account(console, app)

    verdict = console.get_by_text("This setup is ready for about")
    expect(verdict).to_be_visible(timeout=WAIT_MS)
    assert in_viewport(verdict)
    assert in_viewport(console.get_by_role("button", name="Start session"))
    console.screenshot(path=artifacts / "console-start-ready.png")


def test_the_start_screen_warns_what_to_fix_when_phones_cannot_reach_the_app(browser, tmp_path, artifacts):
    unreachable = RunningApp(tmp_path / "data", env={"HOPECIRCLE_PUBLIC_URL": f"http://127.0.0.1:{free_port()}"})
    try:
        console = browser.new_page(viewport=CONSOLE)
        create_first_account(console, unreachable)

        warning = console.get_by_text("Before you start: Make sure the app runs")
        expect(warning).to_be_visible(timeout=WAIT_MS)
        assert in_viewport(warning)
        assert in_viewport(console.get_by_role("button", name="Start session"))
        console.screenshot(path=artifacts / "console-start-not-ready.png")
    finally:
        unreachable.stop()
