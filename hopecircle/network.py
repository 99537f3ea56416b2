"""Which address phones should use to reach this app: a configured public URL, else the LAN address."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlencode

import psutil

_VIRTUAL_PREFIXES = (
    "docker",
    "br-",
    "veth",
    "virbr",
    "vmnet",
    "vboxnet",
    "utun",
    "tun",
    "tap",
    "lo",
    "zt",
    "tailscale",
    "wg",
)


@dataclass(frozen=True)
class JoinAddress:
    """Where phones join, and how the console should describe it."""

    base_url: str | None
    source: str  # "configured", "lan" or "none"
    host: str | None = None

    def join_url(self, code: str) -> str | None:
        """The URL a QR code carries for join code `code`."""
        if self.base_url is None:
            return None
        return f"{self.base_url}/?{urlencode({'code': code})}"


def _candidate_addresses() -> list[tuple[str, str]]:
    """(interface, IPv4 address) pairs for interfaces that are up, virtual ones last."""
    stats = psutil.net_if_stats()
    found = []
    for name, addresses in psutil.net_if_addrs().items():
        if name in stats and not stats[name].isup:
            continue
        for address in addresses:
            if address.family == socket.AF_INET:
                found.append((name, address.address))
    return found


def pick_lan_address(candidates: list[tuple[str, str]]) -> str | None:
    """The address phones on the same Wi-Fi are most likely to reach: private, not loopback, not virtual."""
    ranked = []
    for name, raw in candidates:
        try:
            ip = ipaddress.IPv4Address(raw)
        except ValueError:
            continue
        if ip.is_loopback or ip.is_link_local or ip.is_unspecified:
            continue
        virtual = name.lower().startswith(_VIRTUAL_PREFIXES)
        # Home and venue Wi-Fi is almost always 192.168.x or 10.x; 172.16/12 is often a container bridge.
        preference = 0 if raw.startswith(("192.168.", "10.")) else 1 if ip.is_private else 2
        ranked.append((virtual, preference, raw))
    return min(ranked)[2] if ranked else None


def join_address(public_url: str | None, port: int, candidates: list[tuple[str, str]] | None = None) -> JoinAddress:
    """A configured public URL wins; otherwise this machine's LAN address on `port`; never localhost."""
    if public_url:
        return JoinAddress(base_url=public_url.rstrip("/"), source="configured")
    host = pick_lan_address(_candidate_addresses() if candidates is None else candidates)
    if host is None:
        return JoinAddress(base_url=None, source="none")
    suffix = "" if port == 80 else f":{port}"
    return JoinAddress(base_url=f"http://{host}{suffix}", source="lan", host=host)
