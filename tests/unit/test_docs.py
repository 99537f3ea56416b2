"""The docs keep up with the code: the README's layout names every part of the package."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "hopecircle"


def readme_layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Layout", 1)[1].split("```", 2)[1]


def test_the_readme_layout_names_every_top_level_module_and_package():
    parts = {path.name for path in PACKAGE.iterdir() if path.suffix == ".py" and path.name != "__init__.py"}
    parts |= {f"{path.name}/" for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    named = set(re.findall(r"[a-z0-9_]+(?:\.py|/)", readme_layout()))
    assert sorted(parts - named) == []


def test_the_docs_name_no_module_that_is_gone():
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    gone = []
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        for path in re.findall(
            r"\b((?:hopecircle/)?(?:ui|services|store|live|http|reporting|safety)/[a-z0-9_]+\.py)", text
        ):
            if not (ROOT / path).exists() and not (PACKAGE / path).exists():
                gone.append(f"{doc.name}: {path}")
        for path in re.findall(r"`(hopecircle/[a-z0-9_]+\.py)`", text):
            if not (ROOT / path).exists():
                gone.append(f"{doc.name}: {path}")
    assert gone == []


def test_the_docs_name_no_test_file_that_is_gone():
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    gone = [
        f"{doc.name}: {path}"
        for doc in docs
        for path in re.findall(r"\b(tests/[a-z0-9_/]+\.py)", doc.read_text(encoding="utf-8"))
        if not (ROOT / path).exists()
    ]
    assert gone == []


def test_every_test_module_has_a_name_of_its_own():
    # pytest imports test modules by basename (rootdir-relative "rootdir" import mode); two
    # files with one name in different folders stop collection on a clean checkout.
    seen: dict[str, list[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        seen.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
