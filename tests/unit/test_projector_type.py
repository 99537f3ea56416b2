"""The wall's smallest type is one number, and no projector stylesheet sets a size under it.

The browser tests measure the drawn text at every projector size; this keeps the stylesheets
honest in between: every font size on the projector page is the smallest type, a share of the
screen's height at least as large, or a multiple (em) of at least one of the fitted size.
"""

from __future__ import annotations

import re

import pytest

from hopecircle.ui.projector_fit import MIN_TYPE_VH
from hopecircle.ui.widgets import STATIC

# Narrowest projector screen: 4:3, where 1vw is three quarters of 1vh.
NARROWEST = 3 / 4


def font_sizes(name: str) -> list[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", (STATIC / name).read_text(encoding="utf-8"), flags=re.DOTALL)
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        found += [(selector.strip(), value.strip()) for value in re.findall(r"font-size:\s*([^;]+)", body)]
    return found


def smallest_share(value: str) -> float | None:
    """The smallest share of the screen's height (vh) a size can come to, or None if it is not such a size."""
    if "var(--hc-min" in value and not value.startswith("min("):
        return MIN_TYPE_VH  # the smallest type itself, or the larger of it and something else
    shares = [float(n) for n in re.findall(r"([\d.]+)vh", value)]
    shares += [float(n) / NARROWEST for n in re.findall(r"([\d.]+)vw", value)]
    return min(shares) if shares else None


def test_the_stylesheets_say_the_same_smallest_type_as_the_code():
    room = (STATIC / "projector-room.css").read_text(encoding="utf-8")
    assert f"--hc-min: {MIN_TYPE_VH}vh" in room
    assert f"max({MIN_TYPE_VH}vh, 1rem)" in (STATIC / "hands_free.css").read_text(encoding="utf-8")


def test_no_size_on_the_projector_page_is_under_the_smallest_type():
    for selector, value in font_sizes("projector-room.css"):
        share = smallest_share(value)
        assert share is not None and share >= MIN_TYPE_VH, (selector, value)


@pytest.mark.parametrize("selector, value", font_sizes("projector_fit.css"))
def test_fitted_content_is_never_smaller_than_the_size_it_was_fitted_at(selector, value):
    # The script picks the size (never under the smallest type); content is that size or larger.
    if value.startswith(("max(var(--hc-min-type", "var(--hc-min-type")):
        return  # the smallest type itself, or something larger
    multiple = re.fullmatch(r"([\d.]+)em", value)
    assert multiple and float(multiple.group(1)) >= 1, (selector, value)
