"""The risk classifier: a logistic regression and a nearest-neighbour margin over the sentence vector.

The sentence encoder (semantic.py) turns a text into 512 numbers; risk.py adds a few yes/no
context signals its rules already compute (first person, told in the past, negated, about
someone else, a death or harm word still live after the context rules, a means, a farewell, a
time, an ending, an intent). Two scores are added, each put on a common scale:

- a logistic regression over the vector and the signals (one linear layer), and
- the margin between the 5 nearest risk texts and the 5 nearest not-risk texts among every
  labelled development text (their vectors only, float16, about 3 MB), which catches the local
  shapes a single linear layer cannot.

Both are trained by `scripts/train_risk_classifier.py` on every labelled development text and
stored with the threshold in `data/classifier.npz`. No word has to be present for a text to
count: that is what the rules miss. The cost is two small matrix products; the encoder is loaded
anyway. The threshold was chosen by grouped cross-validation (whole writers held out) for recall
of at least 0.95 with the rules; docs/safety.md gives the estimates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).parent / "data"
MODEL = DATA_DIR / "classifier.npz"
ROOT = Path(__file__).resolve().parents[2]
# Every labelled text the classifier learns from, with the writer it comes from: cross-validation
# holds out whole writers, because texts by one writer resemble each other.
TRAINING_SETS: dict[str, tuple[str, str]] = {
    "risk_eval": ("tests/data/risk_eval.csv", "rules' own set and exemplar bank"),
    "exemplar_bank": ("hopecircle/safety/data/exemplars.csv", "rules' own set and exemplar bank"),
    "retired_holdout": ("tests/data/risk_dev_retired_holdout.csv", "first retired set"),
    "retired_blind_en": ("tests/data/retired_blind_2026-12-07/risk_dev_retired_blind_en.csv", "blind set 2026-12-07"),
    "retired_blind_es": ("tests/data/retired_blind_2026-12-07/risk_dev_retired_blind_es.csv", "blind set 2026-12-07"),
    "varied": ("tests/data/risk_dev_varied.csv", "varied phrasing set"),
    "writer_a": ("tests/data/risk_dev_writer_a.csv", "writer A, hard cases"),
    "writer_b": ("tests/data/risk_dev_writer_b.csv", "writer B, phone-typed voices"),
}
# The lists the context signals come from: a change to them changes what the weights mean.
LEXICONS = ("hopecircle/safety/data/risk_en.yaml", "hopecircle/safety/data/risk_es.yaml")


NEIGHBOURS = 5
# How much the neighbour margin counts beside the regression, both on their out-of-fold scale.
MARGIN_WEIGHT = 1.5


@dataclass(frozen=True)
class Model:
    weights: np.ndarray
    bias: float
    vectors: np.ndarray
    risk: np.ndarray
    scale: np.ndarray
    threshold: float
    digest: str


def training_digest(root: Path = ROOT) -> str:
    """Fingerprint of the training texts and the lexicons, stored with the weights to catch a stale model."""
    digest = hashlib.sha256()
    for relative in [path for path, _ in TRAINING_SETS.values()] + list(LEXICONS):
        digest.update(relative.encode())
        digest.update((root / relative).read_bytes())
    return digest.hexdigest()


@cache
def model() -> Model:
    """The trained weights and threshold shipped with the package."""
    with np.load(MODEL, allow_pickle=False) as stored:
        return Model(
            weights=stored["weights"].astype(np.float32),
            bias=float(stored["bias"]),
            vectors=stored["vectors"].astype(np.float32),
            risk=stored["risk"].astype(bool),
            scale=stored["scale"].astype(np.float64),
            threshold=float(stored["threshold"]),
            digest=str(stored["digest"]),
        )


def inputs(vector: np.ndarray, signals: list[float]) -> np.ndarray:
    """The classifier's input: the sentence vector followed by the context signals."""
    return np.concatenate([vector.astype(np.float32), np.asarray(signals, dtype=np.float32)])


def score(features: np.ndarray) -> float:
    """How much the text reads like risk: above `model().threshold` it is flagged."""
    trained = model()
    vector = features[: trained.vectors.shape[1]]
    logit = float(features @ trained.weights) + trained.bias
    return combine(logit, neighbour_margin(vector, trained.vectors, trained.risk), trained.scale)


def neighbour_margin(vector: np.ndarray, vectors: np.ndarray, risk: np.ndarray) -> float:
    """Mean similarity of the nearest risk texts minus that of the nearest not-risk texts."""
    similarity = vectors @ vector
    nearest_risk = np.sort(similarity[risk])[-NEIGHBOURS:]
    nearest_calm = np.sort(similarity[~risk])[-NEIGHBOURS:]
    return float(nearest_risk.mean() - nearest_calm.mean())


def combine(logit: float, margin: float, scale: np.ndarray) -> float:
    """The two scores on their out-of-fold scale (mean, spread of each), added with MARGIN_WEIGHT."""
    logit_mean, logit_spread, margin_mean, margin_spread = (float(v) for v in scale)
    return (logit - logit_mean) / logit_spread + MARGIN_WEIGHT * (margin - margin_mean) / margin_spread


def fit(features: np.ndarray, labels: np.ndarray, penalty: float) -> tuple[np.ndarray, float]:
    """L2-penalized logistic regression by Newton's method, both classes weighted equally."""
    with_bias = np.hstack([features.astype(np.float64), np.ones((len(features), 1))])
    positive = labels.mean()
    sample_weight = np.where(labels == 1, 0.5 / positive, 0.5 / (1 - positive))
    ridge = penalty * np.eye(with_bias.shape[1])
    ridge[-1, -1] = 0.0
    weights = np.zeros(with_bias.shape[1])
    for _ in range(50):
        predicted = 1.0 / (1.0 + np.exp(-(with_bias @ weights)))
        gradient = with_bias.T @ (sample_weight * (predicted - labels)) + ridge @ weights
        hessian = (with_bias * (sample_weight * predicted * (1 - predicted))[:, None]).T @ with_bias + ridge
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-7:
            break
    return weights[:-1], float(weights[-1])
