"""The pages' stylesheets as sent on every run: one line, comments gone, every rule kept."""

import re

import pytest

from hopecircle.ui.widgets import STATIC, _stylesheet

SHEETS = sorted(path.stem for path in STATIC.glob("*.css"))


def test_every_page_style_is_found():
    assert {"phone", "projector", "console"} <= set(SHEETS)


@pytest.mark.parametrize("name", SHEETS)
def test_a_stylesheet_is_sent_on_one_line_with_only_whitespace_and_comments_removed(name):
    sent = _stylesheet(name)
    source = re.sub(r"/\*.*?\*/", "", (STATIC / f"{name}.css").read_text(encoding="utf-8"), flags=re.DOTALL)
    assert sent.startswith("<style>") and sent.endswith("</style>")
    assert "\n" not in sent and "/*" not in sent and "  " not in sent
    assert "".join(sent.removeprefix("<style>").removesuffix("</style>").split()) == "".join(source.split())
