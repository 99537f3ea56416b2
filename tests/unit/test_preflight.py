"""The preflight's verdict from what it found: findings in reading order, phones held, the first thing to fix.

`judge` takes plain facts, so every case here is one machine described in a few fields. Reading
nginx's configuration runs on real files in a temporary folder. `tests/e2e/test_preflight_command.py`
runs the command against real app processes and nginx.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
from pathlib import Path

import pytest

from hopecircle import capacity, host, preflight
from hopecircle.config import load_settings
from hopecircle.host import AddressAnswer
from hopecircle.preflight import Facts, Status
from hopecircle.proxy_config import ProxyConfigError, ProxyLimits, read_directives, read_limits
from hopecircle.store.status import DatabaseStatus

GB = 1024**3


def shipped_proxy(servers: tuple[str, ...] = ("127.0.0.1:8501", "127.0.0.1:8502")) -> ProxyLimits:
    return ProxyLimits(Path("/etc/nginx/nginx.conf"), 8192, 16384, "auto", servers)


def good(**changes: object) -> Facts:
    """A 2-core machine with two app processes behind the shipped nginx: everything in order."""
    facts = Facts(
        cores=2,
        processes=2,
        open_files=16384,
        open_files_measured=True,
        app_ports=(8501, 8502),
        proxy=shipped_proxy(),
        proxy_config=Path("/etc/nginx/nginx.conf"),
        proxy_error=None,
        proxy_required=False,
        database=DatabaseStatus(reachable=True, revision="0005", head="0005"),
        address=AddressAnswer("https://circle.example.org", "configured", "hopecircle"),
        secret_set=True,
        secrets_agree=True,
        data_dir=Path("/var/lib/hopecircle"),
        free_disk=50 * GB,
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def finding(verdict: preflight.Verdict, check: str) -> preflight.Finding:
    return next(item for item in verdict.findings if item.check == check)


def test_a_good_install_is_ready_for_what_its_cores_serve():
    verdict = preflight.judge(good())

    assert verdict.ready and verdict.first_fix is None
    assert [item.check for item in verdict.findings] == [
        "cores",
        "open_files",
        "proxy",
        "database",
        "address",
        "cookie_secret",
        "disk",
    ]
    assert all(item.status is Status.OK for item in verdict.findings)
    assert verdict.phones == 2 * capacity.PHONES_PER_PROCESS
    assert verdict.line() == "Ready for about 600 phones."
    assert verdict.line("es") == "Lista para unos 600 teléfonos."


def test_a_low_open_file_limit_is_the_first_thing_to_fix():
    verdict = preflight.judge(good(open_files=128))

    files = finding(verdict, "open_files")
    assert files.status is Status.FIX and files.phones == 2 * 11  # (128 - 100) / 2.5 a process
    assert not verdict.ready and verdict.first_fix is files and verdict.phones == 22
    assert verdict.line().startswith("Not ready. Fix this first: Raise the app processes' open-file limit to 16384")
    assert "LimitNOFILE=16384" in verdict.line()


def test_an_open_file_limit_that_holds_the_group_but_not_more_limits_the_count_without_blocking():
    verdict = preflight.judge(good(open_files=1024, processes=1, proxy=shipped_proxy(("127.0.0.1:8501",))))

    assert verdict.ready
    assert verdict.phones == min(capacity.PHONES_PER_PROCESS, capacity.phones_for_app_files(1024))


def test_stock_nginx_limits_the_room_and_a_bigger_group_is_told_to_install_the_shipped_limits():
    stock = ProxyLimits(Path("/etc/nginx/nginx.conf"), 768, None, "auto", ("127.0.0.1:8501", "127.0.0.1:8502"))

    workshop = preflight.judge(good(proxy=stock))
    rally = preflight.judge(good(proxy=stock, expected=500))

    assert workshop.ready and workshop.phones == 153  # 768 connections, 5 a phone, on one worker
    proxy = finding(rally, "proxy")
    assert proxy.status is Status.FIX and rally.first_fix is proxy
    assert (
        "worker_connections 768" in proxy.says.text()
        and "1,024, as no worker_rlimit_nofile is set" in proxy.says.text()
    )
    assert rally.line() == (
        "Not ready. Fix this first: Install the shipped nginx limits: sudo sh deploy/nginx/install.sh, "
        "then sudo nginx -t && sudo systemctl reload nginx."
    )


def test_worker_connections_without_worker_rlimit_nofile_hold_what_1024_files_hold():
    raised_alone = ProxyLimits(Path("/etc/nginx/nginx.conf"), 8192, None, "auto", ("127.0.0.1:8501",))
    verdict = preflight.judge(good(proxy=raised_alone, processes=1))
    assert finding(verdict, "proxy").phones == 204


def test_processes_beyond_the_cores_serve_no_more_and_say_so():
    verdict = preflight.judge(good(cores=2, processes=4))

    cores = finding(verdict, "cores")
    assert cores.status is Status.NOTE and cores.phones == 600
    assert "Processes beyond the cores do not help." in cores.says.text()
    assert verdict.ready


def test_a_group_bigger_than_the_cores_serve_is_not_ready():
    verdict = preflight.judge(good(cores=1, processes=1, expected=1000))
    assert not verdict.ready and verdict.first_fix is finding(verdict, "cores")


@pytest.mark.parametrize(
    ("database", "key"),
    [
        (DatabaseStatus(reachable=False, exists=False, head="0005", path="/data/hopecircle.db"), "database_missing"),
        (DatabaseStatus(reachable=False, head="0005", error="connection refused"), "database_unreachable"),
        (DatabaseStatus(reachable=True, revision="0004", head="0005"), "database_behind"),
        (DatabaseStatus(reachable=True, revision="0099", head="0005", known=False), "database_unknown"),
    ],
)
def test_a_database_that_would_break_the_session_is_a_fix(database, key):
    verdict = preflight.judge(good(database=database))

    found = finding(verdict, "database")
    assert found.status is Status.FIX and found.says.key == f"check.{key}" and found.fix is not None
    assert verdict.first_fix is found


@pytest.mark.parametrize(
    ("answer", "status", "key"),
    [
        (AddressAnswer("http://10.0.0.5:8501", "lan", "nothing", "Connection refused"), Status.FIX, "address_nothing"),
        (AddressAnswer("http://10.0.0.5", "configured", "other", "HTTP 404"), Status.FIX, "address_other"),
        (AddressAnswer("http://10.0.0.5:8501", "lan", "streamlit", "HTTP 404"), Status.FIX, "address_streamlit"),
        (AddressAnswer(None, "none"), Status.FIX, "address_none"),
        (AddressAnswer("circle.example.org", "configured", "malformed"), Status.FIX, "address_malformed"),
        (AddressAnswer("http://127.0.0.1:8501", "configured", "hopecircle"), Status.NOTE, "address_loopback"),
        (AddressAnswer("http://10.0.0.5:8501", "lan", "hopecircle"), Status.OK, "address"),
    ],
)
def test_the_phones_address_must_be_answered_by_hopecircle_and_reachable_by_phones(answer, status, key):
    found = finding(preflight.judge(good(address=answer)), "address")
    assert (found.status, found.says.key) == (status, f"check.{key}")


@pytest.mark.parametrize("url", ["circle.example.org", "http://[bad", "ftp://example.org", "http://x:port", "http://"])
def test_an_address_that_is_not_a_web_address_is_told_so_without_asking_the_network(url):
    assert host.ask_address(url, "configured") == AddressAnswer(url, "configured", "malformed")
    assert not host.is_loopback(url)
    facts = preflight.gather(load_settings({"HOPECIRCLE_PUBLIC_URL": url, "HOPECIRCLE_DATA_DIR": "/nonexistent/data"}))
    assert finding(preflight.judge(facts), "address").says.key == "check.address_malformed"


def test_something_that_does_not_speak_http_is_nothing_phones_can_use():
    """A port that answers with another protocol's greeting (as SSH does) is not a web server."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()

        def greet() -> None:
            connection, _ = server.accept()
            with connection:
                connection.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")

        threading.Thread(target=greet, daemon=True).start()
        answer = host.ask_address(f"http://127.0.0.1:{server.getsockname()[1]}", "configured")
    assert answer.answer == "nothing" and answer.detail


def test_an_unreachable_address_names_the_address_and_why():
    answer = AddressAnswer("http://10.0.0.5:8501", "lan", "nothing", "[Errno 111] Connection refused")
    text = finding(preflight.judge(good(address=answer)), "address").says.text()
    assert text == (
        "Phones' address: nothing answers at http://10.0.0.5:8501 (this machine's address on the network): "
        "[Errno 111] Connection refused"
    )


@pytest.mark.parametrize(
    ("processes", "secret_set", "agree", "status"),
    [
        (1, False, None, Status.OK),  # one process: nothing to share
        (2, True, None, Status.OK),  # set where every process reads it
        (2, False, True, Status.OK),  # the running processes share one
        (2, False, None, Status.FIX),
        (2, True, False, Status.FIX),  # the running processes differ, whatever this shell says
    ],
)
def test_several_processes_need_one_cookie_secret(processes, secret_set, agree, status):
    facts = good(processes=processes, secret_set=secret_set, secrets_agree=agree)
    assert finding(preflight.judge(facts), "cookie_secret").status is status


@pytest.mark.parametrize(("free", "status"), [(50 * GB, Status.OK), (GB // 2, Status.NOTE), (50 * 1024**2, Status.FIX)])
def test_free_disk_for_the_data_folder(free, status):
    assert finding(preflight.judge(good(free_disk=free)), "disk").status is status


def test_no_nginx_site_for_hopecircle_is_a_note_and_an_unreadable_named_config_a_fix():
    elsewhere = ProxyLimits(Path("/etc/nginx/nginx.conf"), 768, None, "auto", ())
    alone = preflight.judge(good(proxy=elsewhere, processes=1))
    assert finding(alone, "proxy").status is Status.NOTE and finding(alone, "proxy").phones is None
    several = finding(preflight.judge(good(proxy=None, processes=2)), "proxy")
    assert several.status is Status.NOTE and "Several app processes need a proxy" in several.says.text()

    unreadable = {"proxy": None, "proxy_error": "/etc/nginx/nginx.conf: Permission denied"}
    assert finding(preflight.judge(good(**unreadable)), "proxy").status is Status.NOTE
    named = finding(preflight.judge(good(**unreadable, proxy_required=True)), "proxy")
    assert named.status is Status.FIX and "--nginx-conf" in named.fix.text()  # type: ignore[union-attr]


def test_the_first_thing_to_fix_is_the_first_in_reading_order():
    broken = good(open_files=110, address=AddressAnswer(None, "none"), secret_set=False, secrets_agree=None)
    verdict = preflight.judge(broken)
    assert [item.check for item in verdict.findings if item.status is Status.FIX] == [
        "open_files",
        "address",
        "cookie_secret",
    ]
    assert verdict.first_fix is finding(verdict, "open_files")


def test_every_finding_reads_in_spanish_too():
    broken = good(open_files=110, proxy=None, address=AddressAnswer(None, "none"), free_disk=GB // 2)
    verdict = preflight.judge(broken)
    for item in verdict.findings:
        assert item.says.text("es") != item.says.text("en")
    assert verdict.line("es").startswith("No está lista. Corrige esto primero: Sube el límite")


@pytest.mark.parametrize(("phones", "said"), [(0, 0), (22, 22), (153, 150), (369, 360), (1638, 1600), (6513, 6500)])
def test_round_figures_never_promise_more_than_the_limit(phones, said):
    assert capacity.about(phones) == said


# -- nginx's configuration ------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_limits_are_read_through_includes_the_way_nginx_reads_them(tmp_path):
    main = write(
        tmp_path / "nginx.conf",
        "user www-data;  # comment { with braces }\n"
        "worker_processes auto;\n"
        "include modules-enabled/*.conf;\n"
        "events {\n\tworker_connections 8192;\n}\n"
        'http {\n\tlog_format quoted "a;b {c}";\n\tinclude conf.d/*.conf;\n}\n',
    )
    write(tmp_path / "modules-enabled" / "90-hopecircle.conf", "# limits\nworker_rlimit_nofile 16384;\n")
    write(
        tmp_path / "conf.d" / "hopecircle.conf",
        'map $cookie_x $y {\n  "" $request_id;\n  default ${cookie_x};\n}\n'
        "upstream hopecircle_app {\n  hash $y consistent;\n"
        "  server 127.0.0.1:8501 max_fails=0;\n  server 127.0.0.1:8502 max_fails=0;\n  keepalive 16;\n}\n"
        "server { listen 80; location / { proxy_pass http://hopecircle_app; } }\n",
    )

    limits = read_limits(main)

    assert (limits.worker_connections, limits.worker_rlimit_nofile, limits.worker_processes) == (8192, 16384, "auto")
    assert limits.app_servers == ("127.0.0.1:8501", "127.0.0.1:8502") and limits.app_ports == (8501, 8502)
    assert limits.sources["worker_rlimit_nofile"] == tmp_path / "modules-enabled" / "90-hopecircle.conf"
    assert limits.sources["worker_connections"] == main
    quoted = next(d for d in read_directives(main) if d.name == "log_format")
    assert quoted.words == ("log_format", "quoted", "a;b {c}") and quoted.blocks == ("http",)


def test_a_config_without_hopecircle_or_worker_connections_gets_nginx_defaults(tmp_path):
    limits = read_limits(write(tmp_path / "nginx.conf", "events {}\nhttp { server { listen 80; } }\n"))
    assert limits.worker_connections == 512 and limits.worker_rlimit_nofile is None
    assert not limits.serves_hopecircle and limits.app_ports == ()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("events {\n", "ends inside a directive or block"),
        ("events { }\n}\n", "an unexpected '}'"),
        ("events { worker_connections many; }\n", "worker_connections needs a number"),
        ("include missing.conf;\n", "missing.conf"),
        ("{ }\n", "a block with no name"),
    ],
)
def test_a_config_nginx_would_refuse_is_a_clear_error(tmp_path, text, says):
    with pytest.raises(ProxyConfigError, match=says.replace("'", ".").replace("{", ".").replace("}", ".")):
        read_limits(write(tmp_path / "nginx.conf", text))


def test_an_include_that_includes_itself_stops(tmp_path):
    with pytest.raises(ProxyConfigError, match="included files"):
        read_limits(write(tmp_path / "nginx.conf", "include nginx.conf;\n"))
