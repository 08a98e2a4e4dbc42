"""Package re-exports that load on first use, so importing one module of a folder does not import
the others (and no import cycle runs through a package's `__init__`)."""

from __future__ import annotations

import importlib
from typing import Any, Callable


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` that finds `name` in the submodule `exports[name]` of `package`."""

    def attribute(name: str) -> Any:
        if name in exports:
            return getattr(importlib.import_module(f"{package}.{exports[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return attribute
