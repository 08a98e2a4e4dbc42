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
