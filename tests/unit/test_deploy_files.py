"""The deployment examples stay in step with the repository (they cannot be run in CI here)."""

from __future__ import annotations

from pathlib import Path

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
