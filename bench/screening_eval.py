"""Measure the risk screener on the labeled evaluation set and print recall and false-positive rates.

Usage: python bench/screening_eval.py [path/to/set.csv ...] [--misses]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hopecircle.safety import screen  # noqa: E402

RISK_CATEGORIES = ("direct_risk", "passive_risk", "self_harm", "overdose_risk", "harm_others")
DEFAULT_SETS = [ROOT / "tests" / "data" / "risk_eval.csv"]


def evaluate(paths: list[Path]) -> dict[str, object]:
    """Screen every row; tally flagged rows per (language, category)."""
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    misses: list[dict[str, str]] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                flagged = bool(screen(row["text"]).risk)
                counts = tally[(row["lang"], row["category"])]
                counts[0] += flagged
                counts[1] += 1
                if flagged != (row["label"] == "1"):
                    misses.append(row)
    return {"tally": tally, "misses": misses}


def rate(
    tally: dict[tuple[str, str], list[int]], categories: tuple[str, ...], lang: str | None = None
) -> tuple[float, int]:
    flagged = sum(v[0] for (lg, cat), v in tally.items() if cat in categories and (lang is None or lg == lang))
    total = sum(v[1] for (lg, cat), v in tally.items() if cat in categories and (lang is None or lg == lang))
    return (flagged / total if total else float("nan"), total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--misses", action="store_true", help="list every misclassified text")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    result = evaluate(args.sets)
    tally = result["tally"]
    assert isinstance(tally, dict)
    rows = [
        ("recall, direct risk (suicide, stated directly)", ("direct_risk",)),
        ("recall, passive ideation", ("passive_risk",)),
        ("recall, self-harm", ("self_harm",)),
        ("recall, overdose risk", ("overdose_risk",)),
        ("recall, harm to others", ("harm_others",)),
        ("recall, all risk texts", RISK_CATEGORIES),
        ("false positives, past-tense recovery talk", ("past_recovery",)),
        ("false positives, idioms", ("idiom",)),
        ("false positives, past-tense talk + idioms", ("past_recovery", "idiom")),
        ("false positives, negations", ("negation",)),
        ("false positives, third-party mentions", ("third_party",)),
        ("false positives, ordinary reflections", ("ordinary",)),
    ]
    figures = {}
    print(f"{'measure':48} {'all':>12} {'en':>12} {'es':>12}")
    for label, categories in rows:
        cells = []
        for lang in (None, "en", "es"):
            value, n = rate(tally, categories, lang)
            cells.append(f"{value:6.3f} (n={n:3d})")
            figures[f"{label} [{lang or 'all'}]"] = {"rate": round(value, 4), "n": n}
        print(f"{label:48} " + " ".join(cells))
    misses = result["misses"]
    assert isinstance(misses, list)
    if args.misses:
        print("\nMisclassified:")
        for row in misses:
            print(f"  {row['id']:>5} {row['category']:14} label={row['label']} {row['text']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
