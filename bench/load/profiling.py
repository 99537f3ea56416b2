"""Where the server's time goes: py-spy attached to each app process for the run, and a summary.

py-spy samples the running process from outside (no change to the app, a few percent of one
core). Its collapsed-stack output is summarised here by inclusive time per function, so a run's
JSON can say which parts of HopeCircle and of Streamlit the CPU went to.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

RATE = 100


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise RuntimeError("py-spy is not installed: .venv/bin/pip install -r requirements-dev.txt")
    return found


class Profiler:
    """py-spy on some processes, started and stopped by the harness.

    `gil_only` samples only the thread holding the GIL: with many script threads, the others
    spend their time waiting for it, which is not where the CPU goes.
    """

    def __init__(self, pids: list[int], folder: Path, *, gil_only: bool = True, name: str = "profile") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.outputs = {pid: folder / f"{name}-{pid}.txt" for pid in pids}
        binary = py_spy()
        self.processes = [
            subprocess.Popen(
                [binary, "record", "--pid", str(pid), "--rate", str(RATE), "--format", "raw", "--nonblocking"]
                + (["--gil"] if gil_only else [])
                + ["--output", str(path)],
                stdout=subprocess.DEVNULL,
                stderr=(folder / f"py-spy-{pid}.log").open("w"),
                start_new_session=True,
            )
            for pid, path in self.outputs.items()
        ]

    def stop(self) -> dict[str, object]:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        stacks: Counter[str] = Counter()
        for path in self.outputs.values():
            if path.exists():
                stacks.update(read_collapsed(path))
        return summarize(stacks)


def read_collapsed(path: Path) -> Counter[str]:
    stacks: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks[stack] += int(count)
    return stacks


_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")
_SITE = re.compile(r".*/site-packages/")


def _frame_name(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame
    where = _SITE.sub("", match["file"])
    where = re.sub(r"^/work/[^/]+/", "", where)
    return f"{match['func']} ({where})"


def summarize(stacks: Counter[str], top: int = 40) -> dict[str, object]:
    """Inclusive share of samples per function (each function counted once per stack)."""
    total = sum(stacks.values())
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for stack, count in stacks.items():
        frames = [_frame_name(frame) for frame in stack.split(";") if frame]
        for name in set(frames):
            inclusive[name] += count
        if frames:
            own[frames[-1]] += count
    share = (lambda n: round(100 * n / total, 1)) if total else (lambda n: 0.0)
    return {
        "samples": total,
        "inclusive_percent": [(name, share(n)) for name, n in inclusive.most_common(top)],
        "self_percent": [(name, share(n)) for name, n in own.most_common(top)],
    }
