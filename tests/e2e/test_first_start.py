"""First start: the terminal shows the one-time setup code as soon as the server is up, before any page is opened.

Started as `scripts/run.sh` starts it (`streamlit run serve.py`), on a free loopback port with a
fresh data folder. The test reads the server's output and sends it nothing: no page, no health
check, until the code has been printed.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.load.servers import PortTaken, listens_on, on_free_port, says_port_taken, stop_process
from tests.e2e.conftest import ROOT

SETUP_CODE = re.compile(r"^\s*Setup code: (\S+)\s*$")
SECONDS = 90


def test_run_sh_starts_the_app_through_serve_py():
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert script.rstrip().endswith('exec .venv/bin/streamlit run serve.py "$@"')


def test_the_setup_code_is_printed_once_the_server_is_up_before_any_page_is_opened(tmp_path):
    data = tmp_path / "data"
    code, seen = on_free_port(lambda port: first_start(port, data))

    assert any("You can now view your Streamlit app" in line for line in seen)
    assert (data / "setup-code.txt").read_text().strip() == code
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", code)


def first_start(port: int, data: Path) -> tuple[str, list[str]]:
    """Start the app on `port` and read its output until the setup code; stop it. PortTaken to start elsewhere."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env={**os.environ, "HOPECIRCLE_DATA_DIR": str(data), "HOPECIRCLE_PUBLIC_URL": f"http://127.0.0.1:{port}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [printed.put(line) for line in process.stdout or ()], daemon=True).start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            try:
                line = printed.get(timeout=1)
            except queue.Empty:
                if process.poll() is not None:
                    break
                continue
            seen.append(line)
            found = SETUP_CODE.match(line)
            if found:
                # Printed by the server that is up on its port, before anyone asked it anything.
                assert listens_soon(process.pid, port)
                return found.group(1), seen
        if says_port_taken("".join(seen)):
            raise PortTaken(f"port {port} was taken")
        raise AssertionError("no setup code in the output:\n" + "".join(seen))
    finally:
        stop_process(process)


def listens_soon(pid: int, port: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if listens_on(pid, port):
            return True
        time.sleep(0.2)
    return False
