"""How many phones a limit holds: the one arithmetic behind the deploy files, the README and the preflight.

Measured figures (docs/performance.md): one app process serves 300 phones within every target
on one core, and a process never uses more than one core. A phone holds about 2.5 connections at
the peak (its page's requests, its stream, its held question, its posts), and nginx opens one
to an app process for each: a venue saw about 5,000 proxy connections for 1,000 phones, and a
load run of 300 phones 1,558 open files in nginx. Every connection is an open file, in nginx and
in the app process.
"""

from __future__ import annotations

import math

PHONES_PER_PROCESS = 300
# A phone's connections at the peak; each ends in an app process (through the proxy or not).
CONNECTIONS_PER_PHONE = 2.5
# nginx holds both ends of each: the phone's connection and its own to the app.
PROXY_CONNECTIONS_PER_PHONE = 2 * CONNECTIONS_PER_PHONE
# Files an app process keeps for itself: the database (with its WAL) per pooled connection,
# libraries, logs, its listening socket.
APP_OWN_FILES = 100
# What nginx's workers may open when nothing raises it: systemd's default soft limit, which
# Debian's nginx.service keeps.
NGINX_DEFAULT_FILES = 1024

# What the shipped files set (deploy/nginx/install.sh, hopecircle-main.conf, the systemd unit,
# the Dockerfile); tests/unit/test_deploy_files.py keeps them in step.
SHIPPED_WORKER_CONNECTIONS = 8192
SHIPPED_WORKER_RLIMIT_NOFILE = 16384
SHIPPED_APP_OPEN_FILES = 16384
STOCK_WORKER_CONNECTIONS = 768  # Debian's /etc/nginx/nginx.conf


def phones_for_cores(cores: int, processes: int) -> int:
    """Phones the app processes serve within every target: one core each at most."""
    return max(0, min(cores, processes)) * PHONES_PER_PROCESS


def phones_for_app_files(open_files: int, processes: int = 1) -> int:
    """Phones `processes` app processes can hold connections for, each with `open_files` open files."""
    per_process = max(0, open_files - APP_OWN_FILES) / CONNECTIONS_PER_PHONE
    return math.floor(per_process) * max(0, processes)


def proxy_connections(worker_connections: int, worker_files: int | None) -> int:
    """Connections one nginx worker can hold: its worker_connections, if it may open that many files."""
    files = worker_files if worker_files is not None else NGINX_DEFAULT_FILES
    return max(0, min(worker_connections, files))


def phones_for_proxy(worker_connections: int, worker_files: int | None) -> int:
    """Phones nginx holds, counted on one worker: new connections may all go to the same one.

    (Without an accept mutex, nginx 1.11.3 and later lets the kernel wake one waiting worker per
    new connection, and it often wakes the same one; a worker out of connections drops what it
    accepts even while the others have room.)
    """
    return math.floor(proxy_connections(worker_connections, worker_files) / PROXY_CONNECTIONS_PER_PHONE)


def about(phones: int) -> int:
    """A round figure to say aloud, never above `phones`: 1,638 is about 1,600; 369 about 360."""
    if phones < 100:
        return max(0, phones)
    step = 10 ** (len(str(phones)) - 2)
    return phones - phones % step
