"""Dataset statistics: one streaming pass over Arrow batches with bounded memory (no Jupyter
imports). :class:`StatsAccumulator` is fed batch by batch (see :mod:`.accumulate`);
:func:`compute_statistics` runs it over a stored Parquet file."""

from dataplane_jupyter.core.stats.accumulate import StatsAccumulator
from dataplane_jupyter.core.stats.compute import compute_statistics
from dataplane_jupyter.core.stats.metadata import first_figures

__all__ = ["StatsAccumulator", "compute_statistics", "first_figures"]
