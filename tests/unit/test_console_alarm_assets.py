"""The console's alarm ships everything it needs: a short, gentle chime file and a script that fetches nothing."""

from __future__ import annotations

import array
import re
import wave

from hopecircle.ui.alerting import CHIME, chime_url
from hopecircle.ui.widgets import STATIC


def test_the_chime_is_a_short_quiet_ending_mono_wav_of_a_few_kilobytes():
    with wave.open(str(CHIME), "rb") as chime:
        assert (chime.getnchannels(), chime.getsampwidth()) == (1, 2)
        seconds = chime.getnframes() / chime.getframerate()
        samples = array.array("h", chime.readframes(chime.getnframes()))
    assert 0.3 <= seconds <= 1.0
    assert CHIME.stat().st_size < 16_000
    loudest = max(abs(s) for s in samples)
    assert 0.2 * 32767 < loudest < 0.6 * 32767  # audible, never at full scale
    assert max(abs(s) for s in samples[-20:]) < 0.01 * 32767  # fades out: no click at the end


def test_the_chime_travels_inside_the_page_as_a_data_url():
    assert chime_url().startswith("data:audio/wav;base64,")


def test_the_console_scripts_load_nothing_from_anywhere():
    for name in ("alerting.js", "sidebar_menu.js"):
        script = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://|fetch\(|XMLHttpRequest|import\s*\(", script), name
