"""Durability: phones sending at once, the server killed with SIGKILL mid-burst, then restarted.

Every send the server acknowledged is stored exactly once; a send cut off by the kill is sent
again by its phone afterwards (the same words, so the same double-tap key) and stored once too;
the session goes on.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter

from sqlalchemy import text

from hopecircle.config import load_settings
from hopecircle.domain import MAX_REFLECTIONS_PER_PARTICIPANT, Phase
from hopecircle.http.phone import SEND_PATH
from hopecircle.services import accounts, participation, sessions
from hopecircle.services.context import build_context
from tests.conftest import PASSWORD
from tests.e2e.conftest import RunningApp

PHONES = 24
SENDS_EACH = MAX_REFLECTIONS_PER_PARTICIPANT - 1  # and one more after the restart


def post(base: str, token: str, words: str) -> int | None:
    """The status the server answered, or None when the connection failed (the server was down)."""
    body = json.dumps({"token": token, "form": "reflection", "fields": {"text": words}, "lang": "en"}).encode()
    request = urllib.request.Request(base + SEND_PATH, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def test_acknowledged_sends_survive_a_kill_and_nothing_is_stored_twice(tmp_path, monkeypatch):
    data = tmp_path / "data"
    app = RunningApp(data)
    monkeypatch.setenv("HOPECIRCLE_DATA_DIR", str(data))
    ctx = build_context(load_settings())
    try:
        admin = accounts.create_first_account(ctx, app.setup_code(), "ada", "Ada", PASSWORD)
        session = sessions.start_session(ctx, admin, "steady-hands", "Durable circle")
        sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
        tokens = [participation.join(ctx, session.code).token for _ in range(PHONES)]
        server = {"base": app.base}
        acknowledged: list[tuple[str, str]] = []
        cut_off: list[tuple[str, str]] = []
        answers: list[int | None] = []
        lock = threading.Lock()
        under_way = threading.Event()  # a good part of the burst is acknowledged: time to kill

        def phone(token: str, number: int) -> None:
            for n in range(SENDS_EACH):
                words = f"phone {number} thought {n}"
                status = post(server["base"], token, words)
                with lock:
                    (acknowledged if status == 200 else cut_off).append((token, words))
                    answers.append(status)
                    if len(acknowledged) >= PHONES * SENDS_EACH // 4:
                        under_way.set()

        threads = [threading.Thread(target=phone, args=(token, i)) for i, token in enumerate(tokens)]
        for thread in threads:
            thread.start()
        assert under_way.wait(120)
        app.process.kill()  # SIGKILL: no shutdown, no flush
        app.process.wait(10)
        for thread in threads:
            thread.join(60)
        assert set(answers) == {200, None}  # thanked, or cut off by the kill: never refused or failed
        assert acknowledged and cut_off, "the kill must land mid-burst for this test to mean anything"

        app = RunningApp(data)  # the same data folder, as after a restart
        for token, words in cut_off:  # each phone sends again what it was not thanked for
            assert post(app.base, token, words) == 200
        for token, words in acknowledged[:PHONES]:  # and a repeat of acknowledged words changes nothing
            assert post(app.base, token, words) == 200

        with ctx.store.read() as tx:
            rows = tx.connection.execute(
                text("SELECT body FROM contributions WHERE session_id = :s"), {"s": session.id}
            ).all()
        stored = Counter(row.body for row in rows)
        assert all(stored[words] == 1 for _token, words in acknowledged)
        assert all(stored[words] == 1 for _token, words in cut_off)
        assert sum(stored.values()) == PHONES * SENDS_EACH
        # The session goes on: the facilitator moves on and a phone's next send is saved.
        sessions.set_phase(ctx, admin, session.id, Phase.NEXT_STEP)
        assert sessions.get_session(ctx, admin, session.id).phase is Phase.NEXT_STEP
        sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
        assert post(app.base, tokens[0], "after the restart") == 200
    finally:
        ctx.store.dispose()
        app.stop()
