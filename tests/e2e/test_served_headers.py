"""Browser security headers: every answer carries them, the pages work under the policy with no
violation reported, and another site cannot frame the console."""

from __future__ import annotations

import http.server
import re
import threading
import urllib.request

import pytest
from playwright.sync_api import expect

from hopecircle.http.headers import security_headers
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    WAIT_MS,
    create_first_account,
    go_to_phase,
    join_on_phone,
    join_url_from_qr,
    start_session,
)

# Collects every policy violation a page reports, from its first script on.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def headers_of(url: str) -> dict[str, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return {name.lower(): value for name, value in response.headers.items()}
    except urllib.error.HTTPError as error:  # a 4xx answer must carry them too
        return {name.lower(): value for name, value in error.headers.items()}


def test_every_answer_carries_the_security_headers(app):
    expected = {name.lower(): value for name, value in security_headers().items()}
    for path in ("/", "/console", "/board?key=x", "/_stcore/health", "/api/boards/NOSUCH?tab=0123456789abcdef&seen=1"):
        got = headers_of(app.base + path)
        assert {name: got.get(name) for name in expected} == expected, path
    policy = expected["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-eval'" not in policy.replace("wasm-unsafe-eval", "")
    assert not re.search(r"https?:|\*", policy)  # no other origin, no wildcard


def test_a_session_runs_under_the_policy_with_no_violation(app, browser):
    staff = browser.new_context(viewport={"width": 1366, "height": 768})
    staff.add_init_script(WATCH_VIOLATIONS)
    console = staff.new_page()
    create_first_account(console, app)
    start_session(console, "Policy circle")
    join_url = join_url_from_qr(console)
    phones = browser.new_context(**PHONE)
    phones.add_init_script(WATCH_VIOLATIONS)
    phone = phones.new_page()
    join_on_phone(phone, join_url)
    go_to_phase(console, "Reflect")
    phone.get_by_role("textbox", name=re.compile("Your reflection")).fill("The part about the kitchen table")
    phone.get_by_role("button", name="Share").click()
    expect(phone.get_by_text("The facilitator will add it to the board")).to_be_visible(timeout=WAIT_MS)
    projector_url = console.get_by_role("link", name="Open projector view").get_attribute("href")
    projector = staff.new_page()
    projector.goto(re.sub(r"^(?!http)", f"{app.base}/", projector_url))
    expect(projector.get_by_text("stayed with you", exact=False).first).to_be_visible(timeout=WAIT_MS)
    reports = staff.new_page()
    reports.goto(f"{app.base}/reports")
    expect(reports.get_by_role("heading").first).to_be_visible(timeout=WAIT_MS)
    reports.wait_for_timeout(1500)
    for page in (console, phone, projector, reports):
        assert page.evaluate("window.__violations") == [], page.url
    staff.close()
    phones.close()


@pytest.fixture
def other_site(app):
    """Another origin on this machine (another port): a page that frames the console and the projector."""
    framing = (
        f'<html><body><iframe id="a" src="{app.base}/console"></iframe>'
        f'<iframe id="b" src="{app.base}/board?key=x"></iframe></body></html>'
    ).encode()

    class Framing(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(framing)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Framing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_another_site_cannot_frame_the_console_or_the_projector(app, browser, other_site):
    page = browser.new_page()
    refused: list[str] = []
    page.on("requestfailed", lambda request: refused.append(request.failure or ""))
    page.goto(other_site)
    page.wait_for_timeout(3000)
    children = [frame for frame in page.frames if frame is not page.main_frame]
    assert len(children) == 2
    assert refused == ["net::ERR_BLOCKED_BY_RESPONSE"] * 2  # refused by the answers' own headers
    for frame in children:
        # A refused frame is left on the browser's error page: no app is drawn in it.
        assert frame.evaluate("document.querySelectorAll('#root, [data-testid=stApp]').length") == 0
    page.close()
