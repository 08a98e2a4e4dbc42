"""Dataset statistics: one streaming pass over Arrow batches with bounded memory (no Jupyter imports).
:class:`StatsAccumulator` is fed batch by batch (see :mod:`.accumulate`); :func:`compute_statistics`
runs it over a stored Parquet file.

The main names are importable from the package; they load on first use (lazy_loader reads them from
`__init__.pyi`), so importing one module of the folder (the ingest's sketches, say) does not import
the others (and no import cycle runs through this `__init__`)."""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
