"""The deployment files stay in step with the repository and with the capacity arithmetic.

The install script and the start commands' open-file lines run here for real; the nginx that
uses them runs in `tests/e2e/test_venue_capacity.py`.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
from pathlib import Path

from hopecircle import capacity

ROOT = Path(__file__).resolve().parents[2]


def test_the_dockerfile_copies_everything_the_app_needs_and_runs_unprivileged():
    lines = [line.strip() for line in (ROOT / "deploy" / "Dockerfile").read_text().splitlines()]
    copied = {line.split()[1] for line in lines if line.startswith("COPY ")}
    assert {
        "requirements.txt",
        "workshop_app.py",
        "serve.py",
        ".streamlit",
        "pages",
        "hopecircle",
        "stories",
        "facilitator_guides",
    } <= copied
    for name in copied:
        assert (ROOT / name).exists(), name
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert lines.index(next(line for line in lines if line.startswith("USER "))) > max(
        i for i, line in enumerate(lines) if line.startswith("RUN ")
    )


def test_the_systemd_unit_runs_the_app_with_its_room_endpoint_as_its_own_user_on_loopback():
    unit = (ROOT / "deploy" / "systemd" / "hopecircle@.service").read_text()
    assert "User=hopecircle" in unit
    assert "streamlit run serve.py" in unit and "--server.address 127.0.0.1" in unit


def test_every_way_of_starting_the_app_serves_the_room_endpoint():
    """`serve.py` mounts the endpoint phones ask between redraws; `workshop_app.py` alone has none."""
    starts = {
        "scripts/run.sh": (ROOT / "scripts" / "run.sh").read_text(),
        "deploy/Procfile": (ROOT / "deploy" / "Procfile").read_text(),
        "deploy/Dockerfile": (ROOT / "deploy" / "Dockerfile").read_text(),
    }
    for name, text in starts.items():
        assert "run serve.py" in text or '"run", "serve.py"' in text, name
        assert "run workshop_app.py" not in text and '"run", "workshop_app.py"' not in text, name


def test_the_procfile_runs_more_than_one_process_on_different_ports():
    entries = [
        line for line in (ROOT / "deploy" / "Procfile").read_text().splitlines() if line and not line.startswith("#")
    ]
    ports = {line.split("--server.port")[1].split()[0] for line in entries}
    assert len(entries) >= 2 and len(ports) == len(entries)


def test_retention_has_a_timer_that_runs_the_command():
    service = (ROOT / "deploy" / "systemd" / "hopecircle-retention.service").read_text()
    timer = (ROOT / "deploy" / "systemd" / "hopecircle-retention.timer").read_text()
    assert "python -m hopecircle retention" in service and "User=hopecircle" in service
    assert "OnCalendar=hourly" in timer


# -- the limits a room needs ----------------------------------------------------------------------

INSTALL = ROOT / "deploy" / "nginx" / "install.sh"
MAIN_SNIPPET = ROOT / "deploy" / "nginx" / "hopecircle-main.conf"
# Debian's stock nginx.conf, as far as the install cares (the events block and the includes).
STOCK_LIKE = """user www-data;
worker_processes auto;
pid /run/nginx.pid;
include /etc/nginx/modules-enabled/*.conf;

events {
	worker_connections 768;
	# multi_accept on;
}

http {
	include /etc/nginx/conf.d/*.conf;
}
"""


def _install(etc: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", str(INSTALL), str(etc)], capture_output=True, text=True, check=False)


def _shell_value(name: str) -> int:
    found = re.search(rf"(?m)^{name}=(\d+)$", INSTALL.read_text())
    assert found, name
    return int(found.group(1))


def test_the_shipped_limits_are_the_ones_the_capacity_arithmetic_counts_on():
    assert _shell_value("WORKER_CONNECTIONS") == capacity.SHIPPED_WORKER_CONNECTIONS
    assert _shell_value("RLIMIT_NOFILE") == capacity.SHIPPED_WORKER_RLIMIT_NOFILE
    snippet = [line for line in MAIN_SNIPPET.read_text().splitlines() if line and not line.startswith("#")]
    assert snippet == [f"worker_rlimit_nofile {capacity.SHIPPED_WORKER_RLIMIT_NOFILE};"]
    unit = (ROOT / "deploy" / "systemd" / "hopecircle@.service").read_text()
    assert f"\nLimitNOFILE={capacity.SHIPPED_APP_OPEN_FILES}\n" in unit
    # A worker may open every connection it is allowed: nginx warns otherwise, and refuses phones.
    assert capacity.SHIPPED_WORKER_RLIMIT_NOFILE >= capacity.SHIPPED_WORKER_CONNECTIONS
    # The shipped limits hold the room the capacity test holds (1,200 phones), the stock ones do not.
    assert capacity.phones_for_proxy(capacity.SHIPPED_WORKER_CONNECTIONS, capacity.SHIPPED_WORKER_RLIMIT_NOFILE) > 1200
    assert capacity.phones_for_proxy(capacity.STOCK_WORKER_CONNECTIONS, None) < 200


def test_the_deploy_files_say_how_many_phones_each_setting_holds():
    def about(phones: int) -> str:
        return f"about {capacity.about(phones):,}"

    main = MAIN_SNIPPET.read_text()
    assert f"worker_connections 8192 holds {about(capacity.phones_for_proxy(8192, 16384))} phones" in main
    assert f"(stock Debian's 768: {about(capacity.phones_for_proxy(768, None))})" in main
    assert f"systemd gives it: {about(capacity.phones_for_proxy(8192, None))} phones" in main
    unit = (ROOT / "deploy" / "systemd" / "hopecircle@.service").read_text()
    assert f"default of 1,024 holds {about(capacity.phones_for_app_files(1024))} phones a process" in unit
    assert f"16384 holds {about(capacity.phones_for_app_files(16384))}," in unit
    docker = (ROOT / "deploy" / "Dockerfile").read_text()
    assert f"1,024 ({about(capacity.phones_for_app_files(1024))} phones)" in docker
    assert f"16384 ({about(capacity.phones_for_app_files(16384))} phones)" in docker


def test_install_puts_the_pieces_where_stock_debian_reads_them_and_raises_only_worker_connections(tmp_path):
    etc = tmp_path / "nginx"
    etc.mkdir()
    (etc / "nginx.conf").write_text(STOCK_LIKE)

    done = _install(etc)

    assert done.returncode == 0, done.stderr
    assert (etc / "modules-enabled" / "90-hopecircle.conf").read_text() == MAIN_SNIPPET.read_text()
    assert (etc / "conf.d" / "hopecircle.conf").read_text() == (ROOT / "deploy/nginx/hopecircle.conf").read_text()
    assert (etc / "nginx.conf").read_text() == STOCK_LIKE.replace("worker_connections 768;", "worker_connections 8192;")
    assert (etc / "nginx.conf.before-hopecircle").read_text() == STOCK_LIKE
    assert "raised: worker_connections 768 -> 8192" in done.stdout


def test_install_run_again_keeps_the_venues_site_and_changes_nothing_more(tmp_path):
    etc = tmp_path / "nginx"
    etc.mkdir()
    (etc / "nginx.conf").write_text(STOCK_LIKE)
    assert _install(etc).returncode == 0
    site = etc / "conf.d" / "hopecircle.conf"
    site.write_text(site.read_text().replace("circle.example.org", "circle.venue.test"))
    installed = (etc / "nginx.conf").read_text()

    again = _install(etc)

    assert again.returncode == 0, again.stderr
    assert "circle.venue.test" in site.read_text() and (etc / "nginx.conf").read_text() == installed
    assert "kept: worker_connections 8192" in again.stdout


def test_install_adds_worker_connections_where_nginx_conf_sets_none(tmp_path):
    etc = tmp_path / "nginx"
    etc.mkdir()
    (etc / "nginx.conf").write_text(STOCK_LIKE.replace("\tworker_connections 768;\n", ""))

    assert _install(etc).returncode == 0
    assert "events {\n\tworker_connections 8192;\n" in (etc / "nginx.conf").read_text()


def test_install_refuses_to_set_worker_rlimit_nofile_twice_and_says_where_to_raise_it(tmp_path):
    etc = tmp_path / "nginx"
    etc.mkdir()
    (etc / "nginx.conf").write_text("worker_rlimit_nofile 4096;\n" + STOCK_LIKE)

    refused = _install(etc)

    assert refused.returncode == 1
    assert "sets worker_rlimit_nofile 4096: raise it there to 16384" in refused.stderr
    assert not (etc / "modules-enabled" / "90-hopecircle.conf").exists()


def test_install_says_so_when_there_is_no_nginx_conf(tmp_path):
    refused = _install(tmp_path)
    assert refused.returncode == 1 and "install nginx first" in refused.stderr


def _raised_limit(script: str, soft: int, hard: int, shell: str) -> int:
    """Run `script`'s open-file line under a soft and hard limit; the soft limit it leaves."""
    if shutil.which("prlimit") is None:
        raise RuntimeError("prlimit (util-linux) is needed to run the start commands with a given limit")
    done = subprocess.run(
        ["prlimit", f"--nofile={soft}:{hard}", shell, "-c", f"{script}\nulimit -Sn"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1])


def _docker_start() -> str:
    cmd = next(line for line in (ROOT / "deploy" / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    shell = json.loads(cmd.removeprefix("CMD "))
    assert shell[:2] == ["sh", "-c"] and "exec python -m streamlit run serve.py" in shell[2]
    return shell[2].split("; exec ")[0]


def _run_sh_start() -> str:
    return next(line for line in (ROOT / "scripts" / "run.sh").read_text().splitlines() if "ulimit -Sn" in line)


def test_the_container_and_run_sh_raise_a_low_open_file_limit_as_far_as_the_hard_limit_allows():
    shipped = capacity.SHIPPED_APP_OPEN_FILES
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    roomy = shipped + 100 if hard == resource.RLIM_INFINITY else min(hard, shipped + 100)
    for script, shell in ((_docker_start(), "sh"), (_run_sh_start(), "bash")):
        if roomy > shipped:
            assert _raised_limit(script, 1024, roomy, shell) == shipped
        assert _raised_limit(script, 1024, 4096, shell) == 4096  # as far as the hard limit allows
        assert _raised_limit(script, roomy, roomy, shell) == roomy  # never lowered


def test_the_readme_names_each_setting_with_the_phones_it_holds_and_the_check():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Scaling out", 1)[1].split("\n## ", 1)[0]

    def about(phones: int) -> str:
        return f"about {capacity.about(phones):,}"

    shipped = capacity.phones_for_proxy(capacity.SHIPPED_WORKER_CONNECTIONS, capacity.SHIPPED_WORKER_RLIMIT_NOFILE)
    rows = {line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| `")}
    assert (
        f"{about(shipped)} (stock Debian's 768: {about(capacity.phones_for_proxy(768, None))})"
        in rows["`worker_connections`"]
    )
    assert f"systemd's 1,024 files: {about(capacity.phones_for_proxy(8192, None))}" in rows["`worker_rlimit_nofile`"]
    per_process = about(capacity.phones_for_app_files(capacity.SHIPPED_APP_OPEN_FILES))
    assert (
        f"{per_process} a process (systemd's default 1,024: {about(capacity.phones_for_app_files(1024))})"
        in rows["`LimitNOFILE`"]
    )
    assert per_process in rows["`--ulimit nofile`"]
    for named in (
        "sudo sh deploy/nginx/install.sh",
        "modules-enabled/90-hopecircle.conf",
        "python -m hopecircle check",
    ):
        assert named in section, named


def test_the_proxy_sets_the_apps_security_headers_once_with_the_same_values():
    from hopecircle.http.headers import security_headers

    conf = (ROOT / "deploy" / "nginx" / "hopecircle.conf").read_text(encoding="utf-8")
    app = security_headers()
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"):
        assert f"proxy_hide_header {name};" in conf
        assert f'add_header {name} "{app[name]}" always;' in conf
    assert "server_tokens off;" in conf and "Content-Security-Policy" not in conf.split("proxy_hide_header")[-1]
