"""Pearson correlation of many numeric columns, streaming over Parquet batches.

Per pair of columns it accumulates, over the rows where both are present, the count and the
sums of x, x² and xy (values centred on the column means first, for numerical stability).
Each batch costs a few matrix products (BLAS), so 300+ columns stay fast, and memory is one
batch plus k x k accumulators. Missing values are handled pairwise, as pandas ``corr`` does.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dataplane_jupyter.core.stats.schema import seconds_per_unit

_VALUES_PER_BATCH = 4_000_000


class PairwiseMoments:
    """Running pairwise sums for ``k`` columns."""

    def __init__(self, k: int) -> None:
        self.n = np.zeros((k, k))
        self.sx = np.zeros((k, k))
        self.sxx = np.zeros((k, k))
        self.sxy = np.zeros((k, k))

    def add(self, x: np.ndarray) -> None:
        """Add a batch (rows x k, NaN for missing)."""
        missing = np.isnan(x)
        if not missing.any():
            self.n += x.shape[0]
            self.sx += x.sum(axis=0)[:, None]
            self.sxx += (x * x).sum(axis=0)[:, None]
            self.sxy += x.T @ x
            return
        present = (~missing).astype(np.float64)
        z = np.where(missing, 0.0, x)
        self.n += present.T @ present
        self.sx += z.T @ present
        self.sxx += (z * z).T @ present
        self.sxy += z.T @ z

    def correlation(self) -> np.ndarray:
        """Pearson r per pair; NaN where undefined (fewer than 2 rows, a constant column)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            cov = self.n * self.sxy - self.sx * self.sx.T
            var_i = self.n * self.sxx - self.sx ** 2
            r = cov / np.sqrt(var_i * var_i.T)
        r[self.n < 2] = np.nan
        return np.clip(r, -1.0, 1.0)


def pearson(file: pq.ParquetFile, names: list[str], means: list[float],
            progress: Callable[[float], None]) -> np.ndarray:
    """Correlation matrix of ``names`` in ``file``; ``progress(fraction)`` after each batch."""
    moments = PairwiseMoments(len(names))
    centre = np.asarray([m if m is not None and np.isfinite(m) else 0.0 for m in means])
    total = max(file.metadata.num_rows, 1)
    done = 0
    batch_rows = max(1024, _VALUES_PER_BATCH // max(len(names), 1))
    for batch in file.iter_batches(batch_size=batch_rows, columns=names, use_threads=True):
        moments.add(_as_matrix(batch) - centre)
        done += batch.num_rows
        progress(done / total)
    return moments.correlation()


def _as_matrix(batch: pa.RecordBatch) -> np.ndarray:
    columns = [_as_floats(col) for col in batch.columns]
    return np.column_stack(columns) if columns else np.empty((batch.num_rows, 0))


def _as_floats(column: pa.Array) -> np.ndarray:
    if pa.types.is_duration(column.type):  # in seconds, as the means from DuckDB
        seconds = column.cast(pa.int64()).cast(pa.float64())
        return seconds.to_numpy(zero_copy_only=False) * seconds_per_unit(column.type)
    # unsafe: uint64/int64 past 2**53 lose their last digits as DuckDB's DOUBLE does
    return column.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False)
