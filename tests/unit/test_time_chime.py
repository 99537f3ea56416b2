"""The console's time chime: a short, soft sound made by a script in the repository, not fetched."""

from __future__ import annotations

import array
import importlib.util
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHIME = ROOT / "hopecircle" / "ui" / "static" / "time_chime.wav"


def samples(path: Path) -> tuple[wave._wave_params, array.array]:
    with wave.open(str(path), "rb") as sound:
        return sound.getparams(), array.array("h", sound.readframes(sound.getnframes()))


def test_the_chime_is_short_soft_and_fades_in_and_out():
    params, values = samples(CHIME)
    assert (params.nchannels, params.sampwidth) == (1, 2)
    assert 1.0 <= params.nframes / params.framerate <= 2.0
    assert max(abs(v) for v in values) <= 0.31 * 32767
    assert abs(values[0]) < 500 and max(abs(v) for v in values[-50:]) < 200


def test_the_script_in_the_repository_makes_exactly_the_shipped_file(tmp_path):
    spec = importlib.util.spec_from_file_location("make_time_chime", ROOT / "scripts" / "make_time_chime.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.main(tmp_path / "chime.wav")
    assert (tmp_path / "chime.wav").read_bytes() == CHIME.read_bytes()
