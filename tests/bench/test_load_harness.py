"""The load harness, run for real against a small room, so it keeps working when the UI changes.

Each test starts its own servers on free loopback ports (through the harness, as an operator
would), runs a handful of simulated phones and one board for a few seconds, and checks what the
harness measured against what the database holds.
"""

from __future__ import annotations

import asyncio
import json
import queue
import re
import shutil
import statistics
import subprocess
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from bench.load import ab, actors, costs, network, proxy, report, runner, screens, servers, worker
from bench.load import outbox as outbox_module
from bench.load.cli import targets
from bench.load.client import KeptAliveHttp, ProtocolError, Session
from bench.load.outbox import Item, Outbox
from bench.load.phone import ServedPhone
from bench.load.room import Facilitator
from bench.load.runner import Scenario, run
from hopecircle import safety
from hopecircle.proxy_config import read_limits

SMALL_ROOM = {
    "phones": 4,
    "boards": 1,
    "duration": 6.0,  # Reflect and Next step, 3 s each
    "ramp": 0.5,
    "think": 0.5,
    "idle": 0.5,
    "checkin_seconds": 3.0,
    "story_seconds": 2.0,
    "story_parts": 2,
    "board_seconds": 3.0,
    "close_seconds": 3.0,
    "edits": 0.5,
    "deletes": 0.5,
    "talks": 0.5,
    "grace": 10.0,
    "run_timeout": 30.0,
    "progress": False,
}
# A person types for 2-4 s once Reflect shows: every reflection is written while the network is
# cut (1.2 s into Reflect, for 4 s), and the facilitator opens Next step (at 4 s) during the drop.
DROP_ROOM = {**SMALL_ROOM, "duration": 8.0, "think": 2.0, "close_seconds": 5.0}
QUICK_FLOOR = {
    **SMALL_ROOM,
    "duration": 2.0,
    "checkin_seconds": 1.0,
    "story_seconds": 0.5,
    "board_seconds": 1.0,
    "close_seconds": 1.0,
    "grace": 5.0,
}


def test_phones_play_a_whole_session_and_every_card_reaches_the_board(tmp_path):
    result = run(Scenario(app="hopecircle", run_dir=str(tmp_path / "run"), **SMALL_ROOM))

    assert result["phones"]["joined"] == 4 and result["boards"]["joined"] == 1
    assert result["join"]["count"] == 4
    contributions = result["contributions"]
    assert contributions["sent"] == 8  # a reflection and a goal from each phone
    assert contributions["acknowledged"] == 8
    assert contributions["in_database"] == 8 and contributions["lost"] == 0 and contributions["duplicated"] == 0
    # Each phone's check-in and check-out word too; what a share sent and deleted is gone.
    assert contributions["rows"] == 8 + 4 + 4 and contributions["deleted_but_still_there"] == 0
    assert contributions["participants_in_database"] == 4
    assert result["propagation"]["count"] == 8 and result["propagation"]["not_on_every_board"] == 0
    acks = result["action_ack"]
    assert {kind: acks[kind]["count"] for kind in ("checkin", "pulse", "metoo", "checkout", "card")} == {
        "checkin": 4,
        "pulse": 8,  # before and after
        "metoo": 4,
        "checkout": 4,
        "card": 4,
    }
    shares = {kind: acks.get(kind, {}).get("count", 0) for kind in ("edit", "delete", "talk")}
    assert contributions["deleted"] == shares["delete"] and sum(shares.values()) > 0
    assert result["reaction_ack"]["count"] == 4 and contributions["reactions_in_database"] == 4
    by_phase = result["phase_follow_by_phase"]
    assert list(by_phase) == ["checkin", "story", "reflect", "next_step", "board", "close"]
    assert all(figure["count"] == 4 for figure in by_phase.values())  # every phone followed every change
    assert result["errors"]["total"] == 0 and result["errors"]["disconnects"] == 0
    assert result["server"]["peak_rss_mb"] > 50 and result["server"]["cpu_seconds"] > 0
    assert len(result["server"]["rss_mb_by_tenth"]) == 10 and result["server"]["rss_growth_mb"] is not None
    # A served phone's page runs once; after that it only asks the room and posts.
    runs = result["runs"]
    # Each phone's page and the board's once, and the board again for each change its watcher saw.
    assert 4 + 1 <= runs["full"] <= 4 + 1 + runs["wakes"] and runs["fragment"] == 0
    joins, words = 4, 8 + 4 + 4 + 8  # contributions, check-in and check-out words, pulses
    taps = 4 + 4 + shares["edit"] + 2 * shares["delete"] + 2 * shares["talk"]  # me too, cards, ...
    assert runs["posts"] == joins + words + taps
    assert runs["looks"] >= 4 * 6 and runs["looks_unanswered"] == 0
    interactions = runs["total"] + runs["looks"] + runs["posts"]
    per_interaction = 1000 * result["server"]["cpu_seconds"] / interactions
    # cpu_seconds is rounded to 0.01 s in the result: allow that much either way, whatever the total.
    rounding = 1000 * 0.005 / interactions
    assert result["cost"]["cpu_ms_per_interaction"] == pytest.approx(per_interaction, rel=0.02, abs=rounding)


def test_a_drop_cuts_every_phone_and_each_send_written_through_it_is_stored_once(tmp_path):
    result = run(
        Scenario(app="hopecircle", run_dir=str(tmp_path / "run"), drop=4.0, drop_at="reflect+1.2", **DROP_ROOM)
    )

    cut = result["drop"]
    assert cut["seconds"] == 4.0 and cut["phase_changes_during"] == ["next_step"]
    assert cut["connections_reset"] >= 4 and cut["failed_while_cut"] > 0  # each phone's stream, at least
    assert cut["phones"] == 4 and cut["back"]["count"] == 4 and cut["back"]["not_back"] == 0
    assert cut["back"]["all_ms"] == cut["back"]["max_ms"] is not None
    contributions = result["contributions"]
    queued = 4 + contributions["deleted"]  # every reflection, and the words sent to be taken back
    assert cut["sends_queued"] == queued and cut["tries"] > queued
    assert cut["queued_acknowledged"]["count"] == queued and cut["queued_acknowledged"]["all_ms"] is not None
    assert (cut["queued_stored"], cut["queued_lost"], cut["queued_duplicated"]) == (queued, 0, 0)
    assert cut["queued_refused"] == 0 and cut["queued_never_answered"] == 0
    assert cut["streams_reopened"]["count"] == 4 and cut["streams_reopened"]["not_reopened"] == 0
    assert cut["errors"] == 0 and result["errors"]["total"] == 0 and result["errors"]["disconnects"] == 0
    assert contributions["sent"] == contributions["in_database"] == 8
    assert contributions["lost"] == contributions["duplicated"] == contributions["deleted_but_still_there"] == 0
    # The change made while every phone was offline is timed by the phones' return, not as a follow.
    assert "next_step" not in result["phase_follow_by_phase"] and result["phase_follow_by_phase"]["board"]["count"] == 4
    verdicts = targets(result, None)
    assert verdicts["after a drop, every queued send stored once"]["met"]
    assert "after a drop, every phone back: p95 <= 2 s" in verdicts
    table = report.table(result)
    assert all(row in table for row in ("drop: phones back p95", "drop: every queued send acknowledged"))


def test_a_send_whose_answer_never_came_goes_again_with_its_own_key():
    async def scenario() -> tuple[list[dict], list[tuple], list[tuple]]:
        bodies: list[dict] = []

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.startswith(b"Content-Length")
                )
                bodies.append(json.loads(await reader.readexactly(length)))
                if len(bodies) == 1:
                    network.reset(writer.transport)  # stored, say, but the answer never reaches the phone
                    return
                answer = b'{"status": "approved"}'
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(answer), answer))
                await writer.drain()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        phones = network.Network()
        session = Session(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", network=phones)
        served = ServedPhone.__new__(ServedPhone)  # the room component's posting, without a page
        served.session, served.token, served.lang, served.state = session, "t" * 22, "en", None
        served.urls = {"send": "/api/phone/send"}
        events: list[tuple] = []
        answers: list[tuple] = []
        outbox = Outbox(served, lambda *event: events.append(event), 0, phones)
        words = {"form": "reflection", "fields": {"text": "words"}}
        answered = await outbox.send(Item("send", "reflection", words, "", lambda *answer: answers.append(answer)))
        assert not answered  # waiting in the outbox
        for _ in range(50):
            if answers:
                break
            await asyncio.sleep(0.1)
        outbox.stop()
        await session.close()
        server.close()
        return bodies, events, answers

    bodies, events, answers = asyncio.run(scenario())
    assert len(bodies) == 2 and bodies[0] == bodies[1]  # the same send, key and all
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", bodies[0]["key"])
    assert [event[0] for event in events] == ["send", "error", "queued", "answered"]
    assert events[-1][3:] == (200, "approved", 2) and answers[0][:2] == (200, {"status": "approved"})


def _drive(phone, deployment: servers.Deployment, facilitator: Facilitator) -> None:  # type: ignore[no-untyped-def]
    """Run one simulated phone's coroutine against `deployment`; then stop the app, close the database."""
    try:
        asyncio.run(phone())
    finally:
        deployment.stop()
        facilitator.close()


def test_a_served_phone_joins_follows_and_posts_with_one_script_run(tmp_path):
    """The client as the harness uses it, one phone at a time: the page's one run, then only HTTP."""
    facilitator = Facilitator(tmp_path / "data")
    room = facilitator.open_room(auto_approve=True)
    deployment = servers.deploy(1, tmp_path, env={"HOPECIRCLE_DATA_DIR": str(tmp_path / "data")})
    words = screens.reflection_text(0, 0, screens.marker("tt", 0, 0))

    async def phone() -> None:
        session = Session(deployment.apps[0].base, "", f"code={room.code}", tick=False, run_timeout=30)
        await session.open()
        served = ServedPhone(session)
        assert served.token == "" and served.state is None and served.code == room.code  # consent, drawn by the phone
        await served.join()
        assert served.token and served.phase == "welcome"
        following = asyncio.create_task(served.ask(held=True))
        await asyncio.sleep(0.3)
        assert not following.done()  # held: nothing changed
        facilitator.set_phase(room, "reflect")
        assert await asyncio.wait_for(following, 10) and served.phase == "reflect"
        status, answer = await served.post("send", {"form": "reflection", "fields": {"text": words}})
        assert (status, answer["status"], answer["message"]) == (200, "approved", screens.SENT_OK[0])
        assert [w["text"] for w in served.mine["words"]] == [words]
        risky = "honestly I don't want to be here anymore"
        status, answer = await served.post("send", {"form": "reflection", "fields": {"text": risky}})
        assert (status, answer["status"], answer["support"]) == (200, "held", True)
        await asyncio.sleep(0.5)
        assert session.counters.full_runs == 1 and session.counters.fragment_runs == 0  # never a second run
        assert session.counters.looks == 1 and session.counters.posts == 3
        await session.close()

    _drive(phone, deployment, facilitator)
    bodies = [body for body, _status in facilitator.tally(room)["bodies"]]
    assert bodies == [words, "honestly I don't want to be here anymore"]


def test_the_harness_says_plainly_that_it_drives_only_a_served_phone(tmp_path):
    facilitator = Facilitator(tmp_path / "data")
    room = facilitator.open_room(auto_approve=True)
    deployment = servers.deploy(
        1, tmp_path, script=servers.PAGES_SCRIPT, env={"HOPECIRCLE_DATA_DIR": str(tmp_path / "data")}
    )

    async def phone() -> None:
        session = Session(deployment.apps[0].base, "", f"code={room.code}", tick=False, run_timeout=30)
        await session.open()
        with pytest.raises(ProtocolError, match=r"served through serve\.py"):
            ServedPhone(session)
        await session.close()

    _drive(phone, deployment, facilitator)


def test_a_worker_whose_parent_has_gone_stops_instead_of_driving_phones_on(monkeypatch):
    """A run stopped by hand (its parent killed) must not leave workers loading the next run."""
    idle = worker._Worker.__new__(worker._Worker)
    idle.commands = queue.Queue()  # the parent never says anything again
    alive = {"parent": True}
    monkeypatch.setattr(
        worker.multiprocessing, "parent_process", lambda: SimpleNamespace(is_alive=lambda: alive["parent"])
    )

    async def listen_for(seconds: float) -> bool:
        try:
            await asyncio.wait_for(idle._listen(), seconds)
        except TimeoutError:
            return False
        return True

    assert not asyncio.run(listen_for(1.2))  # a quiet parent is still a parent
    alive["parent"] = False
    assert asyncio.run(listen_for(2.0))
    assert asyncio.run(idle._next_command("start")) == ("stop",)


def test_server_ports_come_from_outside_the_range_of_outgoing_connections():
    """So a client connection of the harness cannot take a port between the pick and the bind."""
    low = servers._ephemeral_low()
    ports = {servers.free_port() for _ in range(20)}
    assert all(10_000 <= port < low for port in ports) and len(ports) > 1


def _answers_health(base: str) -> bool:
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as response:
        return response.status == 200


def test_an_app_whose_port_another_server_took_first_starts_again_on_a_fresh_one(tmp_path, taken_port):
    deployment = servers.deploy(1, tmp_path, script=servers.BARE_SCRIPT)
    try:
        app = deployment.apps[0]
        assert "is not available" in (tmp_path / f"bare_app-{taken_port}.log").read_text()  # the first try
        assert app.port != taken_port and servers.listens_on(app.pid, app.port) and _answers_health(app.base)
        assert psutil.Process(app.pid).environ()["HOPECIRCLE_PUBLIC_URL"] == app.base
    finally:
        deployment.stop()


def test_nginx_whose_port_another_server_took_first_starts_again_and_the_apps_learn_its_new_address(
    tmp_path, taken_port
):
    deployment = servers.deploy(1, tmp_path, script=servers.BARE_SCRIPT, proxy=True)
    try:
        assert "Address already in use" in (tmp_path / "nginx" / "logs" / f"stdout-{taken_port}.log").read_text()
        assert deployment.proxy is not None and deployment.proxy_port != taken_port
        assert servers.listens_on(deployment.proxy.pid, deployment.proxy_port)
        assert deployment.targets == [f"http://127.0.0.1:{deployment.proxy_port}"]
        assert _answers_health(deployment.targets[0])
        # The apps told the old address were stopped; the one running was told the new one.
        apps = [child for child in psutil.Process().children() if "streamlit" in " ".join(child.cmdline())]
        assert [app.pid for app in apps] == deployment.pids()["app"]
        assert apps[0].environ()["HOPECIRCLE_PUBLIC_URL"] == deployment.targets[0]
    finally:
        deployment.stop()


def test_a_start_gives_up_when_port_after_port_is_taken():
    tried = []

    def start(port: int) -> None:
        tried.append(port)
        raise servers.PortTaken(f"port {port} taken")

    with pytest.raises(RuntimeError, match="ports in a row were taken"):
        servers.on_free_port(start)
    assert len(tried) == servers.PORT_ATTEMPTS


def test_the_bare_streamlit_floor_is_driven_by_the_same_client(tmp_path, monkeypatch):
    readings = iter([(0.25, 0.5, 0.75), (1.5, 1.25, 1.0)])  # the host before the run, then after its servers start
    monkeypatch.setattr(runner.os, "getloadavg", lambda: next(readings, (9.0, 9.0, 9.0)))
    result = run(Scenario(app="bare", run_dir=str(tmp_path / "run"), **QUICK_FLOOR))

    assert result["machine"]["load_average_at_start"] == (0.25, 0.5, 0.75)

    assert result["phones"]["joined"] == 4 and result["boards"]["joined"] == 1
    assert result["submit_ack"]["count"] == 8
    assert result["reaction_ack"]["count"] == 4  # a press for each, as for every other action
    assert result["action_ack"]["checkin"]["count"] == 4 and result["action_ack"]["card"]["count"] == 4
    assert result["runs"]["fragment"] > 0
    assert result["errors"]["total"] == 0


def test_nginx_is_installed_as_a_venue_installs_it_and_accepts_its_config(tmp_path):
    """Stock Debian nginx.conf and deploy/nginx/install.sh in a prefix; the site edited as a venue edits it."""
    config = proxy.install(tmp_path, [8601, 8602, 8603], 8600)

    site = (tmp_path / "etc" / "nginx" / "conf.d" / "hopecircle.conf").read_text()
    assert "listen 127.0.0.1:8600;" in site
    assert all(f"server 127.0.0.1:{port} max_fails=0;" in site for port in (8601, 8602, 8603))
    assert "server 127.0.0.1:8501" not in site and "hash $hopecircle_affinity consistent;" in site
    limits = read_limits(config)
    assert (limits.worker_connections, limits.worker_rlimit_nofile) == (8192, 16384)
    assert limits.app_ports == (8601, 8602, 8603)
    checked = subprocess.run([*proxy.command(servers.nginx_binary(), config), "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_two_app_processes_behind_the_proxy_with_facilitator_approval(tmp_path):
    result = run(
        Scenario(
            app="hopecircle",
            run_dir=str(tmp_path / "run"),
            processes=2,
            proxy=True,
            auto_approve=False,
            approve_every=0.5,
            **{**SMALL_ROOM, "reactions": 0},
        )
    )

    assert result["server"]["processes"] == 2 and len(result["targets_used"]) == 1  # everyone via nginx
    assert result["server"]["proxy_open_files_peak"] >= 2 * 4  # each phone's stream, both sides, at least
    assert result["phones"]["joined"] == 4 and result["boards"]["joined"] == 1
    assert result["contributions"]["in_database"] == 8 and result["contributions"]["lost"] == 0
    assert result["propagation"]["measured_from"] == "approval"
    assert result["propagation"]["count"] == 8 and result["propagation"]["not_on_every_board"] == 0
    assert result["errors"]["total"] == 0 and result["errors"]["disconnects"] == 0


@pytest.fixture(autouse=True)
def _no_leftover_servers():
    """Every app, nginx and load worker a test starts is stopped by the harness itself."""
    yield
    left = []
    for child in psutil.Process().children(recursive=True):
        try:
            command = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        if child.status() != psutil.STATUS_ZOMBIE and (
            "streamlit" in command or "nginx" in command or "run_worker" in command or "spawn_main" in command
        ):
            left.append(command)
    assert left == []


def _result(duration: float, growth: float | None, rss: float = 300.0, follow: float = 900.0) -> dict:
    figure = {"count": 10, "p95_ms": 400.0}
    return {
        "scenario": {"duration": duration, "app": "hopecircle"},
        "contributions": {"lost": 0, "duplicated": 0},
        "errors": {"total": 0, "disconnects": 0},
        "propagation": {"p95_ms": 900.0, "not_on_every_board": 0},
        "submit_ack": figure,
        "action_ack": {"pulse": figure, "card": {"count": 10, "p95_ms": 450.0}},
        "join": {"count": 10, "p95_ms": 1200.0},
        "phase_follow_by_phase": {"reflect": {"count": 10, "p95_ms": follow}, "board": figure},
        "server": {"peak_rss_mb": rss, "peak_rss_mb_per_process": {}, "rss_growth_mb": growth, "rss_mb_by_tenth": []},
    }


def test_the_verdicts_name_each_target_and_judge_a_soak_by_its_memory_growth():
    short = targets(_result(60, 500.0), None)
    assert all(verdict["met"] for verdict in short.values()) and len(short) == 6  # no soak verdict
    steady = targets(_result(1200, 12.5), None)
    assert steady["soak RSS growth <= 64 MB"]["met"]
    leaking = targets(_result(1200, 180.0, rss=900.0), None)
    assert not leaking["soak RSS growth <= 64 MB"]["met"] and leaking["peak RSS <= 1.5 GB"]["met"]


def test_phase_follow_is_judged_by_its_slowest_phase_change():
    slow = targets(_result(60, None, follow=2600.0), None)["p95 phase follow <= 2 s, every phase change"]
    assert not slow["met"] and slow["detail"].startswith("worst reflect")
    acks = targets(_result(60, None), None)["p95 acknowledgement <= 0.5 s, every action"]
    assert acks["met"] and "card 450 ms" in acks["detail"]


def test_per_interaction_costs_come_in_rounds_against_another_checkout_and_the_floor(tmp_path):
    other = tmp_path / "other-checkout"  # the app's files, as a worktree of another commit has them
    other.mkdir()
    for name in ("serve.py", "workshop_app.py", "pages", "hopecircle", "stories", "facilitator_guides", ".streamlit"):
        source = servers.ROOT / name
        if source.is_dir():
            shutil.copytree(source, other / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, other / name)
    out = tmp_path / "costs.json"
    small = ["--rounds", "2", "--cards", "15", "--ticks", "4", "--reruns", "2", "--joins", "2", "--settle", "0.05"]
    assert costs.main([*small, "--against", str(other), "--json", str(out), "--label", "test"]) == 0

    results = json.loads(out.read_text())
    assert results["against_root"] == str(other)
    assert results["apps"] == {
        "hopecircle": {"root": str(servers.ROOT)},
        "against": {"root": str(other)},
        "bare Streamlit": {"root": str(servers.ROOT)},
    }
    interactions = set(results["hopecircle"])
    assert {
        "phone: join (page, first run, join post)",
        "phone: follows a phase change (held question answered)",
        "phone: post a goal",
        "phone: post a me too, 15 cards",
        "phone: hope card (a goal posted, then its card)",
    } <= interactions
    assert results["hopecircle"]["phone: a question to the room, answered at once"]["count"] == 4
    assert set(results["against"]) == interactions  # the same steps, the other checkout's app
    for app in ("hopecircle", "against", "bare Streamlit"):
        for row in results[app].values():
            assert len(row["cpu_ms_by_round"]) == 2
            assert row["cpu_ms"] == pytest.approx(statistics.median(row["cpu_ms_by_round"]), abs=0.01)
            assert row["wall_ms_median"] > 0
    assert set(results["bare Streamlit"]) == {costs.floor_of(name) for name in interactions}
    table = costs.comparison_table(results, ["hopecircle", "against", "bare Streamlit"])
    assert "x bare Streamlit" in table and "x against" in table and "phone: post a goal" in table


@pytest.mark.parametrize("interaction", ["me-too", "follow", "goal"])
def test_one_interaction_is_measured_against_another_checkout_in_interleaved_blocks(tmp_path, interaction):
    out = tmp_path / "ab.json"
    # A posted "me too" costs a couple of milliseconds: ten a block leave the process's clock
    # (10 ms ticks) something to read.
    small = ["--blocks", "2", "--per-block", "10", "--cards", "15", "--warmup", "1", "--settle", "0.05"]
    args = [*small, "--interaction", interaction, "--against", str(servers.ROOT), "--json", str(out), "--label", "test"]
    assert ab.main(args) == 0
    result = json.loads(out.read_text())
    assert set(result["apps"]) == {"this", "against"}
    for app in result["apps"].values():
        assert len(app["cpu_ms_by_block"]) == 2 and all(ms >= 0 for ms in app["cpu_ms_by_block"])
        assert sum(app["cpu_ms_by_block"]) > 0
        assert app["cpu_ms"] == statistics.median(app["cpu_ms_by_block"])
    assert result["ratio"] > 0 and result["args"]["interaction"] == interaction


async def _one_answer_per_connection(answer: bytes, bodies: list[bytes]) -> tuple[asyncio.AbstractServer, str]:
    """A server that answers each connection's first request with `answer`, then closes it (as a
    server closes an idle kept-alive connection), recording the bodies posted to it."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.startswith(b"Content-Length"))
        bodies.append(await reader.readexactly(length))
        writer.write(answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


def test_a_post_goes_on_a_new_connection_when_the_server_closed_the_kept_alive_one():
    """As a browser does: the harness's second send a minute after the first found uvicorn had
    closed the connection (after 5 idle seconds), and was counted lost."""

    async def scenario() -> list[bytes]:
        bodies: list[bytes] = []
        server, base = await _one_answer_per_connection(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", bodies)
        http = KeptAliveHttp(base, 5)
        for n in range(3):
            assert await http.post("/api/phone/send", {"n": n}, {}) == (200, b"{}")
            if n == 1:
                await asyncio.sleep(0.2)  # the close has arrived by the next post
        http.close()
        server.close()
        return bodies

    assert asyncio.run(scenario()) == [b'{"n": 0}', b'{"n": 1}', b'{"n": 2}']


def test_a_post_whose_answer_broke_off_is_not_sent_again():
    async def scenario() -> list[bytes]:
        bodies: list[bytes] = []
        server, base = await _one_answer_per_connection(b"HTTP/1.1 200 OK\r\nContent-Le", bodies)
        http = KeptAliveHttp(base, 5)
        with pytest.raises(asyncio.IncompleteReadError):
            await http.post("/api/phone/send", {"n": 0}, {})
        http.close()
        server.close()
        return bodies

    assert asyncio.run(scenario()) == [b'{"n": 0}']


def test_a_join_is_judged_against_two_seconds_on_one_process_and_three_on_two():
    slow_join = {**_result(60, None), "join": {"count": 10, "p95_ms": 2500.0}}
    one = targets({**slow_join, "scenario": {**slow_join["scenario"], "processes": 1}}, None)
    two = targets({**slow_join, "scenario": {**slow_join["scenario"], "processes": 2}}, None)
    assert not one["p95 join <= 2 s"]["met"] and two["p95 join <= 3 s"]["met"]


def test_every_word_a_simulated_phone_sends_passes_the_screener():
    # A load run measures the room: a send the screener holds for a careful read never reaches a
    # board, and the harness counts it as a failure.
    marks = [
        screens.marker(tag, phone, sequence)
        for tag in ("aa", "kq", "zx")
        for phone in range(0, 1_000, 37)
        for sequence in range(3)
    ]
    sent = [screens.reflection_text(phone, 0, mark) for phone in range(5) for mark in marks]
    sent += [text + screens.EDITED for text in sent]
    sent += [screens.goal_text(phone, mark) for phone in range(5) for mark in marks]
    sent += [*screens.CHECKIN_WORDS, *screens.CHECKOUT_WORDS]
    flagged = [text for text in sent if (found := safety.screen(text)).holds or found.caution]
    assert flagged == []


def test_the_simulated_phone_retries_on_the_browser_s_timings():
    # A drop's figures hold for real phones only if the harness waits as phone_room.js and
    # phone_room_outbox.js wait.
    static = Path(__file__).resolve().parents[2] / "hopecircle" / "ui" / "static"
    room = (static / "phone_room.js").read_text(encoding="utf-8")
    box = (static / "phone_room_outbox.js").read_text(encoding="utf-8")

    def number_list(source: str, name: str) -> tuple[float, ...]:
        found = re.search(rf"const {name} = \[([^\]]*)\]", source)
        assert found, name
        return tuple(float(part) for part in found.group(1).split(","))

    def number(source: str, name: str) -> float:
        found = re.search(rf"const {name} = ([0-9.]+)", source)
        assert found, name
        return float(found.group(1))

    assert number_list(room, "RETRY_SECONDS") == actors.ROOM_RETRY_SECONDS
    assert number(room, "RETRY_SPREAD") == actors.ROOM_RETRY_SPREAD
    retry = number(box, "SEND_RETRY_SECONDS")
    assert (retry, retry + 0.5) == outbox_module.RETRY_SECONDS
