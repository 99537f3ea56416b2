"""Every user-facing string goes through t(); every catalog has every key English has."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from hopecircle.i18n import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = json.loads((LOCALES_DIR / "en.json").read_text(encoding="utf-8"))
CATALOGS = sorted(p.stem for p in LOCALES_DIR.glob("*.json") if p.stem != "en")
DISPLAY = {
    "title", "header", "subheader", "markdown", "caption", "write", "text", "button", "form_submit_button",
    "link_button", "download_button", "page_link", "text_input", "text_area", "selectbox", "multiselect", "pills",
    "segmented_control", "toggle", "checkbox", "radio", "expander", "popover", "info", "success", "warning",
    "error", "toast", "metric", "tabs", "number_input", "slider", "select_slider", "Page", "progress", "dialog",
}  # fmt: skip
LABEL_KEYWORDS = {"label", "title", "help", "placeholder", "text", "caption"}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_there_is_a_spanish_catalog():
    assert "es" in CATALOGS


@pytest.mark.parametrize("language", CATALOGS)
def test_every_catalog_has_every_english_key_with_the_same_placeholders(language):
    other = json.loads((LOCALES_DIR / f"{language}.json").read_text(encoding="utf-8"))
    assert sorted(set(ENGLISH) - set(other)) == []
    assert sorted(set(other) - set(ENGLISH)) == []
    mismatched = [key for key in ENGLISH if fields(ENGLISH[key]) != fields(other[key])]
    assert mismatched == []
    assert [key for key, value in other.items() if not value.strip()] == []


def words_outside_markup(text: str) -> list[str]:
    """Natural-language words left once HTML tags, CSS classes and Markdown symbols are removed."""
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&[a-z]+;", " ", text)
    return re.findall(r"[A-Za-zÀ-ÿ]{2,}", text)


def literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def ui_files() -> list[Path]:
    return [
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "hopecircle" / "ui").glob("*.py")),
        ROOT / "workshop_app.py",
    ]


def test_no_user_facing_string_bypasses_the_translation_function():
    offenders = []
    for path in ui_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            owner = getattr(getattr(node.func, "value", None), "id", "")
            if name not in DISPLAY or owner in {"log", "logger", "logging"}:
                continue
            candidates = node.args[:1] + [k.value for k in node.keywords if k.arg in LABEL_KEYWORDS]
            for candidate in candidates:
                text = literal_text(candidate)
                if text is not None and not text.endswith(".py") and words_outside_markup(text):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:40]!r}")
    assert offenders == []


def test_html_scaffolding_holds_no_sentences():
    """st.html bodies are built from t() and escaped() values; the literal parts are only markup."""
    offenders = []
    for path in ui_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "html" and node.args:
                text = literal_text(node.args[0])
                if text is None:
                    continue
                words = [w for w in words_outside_markup(text) if w not in {"div", "class", "span", "style", "strong"}]
                if words:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {words[:5]}")
    assert offenders == []


def test_every_literal_key_used_in_the_code_exists_in_english():
    used = set()
    for path in [
        *ROOT.joinpath("hopecircle").rglob("*.py"),
        *ROOT.joinpath("pages").glob("*.py"),
        ROOT / "workshop_app.py",
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "t" and node.args:
                key = node.args[0]
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    used.add(key.value)
    for path in ROOT.joinpath("hopecircle").rglob("*.py"):
        used.update(re.findall(r'message_key = "([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert sorted(used - set(ENGLISH)) == []


def test_a_count_of_one_reads_the_singular_where_a_catalog_has_one():
    from hopecircle.i18n import t

    assert t("console.close_unresolved", lang="en", count=1) == "Before you close: 1 thing still needs an answer"
    assert t("console.close_unresolved", lang="en", count=2) == "Before you close: 2 things still need an answer"
    assert t("console.close_unresolved", lang="es", count=1) == "Antes de cerrar: queda 1 cosa por atender"
    assert t("console.close_unresolved", lang="es", count=0) == "Antes de cerrar: quedan 0 cosas por atender"


def test_every_singular_has_its_plural_and_the_same_placeholders():
    singular = [key for key in ENGLISH if key.endswith(".one")]
    assert singular
    for key in singular:
        assert key.removesuffix(".one") in ENGLISH
        assert fields(ENGLISH[key]) == fields(ENGLISH[key.removesuffix(".one")])
