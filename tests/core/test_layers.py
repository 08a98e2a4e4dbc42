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


def import_cycles(package: str) -> set[frozenset[str]]:
    """The groups of modules under `package` that import each other (strongly connected
    components of the import graph), counting imports inside functions but not the ones only
    made for type checking, and the package `__init__` modules that an import runs."""
    import grimp

    graph = grimp.build_graph(package.split(".")[0], exclude_type_checking_imports=True)
    modules = sorted(m for m in graph.modules if m.startswith(f"{package}.") and ".migrations" not in m)
    inside = set(modules)

    def packages(module: str) -> set[str]:
        parts = module.split(".")
        return {".".join(parts[:i]) for i in range(1, len(parts))}

    # Importing `a.b.c` runs the `__init__` of `a.b` first: an import of a module is also an
    # import of the packages around it (the ones the importer is not already inside).
    edges = {
        m: sorted(
            {x for imported in graph.find_modules_directly_imported_by(m) & inside for x in {imported} | (packages(imported) - packages(m) - {m})} & inside
        )
        for m in modules
    }
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
    assert [sorted(cycle) for cycle in import_cycles("dataplane_jupyter.core")] == []


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


def test_the_cycle_check_sees_cycles_through_a_package_init(tmp_path, monkeypatch):
    package = tmp_path / "through"
    (package / "inner").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "inner" / "__init__.py").write_text("from through.inner.x import X\n")
    (package / "inner" / "x.py").write_text("from through.y import Y\nX = 1\n")
    (package / "y.py").write_text("Y = 2\ndef f():\n    from through.inner.z import Z\n")
    (package / "inner" / "z.py").write_text("Z = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("through") == {frozenset({"through.inner", "through.inner.x", "through.y"})}


def test_core_imports_project_modules_at_the_top_only():
    """An import inside a function hides a dependency from the reader (and once hid the cycles
    the check above now forbids); only optional or heavy third-party libraries load lazily."""
    inside = []
    for path in Path(core.__file__).parent.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inside += [
                    f"{path.relative_to(Path(core.__file__).parent)}:{node.lineno}"
                    for node in ast.walk(function)
                    if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").split(".")[0] == "dataplane_jupyter")
                    or isinstance(node, ast.Import) and any(a.name.split(".")[0] == "dataplane_jupyter" for a in node.names)
                ]
    assert inside == []


def test_a_job_supervisor_does_not_import_the_catalog():
    """Every job starts with a supervisor process (core/jobs/worker.py); the catalog (every job
    kind's code, ~0.7 s and ~100 MiB) is imported only by the job's child (core/jobs/child.py)."""
    probe = "import sys, dataplane_jupyter.core.jobs.worker; print(sorted(m for m in sys.modules if m.startswith('dataplane_jupyter.')))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "dataplane_jupyter.core.catalog.catalog" not in loaded, loaded
    assert "dataplane_jupyter.core.datasets" not in loaded, loaded
