"""Real-browser fixtures: `streamlit run serve.py` (as scripts/run.sh) on a free port, and Debian's chromium.

An app whose port another process (a test running alongside) binds first starts again on a fresh one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load.servers import on_free_port, stop_process, wait_for_health

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("HOPECIRCLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


class RunningApp:
    """One app process; phones and the QR code use its loopback address."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.env = env or {}
        self.process, self.port = on_free_port(self._start)
        self.base = f"http://127.0.0.1:{self.port}"

    def _start(self, port: int) -> tuple[subprocess.Popen, int]:
        base = f"http://127.0.0.1:{port}"
        environment = {
            **os.environ,
            "HOPECIRCLE_DATA_DIR": str(self.data_dir),
            "HOPECIRCLE_PUBLIC_URL": base,
            **self.env,
        }
        log_path = self.data_dir.parent / f"app-{port}.log"
        with log_path.open("w") as log:
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
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for_health(base, process, logs=[log_path])
        except BaseException:
            stop_process(process)
            raise
        return process, port

    def setup_code(self) -> str:
        return (self.data_dir / "setup-code.txt").read_text().strip()

    def stop(self) -> None:
        stop_process(self.process)


# Package-scoped (tests/e2e is a package, so this ends with its last test): Playwright's sync API
# keeps an event loop running in the test thread while the browser is open; closed after the last
# browser test, the tests collected after tests/e2e (integration, unit) can use asyncio.run again.
@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("HOPECIRCLE_REQUIRE_BROWSER"):
            raise RuntimeError(f"{CHROMIUM} is missing; scripts/test-system-deps.sh installs it")
        pytest.skip(f"{CHROMIUM} is not installed (scripts/test.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def app(tmp_path):
    running = RunningApp(tmp_path / "data")
    yield running
    running.stop()


@pytest.fixture
def served_ctx(app):
    """Services on the running app's own database (the test writes, the app serves it)."""
    from hopecircle.content import load_guides, load_stories
    from hopecircle.services.context import Context
    from hopecircle.store import open_store

    context = Context(
        store=open_store(f"sqlite:///{app.data_dir / 'hopecircle.db'}"),
        stories=load_stories(ROOT / "stories"),
        guides=load_guides(ROOT / "facilitator_guides"),
    )
    yield context
    context.store.dispose()


@pytest.fixture
def served_admin(served_ctx):
    """The app's first account, made with its setup code."""
    from hopecircle.services import accounts

    return accounts.create_first_account(
        served_ctx, accounts.setup_code(served_ctx), "ada", "Ada", "correct horse battery"
    )


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


__all__ = ["PHONE", "RunningApp", "shutil"]
