"""Rows of a stored dataset by index: seeded samples and reading only the row groups needed."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dataplane_jupyter.core.datasets.paths import DATA_FILE

if TYPE_CHECKING:
    from dataplane_jupyter.core.datasets.datasets import Dataset

BATCH_ROWS = 65_536


def sample_rows(total: int, size: int, seed: int) -> np.ndarray:
    """Sorted row indices: every row when `total <= size`, else a seeded uniform sample."""
    if total <= size:
        return np.arange(total, dtype=np.int64)
    return np.sort(np.random.default_rng(seed).choice(total, size=size, replace=False)).astype(np.int64)


def take_rows(
    dataset: "Dataset", rows: np.ndarray, *, columns: list[str] | None = None,
    progress: Callable[[float], None] | None = None,
) -> pa.Table:
    """The rows at the given sorted indices, in that order, reading only the row groups that
    hold them, batch by batch."""
    found: list[pa.RecordBatch] = []
    with open_parquet(dataset) as parquet:
        metadata, start = parquet.metadata, 0
        report = (lambda scanned: progress(scanned / max(1, metadata.num_rows))) if progress else (lambda _: None)
        for group in range(metadata.num_row_groups):
            size = metadata.row_group(group).num_rows
            lo, hi = np.searchsorted(rows, [start, start + size])
            if hi > lo:
                found.extend(_take_from_group(parquet, group, start, rows[lo:hi], columns, report))
            start += size
            report(start)
        full = parquet.schema_arrow
    schema_ = full if columns is None else pa.schema([full.field(c) for c in columns], metadata=full.metadata)
    return pa.Table.from_batches(found, schema=schema_)


def _take_from_group(
    parquet: pq.ParquetFile, group: int, start: int, wanted: np.ndarray, columns: list[str] | None,
    report: Callable[[int], None],
) -> list[pa.RecordBatch]:
    taken = []
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=[group], columns=columns):
        lo, hi = np.searchsorted(wanted, [start, start + batch.num_rows])
        if hi > lo:
            taken.append(batch.take(pa.array(wanted[lo:hi] - start)))
        start += batch.num_rows
        report(start)
    return taken


@contextmanager
def open_parquet(dataset: "Dataset") -> Iterator[pq.ParquetFile]:
    """The dataset's Parquet file, open for reading (footer and row groups on demand)."""
    with dataset.catalog.storage.open_arrow(f"{dataset._folder}/{DATA_FILE}") as stream:
        yield pq.ParquetFile(stream)
