"""Train the risk classifier on every labelled development text, and estimate it by grouped cross-validation.

Run after editing a training set or a lexicon: python scripts/train_risk_classifier.py
It writes hopecircle/safety/data/classifier.npz (weights, threshold, the training data's
SHA-256, so a test notices a stale model) and bench/results/screening-cv.json (the estimates).

Cross-validation holds out one writer at a time (TRAINING_SETS names each set's writer), because
texts by one writer resemble each other far more than a blind set by someone else resembles them.
For each held-out writer, the threshold is chosen without it (by the same cross-validation over
the remaining writers), the model is trained without it, and the whole screener (rules, then the
classifier) is scored on it. The shipped threshold is chosen the same way over all writers: the
highest one at which the out-of-fold recall of the screener reaches 0.95 in each language.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hopecircle.safety import classifier, semantic  # noqa: E402
from hopecircle.safety.risk import SIGNAL_NAMES, context_signals, find_risks, prepare  # noqa: E402

PENALTY = 0.3
TARGET_RECALL = 0.95
THRESHOLDS = np.round(np.arange(-3.0, 3.0, 0.02), 2)
_ALIASES = {"direct_risk": "direct", "passive_risk": "passive", "overdose_risk": "overdose_means"}


def read_rows() -> list[dict[str, str]]:
    """Every training row, with its set and writer."""
    rows = []
    for name, (relative, writer) in classifier.TRAINING_SETS.items():
        with (ROOT / relative).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append(
                    {**row, "set": name, "writer": writer, "group": _ALIASES.get(row["category"], row["category"])}
                )
    return rows


def scores(
    features: np.ndarray, labels: np.ndarray, vectors: np.ndarray, train: np.ndarray, test: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The regression's logit and the neighbour margin of the `test` rows, learned from the `train` rows only."""
    weights, bias = classifier.fit(features[train], labels[train], PENALTY)
    logits = features[test] @ weights + bias
    known, risk = vectors[train], labels[train] == 1
    margins = np.array([classifier.neighbour_margin(vector, known, risk) for vector in vectors[test]])
    return logits, margins


def out_of_fold(
    features: np.ndarray, labels: np.ndarray, vectors: np.ndarray, writers: np.ndarray, among: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each text's logit and margin from a model trained without its writer, using only the rows in `among`."""
    logits, margins = np.full(len(labels), np.nan), np.full(len(labels), np.nan)
    for writer in np.unique(writers[among]):
        train, test = among & (writers != writer), among & (writers == writer)
        logits[test], margins[test] = scores(features, labels, vectors, train, test)
    return logits, margins


def scale_of(logits: np.ndarray, margins: np.ndarray) -> np.ndarray:
    """Mean and spread of each score, so the two are added on a common scale."""
    return np.array([logits.mean(), logits.std(), margins.mean(), margins.std()])


def combined(logits: np.ndarray, margins: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return np.array([classifier.combine(lo, ma, scale) for lo, ma in zip(logits, margins, strict=True)])


def choose_threshold(score: np.ndarray, rules: np.ndarray, labels: np.ndarray, langs: np.ndarray) -> float:
    """The highest threshold at which the rules or the classifier reach the target recall in each language."""
    best = float(THRESHOLDS[0])
    for threshold in THRESHOLDS:
        flagged = rules | (score >= threshold)
        if all(flagged[(labels == 1) & (langs == lang)].mean() >= TARGET_RECALL for lang in np.unique(langs)):
            best = float(threshold)
    return best


def confusion(rows: list[dict[str, str]], flagged: np.ndarray, mask: np.ndarray) -> dict[str, dict[str, int]]:
    """TP/FN/FP/TN per 'lang/group', with 'all risk' and 'all not-risk' rows."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fn": 0, "fp": 0, "tn": 0})
    for row, hit, chosen in zip(rows, flagged, mask, strict=True):
        if not chosen:
            continue
        risk = row["label"] == "1"
        key = ("tp" if hit else "fn") if risk else ("fp" if hit else "tn")
        for lang in (row["lang"], "all"):
            for group in (row["group"], "all risk" if risk else "all not-risk"):
                table[f"{lang}/{group}"][key] += 1
    return dict(table)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "screening-cv.json")
    parser.add_argument("--no-save", action="store_true", help="estimate only; leave classifier.npz as it is")
    args = parser.parse_args()

    rows = read_rows()
    labels = np.array([row["label"] == "1" for row in rows], dtype=float)
    writers = np.array([row["writer"] for row in rows])
    langs = np.array([row["lang"] for row in rows])
    rules = np.array([bool(find_risks(row["text"], use_classifier=False)) for row in rows])
    vectors = semantic.embed([prepare(row["text"]) for row in rows])
    features = np.hstack([vectors, np.array([context_signals(row["text"]) for row in rows])])
    everyone = np.ones(len(rows), dtype=bool)

    # Grouped cross-validation: each writer scored by a model, a scale and a threshold chosen without them.
    estimate = np.zeros(len(rows), dtype=bool)
    thresholds = {}
    for writer in np.unique(writers):
        others, held = writers != writer, writers == writer
        inner_logits, inner_margins = out_of_fold(features, labels, vectors, writers, others)
        scale = scale_of(inner_logits[others], inner_margins[others])
        inner = combined(inner_logits[others], inner_margins[others], scale)
        threshold = choose_threshold(inner, rules[others], labels[others], langs[others])
        held_logits, held_margins = scores(features, labels, vectors, others, held)
        estimate[held] = rules[held] | (combined(held_logits, held_margins, scale) >= threshold)
        thresholds[str(writer)] = threshold

    all_logits, all_margins = out_of_fold(features, labels, vectors, writers, everyone)
    scale = scale_of(all_logits, all_margins)
    threshold = choose_threshold(combined(all_logits, all_margins, scale), rules, labels, langs)
    weights, bias = classifier.fit(features, labels, PENALTY)
    shipped_logits, shipped_margins = scores(features, labels, vectors, everyone, everyone)
    shipped = rules | (combined(shipped_logits, shipped_margins, scale) >= threshold)
    report = {
        "penalty": PENALTY,
        "margin_weight": classifier.MARGIN_WEIGHT,
        "threshold": threshold,
        "thresholds_without_each_writer": thresholds,
        "grouped_cv": {str(w): confusion(rows, estimate, writers == w) for w in np.unique(writers)},
        "grouped_cv_all": confusion(rows, estimate, everyone),
        "rules_alone_per_writer": {str(w): confusion(rows, rules, writers == w) for w in np.unique(writers)},
        "trained_on_all_per_writer": {str(w): confusion(rows, shipped, writers == w) for w in np.unique(writers)},
    }
    args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    for name, table in report["grouped_cv"].items():  # type: ignore[union-attr]
        cells = [
            f"{lang} recall {table[f'{lang}/all risk']['tp'] / max(1, sum(table[f'{lang}/all risk'].values())):.3f}"
            f" false flags {table[f'{lang}/all not-risk']['fp'] / max(1, sum(table[f'{lang}/all not-risk'].values())):.3f}"
            for lang in ("en", "es")
            if f"{lang}/all risk" in table
        ]
        print(f"{name:34} t={thresholds[name]:.2f}  " + " | ".join(cells))
    print(f"shipped threshold {threshold:.2f}; {len(rows)} texts; {len(SIGNAL_NAMES)} context signals")
    if not args.no_save:
        np.savez_compressed(
            classifier.MODEL,
            weights=weights.astype(np.float32),
            bias=np.array(bias),
            vectors=vectors.astype(np.float16),
            risk=labels == 1,
            scale=scale,
            threshold=np.array(threshold),
            signals=np.array(SIGNAL_NAMES),
            digest=np.array(classifier.training_digest()),
        )
        print(f"-> {classifier.MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
