"""Datasets: the collection and its records (datasets), where their files live (paths), imports of
CSV, zip and npy files (imports, zip_import, media_columns, npy), reading rows (rows) and
writing cells as CSV (csv_cells).

The main names are importable from the package (`from dataplane_jupyter.core.datasets import Dataset`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataplane_jupyter.core.datasets.datasets import Dataset, Datasets
    from dataplane_jupyter.core.datasets.paths import DATA_FILE, dataset_folder

_EXPORTS = {
    "Dataset": "datasets",
    "Datasets": "datasets",
    "DATA_FILE": "paths",
    "dataset_folder": "paths",
}
__all__ = ["DATA_FILE", "Dataset", "Datasets", "dataset_folder"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
