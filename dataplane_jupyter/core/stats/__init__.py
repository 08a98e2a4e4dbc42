"""Dataset statistics over Parquet, streaming with bounded memory (no Jupyter imports)."""

from dataplane_jupyter.core.stats.compute import compute_statistics
from dataplane_jupyter.core.stats.metadata import first_figures

__all__ = ["compute_statistics", "first_figures"]
