"""The shape of the code: layers without cycles, small modules, and no language
branches in the search code (each language's rules are data on its Lang)."""

from __future__ import annotations

import ast
from pathlib import Path

from portal.config import ROOT
from portal.locales import ALL

PORTAL = ROOT / "portal"
# The top layer: the factory, command-line tools and the views. Nothing below them
# may import the views.
TOP = ("portal", "portal.cli", "portal.freeze", "portal.serve")
MAX_LINES = 400


def modules() -> dict[str, Path]:
    out = {}
    for path in PORTAL.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def imports(name: str, path: Path, known: dict, top_level: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in (tree.body if top_level else ast.walk(tree)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
    return {m for m in found if m in known and m != name}


def test_nothing_below_the_views_imports_them():
    known = modules()
    wrong = [name for name, path in known.items()
             if not name.startswith("portal.views") and name not in TOP
             and any(m.startswith("portal.views") for m in imports(name, path, known, False))]
    assert not wrong, f"import the views from below: {wrong}"


def test_no_import_cycles():
    known = modules()
    graph = {name: imports(name, path, known, True) for name, path in known.items()}
    state: dict[str, int] = {}

    def visit(node, trail):
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(trail + [node, nxt]))
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])


def test_no_module_is_too_long():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_search_code_names_no_language():
    codes = {lang.code for lang in ALL} | {lang.language for lang in ALL} | {"tr", "am"}
    found = []
    for path in sorted((PORTAL / "search").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in codes:
                found.append(f"{path.name}:{node.lineno} {node.value!r}")
    assert not found, found
