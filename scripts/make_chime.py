"""Write hopecircle/ui/static/chime.wav: the console's alert chime, synthesized here (no licence to track).

Two soft bell-like notes a fourth apart (E5, then A5), each a sine with a faint octave, a quick
attack and a gentle decay; 16-bit mono at 8 kHz, under a second, about 12 KB. Run it again only
to change the sound: `python scripts/make_chime.py`.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 8000
SECONDS = 0.75
NOTES = ((0.0, 659.25), (0.16, 880.0))  # (start in seconds, pitch in Hz)
PEAK = 0.45  # of full scale: noticeable in a quiet room, never harsh
TARGET = Path(__file__).resolve().parents[1] / "hopecircle" / "ui" / "static" / "chime.wav"


def sample(t: float) -> float:
    value = 0.0
    for start, pitch in NOTES:
        if t < start:
            continue
        age = t - start
        envelope = min(1.0, age / 0.006) * math.exp(-age / 0.22)
        value += envelope * (math.sin(2 * math.pi * pitch * age) + 0.25 * math.sin(4 * math.pi * pitch * age))
    return value


def main() -> None:
    count = int(RATE * SECONDS)
    raw = [sample(n / RATE) for n in range(count)]
    scale = PEAK / max(abs(v) for v in raw)
    # The last 40 ms fade to silence, so the file ends without a click.
    fade = int(RATE * 0.04)
    frames = b"".join(
        struct.pack("<h", round(32767 * v * scale * min(1.0, (count - n) / fade))) for n, v in enumerate(raw)
    )
    with wave.open(str(TARGET), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    print(f"{TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
