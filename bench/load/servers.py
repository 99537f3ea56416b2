"""The servers under test: Streamlit app processes on loopback ports, optionally nginx in front.

Every process is started and stopped by the harness itself (by its own pid, never by name),
and every one listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The app with its room endpoint (serve.py); checkouts from before it have only workshop_app.py.
APP_SCRIPT = ROOT / "serve.py"
PAGES_SCRIPT = ROOT / "workshop_app.py"
BARE_SCRIPT = Path(__file__).resolve().parent / "bare_app.py"
NGINX_EXAMPLE = ROOT / "deploy" / "nginx" / "hopecircle.conf"


def free_port() -> int:
    """A free loopback port for a server, from below the kernel's range for outgoing connections.

    A port the kernel hands out for `bind(0)` comes from the same range as the local ports of
    outgoing connections: between this probe and the server binding it, one of the harness's
    own client connections could take it (the server then fails to start). Ports below that
    range are only ever taken by servers; picked at random, two starting together rarely meet.
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


def wait_for_health(base: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{base}: the server exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
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
            _stop(self.proxy)
            self.proxy = None
        for app in self.apps:
            _stop(app.process)
        self.apps = []


def _stop(process: subprocess.Popen) -> None:
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
) -> list[AppProcess]:
    """Start `count` app processes on free loopback ports, all with the same cookie secret."""
    cookie_secret = cookie_secret or secrets.token_hex(32)
    run_dir.mkdir(parents=True, exist_ok=True)
    started = []
    try:
        for _ in range(count):
            port = free_port()
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
            started.append(AppProcess(port, process, log_path))
        for app in started:
            wait_for_health(app.base, app.process)
    except BaseException:
        for app in started:
            _stop(app.process)
        raise
    return started


def render_nginx(ports: list[int], listen_port: int, run_dir: Path, example: Path = NGINX_EXAMPLE) -> Path:
    """A runnable nginx.conf for this run: the production example with local ports and paths."""
    site = example.read_text()
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=0;\n" for port in ports)
    site, replaced = re.subn(r"(?ms)^\s*# --- app processes ---\n.*?^\s*# --- end app processes ---\n", servers, site)
    if replaced != 1:
        raise ValueError(f"{example} lost its '# --- app processes ---' block")
    site = re.sub(r"(?m)^(\s*)listen\s+[^;]+;", rf"\1listen 127.0.0.1:{listen_port};", site, count=1)
    site = re.sub(r"(?m)^(\s*)server_name\s+[^;]+;", r"\1server_name localhost;", site, count=1)
    prefix = run_dir / "nginx"
    for folder in ("logs", "temp"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    (prefix / "hopecircle.conf").write_text(site)
    main = f"""# Rendered by bench/load from {example.relative_to(ROOT)} for one load-test run.
daemon off;
worker_processes 1;
worker_rlimit_nofile 16384;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{
    worker_connections 8192;
}}
http {{
    access_log off;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    include {prefix}/hopecircle.conf;
}}
"""
    path = prefix / "nginx.conf"
    path.write_text(main)
    return path


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise RuntimeError("nginx is not installed: apt-get update && apt-get install -y nginx")
    return found


def start_proxy(ports: list[int], run_dir: Path, listen_port: int | None = None) -> tuple[subprocess.Popen, int]:
    """nginx on a (free) loopback port in front of `ports`; returns the process and its port."""
    listen_port = listen_port or free_port()
    config = render_nginx(ports, listen_port, run_dir)
    binary = nginx_binary()
    check = subprocess.run(
        [binary, "-t", "-p", str(config.parent), "-c", str(config)], capture_output=True, text=True, check=False
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused the rendered config:\n{check.stderr}")
    log = (config.parent / "logs" / "stdout.log").open("w")
    process = subprocess.Popen(
        [binary, "-p", str(config.parent), "-c", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{listen_port}"
    try:
        wait_for_health(base, process, timeout=20)
    except BaseException:
        _stop(process)
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
    deployment = Deployment()
    proxy_port = free_port() if proxy else None
    public_url = f"http://127.0.0.1:{proxy_port}" if proxy_port else None
    if app_root is not None and script == APP_SCRIPT:
        script = app_root / APP_SCRIPT.name
        if not script.exists():
            script = app_root / PAGES_SCRIPT.name
    deployment.apps = start_apps(
        count,
        run_dir,
        script=script,
        env=env,
        public_url=public_url,
        extra_args=extra_args,
        cwd=app_root or ROOT,
    )
    if proxy:
        try:
            deployment.proxy, deployment.proxy_port = start_proxy(
                [app.port for app in deployment.apps], run_dir, proxy_port
            )
        except BaseException:
            deployment.stop()
            raise
    return deployment
