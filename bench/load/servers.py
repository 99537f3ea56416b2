"""The servers under test: Streamlit app processes on loopback ports, optionally nginx in front.

Every process is started and stopped by the harness itself (by its own pid, never by name),
and every one listens on 127.0.0.1 only. A server whose port another process bound first is
started again on a fresh port (`on_free_port`); the test suite starts its servers the same way.
Both are started as a venue runs them: nginx is Debian's stock nginx.conf with the shipped files
installed as the README says (`bench/load/proxy.py`), and the app processes get the open-file
limit the systemd unit gives them (`LimitNOFILE`).
"""

from __future__ import annotations

import os
import random
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import psutil

from bench.load import proxy

ROOT = Path(__file__).resolve().parents[2]
# The app with its room endpoint (serve.py); checkouts from before it have only workshop_app.py.
APP_SCRIPT = ROOT / "serve.py"
PAGES_SCRIPT = ROOT / "workshop_app.py"
BARE_SCRIPT = Path(__file__).resolve().parent / "bare_app.py"
SYSTEMD_UNIT = ROOT / "deploy" / "systemd" / "hopecircle@.service"

# Fresh ports a server is given, in all, before the start is reported as failed.
PORT_ATTEMPTS = 5
# What a server says when it cannot bind its port: Streamlit 1.67, then nginx and PostgreSQL (errno 98).
_PORT_TAKEN = re.compile(r"Port \d+ is not available|Address already in use")

T = TypeVar("T")


class PortTaken(RuntimeError):
    """A server could not bind its port: another process bound it after `free_port()` looked."""


def free_port() -> int:
    """A loopback port that was free a moment ago, from below the kernel's range for outgoing connections.

    A port the kernel hands out for `bind(0)` comes from the same range as the local ports of
    outgoing connections: between this probe and the server binding it, one of the harness's
    own client connections could take it. Ports below that range are only ever taken by
    servers; picked at random, two starting together rarely meet. Rarely is not never (a
    server of a test running alongside can bind the port first): start servers through
    `on_free_port`, which starts again on a fresh port when that happens.
    """
    low = _ephemeral_low()
    for _ in range(100):
        port = random.randrange(10_000, low) if low > 11_000 else 0
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free loopback port found")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def on_free_port(start: Callable[[int], T], attempts: int = PORT_ATTEMPTS) -> T:
    """`start(port)` on a free port; while it raises PortTaken, again on a fresh one (`attempts` in all).

    `start` stops what it started before raising. Retrying the whole start is the one remedy that
    serves every server here: Streamlit could bind port 0 itself, but the app must know its own
    address (the QR code's) before it starts, and PostgreSQL cannot bind port 0 at all.
    """
    taken: PortTaken | None = None
    for _ in range(attempts):
        try:
            return start(free_port())
        except PortTaken as error:
            taken = error
    raise RuntimeError(f"{attempts} ports in a row were taken before the server could bind one") from taken


def says_port_taken(output: str) -> bool:
    """Whether a server's output says it could not bind its port because another process had."""
    return _PORT_TAKEN.search(output) is not None


def port_taken(*logs: Path) -> bool:
    """Whether a server's log says it could not bind its port because another process had."""
    for log in logs:
        try:
            if _PORT_TAKEN.search(log.read_text(errors="replace")):
                return True
        except OSError:
            continue
    return False


def listens_on(pid: int, port: int) -> bool:
    """Whether process `pid` itself holds a listening socket on `port`."""
    try:
        connections = psutil.Process(pid).net_connections(kind="tcp")
    except psutil.Error:
        return False
    return any(c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port for c in connections)


def wait_for_health(base: str, process: subprocess.Popen, timeout: float = 90, logs: Sequence[Path] = ()) -> None:
    """Wait until `process` itself answers the health check at `base`.

    A 200 alone proves little: when another app took the port first, that app answers while
    this one is still importing, so the port must also be one `process` listens on. When the
    process exits and its `logs` say the port was in use, PortTaken (start again elsewhere).
    """
    port = urllib.parse.urlsplit(base).port
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if port_taken(*logs):
                raise PortTaken(f"{base}: another process bound the port first")
            raise RuntimeError(f"{base}: the server exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200 and port is not None and listens_on(process.pid, port):
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{base} did not become healthy in {timeout} s")


@dataclass
class AppProcess:
    """One `streamlit run` on a loopback port."""

    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid


@dataclass
class Deployment:
    """The app processes of one run, and nginx in front of them when asked for."""

    apps: list[AppProcess] = field(default_factory=list)
    proxy: subprocess.Popen | None = None
    proxy_port: int | None = None

    @property
    def targets(self) -> list[str]:
        """Where phones and boards connect: the proxy, or each app process in turn."""
        if self.proxy_port is not None:
            return [f"http://127.0.0.1:{self.proxy_port}"]
        return [app.base for app in self.apps]

    def pids(self) -> dict[str, list[int]]:
        found = {"app": [app.pid for app in self.apps], "proxy": []}
        if self.proxy is not None:
            found["proxy"] = [self.proxy.pid]
        return found

    def stop(self) -> None:
        if self.proxy is not None:
            stop_process(self.proxy)
            self.proxy = None
        for app in self.apps:
            stop_process(app.process)
        self.apps = []


def unit_open_files(unit: Path = SYSTEMD_UNIT) -> int:
    """The open-file limit the shipped systemd unit gives each app process (`LimitNOFILE=`)."""
    found = re.search(r"(?m)^LimitNOFILE=(\d+)\s*$", unit.read_text())
    if found is None:
        raise ValueError(f"{unit} sets no LimitNOFILE")
    return int(found.group(1))


def give_open_files(pid: int, wanted: int) -> int:
    """Set process `pid`'s open-file limit to `wanted` (as far as this process's hard limit allows); returns it."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.prlimit(pid, resource.RLIMIT_NOFILE, (limit, limit))
    return limit


def stop_process(process: subprocess.Popen) -> None:
    """Stop a server this harness started, by its own pid."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def start_apps(
    count: int,
    run_dir: Path,
    *,
    script: Path = APP_SCRIPT,
    env: dict[str, str] | None = None,
    cookie_secret: str | None = None,
    public_url: str | None = None,
    extra_args: list[str] | None = None,
    cwd: Path = ROOT,
    open_files: int | None = None,
) -> list[AppProcess]:
    """Start `count` app processes on free loopback ports, all with the same cookie secret.

    Each gets `open_files` open files (default: the systemd unit's LimitNOFILE), set as it
    starts, before it accepts a connection. They start side by side; one whose port another
    process bound first starts again on a fresh one.
    """
    files = open_files if open_files is not None else unit_open_files()
    cookie_secret = cookie_secret or secrets.token_hex(32)
    run_dir.mkdir(parents=True, exist_ok=True)

    def launch(port: int) -> AppProcess:
        log_path = run_dir / f"{script.stem}-{port}.log"
        environment = {**os.environ, **(env or {})}
        environment["HOPECIRCLE_PUBLIC_URL"] = public_url or f"http://127.0.0.1:{port}"
        # Streamlit 1.67 refuses --server.cookieSecret on the command line; the variable is its other door.
        environment["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    str(script),
                    "--server.port",
                    str(port),
                    "--server.address",
                    "127.0.0.1",
                    "--server.headless",
                    "true",
                    *(extra_args or []),
                ],
                cwd=cwd,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            give_open_files(process.pid, files)
        except OSError:
            stop_process(process)
            raise
        return AppProcess(port, process, log_path)

    def wait(app: AppProcess) -> AppProcess:
        try:
            wait_for_health(app.base, app.process, logs=[app.log_path])
        except BaseException:
            stop_process(app.process)
            raise
        return app

    started: list[AppProcess] = []
    try:
        for _ in range(count):
            started.append(launch(free_port()))
        for index, app in enumerate(started):
            try:
                wait(app)
            except PortTaken:
                started[index] = on_free_port(lambda port: wait(launch(port)), PORT_ATTEMPTS - 1)
    except BaseException:
        for app in started:
            stop_process(app.process)
        raise
    return started


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise RuntimeError("nginx is not installed: apt-get update && apt-get install -y nginx")
    return found


def start_proxy(
    ports: list[int], run_dir: Path, listen_port: int | None = None, *, limits: bool = True
) -> tuple[subprocess.Popen, int]:
    """nginx on loopback port `listen_port` (else a free one) in front of `ports`; returns the process and its port.

    nginx is installed in `run_dir/nginx` as a venue installs it (`proxy.install`); `limits=False`
    leaves out the shipped limits (stock Debian with the site alone). On a given port, PortTaken
    when another process bound it first; on a free one, started again elsewhere.
    """
    if listen_port is None:
        return on_free_port(lambda port: start_proxy(ports, run_dir, port, limits=limits))
    prefix = run_dir / "nginx"
    config = proxy.install(prefix, ports, listen_port, limits=limits)
    binary = nginx_binary()
    check = subprocess.run([*proxy.command(binary, config), "-t"], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused the installed config:\n{check.stderr}")
    log_path = prefix / "logs" / f"stdout-{listen_port}.log"  # nginx reports a port in use on stderr
    with log_path.open("w") as log:
        process = subprocess.Popen(
            proxy.command(binary, config),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{listen_port}"
    try:
        wait_for_health(base, process, timeout=20, logs=[log_path])
    except BaseException:
        stop_process(process)
        raise
    return process, listen_port


def deploy(
    count: int,
    run_dir: Path,
    *,
    script: Path = APP_SCRIPT,
    env: dict[str, str] | None = None,
    proxy: bool = False,
    extra_args: list[str] | None = None,
    app_root: Path | None = None,
) -> Deployment:
    """`count` app processes (of the checkout at `app_root`, default this one), nginx in front if `proxy`."""
    if app_root is not None and script == APP_SCRIPT:
        script = app_root / APP_SCRIPT.name
        if not script.exists():
            script = app_root / PAGES_SCRIPT.name

    def apps(public_url: str | None) -> list[AppProcess]:
        return start_apps(
            count,
            run_dir,
            script=script,
            env=env,
            public_url=public_url,
            extra_args=extra_args,
            cwd=app_root or ROOT,
        )

    def behind_proxy(proxy_port: int) -> Deployment:
        # The apps are told nginx's address (the QR code's) when they start; should nginx then
        # find its port taken, they start again with the next one.
        deployment = Deployment(apps=apps(f"http://127.0.0.1:{proxy_port}"))
        try:
            deployment.proxy, deployment.proxy_port = start_proxy(
                [app.port for app in deployment.apps], run_dir, proxy_port
            )
        except BaseException:
            deployment.stop()
            raise
        return deployment

    return on_free_port(behind_proxy) if proxy else Deployment(apps=apps(None))
