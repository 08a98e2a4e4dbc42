"""Dataset statistics: one streaming pass over Arrow batches with bounded memory (no Jupyter
imports). :class:`StatsAccumulator` is fed batch by batch (see :mod:`.accumulate`);
:func:`compute_statistics` runs it over a stored Parquet file.

The main names are importable from the package; they load on first use, so importing one module
of the folder (the ingest's sketches, say) does not import the others (and no import cycle runs
through this `__init__`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataplane_jupyter.core._lazy import lazy_exports

if TYPE_CHECKING:
    from dataplane_jupyter.core.stats.accumulate import StatsAccumulator
    from dataplane_jupyter.core.stats.compute import compute_statistics
    from dataplane_jupyter.core.stats.metadata import first_figures

__all__ = ["StatsAccumulator", "compute_statistics", "first_figures"]
__getattr__ = lazy_exports(__name__, {
    "StatsAccumulator": "accumulate",
    "compute_statistics": "compute",
    "first_figures": "metadata",
})
