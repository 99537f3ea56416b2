"""Measure the risk screener on labelled sets: per language and category, under disguises, and its cost.

Usage:
  python bench/screening_eval.py                       # the development sets
  python bench/screening_eval.py --set dev=tests/data/risk_eval.csv --set heldout=path/to/set.csv
  python bench/screening_eval.py --set heldout=... --json figures.json --misses

A set is a CSV with the header id,lang,category,label,text (label 1 = risk, 0 = not). Both
category schemes are understood (direct_risk/direct, passive_risk/passive, overdose_risk/
overdose_means, ...). For every set it prints recall (risk groups) or false-flag rate (not-risk
groups) per language with TP/FN/FP/TN, then recall under each disguise of
hopecircle/safety/disguise.py, then the per-text screening time (p50/p95/max after warm-up) and the
process's memory before and after loading the screener.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEVELOPMENT_SETS = {
    "dev": ROOT / "tests" / "data" / "risk_eval.csv",
    "dev_retired": ROOT / "tests" / "data" / "risk_dev_retired_holdout.csv",
    "dev_bank": ROOT / "hopecircle" / "safety" / "data" / "exemplars.csv",
    "dev_blind_en": ROOT / "tests" / "data" / "retired_blind_2026-12-07" / "risk_dev_retired_blind_en.csv",
    "dev_blind_es": ROOT / "tests" / "data" / "retired_blind_2026-12-07" / "risk_dev_retired_blind_es.csv",
    "dev_varied": ROOT / "tests" / "data" / "risk_dev_varied.csv",
    "dev_writer_a": ROOT / "tests" / "data" / "risk_dev_writer_a.csv",
    "dev_writer_b": ROOT / "tests" / "data" / "risk_dev_writer_b.csv",
}
RISK_GROUPS = ("direct", "passive", "self_harm", "overdose_means", "harm_others")
CALM_GROUPS = ("past_recovery", "negation", "idiom", "third_party", "ordinary")
_ALIASES = {
    "direct_risk": "direct",
    "passive_risk": "passive",
    "overdose_risk": "overdose_means",
    "overdose": "overdose_means",
}


def group_of(category: str) -> str:
    """One of the five risk groups or five not-risk groups, whichever naming the set uses."""
    return _ALIASES.get(category.strip(), category.strip())


def read_set(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def confusion(rows: list[dict[str, str]], flagged: dict[str, bool]) -> dict[tuple[str, str], dict[str, int]]:
    """TP/FN/FP/TN per (language, group), with 'all' rows for both."""
    table: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"tp": 0, "fn": 0, "fp": 0, "tn": 0})
    for row in rows:
        risk, hit = row["label"].strip() == "1", flagged[row["id"]]
        key = ("tp" if hit else "fn") if risk else ("fp" if hit else "tn")
        group = group_of(row["category"])
        for lang in (row["lang"], "all"):
            for grp in (group, "all risk" if risk else "all not-risk"):
                table[(lang, grp)][key] += 1
    return table


def rate(cell: dict[str, int], risk: bool) -> float:
    total = cell["tp"] + cell["fn"] if risk else cell["fp"] + cell["tn"]
    hits = cell["tp"] if risk else cell["fp"]
    return hits / total if total else float("nan")


def disguise_recall(rows: list[dict[str, str]]) -> dict[str, dict[str, float | int]]:
    """Recall on the set's risk texts under each disguise."""
    from hopecircle.safety import screen
    from hopecircle.safety.disguise import DISGUISES

    risk_rows = [row for row in rows if row["label"].strip() == "1"]
    figures: dict[str, dict[str, float | int]] = {}
    for name, disguise in DISGUISES.items():
        caught = [_read(screen(disguise(row["text"], row["lang"]))) for row in risk_rows]
        figures[name] = {"recall": sum(caught) / len(caught) if caught else float("nan"), "n": len(caught)}
        figures[name]["missed"] = len(caught) - sum(caught)
    return figures


def _alert(screening: Any) -> bool:
    """An alert for the facilitator: a rule recognised risk."""
    return bool(screening.risk)


def _read(screening: Any) -> bool:
    """Read by a person before it can be shown: an alert, or a caution from the classifier."""
    return bool(screening.risk or screening.caution)


def timing(texts: list[str]) -> dict[str, float]:
    """Milliseconds per screen() call over all texts, after one warm-up pass."""
    from hopecircle.safety import screen

    for text in texts[:20]:
        screen(text)
    gc.collect()
    wall, cpu = [], []
    for text in texts:
        start, start_cpu = time.perf_counter(), time.thread_time()
        screen(text)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    wall.sort()
    cpu.sort()
    p95 = min(len(wall) - 1, int(len(wall) * 0.95))
    return {
        "n": len(wall),
        "p50_ms": wall[len(wall) // 2],
        "p95_ms": wall[p95],
        "max_ms": wall[-1],
        "cpu_p50_ms": cpu[len(cpu) // 2],
        "cpu_p95_ms": cpu[p95],
        "cpu_max_ms": cpu[-1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=PATH", help="a labelled CSV (repeatable)")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    parser.add_argument("--misses", action="store_true", help="list every misclassified text")
    parser.add_argument("--no-disguises", action="store_true", help="skip the disguise suite")
    args = parser.parse_args()
    sets = (
        dict(item.split("=", 1) for item in args.set) if args.set else {k: str(v) for k, v in DEVELOPMENT_SETS.items()}
    )

    # numpy is loaded in every app process already (pandas, plotly): count only what the screener adds.
    import numpy  # noqa: F401

    process = psutil.Process()
    memory_before = process.memory_info().rss / 2**20
    from hopecircle.safety import screen
    from hopecircle.safety.classifier import model
    from hopecircle.safety.semantic import bank, encoder

    encoder()
    bank()
    model()
    screen("warm up")
    memory_after = process.memory_info().rss / 2**20

    report: dict[str, object] = {"memory_mb": {"before": round(memory_before, 1), "after": round(memory_after, 1)}}
    tables = {}
    all_texts: list[str] = []
    for name, path in sets.items():
        rows = read_set(Path(path))
        all_texts += [row["text"] for row in rows]
        screenings = {row["id"]: screen(row["text"]) for row in rows}
        tables[f"{name}:alert"] = confusion(rows, {key: _alert(value) for key, value in screenings.items()})
        tables[f"{name}:read"] = confusion(rows, {key: _read(value) for key, value in screenings.items()})
        if args.misses:
            print(f"\nMisclassified in {name} (read before shown):")
            for row in rows:
                if _read(screenings[row["id"]]) != (row["label"].strip() == "1"):
                    found = screenings[row["id"]]
                    reason = "; ".join(hit.phrase for hit in (*found.risk, *found.caution))
                    print(
                        f"  {row['id']:>7} {group_of(row['category']):14} label={row['label']} {row['text']!r} {reason}"
                    )

    names = list(tables)
    print(
        "\nRecall (risk groups) and false-flag rate (not-risk groups); cells: rate TP/FN or FP/TN\n"
        "<set>:alert = a private alert (a rule matched); <set>:read = read by the facilitator before it can\n"
        "be shown (an alert, or a caution from the classifier)"
    )
    header = f"{'lang':4} {'group':14} " + " ".join(f"{n:>26}" for n in names)
    print(header)
    figures: dict[str, dict[str, object]] = {n: {} for n in names}
    for lang in ("all", "en", "es"):
        for group in (*RISK_GROUPS, "all risk", *CALM_GROUPS, "all not-risk"):
            risk = group in RISK_GROUPS or group == "all risk"
            cells = []
            for name in names:
                cell = tables[name].get((lang, group))
                if cell is None:
                    cells.append(f"{'-':>26}")
                    continue
                value = rate(cell, risk)
                counts = f"{cell['tp']}/{cell['fn']}" if risk else f"{cell['fp']}/{cell['tn']}"
                cells.append(f"{value:>6.3f} {counts:>9} {'TP/FN' if risk else 'FP/TN':>9}")
                figures[name][f"{lang}/{group}"] = {"rate": round(value, 4), **cell}
            print(f"{lang:4} {group:14} " + " ".join(cells))
        print()
    report["sets"] = figures

    if not args.no_disguises:
        print("Disguise suite: recall (read before shown) on each set's risk texts under each disguise")
        print(f"{'disguise':32} " + " ".join(f"{n:>18}" for n in sets))
        suites = {name: disguise_recall(read_set(Path(path))) for name, path in sets.items()}
        for disguise in next(iter(suites.values())):
            cells = [f"{suites[n][disguise]['recall']:>7.3f} ({suites[n][disguise]['missed']} missed)" for n in sets]
            print(f"{disguise:32} " + " ".join(f"{c:>18}" for c in cells))
        report["disguises"] = suites

    speed = timing(all_texts)
    report["timing"] = {key: round(value, 3) for key, value in speed.items()}
    print(
        f"\nScreening time per text over {speed['n']} texts (wall clock): p50 {speed['p50_ms']:.2f} ms, "
        f"p95 {speed['p95_ms']:.2f} ms, max {speed['max_ms']:.2f} ms\n"
        f"CPU time of the screening thread (what another busy process on the machine does not inflate): "
        f"p50 {speed['cpu_p50_ms']:.2f} ms, p95 {speed['cpu_p95_ms']:.2f} ms, max {speed['cpu_max_ms']:.2f} ms"
    )
    print(
        f"Process memory: {memory_before:.0f} MB before loading the screener, {memory_after:.0f} MB after "
        f"(+{memory_after - memory_before:.0f} MB)"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
