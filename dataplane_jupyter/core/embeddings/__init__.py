"""Embeddings of a dataset: the job and its results (embeddings), turning columns into vectors
(features), and the map and neighbours the shells show (views).

The main names are importable from the package (`from dataplane_jupyter.core.embeddings import start_embeddings`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataplane_jupyter.core.embeddings.embeddings import load_embeddings, neighbors, save_selection, start_embeddings
    from dataplane_jupyter.core.embeddings.views import embedding_map, neighbor_records

_EXPORTS = {
    "start_embeddings": "embeddings",
    "load_embeddings": "embeddings",
    "neighbors": "embeddings",
    "save_selection": "embeddings",
    "embedding_map": "views",
    "neighbor_records": "views",
}
__all__ = ["embedding_map", "load_embeddings", "neighbor_records", "neighbors", "save_selection", "start_embeddings"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
