"""The layering stays visible: core without streamlit, pages without SQL, SQL only in the store."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "hopecircle"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_core_package_never_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files(PACKAGE)
        if "ui" not in path.relative_to(PACKAGE).parts
        and any(name == "streamlit" or name.startswith("streamlit.") for name in imported_modules(path))
    ]
    assert offenders == []


def test_pages_never_touch_the_database_directly():
    pages = [*python_files(ROOT / "pages"), ROOT / "workshop_app.py"]
    offenders = [
        str(path.relative_to(ROOT))
        for path in pages
        if any(
            name.startswith(("sqlalchemy", "hopecircle.store", "sqlite3", "psycopg")) for name in imported_modules(path)
        )
    ]
    assert offenders == []


def test_sql_lives_only_in_the_store():
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files(PACKAGE)
        if "store" not in path.relative_to(PACKAGE).parts
        and any(name.startswith(("sqlalchemy", "sqlite3", "psycopg")) for name in imported_modules(path))
    ]
    assert offenders == []


def test_the_ui_layer_talks_to_services_not_to_the_store():
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files(PACKAGE / "ui")
        if any(name.startswith("hopecircle.store") for name in imported_modules(path))
    ]
    assert offenders == []


def test_modules_stay_small_enough_to_read_in_one_sitting():
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in python_files(PACKAGE) + python_files(ROOT / "pages")
        if "migrations" not in path.parts and (n := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert too_long == {}


def test_participant_text_is_never_passed_to_unsafe_html():
    offenders = []
    for path in python_files(PACKAGE / "ui") + python_files(ROOT / "pages"):
        source = path.read_text(encoding="utf-8")
        if "unsafe_allow_html=True" in source or "unsafe_allow_javascript=True" in source:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
