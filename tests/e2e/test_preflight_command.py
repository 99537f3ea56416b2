"""`python -m hopecircle check` against real installs: a good one behind nginx, and bad ones.

Each test starts what a venue would have running (app processes through the load harness, with
the systemd unit's open-file limit; nginx installed as the README says) and runs the command in
a subprocess, as a venue's IT person would, reading its output and exit status.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from bench.load import servers
from hopecircle import capacity, host
from tests.e2e.conftest import ROOT


def check(*args: str, env: dict[str, str], open_files: int | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a venue runs it; `open_files` sets its shell's limit (`ulimit -n`)."""

    def limit() -> None:
        if open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

    return subprocess.run(
        [sys.executable, "-m", "hopecircle", "check", *args],
        cwd=ROOT,
        env={**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
        check=False,
    )


def lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return done.stdout.strip().splitlines()


def no_proxy(tmp_path: Path) -> Path:
    """An nginx configuration with no HopeCircle site, so the machine's own /etc/nginx says nothing here."""
    path = tmp_path / "nginx.conf"
    path.write_text("events {}\nhttp {}\n")
    return path


def test_a_good_install_behind_nginx_is_ready_for_what_its_cores_serve(tmp_path):
    data = tmp_path / "data"
    deployment = servers.deploy(1, tmp_path, env={"HOPECIRCLE_DATA_DIR": str(data)}, proxy=True)
    try:
        public = deployment.targets[0]  # nginx's address: what the apps were told phones use
        config = tmp_path / "nginx" / "etc" / "nginx" / "nginx.conf"

        done = check(
            "--nginx-conf", str(config), env={"HOPECIRCLE_DATA_DIR": str(data), "HOPECIRCLE_PUBLIC_URL": public}
        )
    finally:
        deployment.stop()

    assert done.returncode == 0, done.stdout + done.stderr
    out = lines(done)
    files = capacity.phones_for_app_files(servers.unit_open_files())
    assert (
        f"  [ok] Open files an app process may have: 16,384 (the running app's own limit): about {files:,} phones"
        in ("\n".join(out))
    )
    proxy = capacity.phones_for_proxy(capacity.SHIPPED_WORKER_CONNECTIONS, capacity.SHIPPED_WORKER_RLIMIT_NOFILE)
    assert f"worker_connections 8,192, open files a worker may have 16,384: about {proxy:,} phones" in done.stdout
    assert "[ok] Database: reachable, schema up to date" in done.stdout
    # Answered by HopeCircle through nginx; a loopback address is only a note (a test cannot use the Wi-Fi).
    assert f"[note] Phones' address: {public} (HOPECIRCLE_PUBLIC_URL) is answered by HopeCircle" in done.stdout
    phones = min(capacity.phones_for_cores(host.cores_available(), 1), files, proxy)
    assert out[-1] == f"Ready for about {capacity.about(phones):,} phones."


def test_a_low_open_file_limit_and_an_unreachable_address_say_what_to_fix_first(tmp_path):
    nobody = f"http://127.0.0.1:{servers.free_port()}"

    done = check(
        "--nginx-conf",
        str(no_proxy(tmp_path)),
        env={"HOPECIRCLE_DATA_DIR": str(tmp_path / "data"), "HOPECIRCLE_PUBLIC_URL": nobody},
        open_files=128,
    )

    assert done.returncode == 1
    out = "\n".join(lines(done))
    assert "[fix] Open files an app process may have: 128 (this shell's limit" in out
    assert f"[fix] Phones' address: nothing answers at {nobody} (HOPECIRCLE_PUBLIC_URL)" in out
    assert "[fix] Database: there is none at" in out  # nothing has started on this data folder
    assert lines(done)[-1] == (
        "Not ready. Fix this first: Raise the app processes' open-file limit to 16384: LimitNOFILE=16384 in the "
        "systemd unit, 'ulimit -n 16384' in the shell that starts the app, or --ulimit nofile=16384:16384 for Docker."
    )


def test_the_check_reads_the_running_apps_own_open_file_limit_not_its_shells(tmp_path):
    data = tmp_path / "data"
    apps = servers.start_apps(1, tmp_path, env={"HOPECIRCLE_DATA_DIR": str(data)}, open_files=200)
    try:
        env = {"HOPECIRCLE_DATA_DIR": str(data), "HOPECIRCLE_PUBLIC_URL": apps[0].base}
        done = check("--nginx-conf", str(no_proxy(tmp_path)), "--phones", "100", env=env)
        spanish = check("--nginx-conf", str(no_proxy(tmp_path)), "--phones", "100", "--lang", "es", env=env)
    finally:
        servers.stop_process(apps[0].process)

    assert done.returncode == 1
    assert "[fix] Open files an app process may have: 200 (the running app's own limit): about 40 phones" in done.stdout
    assert lines(done)[-1].startswith("Not ready. Fix this first: Raise the app processes' open-file limit")
    assert spanish.returncode == 1
    assert "[corregir] Archivos abiertos que puede tener un proceso de la app: 200 (el límite de la app en marcha)" in (
        spanish.stdout
    )
    assert lines(spanish)[-1].startswith("No está lista. Corrige esto primero: Sube el límite")


def test_two_processes_without_a_shared_cookie_secret_and_an_address_that_is_not_hopecircle(tmp_path, taken_port):
    """`taken_port` is another server answering every request with 200 "ok": not HopeCircle."""
    done = check(
        "--nginx-conf",
        str(no_proxy(tmp_path)),
        "--processes",
        "2",
        env={"HOPECIRCLE_DATA_DIR": str(tmp_path / "data"), "HOPECIRCLE_PUBLIC_URL": f"http://127.0.0.1:{taken_port}"},
    )

    assert done.returncode == 1
    assert "[fix] Phones' address: a Streamlit app answers at" in done.stdout
    assert "[fix] Cookie secret: 2 app processes, and no shared cookie secret is set." in done.stdout


def test_bad_options_get_a_clear_message(tmp_path):
    done = check("--phones", "many", env={"HOPECIRCLE_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 2 and "--phones: 'many' is not a whole number" in done.stderr
    done = check("--processes", "0", env={"HOPECIRCLE_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 2 and "--processes: 0 must be at least 1" in done.stderr
