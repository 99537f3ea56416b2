"""Writes hopecircle/ui/static/time_chime.wav: the soft two-note chime a console may play when a phase's time is up.

Synthesized here, so the sound is ours to ship and the file can be made again: two bell-like
notes (a major third apart, each a sine with a quieter octave partial) that fade out over about a
second and a half, at a modest volume. Run: `python scripts/make_time_chime.py`.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 16_000
SECONDS = 1.6
PEAK = 0.3  # of full scale: gentle beside a room's talk
NOTES = ((0.0, 659.25), (0.32, 830.61))  # E5, then G#5
TARGET = Path(__file__).resolve().parents[1] / "hopecircle" / "ui" / "static" / "time_chime.wav"


def sample(time: float) -> float:
    value = 0.0
    for start, frequency in NOTES:
        since = time - start
        if since < 0:
            continue
        attack = min(1.0, since / 0.012)  # no click at the start of a note
        decay = math.exp(-3.2 * since)
        value += (
            attack
            * decay
            * (math.sin(2 * math.pi * frequency * since) + 0.25 * math.sin(4 * math.pi * frequency * since))
        )
    tail = min(1.0, (SECONDS - time) / 0.1)  # fade the last tenth of a second to silence
    return value * tail / 1.25


def main(target: Path = TARGET) -> None:
    frames = [sample(n / RATE) for n in range(int(RATE * SECONDS))]
    scale = PEAK / max(abs(value) for value in frames)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", round(value * scale * 32767)) for value in frames))


if __name__ == "__main__":
    main()
