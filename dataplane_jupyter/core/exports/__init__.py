"""Exports: exporters of a project (exporters) and the runs that write a dataset with one (runs).

The main names are importable from the package (`from dataplane_jupyter.core.exports import Exporter`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataplane_jupyter.core.exports.exporters import Exporter, Exporters
    from dataplane_jupyter.core.exports.runs import ExportRun

_EXPORTS = {
    "Exporter": "exporters",
    "Exporters": "exporters",
    "ExportRun": "runs",
}
__all__ = ["ExportRun", "Exporter", "Exporters"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
