"""nginx as a venue installs it, in a throwaway prefix: Debian's stock nginx.conf plus the shipped files.

README.md ("Scaling out") tells a venue to install nginx from Debian and run
`deploy/nginx/install.sh`, which puts `hopecircle-main.conf` in `modules-enabled/`,
`hopecircle.conf` in `conf.d/`, and raises `worker_connections` in nginx.conf. `install` does
exactly that to a copy of the stock files, so what the load harness and the capacity test
measure is what a venue runs. `limits=False` puts only the site in `conf.d/`: the install that
refused phones past a few hundred.

Then, as a venue edits its copy of the site: the app processes' ports, `listen` and
`server_name`. And to run unprivileged in the prefix, nothing more:

- the absolute paths of the stock nginx.conf move into the prefix (`/etc/nginx/` for its
  includes and mime.types, `/run/` for the pid file, `/var/log/nginx/` for the logs);
- `conf.d/00-prefix-temp.conf` puts nginx's temporary files in the prefix (Debian builds them
  into `/var/lib/nginx`, which only root may create);
- `sites-enabled/` stays empty: Debian's default site listens on port 80, which only root may
  bind (README tells the venue to mind it: it answers addresses no server_name matches);
- nginx starts with `-g "daemon off;"` (the harness holds its pid) and `-e` for the error log of
  its first moments. `user www-data;` stays: nginx ignores it when not started as root.

Limits, worker counts and everything else are the stock file's and the shipped files'.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "nginx"
INSTALL_SCRIPT = DEPLOY / "install.sh"
SITE = DEPLOY / "hopecircle.conf"
STOCK = Path("/etc/nginx")
# The stock nginx.conf's absolute paths, and where they go in the prefix.
RELOCATED = {"/etc/nginx/": "etc/nginx/", "/run/": "run/", "/var/log/nginx/": "logs/"}
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def stock_config() -> Path:
    """Debian's nginx.conf as the package installed it (RuntimeError if missing or edited on this machine)."""
    path = STOCK / "nginx.conf"
    if not path.is_file():
        raise RuntimeError("nginx is not installed: scripts/test-system-deps.sh installs Debian's nginx")
    expected = _packaged_md5(path)
    if expected is not None and hashlib.md5(path.read_bytes()).hexdigest() != expected:
        raise RuntimeError(f"{path} is not the file Debian's nginx-common installed: the install must start from it")
    return path


def _packaged_md5(path: Path) -> str | None:
    """The checksum dpkg recorded for the stock file, or None where dpkg cannot say."""
    try:
        listed = subprocess.run(
            ["dpkg-query", "-W", "-f=${Conffiles}\n", "nginx-common"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return None
    for line in listed.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == str(path):
            return parts[1]
    return None


def install(prefix: Path, ports: list[int], listen_port: int, *, limits: bool = True) -> Path:
    """Stock nginx with HopeCircle's files in `prefix`, in front of `ports`; returns its nginx.conf."""
    etc = prefix / "etc" / "nginx"
    shutil.rmtree(etc, ignore_errors=True)  # a fresh install each time (the logs of an earlier start stay)
    for folder in (
        etc / "modules-enabled",
        etc / "conf.d",
        etc / "sites-enabled",
        *(prefix / name for name in ("run", "logs", "temp")),
    ):
        folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stock_config(), etc / "nginx.conf")
    shutil.copyfile(STOCK / "mime.types", etc / "mime.types")
    if limits:
        done = subprocess.run(["sh", str(INSTALL_SCRIPT), str(etc)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"deploy/nginx/install.sh failed:\n{done.stdout}{done.stderr}")
    else:
        shutil.copyfile(SITE, etc / "conf.d" / "hopecircle.conf")
    site = etc / "conf.d" / "hopecircle.conf"
    site.write_text(point_site(site.read_text(), ports, listen_port))
    config = etc / "nginx.conf"
    config.write_text(relocate(config.read_text(), prefix))
    temp = "".join(f"{name}_temp_path {prefix / 'temp' / name};\n" for name in TEMP_PATHS)
    (etc / "conf.d" / "00-prefix-temp.conf").write_text(
        "# Written by bench/load/proxy.py: temporary files in the test prefix, not /var/lib/nginx.\n" + temp
    )
    return config


def point_site(site: str, ports: list[int], listen_port: int) -> str:
    """The site with the app processes' ports, a loopback `listen` and `server_name`, as a venue edits it."""
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=0;\n" for port in ports)
    site, replaced = re.subn(r"(?ms)^\s*# --- app processes ---\n.*?^\s*# --- end app processes ---\n", servers, site)
    if replaced != 1:
        raise ValueError(f"{SITE} lost its '# --- app processes ---' block")
    site = re.sub(r"(?m)^(\s*)listen\s+[^;]+;", rf"\1listen 127.0.0.1:{listen_port};", site, count=1)
    return re.sub(r"(?m)^(\s*)server_name\s+[^;]+;", r"\1server_name localhost;", site, count=1)


def relocate(config: str, prefix: Path) -> str:
    """The stock nginx.conf with its absolute paths moved into `prefix`, and no other change."""
    for stock, moved in RELOCATED.items():
        config = config.replace(f" {stock}", f" {prefix / moved}/")
    return config


def command(binary: str, config: Path) -> list[str]:
    """How the harness starts nginx on an installed prefix (in the foreground, so it holds the pid)."""
    prefix = config.parents[2]
    return [binary, "-e", str(prefix / "logs" / "error.log"), "-p", str(prefix), "-c", str(config), "-g", "daemon off;"]
