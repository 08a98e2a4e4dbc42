"""First figures from the Parquet footer alone: shown while full statistics are computed."""

from __future__ import annotations

from typing import Any

import fsspec
import pyarrow.parquet as pq

from dataplane_jupyter.core.stats.jsonsafe import jsonable
from dataplane_jupyter.core.stats.schema import columns_of, size_bytes


def first_figures(parquet_path: str, *,
                  filesystem: fsspec.AbstractFileSystem | None = None) -> dict[str, Any]:
    """Rows, columns and per-column missing/min/max read from the footer (no data scanned).

    ``missing``, ``min`` or ``max`` is None when a row group lacks that statistic.
    """
    metadata = pq.read_metadata(parquet_path, filesystem=filesystem)
    columns = columns_of(metadata)
    entries = []
    for index, column in enumerate(columns):
        missing, lo, hi = _column_figures(metadata, index)
        if column.type == "binary":  # byte order says nothing a reader can use
            lo = hi = None
        entries.append({"name": column.name, "type": column.type or "categorical",
                        "dtype": str(column.arrow), "missing": missing, "min": lo, "max": hi})
    return jsonable({
        "rows": metadata.num_rows,
        "columns_count": len(columns),
        "size_bytes": size_bytes(parquet_path, filesystem),
        "columns": entries,
    })


def _column_figures(metadata: pq.FileMetaData, index: int) -> tuple[int | None, Any, Any]:
    missing: int | None = 0
    lo = hi = None
    complete = True
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(index).statistics
        if stats is None:
            return None, None, None
        missing = missing + stats.null_count if missing is not None and stats.has_null_count \
            else None
        if stats.has_min_max:
            lo = stats.min if lo is None else min(lo, stats.min)
            hi = stats.max if hi is None else max(hi, stats.max)
        elif stats.num_values:
            complete = False
    return (missing, lo, hi) if complete else (missing, None, None)
