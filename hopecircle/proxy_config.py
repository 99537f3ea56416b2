"""What an nginx configuration lets HopeCircle's room have: its connection and file limits, its app processes.

The preflight (`hopecircle/preflight.py`) reads nginx's main file and every file it includes,
the way nginx does (globs, paths relative to the main file's folder), without running nginx:
`nginx -T` needs the rights nginx starts with, and a venue's IT person runs the check as
themselves. HopeCircle's part is found by the upstream the shipped site defines,
`hopecircle_app` (deploy/nginx/hopecircle.conf).
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

UPSTREAM_NAME = "hopecircle_app"
DEFAULT_CONFIG = Path("/etc/nginx/nginx.conf")
NGINX_DEFAULT_WORKER_CONNECTIONS = 512  # when the events block sets none
MAX_INCLUDES = 500


class ProxyConfigError(Exception):
    """The configuration cannot be read: a missing or unreadable file, or unbalanced braces."""


@dataclass(frozen=True)
class Directive:
    """One directive where nginx reads it: its words, its enclosing blocks, its file and line."""

    words: tuple[str, ...]
    blocks: tuple[str, ...]
    file: Path
    line: int

    @property
    def name(self) -> str:
        return self.words[0]


@dataclass(frozen=True)
class ProxyLimits:
    """The figures of one nginx configuration that decide how many phones it holds."""

    config: Path
    worker_connections: int
    worker_rlimit_nofile: int | None
    worker_processes: str | None
    app_servers: tuple[str, ...]
    sources: dict[str, Path] = field(default_factory=dict)

    @property
    def serves_hopecircle(self) -> bool:
        """Whether the configuration has HopeCircle's upstream with at least one app process."""
        return bool(self.app_servers)

    @property
    def app_ports(self) -> tuple[int, ...]:
        """The loopback ports of the app processes (`server 127.0.0.1:8501 ...`)."""
        ports = []
        for server in self.app_servers:
            host, _, port = server.rpartition(":")
            if host in ("127.0.0.1", "localhost", "[::1]") and port.isdigit():
                ports.append(int(port))
        return tuple(ports)


def read_limits(config: Path = DEFAULT_CONFIG) -> ProxyLimits:
    """The limits of the nginx configuration whose main file is `config` (ProxyConfigError if unreadable)."""
    directives = read_directives(config)
    connections = NGINX_DEFAULT_WORKER_CONNECTIONS
    nofile: int | None = None
    processes: str | None = None
    servers: list[str] = []
    sources: dict[str, Path] = {}
    for directive in directives:
        words, blocks = directive.words, directive.blocks
        if words[0] == "worker_connections" and blocks == ("events",):
            connections = _number(directive)
            sources["worker_connections"] = directive.file
        elif words[0] == "worker_rlimit_nofile" and blocks == ():
            nofile = _number(directive)
            sources["worker_rlimit_nofile"] = directive.file
        elif words[0] == "worker_processes" and blocks == () and len(words) > 1:
            processes = words[1]
            sources["worker_processes"] = directive.file
        elif words[0] == "server" and blocks == ("http", f"upstream {UPSTREAM_NAME}") and len(words) > 1:
            servers.append(words[1])
            sources.setdefault("upstream", directive.file)
    return ProxyLimits(config, connections, nofile, processes, tuple(servers), sources)


def read_directives(config: Path) -> list[Directive]:
    """Every directive of `config` and the files it includes, in nginx's reading order."""
    directives: list[Directive] = []
    _read_file(config, config.parent, (), directives, [0])
    return directives


def _number(directive: Directive) -> int:
    if len(directive.words) < 2 or not directive.words[1].isdigit():
        raise ProxyConfigError(f"{directive.file}:{directive.line}: {directive.name} needs a number")
    return int(directive.words[1])


def _read_file(path: Path, prefix: Path, blocks: tuple[str, ...], out: list[Directive], count: list[int]) -> None:
    count[0] += 1
    if count[0] > MAX_INCLUDES:
        raise ProxyConfigError(f"more than {MAX_INCLUDES} included files (an include that includes itself?)")
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise ProxyConfigError(f"{path}: {error.strerror or error}") from error
    stack = list(blocks)
    words: list[str] = []
    start_line = 1
    for token, line in _tokens(text):
        if not words and token not in ("{", "}", ";"):
            start_line = line
        if token == ";":
            if not words:
                continue
            directive = Directive(tuple(words), tuple(stack), path, start_line)
            if directive.name == "include" and len(words) > 1:
                for included in _matches(words[1], prefix):
                    _read_file(included, prefix, tuple(stack), out, count)
            else:
                out.append(directive)
            words = []
        elif token == "{":
            if not words:
                raise ProxyConfigError(f"{path}:{line}: a block with no name")
            stack.append(" ".join(words))
            words = []
        elif token == "}":
            if words or len(stack) <= len(blocks):
                raise ProxyConfigError(f"{path}:{line}: an unexpected '}}'")
            stack.pop()
        else:
            words.append(token)
    if words or len(stack) != len(blocks):
        raise ProxyConfigError(f"{path}: ends inside a directive or block")


def _matches(pattern: str, prefix: Path) -> list[Path]:
    full = pattern if pattern.startswith("/") else str(prefix / pattern)
    if glob.has_magic(full):
        return [Path(match) for match in sorted(glob.glob(full)) if Path(match).is_file()]
    return [Path(full)]  # nginx refuses a missing file that names no pattern; so does reading it


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """nginx's words, `;`, `{` and `}`, each with its line; comments and quotes handled."""
    index, line, size = 0, 1, len(text)
    while index < size:
        char = text[index]
        if char == "\n":
            line += 1
            index += 1
        elif char.isspace():
            index += 1
        elif char == "#":
            while index < size and text[index] != "\n":
                index += 1
        elif char in ";{}":
            yield char, line
            index += 1
        elif char in "\"'":
            end = index + 1
            value = []
            while end < size and text[end] != char:
                if text[end] == "\\" and end + 1 < size:
                    end += 1
                if text[end] == "\n":
                    line += 1
                value.append(text[end])
                end += 1
            yield "".join(value), line
            index = end + 1
        else:
            end = index
            while end < size and not text[end].isspace() and text[end] not in ";{}":
                if text[end] == "$" and end + 1 < size and text[end + 1] == "{":  # ${variable}
                    end = text.find("}", end)
                    if end < 0:
                        end = size
                end += 1
            yield text[index:end], line
            index = end
