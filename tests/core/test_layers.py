"""The core stays usable from a plain script: it imports no Jupyter-side code."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import dataplane_jupyter.core as core

FORBIDDEN = ("jupyter_server", "jupyterlab", "tornado", "IPython", "ipywidgets", "traitlets", "anywidget", "ipykernel", "nbformat")


def test_no_core_module_imports_jupyter_code_even_lazily():
    offenders = []
    for path in Path(core.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                offenders.append(f"{path.name}: relative import out of core ({'.' * node.level}{node.module})")
    assert offenders == []


def test_importing_the_whole_core_loads_no_jupyter_module():
    modules = [m.name for m in pkgutil.walk_packages(core.__path__, "dataplane_jupyter.core.") if "migrations" not in m.name]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import dataplane_jupyter\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


# Cycles that are known and owned: zip_import calls back into imports' private helpers until the
# one import pipeline (issue #19 point 2) replaces both. Remove the entry with the cycle.
KNOWN_CYCLES = {frozenset({"dataplane_jupyter.core.datasets.imports", "dataplane_jupyter.core.datasets.zip_import"})}


def import_cycles(package: str) -> set[frozenset[str]]:
    """The groups of modules under `package` that import each other (strongly connected
    components of the import graph), counting imports inside functions but not the ones only
    made for type checking."""
    import grimp

    graph = grimp.build_graph(package.split(".")[0], exclude_type_checking_imports=True)
    modules = sorted(m for m in graph.modules if m.startswith(f"{package}.") and ".migrations" not in m)
    inside = set(modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & inside) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: set[frozenset[str]] = set()

    def visit(module: str) -> None:  # Tarjan's algorithm
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in edges[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            if len(group) > 1 or module in edges[module]:
                cycles.add(frozenset(group))

    for module in modules:
        if module not in index:
            visit(module)
    return cycles


def test_core_has_no_import_cycle():
    cycles = import_cycles("dataplane_jupyter.core")
    assert cycles == KNOWN_CYCLES, [sorted(c) for c in cycles - KNOWN_CYCLES] or f"fixed, remove from KNOWN_CYCLES: {KNOWN_CYCLES - cycles}"


def test_the_cycle_check_sees_cycles_made_by_imports_inside_functions(tmp_path, monkeypatch):
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic import b\n")
    (package / "b.py").write_text("def f():\n    from cyclic import a\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cyclic import a\n")
    (package / "d.py").write_text("from cyclic import c\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("cyclic") == {frozenset({"cyclic.a", "cyclic.b"})}
