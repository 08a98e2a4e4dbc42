"""Exports: exporters of a project (exporters) and the runs that write a dataset with one (runs).

The main names are importable from the package (`from dataplane_jupyter.core.exports import Exporter`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataplane_jupyter.core._lazy import lazy_exports

if TYPE_CHECKING:
    from dataplane_jupyter.core.exports.exporters import Exporter, Exporters
    from dataplane_jupyter.core.exports.runs import ExportRun

__all__ = ["ExportRun", "Exporter", "Exporters"]
__getattr__ = lazy_exports(__name__, {
    "Exporter": "exporters",
    "Exporters": "exporters",
    "ExportRun": "runs",
})
