"""Before the session: how many phones this machine and install hold, and what to fix first.

`gather` looks at the machine (cores, the app processes' open-file limit, nginx's configuration,
the database, the address phones use, the cookie secret, free disk) and returns plain `Facts`;
`judge` turns them into findings and one verdict, with no input or output of its own. The
command line (`python -m hopecircle check`) and the facilitator's console
(`hopecircle/ui/readiness.py`) show the same verdict. The phones each limit holds come from
`hopecircle/capacity.py`, the arithmetic the deploy files and the README use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from hopecircle import capacity, host, network
from hopecircle.config import Settings
from hopecircle.i18n import t
from hopecircle.proxy_config import DEFAULT_CONFIG, ProxyConfigError, ProxyLimits, read_limits
from hopecircle.store.status import DatabaseStatus, database_status

# A group the check expects when told nothing else: a workshop, with room to spare.
DEFAULT_PHONES = 30
DEFAULT_PORT = 8501
LOW_DISK = 1024**3  # below this, a note
TOO_LITTLE_DISK = 100 * 1024**2  # below this, SQLite's writes and the logs may fail mid-session


class Status(StrEnum):
    OK = "ok"
    NOTE = "note"  # worth knowing; nothing breaks
    FIX = "fix"  # something would break a session, or the install holds fewer phones than expected


@dataclass(frozen=True)
class Message:
    """A sentence from the catalogs, with its parameters."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        """The sentence in `lang`, with any sentence among its parameters in `lang` too."""
        params = {
            name: value.text(lang) if isinstance(value, Message) else value for name, value in self.params.items()
        }
        return t(self.key, lang, **params)


@dataclass(frozen=True)
class Finding:
    """One check: what it found, how it stands, the phones it holds (for limits) and what to do."""

    check: str
    status: Status
    says: Message
    fix: Message | None = None
    phones: int | None = None


@dataclass(frozen=True)
class Facts:
    """What `gather` found on this machine; `judge` needs nothing else."""

    cores: int
    processes: int
    open_files: int
    open_files_measured: bool  # read from a running app process (else: this process's own limit)
    app_ports: tuple[int, ...]
    proxy: ProxyLimits | None
    proxy_config: Path | None
    proxy_error: str | None
    proxy_required: bool  # the configuration was named, so it must be readable
    database: DatabaseStatus
    address: host.AddressAnswer
    secret_set: bool
    secrets_agree: bool | None  # None: no running processes' settings could be read
    data_dir: Path
    free_disk: int
    expected: int = DEFAULT_PHONES


@dataclass(frozen=True)
class Verdict:
    findings: tuple[Finding, ...]
    phones: int
    expected: int

    @property
    def first_fix(self) -> Finding | None:
        return next((finding for finding in self.findings if finding.status is Status.FIX), None)

    @property
    def ready(self) -> bool:
        return self.first_fix is None

    def line(self, lang: str | None = None) -> str:
        """The one line the check ends with: ready for about N phones, or the first thing to fix."""
        first = self.first_fix
        if first is None:
            return t("check.ready", lang, phones=f"{capacity.about(self.phones):,}")
        assert first.fix is not None
        return t("check.not_ready", lang, fix=first.fix.text(lang))


def judge(facts: Facts) -> Verdict:
    """Every finding in reading order, and how many phones the install holds."""
    findings = [
        _cores(facts),
        _open_files(facts),
        _proxy(facts),
        _database(facts.database),
        _address(facts.address),
        _secret(facts),
        _disk(facts),
    ]
    limits = [finding.phones for finding in findings if finding.phones is not None]
    return Verdict(tuple(findings), min(limits), facts.expected)


def _limit(check: str, phones: int, expected: int, says: Message, fix: Message) -> Finding:
    status = Status.OK if phones >= expected else Status.FIX
    return Finding(check, status, says, fix, phones)


def _cores(facts: Facts) -> Finding:
    phones = capacity.phones_for_cores(facts.cores, facts.processes)
    says = Message(
        "check.cores",
        {
            "cores": facts.cores,
            "processes": facts.processes,
            "phones": f"{phones:,}",
            "per_process": capacity.PHONES_PER_PROCESS,
        },
    )
    finding = _limit("cores", phones, facts.expected, says, Message("check.cores_fix"))
    if finding.status is Status.OK and facts.processes > facts.cores:
        return Finding("cores", Status.NOTE, Message("check.cores_beyond", says.params), finding.fix, phones)
    return finding


def _open_files(facts: Facts) -> Finding:
    phones = capacity.phones_for_app_files(facts.open_files, facts.processes)
    if facts.open_files_measured:
        where = Message("check.files_where_app")
    else:
        ports = ", ".join(str(port) for port in facts.app_ports) or "-"
        where = Message("check.files_where_self", {"ports": ports})
    says = Message(
        "check.open_files",
        {
            "limit": f"{facts.open_files:,}",
            "where": where,
            "phones": f"{phones:,}",
            "per_phone": f"{capacity.CONNECTIONS_PER_PHONE:g}",
            "own": capacity.APP_OWN_FILES,
        },
    )
    fix = Message("check.open_files_fix", {"shipped": capacity.SHIPPED_APP_OPEN_FILES})
    return _limit("open_files", phones, facts.expected, says, fix)


def _proxy(facts: Facts) -> Finding:
    config = str(facts.proxy_config) if facts.proxy_config else str(DEFAULT_CONFIG)
    if facts.proxy_error is not None:
        status = Status.FIX if facts.proxy_required else Status.NOTE
        says = Message("check.proxy_unreadable", {"error": facts.proxy_error})
        return Finding("proxy", status, says, Message("check.proxy_unreadable_fix"))
    proxy = facts.proxy
    if proxy is None or not proxy.serves_hopecircle:
        key = "check.proxy_none_several" if facts.processes > 1 else "check.proxy_none"
        says = Message(key, {"config": config, "per_phone": f"{capacity.PROXY_CONNECTIONS_PER_PHONE:g}"})
        return Finding("proxy", Status.NOTE, says)
    phones = capacity.phones_for_proxy(proxy.worker_connections, proxy.worker_rlimit_nofile)
    files: object = (
        f"{proxy.worker_rlimit_nofile:,}"
        if proxy.worker_rlimit_nofile is not None
        else Message("check.proxy_files_default", {"files": f"{capacity.NGINX_DEFAULT_FILES:,}"})
    )
    says = Message(
        "check.proxy",
        {
            "config": config,
            "connections": f"{proxy.worker_connections:,}",
            "files": files,
            "phones": f"{phones:,}",
            "per_phone": f"{capacity.PROXY_CONNECTIONS_PER_PHONE:g}",
        },
    )
    return _limit("proxy", phones, facts.expected, says, Message("check.proxy_fix"))


def _database(status: DatabaseStatus) -> Finding:
    if not status.exists:
        says = Message("check.database_missing", {"path": status.path or ""})
        return Finding("database", Status.FIX, says, Message("check.database_missing_fix"))
    if not status.reachable:
        says = Message("check.database_unreachable", {"error": status.error})
        return Finding("database", Status.FIX, says, Message("check.database_unreachable_fix"))
    params = {"revision": status.revision or "-", "head": status.head or "-"}
    if not status.known:
        return Finding(
            "database", Status.FIX, Message("check.database_unknown", params), Message("check.database_unknown_fix")
        )
    if not status.up_to_date:
        return Finding(
            "database", Status.FIX, Message("check.database_behind", params), Message("check.database_behind_fix")
        )
    return Finding("database", Status.OK, Message("check.database", params))


def _address(address: host.AddressAnswer) -> Finding:
    if address.url is None:
        return Finding("address", Status.FIX, Message("check.address_none"), Message("check.address_none_fix"))
    params = {"url": address.url, "source": Message(f"check.source_{address.source}"), "error": address.detail}
    if address.answer == "malformed":
        return Finding(
            "address", Status.FIX, Message("check.address_malformed", params), Message("check.address_malformed_fix")
        )
    if address.answer == "nothing":
        return Finding(
            "address", Status.FIX, Message("check.address_nothing", params), Message("check.address_nothing_fix")
        )
    if address.answer == "streamlit":
        return Finding(
            "address", Status.FIX, Message("check.address_streamlit", params), Message("check.address_streamlit_fix")
        )
    if address.answer != "hopecircle":
        return Finding(
            "address", Status.FIX, Message("check.address_other", params), Message("check.address_other_fix")
        )
    if host.is_loopback(address.url):
        return Finding(
            "address", Status.NOTE, Message("check.address_loopback", params), Message("check.address_loopback_fix")
        )
    return Finding("address", Status.OK, Message("check.address", params))


def _secret(facts: Facts) -> Finding:
    fix = Message("check.secret_fix")
    if facts.processes <= 1:
        return Finding("cookie_secret", Status.OK, Message("check.secret_one"))
    if facts.secrets_agree is False:
        return Finding("cookie_secret", Status.FIX, Message("check.secret_differs"), fix)
    if not facts.secret_set and not facts.secrets_agree:
        return Finding(
            "cookie_secret", Status.FIX, Message("check.secret_missing", {"processes": facts.processes}), fix
        )
    return Finding("cookie_secret", Status.OK, Message("check.secret_shared", {"processes": facts.processes}))


def _disk(facts: Facts) -> Finding:
    params = {"path": str(facts.data_dir), "free": _size(facts.free_disk), "needed": _size(TOO_LITTLE_DISK)}
    fix = Message("check.disk_fix", params)
    if facts.free_disk < TOO_LITTLE_DISK:
        return Finding("disk", Status.FIX, Message("check.disk_low", params), fix)
    if facts.free_disk < LOW_DISK:
        return Finding("disk", Status.NOTE, Message("check.disk_low", params), fix)
    return Finding("disk", Status.OK, Message("check.disk", params))


def _size(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:,.1f} GB"
    return f"{size / 1024**2:,.0f} MB"


# -- looking at the machine ----------------------------------------------------------------------


def gather(
    settings: Settings,
    *,
    expected: int = DEFAULT_PHONES,
    processes: int | None = None,
    nginx_conf: Path | None = None,
    port: int = DEFAULT_PORT,
    in_app: bool = False,
) -> Facts:
    """Look at this machine and install. `in_app`: called from inside an app process (the console)."""
    proxy, proxy_error, proxy_config = _read_proxy(nginx_conf)
    serving = proxy is not None and proxy.serves_hopecircle
    if processes is None:
        processes = len(proxy.app_servers) if proxy is not None and serving else 1
    address = network.join_address(settings.public_url, port)
    ports = _app_ports(proxy if serving else None, address.base_url, port)
    pids = [] if in_app else host.listening_pids(ports)
    limits = [limit for limit in (host.open_file_limit(pid) for pid in pids) if limit is not None]
    secrets = None if in_app else host.secrets_agree(pids)
    return Facts(
        cores=host.cores_available(),
        processes=processes,
        open_files=min(limits) if limits else host.own_open_file_limit(),
        open_files_measured=bool(limits) or in_app,
        app_ports=ports,
        proxy=proxy,
        proxy_config=proxy_config,
        proxy_error=proxy_error,
        proxy_required=nginx_conf is not None,
        database=database_status(settings.database_url),
        address=host.ask_address(address.base_url, address.source),
        secret_set=host.secret_configured(),
        secrets_agree=secrets,
        data_dir=settings.data_dir,
        free_disk=host.free_disk(settings.data_dir),
        expected=expected,
    )


def _read_proxy(given: Path | None) -> tuple[ProxyLimits | None, str | None, Path | None]:
    config = given or (DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None)
    if config is None:
        return None, None, None
    try:
        return read_limits(config), None, config
    except ProxyConfigError as error:
        return None, str(error), config


def _app_ports(proxy: ProxyLimits | None, base_url: str | None, port: int) -> tuple[int, ...]:
    """Where this machine's app processes listen: the proxy's upstream, the address's own port, or `port`."""
    if proxy is not None and proxy.app_ports:
        return proxy.app_ports
    parts = host.web_address(base_url) if base_url is not None else None
    if parts is not None and base_url is not None and host.is_loopback(base_url):
        return (parts.port or (443 if parts.scheme == "https" else 80),)
    return (port,)
