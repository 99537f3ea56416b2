"""Embed the exemplar bank (hopecircle/safety/data/exemplars.csv) into exemplars.npz.

Run after editing the bank: python scripts/build_exemplar_bank.py
The vectors are stored as float16 with the bank's SHA-256, so a test notices a stale file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hopecircle.safety import semantic  # noqa: E402
from hopecircle.safety.normalize import normalize  # noqa: E402
from hopecircle.safety.risk import lexicon  # noqa: E402


def main() -> int:
    rows = semantic.read_bank_rows()
    texts = [normalize(row["text"], lexicon().vocabulary) for row in rows]
    vectors = semantic.embed(texts).astype(np.float16)
    risk = np.array([row["label"] == "1" for row in rows])
    np.savez_compressed(semantic.BANK_VECTORS, vectors=vectors, risk=risk, digest=np.array(semantic.bank_digest()))
    print(f"{len(rows)} exemplars ({int(risk.sum())} risk) -> {semantic.BANK_VECTORS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
