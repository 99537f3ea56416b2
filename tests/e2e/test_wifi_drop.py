"""The venue's Wi-Fi drops for 5 s or 30 s, in a real browser at the reference phone size (390 x 844).

The phone's page is loaded through a TCP proxy (`drop_proxy.py`) that resets every connection
while the Wi-Fi is down, the page's WebSocket and its posts alike, as a dropped network does
(Playwright's `set_offline` leaves an open WebSocket open). The facilitator's moves and the
database checks go straight to the app's database, as the console's would. Behind nginx, two app
processes share one database: the sticky cookie keeps the phone on its process, or a send that
lands on the other is still stored once.

- A reflection shared while the Wi-Fi is down waits on the phone ("Waiting to send") and goes by
  itself when it is back: no tap, stored exactly once, under the phone's own key.
- The phase the facilitator moved to during the drop is on the phone within 2 s of the return
  (the issue's deadline; measured from the moment the proxy forwards again).
- A reload while the Wi-Fi is down lands on chromium's error page; chromium reloads that page by
  itself on its own timers (1 s, 5 s, 30 s, 60 s ... apart), and the page comes back to the same
  place in the room, with what it had shared and what waited to be sent.

- While it waits, a send can be changed (the one stored send takes the new words) or withdrawn
  (nothing arrives); a check-in word, a hope pulse and a "me too" wait and arrive the same way.
- A send that waited for a session that ended meanwhile stays on the phone, with "Not sent:" and
  the reason, across a reload, until the person removes it.

The measured times are printed and kept in test-artifacts/wifi-drop-times.jsonl.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from bench.load.servers import deploy
from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.domain import Account, Phase, SessionInfo
from hopecircle.network import join_address
from hopecircle.services import accounts, moderation, organization, participation, sessions
from hopecircle.services.context import Context
from hopecircle.store import open_store
from tests.e2e.conftest import PHONE, RunningApp
from tests.e2e.drop_proxy import DropProxy
from tests.e2e.helpers import PASSWORD, WAIT_MS
from tests.e2e.test_phone_room_in_browser import within_window

FOLLOW_S = 2.0  # the deadline: the phone shows the phase moved to during the drop within 2 s of the return
POLL_S = 0.05
SETTLE_S = 2.0  # after the send is stored: a second copy on its way would arrive (the outbox retries within 1.5 s)
RECONNECTING = "Reconnecting… Anything you send is kept on this phone and goes by itself. No need to reload."
# Chromium's auto-reload of a network error page waits 1 s, 5 s, 30 s, 60 s, 5 min ... between tries
# (components/error_page/content/browser/net_error_auto_reloader.cc, kDelays), starting again at
# 1 s when the error changes. A drop ending at `t` s waits at most the step under way at `t`.
AUTO_RELOAD_STEPS = (1, 5, 30, 60, 300)
PAGE_LOAD_S = 10  # the page, its WebSocket, the script run and the room's first answer, on a busy test machine
# Both drops, on one process and behind nginx.
DROPS = [
    pytest.param("one-process", 5, id="one-process-5s-drop"),
    pytest.param("one-process", 30, id="one-process-30s-drop"),
    pytest.param("nginx-two-processes", 5, id="nginx-two-processes-5s-drop"),
    pytest.param("nginx-two-processes", 30, id="nginx-two-processes-30s-drop"),
]


@dataclass
class Venue:
    """Where phones connect (one app process, or nginx before two), and the database behind it."""

    kind: str
    entry: str
    ctx: Context
    admin: Account

    def open_session(self, title: str) -> SessionInfo:
        session = sessions.start_session(self.ctx, self.admin, "steady-hands", title)
        sessions.set_phase(self.ctx, self.admin, session.id, Phase.REFLECT)
        return session

    def join_url(self, session: SessionInfo) -> str:
        """The address the session's QR code carries."""
        url = join_address(self.entry, 0).join_url(session.code)
        assert url is not None
        return url

    def move(self, session: SessionInfo, phase: Phase) -> None:
        sessions.set_phase(self.ctx, self.admin, session.id, phase)

    def stored(self, token: str, words: str) -> int:
        """How many of the phone's contributions in the database have these words."""
        return sum(1 for c in participation.resume(self.ctx, token).contributions if c.body == words)

    def participants(self, session: SessionInfo) -> int:
        with self.ctx.store.read() as tx:
            return tx.participants.count(session.id)


def prepared(url: str) -> tuple[Context, Account]:
    """The database, upgraded, with its first account (a room shows cards without waiting for more)."""
    ctx = Context(
        store=open_store(url), stories=load_stories(ROOT / "stories"), guides=load_guides(ROOT / "facilitator_guides")
    )
    admin = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", PASSWORD)
    organization.update_settings(ctx, admin, reveal_threshold=0)
    return ctx, admin


@pytest.fixture(scope="module")
def venue(request, tmp_path_factory) -> Iterator[Venue]:
    """One app process, or two behind nginx as a venue installs it (parametrized by the tests)."""
    run_dir = tmp_path_factory.mktemp(request.param)
    if request.param == "one-process":
        data = run_dir / "data"
        data.mkdir()
        ctx, admin = prepared(f"sqlite:///{data / 'hopecircle.db'}")
        app = RunningApp(data)
        try:
            yield Venue(request.param, app.base, ctx, admin)
        finally:
            app.stop()
            ctx.store.dispose()
        return
    url = f"sqlite:///{run_dir / 'shared.db'}"
    ctx, admin = prepared(url)
    env = {"HOPECIRCLE_DATABASE_URL": url, "HOPECIRCLE_DATA_DIR": str(run_dir / "data")}
    deployment = deploy(2, run_dir / "run", env=env, proxy=True)
    try:
        (entry,) = deployment.targets
        yield Venue(request.param, entry, ctx, admin)
    finally:
        deployment.stop()
        ctx.store.dispose()


@pytest.fixture(scope="module")
def timings(artifacts: Path) -> Iterator[list[dict]]:
    """The measured times of the module's tests, written to test-artifacts when it ends."""
    measured: list[dict] = []
    yield measured
    with (artifacts / "wifi-drop-times.jsonl").open("a") as out:
        for entry in measured:
            out.write(json.dumps(entry) + "\n")


@dataclass
class Clock:
    """Seconds after the Wi-Fi came back at which each awaited thing was first seen."""

    back: float
    seen: dict[str, float] = field(default_factory=dict)

    def wait_for(self, checks: dict[str, Callable[[], bool]], phone: Page, limit: float) -> None:
        """Look at every check each 50 ms until all have been seen once, or `limit` seconds have passed."""
        deadline = self.back + limit
        while time.monotonic() < deadline:
            for name, check in checks.items():
                if name not in self.seen and check():
                    self.seen[name] = round(time.monotonic() - self.back, 2)
            if len(self.seen) >= len(checks):
                return
            phone.wait_for_timeout(POLL_S * 1000)  # (lets Playwright take its events meanwhile)


def heading_of(phone: Page) -> str | None:
    """The title of the screen the phone shows (None while it has none, e.g. on chromium's error page)."""
    try:
        titles = phone.locator("h1.hc-title").all_inner_texts()
    except PlaywrightError:
        return None  # the page is being replaced
    return titles[0] if titles else None


def no_dialog_covers_the_phone(phone: Page) -> None:
    """Streamlit's "Connection error" dialog (or any dialog) is not over the phone's screen."""
    for dialog in phone.locator('[role="dialog"], [data-testid="stDialog"]').all():
        assert not dialog.is_visible(), dialog.inner_text()[:200]
    assert not phone.get_by_text("Connection error").first.is_visible()


def shared_on_phone(phone: Page, count: int) -> list[str]:
    """The words listed under "What I've shared (count)" (opened, as a person would, if it was closed)."""
    box = phone.locator("details.hc-mine-box")
    expect(box.locator("summary")).to_have_text(f"What I've shared ({count})", timeout=WAIT_MS)
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    expect(box.locator(".hc-text")).to_have_count(count, timeout=WAIT_MS)
    return box.locator(".hc-text").all_inner_texts()


@dataclass
class Phone:
    """A phone on the venue's Wi-Fi: its page, and any request of it that did not go through the Wi-Fi."""

    context: BrowserContext
    page: Page
    elsewhere: list[str]


@pytest.fixture
def phones(browser: Browser) -> Iterator[Callable[[DropProxy, Venue, SessionInfo], Phone]]:
    """Phones that scan the session's QR code on the venue's Wi-Fi (`wifi`), closed after the test."""
    opened: list[BrowserContext] = []

    def join(wifi: DropProxy, venue: Venue, session: SessionInfo) -> Phone:
        context = browser.new_context(**PHONE)
        opened.append(context)
        page = context.new_page()
        elsewhere: list[str] = []
        through = (f"http://127.0.0.1:{wifi.port}/", f"ws://127.0.0.1:{wifi.port}/")

        def check(url: str) -> None:
            if url.startswith(("http:", "https:", "ws:", "wss:")) and not url.startswith(through):
                elsewhere.append(url)

        page.on("request", lambda request: check(request.url))
        page.on("websocket", lambda socket: check(socket.url))
        page.goto(wifi.address_of(venue.join_url(session)))
        page.get_by_role("button", name="I understand, join").click()
        expect(page.get_by_role("heading", name="Reflect", exact=True)).to_be_visible(timeout=WAIT_MS)
        return Phone(context, page, elsewhere)

    yield join
    for context in opened:
        context.close()


def token_of(phone: Page) -> str:
    found = re.search(r"[?&]p=([A-Za-z0-9_-]+)", phone.url)
    assert found, phone.url
    return found.group(1)


def send_keys(phone: Page) -> list[str]:
    """The key of every post of a send the page makes from now on (tries that never arrived too)."""
    keys: list[str] = []

    def seen(request) -> None:  # type: ignore[no-untyped-def]
        if request.method == "POST" and "/api/phone/send" in request.url:
            keys.append((request.post_data_json or {}).get("key"))

    phone.on("request", seen)
    return keys


def on_error_page(phone: Page) -> None:
    """Wait until the page is chromium's own "This site can't be reached"."""
    deadline = time.monotonic() + 5
    while not phone.url.startswith("chrome-error://") and time.monotonic() < deadline:
        phone.wait_for_timeout(100)
    assert phone.url.startswith("chrome-error://"), phone.url


def wait_out_the_drop(phone: Page, dropped: float, seconds: float) -> None:
    """Until the drop has lasted `seconds`, looking every half second that no dialog covers the phone."""
    while time.monotonic() - dropped < seconds:
        if not phone.url.startswith("chrome-error:"):
            no_dialog_covers_the_phone(phone)
        phone.wait_for_timeout(min(500, max(0, (dropped + seconds - time.monotonic()) * 1000)))


@pytest.mark.parametrize(("venue", "drop"), DROPS, indirect=["venue"], scope="module")
def test_a_reflection_shared_while_the_wifi_is_down_goes_once_by_itself_and_the_room_shows_within_2_s_of_its_return(
    venue, phones, drop, timings
):
    session = venue.open_session(f"Wi-Fi drops {drop} s")
    words = f"The walk home after group helps ({drop} s without Wi-Fi)"
    with DropProxy(venue.entry) as wifi:
        joined = phones(wifi, venue, session)
        phone = joined.page
        token = token_of(phone)
        keys = send_keys(phone)
        box = phone.get_by_role("textbox", name=re.compile("Your reflection"))
        reconnecting = phone.locator(".hc-reconnecting")

        wifi.down()
        dropped = time.monotonic()
        assert wifi.reset >= 2 and wifi.open_connections() == 0  # the page's WebSocket and its held question, at least
        box.fill(words)
        phone.get_by_role("button", name="Share").click()
        # The words leave the box for "Waiting to send", where they can still be changed or taken back.
        outbox = phone.locator(".hc-outbox")
        waiting = outbox.locator(".hc-outbox-item")
        expect(waiting).to_have_count(1, timeout=WAIT_MS)
        expect(outbox.get_by_role("heading", name="Waiting to send")).to_be_visible()
        expect(waiting.locator(".hc-text")).to_have_text(words)
        expect(waiting.get_by_role("button", name="Edit")).to_be_visible()
        expect(waiting.get_by_role("button", name="Withdraw")).to_be_visible()
        expect(box).to_have_value("")
        # The calm line, where the person looks, and no dialog over the screen.
        expect(reconnecting).to_be_visible(timeout=WAIT_MS)
        expect(reconnecting).to_have_text(RECONNECTING)
        assert within_window(phone, reconnecting)
        no_dialog_covers_the_phone(phone)

        venue.move(session, Phase.NEXT_STEP)  # the facilitator moves on while the phone cannot hear it
        wait_out_the_drop(phone, dropped, drop)
        assert venue.stored(token, words) == 0  # nothing reached the server while the Wi-Fi was down
        assert heading_of(phone) == "Reflect"
        expect(waiting).to_have_count(1)

        clock = Clock(back=wifi.up())
        next_step = phone.get_by_role("heading", name="Your next step", exact=True)
        clock.wait_for(
            {
                "phase_shown": lambda: heading_of(phone) == "Your next step" and within_window(phone, next_step),
                "reflection_stored": lambda: venue.stored(token, words) >= 1,
                "outbox_empty": lambda: waiting.count() == 0,
                "reconnecting_hidden": lambda: not reconnecting.is_visible(),
            },
            phone,
            limit=WAIT_MS / 1000,
        )
        result = {"test": "send and phase", "venue": venue.kind, "drop_s": drop, **clock.seen}
        timings.append(result)
        print(f"\nWi-Fi back after {drop} s ({venue.kind}): {clock.seen} s after the return")

        assert clock.seen.get("phase_shown", float("inf")) <= FOLLOW_S, result
        assert "reflection_stored" in clock.seen, result  # with no tap
        assert "outbox_empty" in clock.seen and "reconnecting_hidden" in clock.seen, result
        no_dialog_covers_the_phone(phone)
        assert shared_on_phone(phone, 1) == [words]
        phone.wait_for_timeout(SETTLE_S * 1000)
        assert venue.stored(token, words) == 1  # exactly once, however many tries went out
        assert venue.participants(session) == 1
        assert len(keys) >= 2 and set(keys) == {keys[0]} and keys[0], keys  # tried during the drop, one key throughout
        if venue.kind != "one-process":
            assert any(
                c["name"] == "hc_affinity" for c in joined.context.cookies()
            )  # the sticky cookie nginx hands out
        assert joined.elsewhere == []  # every request of the page went through the Wi-Fi


def auto_reload_wait(drop: float) -> float:
    """The longest chromium may wait, after a drop of `drop` seconds, before it reloads its error page again."""
    elapsed = 0.0
    for step in AUTO_RELOAD_STEPS:
        elapsed += step
        if elapsed > drop:
            return step
    return AUTO_RELOAD_STEPS[-1]


# Chromium's timers decide the reload's return: a short drop on one process, a long one behind nginx.
RELOAD_DROPS = [DROPS[0], DROPS[3]]


@pytest.mark.parametrize(("venue", "drop"), RELOAD_DROPS, indirect=["venue"], scope="module")
def test_a_phone_reloaded_while_the_wifi_is_down_comes_back_to_its_place_in_the_room_by_itself(
    venue, phones, drop, timings
):
    session = venue.open_session(f"Reload without Wi-Fi {drop} s")
    before = f"Tea with the group before the drop ({drop} s)"
    during = f"Sent with no Wi-Fi, then reloaded ({drop} s)"
    with DropProxy(venue.entry) as wifi:
        joined = phones(wifi, venue, session)
        phone = joined.page
        token = token_of(phone)
        box = phone.get_by_role("textbox", name=re.compile("Your reflection"))
        box.fill(before)
        phone.get_by_role("button", name="Share").click()
        expect(phone.get_by_text("What I've shared (1)")).to_be_visible(timeout=WAIT_MS)

        wifi.down()
        dropped = time.monotonic()
        box.fill(during)
        phone.get_by_role("button", name="Share").click()
        expect(phone.locator(".hc-outbox .hc-outbox-item .hc-text")).to_have_text(during, timeout=WAIT_MS)
        reloaded = time.monotonic()
        with pytest.raises(PlaywrightError, match="net::ERR_"):
            phone.reload()
        on_error_page(phone)
        wait_out_the_drop(phone, dropped, drop)

        clock = Clock(back=wifi.up())
        bound = auto_reload_wait(drop) + PAGE_LOAD_S
        clock.wait_for(
            {
                "room_shown": lambda: heading_of(phone) == "Reflect",
                "reflection_stored": lambda: venue.stored(token, during) >= 1,
            },
            phone,
            limit=bound,
        )
        # Chromium's own tries while the Wi-Fi was down: connections refused since the reload, in s after it.
        tries = sorted({round(at - reloaded, 1) for at in wifi.refused_at if at >= reloaded})
        result = {"test": "reload", "venue": venue.kind, "drop_s": drop, "bound_s": bound, **clock.seen, "tries": tries}
        timings.append(result)
        print(f"\nReloaded without Wi-Fi for {drop} s ({venue.kind}): {clock.seen} s after the return")

        assert "room_shown" in clock.seen, (result, phone.url)
        assert token_of(phone) == token  # the same place, not a new join
        expect(phone.get_by_role("button", name="I understand, join")).to_have_count(0)
        assert "reflection_stored" in clock.seen, result  # what waited to be sent went after the reload
        expect(phone.locator(".hc-outbox-item")).to_have_count(0, timeout=WAIT_MS)
        assert sorted(shared_on_phone(phone, 2)) == sorted([before, during])
        expect(phone.locator(".hc-reconnecting")).to_be_hidden()
        no_dialog_covers_the_phone(phone)
        phone.wait_for_timeout(SETTLE_S * 1000)
        assert venue.stored(token, before) == 1 and venue.stored(token, during) == 1
        assert venue.participants(session) == 1
        assert joined.elsewhere == []


@pytest.mark.parametrize(("venue", "drop"), DROPS[:1], indirect=["venue"], scope="module")
def test_words_waiting_can_be_changed_or_withdrawn_and_an_ended_session_keeps_them_in_view(
    venue, phones, drop, timings
):
    session = venue.open_session("Changed, withdrawn and ended")
    kept, changed, withdrawn = "Words I meant to send", "Words I meant, changed while waiting", "Words I took back"
    with DropProxy(venue.entry) as wifi:
        phone = phones(wifi, venue, session).page
        token = token_of(phone)
        box = phone.get_by_role("textbox", name=re.compile("Your reflection"))
        waiting = phone.locator(".hc-outbox .hc-outbox-item")

        wifi.down()
        for words in (kept, withdrawn):
            box.fill(words)
            phone.get_by_role("button", name="Share").click()
        expect(waiting).to_have_count(2, timeout=WAIT_MS)
        first, second = waiting.nth(0), waiting.nth(1)
        first.get_by_role("button", name="Edit").click()
        editor = phone.get_by_role("textbox", name="Change your words before they go")
        expect(editor).to_have_value(kept)
        editor.fill("   ")
        phone.get_by_role("button", name="Save").click()
        expect(phone.get_by_role("alert").filter(has_text="Please write something, or withdraw it.")).to_be_visible()
        editor.fill(changed)
        phone.get_by_role("button", name="Save").click()
        expect(first.locator(".hc-text")).to_have_text(changed, timeout=WAIT_MS)
        second.get_by_role("button", name="Withdraw").click()
        expect(waiting).to_have_count(1, timeout=WAIT_MS)
        wifi.up()

        expect(waiting).to_have_count(0, timeout=WAIT_MS)
        assert shared_on_phone(phone, 1) == [changed]
        phone.wait_for_timeout(SETTLE_S * 1000)
        assert [c.body for c in participation.resume(venue.ctx, token).contributions] == [changed]

        # The session ends while the phone is away: its words stay in view with what happened.
        last = "Words for a session that ended"
        wifi.down()
        box.fill(last)
        phone.get_by_role("button", name="Share").click()
        expect(waiting.locator(".hc-text")).to_have_text(last, timeout=WAIT_MS)
        sessions.close_session(venue.ctx, venue.admin, session.id)
        wifi.up()
        ended = waiting.filter(has_text="Not sent:")
        expect(ended).to_have_count(1, timeout=WAIT_MS)
        expect(ended.locator(".hc-text")).to_have_text(last)
        phone.reload()  # kept on the phone, not only in the page
        after = waiting.filter(has_text="Not sent:").locator(".hc-text")
        expect(after).to_have_text(last, timeout=WAIT_MS)
        assert within_window(phone, after)
        waiting.get_by_role("button", name="Remove from this phone").click()
        expect(waiting).to_have_count(0)
        assert [c.body for c in participation.resume(venue.ctx, token).contributions] == [changed]


@pytest.mark.parametrize(("venue", "drop"), DROPS[:1], indirect=["venue"], scope="module")
def test_a_check_in_word_a_hope_pulse_and_a_me_too_made_without_wifi_arrive_by_themselves(venue, phones, drop):
    session = venue.open_session("Taps through a drop")
    with DropProxy(venue.entry) as wifi:
        phone = phones(wifi, venue, session).page
        token = token_of(phone)
        venue.move(session, Phase.CHECKIN)
        expect(phone.get_by_role("heading", name="Check-in", exact=True)).to_be_visible(timeout=WAIT_MS)
        waiting = phone.locator(".hc-outbox .hc-outbox-item")

        wifi.down()
        phone.get_by_role("textbox", name=re.compile("Or type a word")).fill("steady")
        phone.get_by_role("button", name="Send").click()
        phone.get_by_role("group", name="Hope, 0 to 10").get_by_role("button", name="7", exact=True).click()
        phone.get_by_role("button", name="Save", exact=True).click()
        expect(waiting).to_have_count(2, timeout=WAIT_MS)
        expect(waiting.filter(has_text="Hope pulse: 7")).to_have_count(1)
        expect(waiting.locator(".hc-text")).to_have_text(["steady"])
        wifi.up()
        expect(waiting).to_have_count(0, timeout=WAIT_MS)
        view = participation.resume(venue.ctx, token)
        assert [c.body for c in view.contributions] == ["steady"] and view.pulses == {"pre": 7}

        other = participation.join(venue.ctx, session.code).token
        card = participation.submit_reflection(venue.ctx, other, "Someone else's words").contribution
        moderation.approve(venue.ctx, venue.admin, card.id)
        venue.move(session, Phase.BOARD)
        me_too = phone.get_by_role("button", name="Me too (0)")
        expect(me_too).to_be_visible(timeout=WAIT_MS)
        wifi.down()
        me_too.click()
        expect(waiting.filter(has_text="“Me too” on a card")).to_have_count(1, timeout=WAIT_MS)
        wifi.up()
        expect(waiting).to_have_count(0, timeout=WAIT_MS)
        expect(phone.get_by_role("button", name="Me too ✓ (1)")).to_have_attribute("aria-pressed", "true")
        assert participation.resume(venue.ctx, token).my_reactions == frozenset({card.id})
