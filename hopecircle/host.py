"""What this machine says about itself: cores, open-file limits, listening processes, free disk, who answers.

Small probes for the preflight (`hopecircle/preflight.py`), each returning plain values and
never raising for a machine that says less than it might (no /proc, no permission): the
preflight then says what it could not see.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import resource
import shutil
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

from hopecircle.config import ROOT

HTTP_SECONDS = 3.0
SECRET_VARIABLE = "STREAMLIT_SERVER_COOKIE_SECRET"
UNLIMITED_FILES = 1 << 20  # what "unlimited" means for open files: Linux's default ceiling (nr_open)


@dataclass(frozen=True)
class AddressAnswer:
    """Who answers at the address phones use: "hopecircle", "streamlit", "other", "nothing", or
    "malformed" (not a web address a phone can open)."""

    url: str | None
    source: str  # network.JoinAddress.source: "configured", "lan" or "none"
    answer: str = "nothing"
    detail: str = ""


def web_address(url: str) -> urllib.parse.SplitResult | None:
    """`url` taken apart, if it is an http(s) address with a host a phone could open."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts


def is_loopback(url: str) -> bool:
    """Whether `url` names this machine only (localhost, 127.0.0.0/8, ::1): no phone reaches it."""
    parts = web_address(url)
    host = (parts.hostname if parts is not None else None) or ""
    if host == "localhost":
        return True
    # The configured address's host, never a person's: this product reads no one's address.
    for version in (ipaddress.IPv4Address, ipaddress.IPv6Address):
        try:
            return version(host).is_loopback
        except ValueError:
            continue
    return False


def cores_available() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def own_open_file_limit() -> int:
    """This process's soft open-file limit: what an app started from the same shell would get."""
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return UNLIMITED_FILES if soft == resource.RLIM_INFINITY else soft


def listening_pids(ports: tuple[int, ...]) -> list[int]:
    """The processes listening on `ports` that this user may see (all of them, as root)."""
    try:
        connections = psutil.net_connections(kind="tcp")
    except (psutil.Error, OSError):
        return []
    return sorted(
        {
            c.pid
            for c in connections
            if c.status == psutil.CONN_LISTEN and c.pid is not None and c.laddr and c.laddr.port in ports
        }
    )


def open_file_limit(pid: int) -> int | None:
    """The soft open-file limit of process `pid` (/proc/<pid>/limits is readable by everyone)."""
    try:
        for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
            if line.startswith("Max open files"):
                soft = line.split()[3]
                return UNLIMITED_FILES if soft == "unlimited" else int(soft)
    except (OSError, ValueError, IndexError):
        return None
    return None


def secrets_agree(pids: list[int]) -> bool | None:
    """Whether the running app processes share one cookie secret (None when their settings cannot be read)."""
    found = []
    for pid in pids:
        try:
            found.append(psutil.Process(pid).environ().get(SECRET_VARIABLE))
        except psutil.Error:
            return None
    if len(found) < 2:
        return None
    return found[0] is not None and len(set(found)) == 1


def secret_configured() -> bool:
    """Whether a cookie secret is set where every process started here reads it: the environment or config.toml."""
    if os.environ.get(SECRET_VARIABLE):
        return True
    for path in (ROOT / ".streamlit" / "config.toml", Path.home() / ".streamlit" / "config.toml"):
        try:
            server = tomllib.loads(path.read_text()).get("server", {})
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if isinstance(server, dict) and server.get("cookieSecret"):
            return True
    return False


def free_disk(data_dir: Path) -> int:
    """Free bytes on the disk that holds `data_dir` (or would: the nearest folder that exists)."""
    folder = data_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def ask_address(base_url: str | None, source: str) -> AddressAnswer:
    """Who answers at `base_url`: HopeCircle (its health check and its board endpoint's JSON) or not."""
    if base_url is None:
        return AddressAnswer(None, source)
    if web_address(base_url) is None:
        return AddressAnswer(base_url, source, "malformed")
    # No proxy from the environment: the question is whether phones on this network reach the app.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    status, body = _get(opener, f"{base_url}/_stcore/health")
    if status is None:
        return AddressAnswer(base_url, source, "nothing", body)
    if status != 200 or body.strip() != "ok":
        return AddressAnswer(base_url, source, "other", f"HTTP {status}")
    # Without a real key and its query the board endpoint answers 400 with a small JSON body: only
    # HopeCircle does.
    status, body = _get(opener, f"{base_url}/api/boards/check")
    try:
        answer = json.loads(body) if status == 400 else None
    except ValueError:
        answer = None
    if isinstance(answer, dict) and "error" in answer:
        return AddressAnswer(base_url, source, "hopecircle")
    return AddressAnswer(base_url, source, "streamlit", f"HTTP {status}")


def _get(opener: urllib.request.OpenerDirector, url: str) -> tuple[int | None, str]:
    try:
        with opener.open(url, timeout=HTTP_SECONDS) as response:
            return response.status, response.read(4096).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(4096).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:
        # HTTPException: something answered that does not speak HTTP (an SSH server, say).
        reason = getattr(error, "reason", error)
        return None, str(reason) or type(error).__name__
