"""The layering stays visible: core without streamlit, pages without SQL, SQL only in the store, no cycles.

From the bottom: the pure core (domain, content, safety, ...) and `live/` (the machinery that
serves a big room); `store/`; `services/`; `reporting/` and `process.py` above the services;
`http/` (Starlette routes) and `ui/` (Streamlit) on top; pages and the router above all.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "hopecircle"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


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


def imports_any(path: Path, *prefixes: str) -> bool:
    return any(
        name == prefix or name.startswith(prefix + ".") for name in imported_modules(path) for prefix in prefixes
    )


def product_modules() -> dict[str, Path]:
    return {
        module_name(path): path for path in python_files(PACKAGE) if "migrations" not in path.relative_to(PACKAGE).parts
    }


def import_graph() -> dict[str, set[str]]:
    """Which product module imports which, counting imports inside functions and TYPE_CHECKING
    blocks (they hide a cycle, they do not remove it), and the packages a module's imports load."""
    modules = product_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    targets.add(child if child in modules else node.module)
        edges: set[str] = set()
        for target in targets:
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                loaded = ".".join(parts[:end])
                # Importing hopecircle.x.y runs hopecircle/x/__init__.py too; a module's own packages
                # are already loading when it runs.
                if loaded in modules and loaded != name and not name.startswith(loaded + "."):
                    edges.add(loaded)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph.get(node, ()):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


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


def offenders_in(folder: Path, *forbidden: str) -> list[str]:
    return [str(path.relative_to(ROOT)) for path in python_files(folder) if imports_any(path, *forbidden)]


def test_the_live_machinery_sits_below_everything_that_uses_it():
    above = ("hopecircle.store", "hopecircle.services", "hopecircle.reporting", "hopecircle.process")
    assert offenders_in(PACKAGE / "live", *above, "hopecircle.http", "hopecircle.ui", "streamlit") == []


def test_services_never_reach_up_to_the_process_the_routes_the_ui_or_reports():
    above = ("hopecircle.process", "hopecircle.http", "hopecircle.ui", "hopecircle.reporting")
    assert offenders_in(PACKAGE / "services", *above) == []


def test_reports_read_through_the_services_never_the_store_the_routes_or_the_ui():
    below_or_beside = ("hopecircle.store", "hopecircle.process", "hopecircle.http", "hopecircle.ui")
    assert offenders_in(PACKAGE / "reporting", *below_or_beside, "streamlit", "sqlalchemy") == []


def test_the_http_routes_never_import_the_streamlit_ui():
    assert offenders_in(PACKAGE / "http", "hopecircle.ui", "streamlit") == []


def test_the_core_below_the_services_never_imports_them():
    core = [
        path
        for path in python_files(PACKAGE)
        if path.parent == PACKAGE and path.stem not in ("process", "__main__", "__init__")
    ]
    upward = ("hopecircle.services", "hopecircle.reporting", "hopecircle.process", "hopecircle.http", "hopecircle.ui")
    assert [str(path.relative_to(ROOT)) for path in core if imports_any(path, *upward)] == []


def test_no_module_of_the_product_imports_itself_round_a_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert import_graph()["hopecircle.http.rooms"] >= {"hopecircle.process", "hopecircle.live.waits"}


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
