"""Dataset statistics of a stored Parquet file, in one streaming pass with bounded memory.

The file is read in bounded batches (all columns, pyarrow's threaded reader) and fed to a
:class:`~dataplane_jupyter.core.stats.accumulate.StatsAccumulator`; only the figures whose
exact state did not fit memory are counted again from the file (see that module).
"""

from __future__ import annotations

from typing import Any

import fsspec

from dataplane_jupyter.core.ingest.model import Progress, noop_progress
from dataplane_jupyter.core.stats.accumulate import accumulate_parquet


def compute_statistics(
    parquet_path: str,
    *,
    filesystem: fsspec.AbstractFileSystem | None = None,
    progress: Progress = noop_progress,
    sample_rows: int = 100,
    memory_limit: str | None = None,
) -> dict[str, Any]:
    """Statistics of a dataset file as a JSON-serialisable dict (DESIGN.md contract).

    Keys: ``rows``, ``columns_count``, ``summary``, ``columns`` (one entry per column: name,
    type, count, missing, distinct, distinct_exact, distinct_error, mean, std, min, max,
    quantiles, quantiles_exact, quantiles_error, histogram, histogram_exact, top, text_length,
    warnings), ``correlation`` (Pearson over numeric columns, full precision) and ``sample``.
    ``progress`` may raise to cancel; its exception is raised again unchanged.
    """
    acc = accumulate_parquet(parquet_path, filesystem=filesystem, progress=progress,
                             sample_rows=sample_rows)
    try:
        payload = acc.result(parquet_path, filesystem=filesystem, progress=progress,
                             memory_limit=memory_limit)
    finally:
        acc.close()
    progress(1.0, "statistics ready")
    return payload
