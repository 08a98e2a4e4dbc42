"""Embeddings of a dataset: the job and its results (embeddings), turning columns into vectors
(features), and the map and neighbours the shells show (views).

The main names are importable from the package (`from dataplane_jupyter.core.embeddings import start_embeddings`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataplane_jupyter.core._lazy import lazy_exports

if TYPE_CHECKING:
    from dataplane_jupyter.core.embeddings.embeddings import load_embeddings, neighbors, save_selection, start_embeddings
    from dataplane_jupyter.core.embeddings.views import embedding_map, neighbor_records

__all__ = ["embedding_map", "load_embeddings", "neighbor_records", "neighbors", "save_selection", "start_embeddings"]
__getattr__ = lazy_exports(__name__, {
    "start_embeddings": "embeddings",
    "load_embeddings": "embeddings",
    "neighbors": "embeddings",
    "save_selection": "embeddings",
    "embedding_map": "views",
    "neighbor_records": "views",
})
