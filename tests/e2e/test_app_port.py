"""The browser tests' app starts on a fresh port when another server bound its first one."""

from __future__ import annotations

import urllib.request

import psutil

from bench.load.servers import listens_on
from tests.e2e.conftest import RunningApp


def test_the_app_starts_on_a_fresh_port_when_another_server_took_the_first(tmp_path, taken_port):
    app = RunningApp(tmp_path / "data")
    try:
        assert "is not available" in (tmp_path / f"app-{taken_port}.log").read_text()  # the first try
        assert app.port != taken_port and listens_on(app.process.pid, app.port)
        with urllib.request.urlopen(f"{app.base}/_stcore/health", timeout=5) as response:
            assert response.status == 200
        # Phones reach it (and its QR code points) at the port it got.
        assert psutil.Process(app.process.pid).environ()["HOPECIRCLE_PUBLIC_URL"] == app.base
    finally:
        app.stop()
