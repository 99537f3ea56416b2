"""A venue's install holds the room: stock Debian nginx with the shipped files, two app processes, 1,200 streams.

Installed as README.md ("Scaling out") tells a venue: Debian's own nginx.conf, then
`deploy/nginx/install.sh` (`bench/load/proxy.py` does both in a throwaway prefix), two app
processes with the systemd unit's open-file limit, one SQLite file. 1,200 WebSocket streams to
`/_stcore/stream` (what each phone's page holds) are opened through nginx and held open at
once: every one must open and answer a ping while all are open. The same streams through the
stock nginx.conf with the site alone (the install the issue found) must be refused, so the test
shows it can fail. A capacity test, not a latency one: nothing here is timed.
"""

from __future__ import annotations

import asyncio
import math
import resource
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
import websockets

from bench.load import proxy, servers
from hopecircle import capacity
from hopecircle.proxy_config import read_limits

HELD = 1200
OPENING_AT_ONCE = 50  # connection attempts in flight: a room fills over seconds, not in one instant
SECONDS = 30


@dataclass
class Held:
    opened: int = 0
    answered: int = 0
    refused: list[str] = field(default_factory=list)


async def hold_streams(port: int, count: int, while_open: Callable[[], None] = lambda: None) -> Held:
    """Open `count` streams through `port`, keep them all open, ping each while all are open; then close.

    `while_open` runs once every stream that opened is open, before the pings.
    """
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    result = Held()
    streams: list[websockets.ClientConnection] = []
    gate = asyncio.Semaphore(OPENING_AT_ONCE)

    async def open_one() -> None:
        async with gate:
            try:
                stream = await websockets.connect(
                    url,
                    subprotocols=[websockets.Subprotocol("streamlit")],
                    open_timeout=SECONDS,
                    ping_interval=None,
                    compression=None,
                )
            except (TimeoutError, OSError, websockets.WebSocketException) as error:
                result.refused.append(f"open: {type(error).__name__}: {error}")
                return
            streams.append(stream)

    async def ping(stream: websockets.ClientConnection) -> None:
        try:
            await asyncio.wait_for(await stream.ping(), SECONDS)
            result.answered += 1
        except (TimeoutError, OSError, websockets.WebSocketException) as error:
            result.refused.append(f"ping: {type(error).__name__}: {error}")

    try:
        await asyncio.gather(*(open_one() for _ in range(count)))
        result.opened = len(streams)
        while_open()
        await asyncio.gather(*(ping(stream) for stream in streams))
    finally:
        await asyncio.gather(*(stream.close() for stream in streams), return_exceptions=True)
    return result


def streams_held_by(app: servers.AppProcess) -> int:
    """Established connections the app process holds on its port (nginx's side of each stream)."""
    return sum(
        1
        for c in psutil.Process(app.pid).net_connections(kind="tcp")
        if c.status == psutil.CONN_ESTABLISHED and c.laddr and c.laddr.port == app.port
    )


def hold_and_count(port: int, count: int, apps: list[servers.AppProcess]) -> tuple[Held, list[int]]:
    """`hold_streams`, and how many streams each app process held while all were open."""
    counts: list[int] = []

    def hold() -> Held:
        return asyncio.run(hold_streams(port, count, lambda: counts.extend(streams_held_by(app) for app in apps)))

    # On a thread of its own: the browser tests' Playwright keeps an event loop running on this one.
    with ThreadPoolExecutor(max_workers=1) as apart:
        held = apart.submit(hold).result()
    return held, counts


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """Two app processes on one SQLite file, each with the open files the systemd unit gives it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * HELD + 500  # this process's streams (the stock case opens more), and its own files
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise RuntimeError(f"the capacity test needs {needed} open files; this machine's hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, needed) if hard == resource.RLIM_INFINITY else hard, hard))
    run_dir = tmp_path_factory.mktemp("venue")
    started = servers.start_apps(2, run_dir, env={"HOPECIRCLE_DATA_DIR": str(run_dir / "data")})
    yield started
    for app in started:
        servers.stop_process(app.process)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def nginx_config(run_dir: Path) -> Path:
    return run_dir / "nginx" / "etc" / "nginx" / "nginx.conf"


def test_the_app_processes_have_the_open_files_the_systemd_unit_gives_them(apps):
    unit = servers.unit_open_files()
    assert unit == capacity.SHIPPED_APP_OPEN_FILES
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    expected = unit if hard == resource.RLIM_INFINITY else min(unit, hard)
    assert [psutil.Process(app.pid).rlimit(psutil.RLIMIT_NOFILE) for app in apps] == [(expected, expected)] * 2


def test_nginx_installed_as_the_readme_says_holds_1200_phone_streams_at_once(apps, tmp_path):
    process, port = servers.start_proxy([app.port for app in apps], tmp_path)
    try:
        # The limits in effect are the shipped files', in the places the README names.
        limits = read_limits(nginx_config(tmp_path))
        assert limits.worker_connections == capacity.SHIPPED_WORKER_CONNECTIONS
        assert limits.sources["worker_connections"] == nginx_config(tmp_path)
        assert limits.worker_rlimit_nofile == capacity.SHIPPED_WORKER_RLIMIT_NOFILE
        assert limits.sources["worker_rlimit_nofile"].relative_to(tmp_path / "nginx" / "etc" / "nginx") == Path(
            "modules-enabled/90-hopecircle.conf"
        )
        assert limits.app_ports == tuple(app.port for app in apps)

        held, per_app = hold_and_count(port, HELD, apps)

        assert held.refused == [] and held.opened == HELD and held.answered == HELD
        assert sum(per_app) >= HELD and all(count > HELD / 4 for count in per_app), per_app  # both processes
    finally:
        servers.stop_process(process)


def test_stock_nginx_with_the_site_alone_refuses_phones_past_its_connections(apps, tmp_path):
    """The install the issue found: stock Debian nginx.conf (768 connections a worker), the site in conf.d."""
    process, port = servers.start_proxy([app.port for app in apps], tmp_path, limits=False)
    try:
        limits = read_limits(nginx_config(tmp_path))
        assert limits.worker_connections == capacity.STOCK_WORKER_CONNECTIONS
        assert limits.worker_rlimit_nofile is None and limits.app_ports == tuple(app.port for app in apps)
        # More streams than every worker together can hold (two connections each), however many cores run workers.
        workers = len(psutil.Process(process.pid).children())
        count = max(HELD, math.ceil(workers * limits.worker_connections / 2) + 200)

        held, _ = hold_and_count(port, count, apps)

        assert held.refused and held.answered < count
        # What the workers' connections hold, two for each stream, and no more: the limit refused the rest.
        # (nginx says so only at the "warn" level, "worker_connections are not enough, reusing
        # connections", which the stock error_log hides.)
        assert held.opened <= workers * limits.worker_connections // 2
    finally:
        servers.stop_process(process)


def test_the_installed_nginx_conf_is_the_stock_file_with_only_its_paths_and_worker_connections_changed(tmp_path):
    config = proxy.install(tmp_path, [8601, 8602], 8600)
    stock = proxy.stock_config().read_text().splitlines()
    installed = config.read_text().splitlines()
    assert len(stock) == len(installed)
    changed = [(before, after) for before, after in zip(stock, installed, strict=True) if before != after]
    raised = [(before, after) for before, after in changed if before.strip().startswith("worker_connections")]
    assert raised == [
        (before, before.replace(before.split()[1], f"{capacity.SHIPPED_WORKER_CONNECTIONS};")) for before, _ in raised
    ]
    assert len(raised) == 1
    # Every other change moves one of the stock file's absolute paths into the prefix, and only that.
    moved = [pair for pair in changed if pair not in raised]
    assert moved and all(after == proxy.relocate(before, tmp_path) for before, after in moved)
    assert all(any(f" {path}" in before for path in proxy.RELOCATED) for before, _ in moved)
    assert any("modules-enabled" in before for before, _ in moved)  # where the shipped limits are read
    etc = tmp_path / "etc" / "nginx"
    assert (etc / "modules-enabled" / "90-hopecircle.conf").read_text() == (
        proxy.DEPLOY / "hopecircle-main.conf"
    ).read_text()
    assert sorted(path.name for path in (etc / "conf.d").iterdir()) == ["00-prefix-temp.conf", "hopecircle.conf"]
    assert "_temp_path" in (etc / "conf.d" / "00-prefix-temp.conf").read_text()
