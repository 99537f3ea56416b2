"""Turning a run's events into figures: percentiles, the results table, the JSON file, the progress line."""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], share: float) -> float | None:
    """The `share` (0..1) percentile by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: Iterable[float]) -> dict[str, float | int | None]:
    """Count, p50, p95 and max, in milliseconds (values are seconds)."""
    values = list(values)

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 1)

    return {
        "count": len(values),
        "p50_ms": ms(percentile(values, 0.5)),
        "p95_ms": ms(percentile(values, 0.95)),
        "max_ms": ms(max(values) if values else None),
    }


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return f"{text}{unit}"


def ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or floor in (None, 0):
        return None
    return round(value / floor, 2)


TABLE_ROWS: list[tuple[str, tuple[str, ...], str]] = [
    ("phones joined", ("phones", "joined"), ""),
    ("boards watching", ("boards", "joined"), ""),
    ("join p50", ("join", "p50_ms"), " ms"),
    ("join p95", ("join", "p95_ms"), " ms"),
    ("submit ack p50 (reflections, goals)", ("submit_ack", "p50_ms"), " ms"),
    ("submit ack p95 (reflections, goals)", ("submit_ack", "p95_ms"), " ms"),
    *(
        (f"{name} ack p95", ("action_ack", kind, "p95_ms"), " ms")
        for kind, name in (
            ("checkin", "check-in word"),
            ("pulse", "pulse"),
            ("edit", "edit"),
            ("delete", "delete"),
            ("metoo", "me-too"),
            ("checkout", "check-out word"),
            ("card", "hope card"),
            ("talk", "talk request"),
        )
    ),
    ("propagation p50 (all boards)", ("propagation", "p50_ms"), " ms"),
    ("propagation p95 (all boards)", ("propagation", "p95_ms"), " ms"),
    ("propagation max (all boards)", ("propagation", "max_ms"), " ms"),
    ("phase follow p95 (every change)", ("phase_follow", "p95_ms"), " ms"),
    *(
        (f"phase follow p95: {phase}", ("phase_follow_by_phase", phase, "p95_ms"), " ms")
        for phase in ("checkin", "story", "reflect", "next_step", "board", "close")
    ),
    ("contributions sent", ("contributions", "sent"), ""),
    ("contributions in database", ("contributions", "in_database"), ""),
    ("contributions lost", ("contributions", "lost"), ""),
    ("contributions duplicated", ("contributions", "duplicated"), ""),
    ("errors", ("errors", "total"), ""),
    ("disconnects", ("errors", "disconnects"), ""),
    ("server CPU (cores, mean)", ("server", "cpu_cores_mean"), ""),
    ("server peak RSS (total)", ("server", "peak_rss_mb"), " MB"),
    ("server RSS growth (last tenth - second)", ("server", "rss_growth_mb"), " MB"),
    ("script runs", ("runs", "total"), ""),
    ("questions to the room (held or at once)", ("runs", "looks"), ""),
    ("posts (joins, words, taps, cards)", ("runs", "posts"), ""),
    ("CPU per run (all runs)", ("cost", "cpu_ms_per_run"), " ms"),
    ("CPU per interaction (runs, looks, posts)", ("cost", "cpu_ms_per_interaction"), " ms"),
    ("CPU per fragment tick", ("cost", "cpu_ms_per_tick"), " ms"),
    ("CPU per question (idle window)", ("cost", "cpu_ms_per_look"), " ms"),
    ("CPU per full run", ("cost", "cpu_ms_per_full_run"), " ms"),
    ("load generator CPU (cores)", ("client", "cpu_cores_mean"), ""),
]


# With --drop: from the moment the network returns (bench/load/drop.py).
DROP_ROWS: list[tuple[str, tuple[str, ...], str]] = [
    ("drop: seconds cut", ("drop", "seconds"), " s"),
    ("drop: connections reset", ("drop", "connections_reset"), ""),
    ("drop: phones back p50", ("drop", "back", "p50_ms"), " ms"),
    ("drop: phones back p95", ("drop", "back", "p95_ms"), " ms"),
    ("drop: phones back max", ("drop", "back", "max_ms"), " ms"),
    ("drop: every phone back", ("drop", "back", "all_ms"), " ms"),
    ("drop: phones never back", ("drop", "back", "not_back"), ""),
    ("drop: sends queued", ("drop", "sends_queued"), ""),
    ("drop: queued acknowledged p50", ("drop", "queued_acknowledged", "p50_ms"), " ms"),
    ("drop: queued acknowledged p95", ("drop", "queued_acknowledged", "p95_ms"), " ms"),
    ("drop: queued acknowledged max", ("drop", "queued_acknowledged", "max_ms"), " ms"),
    ("drop: every queued send acknowledged", ("drop", "queued_acknowledged", "all_ms"), " ms"),
    ("drop: queued stored", ("drop", "queued_stored"), ""),
    ("drop: queued lost", ("drop", "queued_lost"), ""),
    ("drop: queued duplicated", ("drop", "queued_duplicated"), ""),
    ("drop: tries of queued sends", ("drop", "tries"), ""),
    ("drop: pulses and me-toos queued", ("drop", "taps_queued"), ""),
    ("drop: taps put off until back", ("drop", "taps_put_off"), ""),
    ("drop: failed while cut", ("drop", "failed_while_cut"), ""),
    ("drop: page streams reopened p95", ("drop", "streams_reopened", "p95_ms"), " ms"),
    ("drop: errors from the cut on", ("drop", "errors"), ""),
]


def _get(result: dict[str, Any] | None, path: tuple[str, ...]) -> Any:
    value: Any = result
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def table(app: dict[str, Any], floor: dict[str, Any] | None = None) -> str:
    """The results as a text table, with the bare-Streamlit floor and the ratio when measured."""
    headers = ["", "HopeCircle"] + (["bare Streamlit", "ratio"] if floor else [])
    rows = [headers]
    for title, path, unit in TABLE_ROWS + (DROP_ROWS if app.get("drop") else []):
        value = _get(app, path)
        row = [title, _fmt(value, unit)]
        if floor:
            base = _get(floor, path)
            quotient = ratio(value, base) if isinstance(value, int | float) and isinstance(base, int | float) else None
            row += [_fmt(base, unit), _fmt(quotient, "×") if quotient is not None else ""]
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[i]) for i, cell in enumerate(row[1:], start=1)]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    targets = app.get("targets") or {}
    if targets:
        lines.append("")
        for name, verdict in targets.items():
            lines.append(f"target {name}: {'met' if verdict['met'] else 'NOT met'} ({verdict['detail']})")
    return "\n".join(lines)


def write_json(results: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=False, default=str) + "\n")
    return path


def save(results: dict[str, Any], path: Path | None, label: str, folder: Path) -> Path:
    """Write `results` to `path`, or into `folder` under a time-stamped name ending in `label`; say where."""
    path = write_json(results, path or folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{label}.json")
    print(f"\nresults: {path}")
    return path


class Progress:
    """One status line a second: overwritten in a terminal, every few seconds in a log."""

    def __init__(self, stream=None, enabled: bool = True) -> None:  # type: ignore[no-untyped-def]
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_plain = 0.0

    def show(self, elapsed: float, line: str) -> None:
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r\033[K" + f"[{elapsed:5.0f}s] {line}")
            self.stream.flush()
        elif elapsed - self._last_plain >= 5:
            self._last_plain = elapsed
            self.stream.write(f"[{elapsed:5.0f}s] {line}\n")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
