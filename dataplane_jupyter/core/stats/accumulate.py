"""One-pass, mergeable dataset statistics over Arrow record batches.

Feed the batches of a single pass (e.g. while they are written to Parquet), then ask for the
statistics payload of the DESIGN.md contract::

    from dataplane_jupyter.core.stats import StatsAccumulator

    acc = StatsAccumulator(schema, types={"when": "datetime", "city": "categorical"})
    for batch in batches:                  # pyarrow.RecordBatch, any size, schema == `schema`
        writer.write_batch(batch)
        acc.update(batch)
    writer.close()
    payload = acc.result(source=parquet_path, filesystem=fs)   # the stored statistics dict
    acc.close()

- ``types`` are the semantic types decided at import ("numeric", "datetime", "boolean",
  "categorical", "text", "binary", "image", "tensor"; the JSON stored under the Parquet
  metadata key ``dataplane.types``); a column without one gets the type its Arrow type implies
  (strings: categorical or text by mean length, decided at the end). Batches may be Tables.
- ``result(...)`` also takes ``progress`` (may raise to cancel), ``size_bytes`` (else read from
  the file) and ``memory_limit`` (DuckDB's, for the regrouping); it can be called more than
  once. ``threads`` (default 2) is the pool over columns / correlation / row hashes.
- Over a stored file: ``accumulate_parquet(path)`` returns an accumulator fed with all its
  batches (what :func:`~dataplane_jupyter.core.stats.compute_statistics` does), and
  ``StatsAccumulator.for_parquet(metadata)`` one for the file's schema and stored types.
- Partitions (Dask, threads) accumulate apart and merge: ``a.merge(b)`` adds ``b``'s rows after
  ``a``'s (the sample keeps ``a``'s first rows). States pickle.
- Everything is vectorised (pyarrow.compute, numpy, BLAS; row hashes by DuckDB on the batch).
  Memory is bounded whatever the row and column counts:

  * count, missing, mean, std (Chan's parallel update), min, max, text/byte lengths, boolean
    counts and the Pearson matrix (pairwise-complete co-moments, :mod:`.correlation`) are exact;
    the matrix is O(k²), so it covers the first :data:`MAX_CORRELATION_COLUMNS` numeric
    columns (``correlation.numeric_columns`` then says how many there are);
  * numeric/datetime values are kept (exact quantiles, distinct counts, histograms) while all
    kept values fit :data:`.aggregates.EXACT_LIMIT_VALUES` (32 M); past it every numeric column
    switches to a KLL sketch (quantiles, rank error ``quantiles_error``, 0.14 % up to a few
    hundred columns) and a HyperLogLog (``distinct_error``, 0.8 %,
    relative standard error), and the histograms are counted exactly by re-reading those
    columns from ``source`` (from the KLL, ``histogram_exact: false``, without a source);
  * value counts of categorical/text/boolean/binary columns are exact (top values, distinct)
    while all of them fit :data:`VALUE_COUNTS_BUDGET_BYTES`; past it the largest columns switch
    to a HyperLogLog, and ``result(source=...)`` counts their values exactly again with a DuckDB
    grouping over the file (which spills to disk);
  * duplicate rows: exact count of distinct 64-bit row hashes, spilled to disk past a limit.
- ``result(source=None)`` works without the file (no media statistics then, and the sketches'
  figures where exactness needed the file). The payload says per column which figures are
  exact: ``quantiles_exact``/``quantiles_error``, ``distinct_exact``/``distinct_error``.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, Callable

import duckdb
import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dataplane_jupyter.core.ingest import duck
from dataplane_jupyter.core.ingest.model import Progress, noop_progress
from dataplane_jupyter.core.stats import aggregates
from dataplane_jupyter.core.stats.aggregates import QUANTILES, TOP_VALUES, bin_count, rows_pass, top_values
from dataplane_jupyter.core.stats.correlation import PairwiseMoments, as_matrix
from dataplane_jupyter.core.stats.describe import column_entry, string_kind, summary
from dataplane_jupyter.core.stats.jsonsafe import jsonable
from dataplane_jupyter.core.stats.media import add_media_statistics
from dataplane_jupyter.core.stats.schema import Column, arrow_type_kind, columns_of, relation, seconds_per_unit
from dataplane_jupyter.core.stats.schema import size_bytes as file_size
from dataplane_jupyter.core.stats.sketches import (
    DistinctHashes,
    Hasher,
    HyperLogLog,
    hash_numbers,
    kll_rank_error,
    new_kll,
    sketch_sizes,
)

VALUE_COUNTS_BUDGET_BYTES = 256 * 2 ** 20
MAX_CORRELATION_COLUMNS = 1_000
_COMPACT_EVERY = 8

GROUPED = ("categorical", "text", "boolean")


def kind_of(column: Column) -> str:
    """Which state a column needs: numbers, booleans, value counts, or lengths only."""
    if column.type in ("numeric", "datetime"):
        return "numbers"
    if column.type == "boolean":
        return "boolean"
    if column.type in ("categorical", "text", "binary", None):
        return "values"
    return "lengths"  # image, tensor and other stored types: lengths only


# ---------------------------------------------------------------- numbers

def physical(array: pa.Array) -> tuple[np.ndarray, float]:
    """Non-null values as numpy (integers/temporal kept as integers, for exact distinct
    counts) and the factor to seconds or to the number they stand for (floats: 1)."""
    t = array.type
    array = array.drop_null()
    if pa.types.is_dictionary(t):
        return physical(array.dictionary_decode())
    if pa.types.is_timestamp(t) or pa.types.is_duration(t) or pa.types.is_time64(t):
        return array.view(pa.int64()).to_numpy(), seconds_per_unit(t)
    if pa.types.is_time32(t):
        return array.view(pa.int32()).to_numpy(), seconds_per_unit(t)
    if pa.types.is_date32(t):
        return array.view(pa.int32()).to_numpy(), 86400.0
    if pa.types.is_date64(t):
        return array.view(pa.int64()).to_numpy(), 1e-3
    if pa.types.is_integer(t):
        return array.to_numpy(), 1.0
    values = array.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False)
    nan = np.isnan(values)
    return (values[~nan] if nan.any() else values), 1.0  # NaN counts as missing, as in pandas


def as_values(keys: np.ndarray, scale: float) -> np.ndarray:
    values = keys.astype(np.float64, copy=False)
    return values * scale if scale != 1.0 else values


class NumberState:
    """count, Chan moments, extremes; kept values (exact) or KLL + HyperLogLog."""

    def __init__(self, k: int = 2_000, precision: int = 14) -> None:
        self.k, self.precision = k, precision
        self.count = 0
        self.mean = 0.0
        self.m2 = 0.0
        self.lo = np.inf
        self.hi = -np.inf
        self.scale = 1.0
        self.kept: list[np.ndarray] | None = []
        self.kll: Any = None  # set together with hll when the values stop being kept
        self.hll: Any = None

    @property
    def kept_values(self) -> int:
        return sum(k.size for k in self.kept) if self.kept is not None else 0

    def __getstate__(self) -> dict[str, Any]:  # picklable (Dask): the KLL sketch travels serialized
        state = dict(self.__dict__)
        if state.get("kll") is not None:
            state["kll"] = bytes(state["kll"].serialize())
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if isinstance(state.get("kll"), bytes):
            import datasketches

            state = {**state, "kll": datasketches.kll_doubles_sketch.deserialize(state["kll"])}
        self.__dict__.update(state)

    def update(self, array: pa.Array) -> None:
        keys, self.scale = physical(array)
        if keys.size == 0:
            return
        values = as_values(keys, self.scale)
        n = values.size
        with np.errstate(invalid="ignore", over="ignore"):
            mean = float(values.mean())
            m2 = float(((values - mean) ** 2).sum())
        self._merge_moments(n, mean, m2, float(values.min()), float(values.max()))
        if self.kept is not None:
            self.kept.append(keys)
        else:
            self.kll.update(np.require(values, np.float64, ['C', 'W']))  # nanobind wants writable
            self.hll.update(hash_numbers(keys))

    def _merge_moments(self, n: int, mean: float, m2: float, lo: float, hi: float) -> None:
        """Chan et al.'s parallel update of count, mean and sum of squared deviations."""
        if self.count == 0:
            self.count, self.mean, self.m2 = n, mean, m2
        else:
            total = self.count + n
            with np.errstate(invalid="ignore", over="ignore"):
                delta = mean - self.mean
                self.m2 = self.m2 + m2 + delta * delta * (self.count * n / total)
                self.mean = self.mean + delta * (n / total)
            self.count = total
        self.lo, self.hi = min(self.lo, lo), max(self.hi, hi)

    def to_sketch(self) -> None:
        """Stop keeping values: fold them into a KLL sketch and a HyperLogLog."""
        if self.kept is None:
            return
        self.kll, self.hll = new_kll(self.k), HyperLogLog(self.precision)
        for keys in self.kept:
            self.kll.update(np.require(as_values(keys, self.scale), np.float64, ['C', 'W']))
            self.hll.update(hash_numbers(keys))
        self.kept = None

    def merge(self, other: "NumberState") -> None:
        if other.count == 0:
            return
        self.scale = other.scale
        self._merge_moments(other.count, other.mean, other.m2, other.lo, other.hi)
        if self.kept is not None and other.kept is not None:
            self.kept.extend(other.kept)
            return
        self.to_sketch()
        if other.kept is not None:
            for keys in other.kept:
                self.kll.update(np.require(as_values(keys, self.scale), np.float64, ['C', 'W']))
                self.hll.update(hash_numbers(keys))
        else:
            self.kll.merge(other.kll)
            self.hll.merge(other.hll)

    def found(self, column: Column) -> dict[str, Any]:
        """The raw figures :func:`describe.column_entry` shapes (histogram added later when
        it needs the file)."""
        out: dict[str, Any] = {"count": self.count, "mean": None, "std": None, "min": None,
                               "max": None, "distinct": 0, "quantiles": None}
        if self.count == 0:
            out.update(exact=self.kept is not None)
            return out
        out.update(mean=self.mean, std=float(np.sqrt(self.m2 / (self.count - 1)))
                   if self.count > 1 else None, min=self.lo, max=self.hi)
        if self.kept is not None:
            keys = np.concatenate(self.kept) if len(self.kept) > 1 else self.kept[0]
            if keys.dtype.kind == "f":  # one sort gives both the distinct count and quantiles
                keys = np.sort(keys)
                out["distinct"] = int(1 + np.count_nonzero(keys[1:] != keys[:-1]))
                values = as_values(keys, self.scale)
                out["quantiles"] = _sorted_quantiles(values, QUANTILES)
            else:
                out["distinct"] = distinct_count(keys)
                values = as_values(keys, self.scale)
                out["quantiles"] = exact_quantiles(values, QUANTILES)
            out["histogram"] = _histogram(column, values, self.lo, self.hi)
            out.update(exact=True)
        else:
            out["distinct"] = int(round(self.hll.estimate()))
            out["quantiles"] = [float(v) for v in self.kll.get_quantiles(list(QUANTILES))]
            out.update(exact=False, quantiles_error=kll_rank_error(self.kll.k),
                       distinct_error=self.hll.relative_error)
        return out


def distinct_count(keys: np.ndarray) -> int:
    """Number of distinct values (a hash table: numpy's own unique is slow on integers)."""
    import pandas as pd

    if keys.dtype.kind in "iu" and keys.size:
        lo, hi = int(keys.min()), int(keys.max())
        if hi - lo <= 4 * keys.size + 1024:  # a small range: one counting pass
            offsets = keys - np.uint64(lo) if keys.dtype == np.uint64 else keys.astype(np.int64) - lo
            return int(np.count_nonzero(np.bincount(offsets.astype(np.intp))))
    return int(len(pd.unique(keys)))


def _sorted_quantiles(values: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """Linear interpolation between order statistics of sorted values."""
    n = values.size
    out = []
    for q in qs:
        pos = q * (n - 1)
        i = int(np.floor(pos))
        a, b, frac = values[i], values[min(i + 1, n - 1)], pos - i
        out.append(float(a + (b - a) * frac) if frac else float(a))
    return out


def exact_quantiles(values: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """Linear interpolation between order statistics (numpy/pandas default), with a partial
    sort around the ranks needed instead of a full sort."""
    n = values.size
    positions = [q * (n - 1) for q in qs]
    ranks = sorted({int(np.floor(p)) for p in positions} | {min(int(np.floor(p)) + 1, n - 1) for p in positions})
    part = np.partition(values, ranks)
    out = []
    for pos in positions:
        i = int(np.floor(pos))
        a, b, frac = part[i], part[min(i + 1, n - 1)], pos - i
        out.append(float(a + (b - a) * frac) if frac else float(a))
    return out


def histogram_bins(column: Column, lo: float, hi: float) -> tuple[list[float], int, float] | None:
    """Edges, bin count and width of the histogram from ``lo`` to ``hi`` (None: no finite range)."""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return None
    n = bin_count(column, lo, hi)
    edges = [float(e) for e in np.linspace(lo, hi if hi > lo else lo + 1.0, n + 1)]
    return edges, n, (hi - lo) / n if hi > lo else 1.0


def bin_counts(values: np.ndarray, lo: float, n: int, width: float) -> np.ndarray:
    """Counts per equal-width bin: ``edge_i <= x < edge_i+1``, the last bin also ``x == max``."""
    values = values[np.isfinite(values)]
    index = np.floor((values - lo) / width)
    index = np.clip(index, 0, n - 1).astype(np.intp)
    return np.bincount(index, minlength=n)[:n]


def _histogram(column: Column, values: np.ndarray, lo: float, hi: float) -> dict[str, Any] | None:
    bins = histogram_bins(column, lo, hi)
    if bins is None:
        return None
    edges, n, width = bins
    return {"edges": edges, "counts": [int(c) for c in bin_counts(values, lo, n, width)]}


# ---------------------------------------------------------------- lengths, values, booleans

def lengths(array: pa.Array) -> pa.Array | None:
    """Characters of strings, bytes of binaries, items of lists/maps; None for a struct."""
    t = array.type
    if pa.types.is_dictionary(t):
        return lengths(array.dictionary_decode())
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return pc.utf8_length(array)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) \
            or pa.types.is_binary_view(t):
        return pc.binary_length(array)
    if pa.types.is_map(t):  # no kernel for maps: items from the offsets
        sizes = np.diff(array.offsets.to_numpy(zero_copy_only=False))
        return pa.array(sizes, pa.int64(), mask=array.is_null().to_numpy(zero_copy_only=False))
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t) \
            or pa.types.is_list_view(t) or pa.types.is_large_list_view(t):
        return pc.list_value_length(array)
    return None


class LengthState:
    """count and min/max/mean of lengths."""

    def __init__(self) -> None:
        self.count = 0
        self.measured = 0
        self.total = 0
        self.lo: int | None = None
        self.hi: int | None = None

    def update(self, array: pa.Array) -> None:
        self.count += len(array) - array.null_count
        sizes = lengths(array)
        if sizes is None or len(sizes) == sizes.null_count:
            return
        extremes = pc.min_max(sizes)
        lo, hi = extremes["min"].as_py(), extremes["max"].as_py()
        self.lo = lo if self.lo is None else min(self.lo, lo)
        self.hi = hi if self.hi is None else max(self.hi, hi)
        self.total += pc.sum(sizes).as_py()
        self.measured += len(sizes) - sizes.null_count

    def merge(self, other: "LengthState") -> None:
        self.count += other.count
        self.measured += other.measured
        self.total += other.total
        for name, pick in (("lo", min), ("hi", max)):
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, theirs if mine is None else mine if theirs is None else pick(mine, theirs))

    def found(self) -> dict[str, Any]:
        return {"count": self.count, "length_min": self.lo, "length_max": self.hi,
                "length_mean": self.total / self.measured if self.measured else None}


class ValueState(LengthState):
    """Lengths plus exact value counts (top values, distinct) or, past the budget, a
    HyperLogLog and the need to count again from the file."""

    def __init__(self, precision: int = 14) -> None:
        super().__init__()
        self.precision = precision
        self.counts: pa.Table | None = None
        self.pending: list[pa.Table] = []
        self.hll: Any = None

    @property
    def exact(self) -> bool:
        return self.hll is None

    @property
    def nbytes(self) -> int:
        held = ([self.counts] if self.counts is not None else []) + self.pending
        return sum(t.nbytes for t in held)

    def update(self, array: pa.Array, hasher: Hasher) -> None:  # type: ignore[override]
        super().update(array)
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        if self.hll is not None:
            self.hll.update(hasher.values(array))
            return
        try:
            counted = pc.value_counts(array.drop_null())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
            # nested values: counted from the file at the end
            self.to_sketch(hasher).update(hasher.values(array))
            return
        self.pending.append(pa.Table.from_arrays([counted.field("values"), counted.field("counts")],
                                                 names=["value", "n"]))
        if len(self.pending) >= _COMPACT_EVERY:
            self.compact()

    def compact(self) -> None:
        parts = ([self.counts] if self.counts is not None else []) + self.pending
        self.pending = []
        if not parts:
            return
        table = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
        if len(parts) > 1:
            table = table.group_by("value").aggregate([("n", "sum")]).rename_columns(["value", "n"])
        self.counts = table

    def to_sketch(self, hasher: Hasher) -> HyperLogLog:
        """Stop counting values: a HyperLogLog of those seen so far (returned)."""
        if self.hll is not None:
            return self.hll
        self.compact()
        hll = HyperLogLog(self.precision)
        if self.counts is not None and self.counts.num_rows:
            hll.update(hasher.values(self.counts.column("value").combine_chunks()))
        self.hll, self.counts = hll, None
        return hll

    def merge(self, other: "ValueState", hasher: Hasher) -> None:  # type: ignore[override]
        super().merge(other)
        if self.hll is None and other.hll is None:
            self.pending.extend(([other.counts] if other.counts is not None else []) + other.pending)
            self.compact()
            return
        self.to_sketch(hasher)
        if other.hll is not None:
            self.hll.merge(other.hll)
        else:
            other.compact()
            if other.counts is not None and other.counts.num_rows:
                self.hll.update(hasher.values(other.counts.column("value").combine_chunks()))

    def found(self, with_top: bool = True) -> dict[str, Any]:
        out = super().found()
        if self.hll is not None:
            out.update(distinct=int(round(self.hll.estimate())), top=None,
                       distinct_exact=False, distinct_error=self.hll.relative_error)
            return out
        self.compact()
        counts = self.counts
        if counts is None or counts.num_rows == 0:
            out.update(distinct=0, top=[] if with_top else None)
            return out
        out["distinct"] = counts.num_rows
        if with_top:
            order = pc.sort_indices(counts, sort_keys=[("n", "descending"), ("value", "ascending")])
            top = counts.take(order[:TOP_VALUES]).to_pylist()
            out["top"] = [{"value": r["value"], "count": int(r["n"])} for r in top]
        return out


class BooleanState:
    """count and the numbers of true and false values."""

    def __init__(self) -> None:
        self.true = 0
        self.false = 0

    def update(self, array: pa.Array) -> None:
        valid = len(array) - array.null_count
        true = pc.sum(array).as_py() or 0 if valid else 0
        self.true += int(true)
        self.false += valid - int(true)

    def merge(self, other: "BooleanState") -> None:
        self.true += other.true
        self.false += other.false

    def found(self) -> dict[str, Any]:
        count = self.true + self.false
        top = sorted(((v, n) for v, n in ((False, self.false), (True, self.true)) if n),
                     key=lambda item: (-item[1], item[0]))
        return {"count": count, "mean": self.true / count if count else None,
                "distinct": len(top), "top": [{"value": v, "count": n} for v, n in top]}


# ---------------------------------------------------------------- the accumulator

class StatsAccumulator:
    """Statistics of a dataset accumulated over its Arrow batches (see the module docstring)."""

    def __init__(self, schema: pa.Schema, types: dict[str, str | None] | None = None, *,
                 sample_rows: int = 100, threads: int | None = None) -> None:
        types = types or {}
        self.schema = schema
        self.columns = [Column(f.name, types.get(f.name) or arrow_type_kind(f.type), f.type)
                        for f in schema]
        self._set_columns(self.columns)
        self.rows = 0
        self.sample_rows = sample_rows
        self.sample: list[pa.RecordBatch] = []
        self.hasher = Hasher()
        self.row_hasher = Hasher()
        self.row_hashes: DistinctHashes | None = DistinctHashes()
        self.exact_numbers = True
        self.threads = threads if threads is not None else min(2, os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None

    @classmethod
    def for_parquet(cls, metadata: pq.FileMetaData, *, sample_rows: int = 100,
                    threads: int | None = None) -> "StatsAccumulator":
        """An accumulator for a Parquet file's schema and stored semantic types."""

        acc = cls(metadata.schema.to_arrow_schema(), sample_rows=sample_rows, threads=threads)
        acc._set_columns(columns_of(metadata))
        return acc

    def _set_columns(self, columns: list[Column]) -> None:
        self.columns = columns
        self.kinds = [kind_of(c) for c in columns]
        k, precision = sketch_sizes(len(columns))
        self.states: list[Any] = [
            NumberState(k, precision) if kind == "numbers" else BooleanState() if kind == "boolean"
            else ValueState(precision) if kind == "values" else LengthState() for kind in self.kinds]
        numeric = [i for i, c in enumerate(columns) if c.type == "numeric"]
        # the Pearson state is O(k²): past MAX_CORRELATION_COLUMNS the first ones are kept
        self.numeric = numeric[:MAX_CORRELATION_COLUMNS]
        self.numeric_total = len(numeric)
        self.moments = PairwiseMoments(len(self.numeric))

    # -- feeding

    def update(self, batch: pa.RecordBatch | pa.Table) -> None:
        """Add the rows of ``batch`` (same column names and types as the schema)."""
        if isinstance(batch, pa.Table):
            for part in batch.to_batches():
                self.update(part)
            return
        if batch.num_rows == 0:
            return
        self._keep_sample(batch)
        self.rows += batch.num_rows
        tasks: list[Callable[[], Any]] = [partial(self._update_column, i, batch.column(i)) for i in range(batch.num_columns)]
        if self.numeric:
            tasks.append(partial(self._update_correlation, [batch.column(i) for i in self.numeric]))
        if self.row_hashes is not None:
            tasks.append(partial(self._update_rows, batch))
        self._run(tasks)
        self._bound_memory()

    def _run(self, tasks: list[Callable[[], Any]]) -> None:
        """Run independent tasks (columns, correlation, row hashes) on the thread pool: the
        kernels (Arrow, numpy, BLAS, DuckDB) release the GIL, so both cores work."""
        if self.threads <= 1 or len(tasks) < 2:
            for task in tasks:
                task()
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="dataplane-stats")
        for future in [self._pool.submit(task) for task in tasks]:
            future.result()

    def _update_column(self, index: int, array: pa.Array) -> None:
        state = self.states[index]
        if self.kinds[index] == "values":
            state.update(array, self.hasher)
        else:
            state.update(array)

    def _update_correlation(self, columns: list[pa.Array]) -> None:

        self.moments.add(as_matrix(columns), copy=False)

    def _update_rows(self, batch: pa.RecordBatch) -> None:
        if self.row_hashes is None:
            return
        try:
            self.row_hashes.update(self.row_hasher.rows(batch))
        except (duckdb.Error, pa.ArrowException):  # a type DuckDB cannot hash: counted from the file
            self.row_hashes.close()
            self.row_hashes = None

    def _keep_sample(self, batch: pa.RecordBatch) -> None:
        held = sum(b.num_rows for b in self.sample)
        if held < self.sample_rows:
            self.sample.append(batch.slice(0, self.sample_rows - held))

    def _bound_memory(self) -> None:
        numbers = [s for s in self.states if isinstance(s, NumberState)]
        if self.exact_numbers and sum(s.kept_values for s in numbers) > aggregates.EXACT_LIMIT_VALUES:
            for state in numbers:
                state.to_sketch()
            self.exact_numbers = False
        values = [s for s in self.states if isinstance(s, ValueState) and s.exact]
        held = sum(s.nbytes for s in values)
        while held > VALUE_COUNTS_BUDGET_BYTES and values:
            biggest = max(values, key=lambda s: s.nbytes)
            biggest.compact()
            if sum(s.nbytes for s in values) <= VALUE_COUNTS_BUDGET_BYTES:
                break
            held -= biggest.nbytes
            biggest.to_sketch(self.hasher)
            values.remove(biggest)

    def merge(self, other: "StatsAccumulator") -> None:
        """Add the state of another accumulator over the same columns (other rows)."""
        if [c.name for c in other.columns] != [c.name for c in self.columns]:
            raise ValueError("cannot merge statistics of different columns")
        for mine, theirs, kind in zip(self.states, other.states, self.kinds):
            if kind == "values":
                mine.merge(theirs, self.hasher)
            else:
                mine.merge(theirs)
        self.moments.merge(other.moments)
        held = sum(b.num_rows for b in self.sample)
        for batch in other.sample:
            if held >= self.sample_rows:
                break
            self.sample.append(batch.slice(0, self.sample_rows - held))
            held += min(batch.num_rows, self.sample_rows - held)
        self.rows += other.rows
        if self.row_hashes is not None and other.row_hashes is not None:
            self.row_hashes.merge(other.row_hashes)
        else:
            self.row_hashes = None
        self.exact_numbers = self.exact_numbers and other.exact_numbers
        self._bound_memory()

    def __getstate__(self) -> dict[str, Any]:  # picklable (Dask): no thread pool
        return {**self.__dict__, "_pool": None}

    # -- results

    def result(self, source: str | None = None, *,
               filesystem: fsspec.AbstractFileSystem | None = None,
               size_bytes: int | None = None, progress: Progress = noop_progress,
               memory_limit: str | None = None) -> dict[str, Any]:
        """The statistics payload (JSON-safe dict: rows, columns_count, summary, columns,
        correlation, sample). ``source`` is the dataset's Parquet file: with it, the figures
        whose exact state did not fit memory are counted exactly from the file, and media
        columns get their statistics."""

        found: dict[str, dict[str, Any]] = {}

        def finish(column: Column, state: Any, kind: str) -> None:
            if kind == "numbers":
                found[column.name] = state.found(column)
            elif kind == "values":
                found[column.name] = state.found(with_top=column.type != "binary")
            else:
                found[column.name] = state.found()

        self._run([partial(finish, c, s, k) for c, s, k in zip(self.columns, self.states, self.kinds)])
        columns = [c if c.type is not None else Column(c.name, string_kind(found[c.name]), c.arrow)
                   for c in self.columns]
        duplicates = None
        if source is not None:
            duplicates = self._from_file(source, filesystem, columns, found, progress, memory_limit)
        else:
            self._histograms_from_sketches(columns, found)
        if duplicates is None:
            duplicates = self.rows - self.row_hashes.count() if self.row_hashes is not None else 0
        entries = [column_entry(c, found[c.name], self.rows, found[c.name].get("exact", True))
                   for c in columns]
        if source is not None:
            add_media_statistics(entries, columns, source, filesystem)
            if size_bytes is None:
                size_bytes = file_size(source, filesystem)
        payload = {
            "rows": self.rows,
            "columns_count": len(columns),
            "summary": summary(entries, self.rows, size_bytes or 0, duplicates),
            "columns": entries,
            "correlation": self.correlation(),
            "sample": self._sample(),
        }
        return jsonable(payload)

    def correlation(self) -> dict[str, Any]:
        """Pearson matrix over the numeric columns with values, at full precision."""
        present = [k for k, i in enumerate(self.numeric) if self.states[i].count]
        names = [self.columns[self.numeric[k]].name for k in present]
        if len(names) < 2:
            return {"method": "pearson", "columns": names, "matrix": [[1.0] for _ in names]}
        matrix = self.moments.correlation()[np.ix_(present, present)]
        out: dict[str, Any] = {"method": "pearson", "columns": names,
               "matrix": [[None if np.isnan(v) else float(v) for v in row] for row in matrix]}
        if self.numeric_total > len(self.numeric):
            out["numeric_columns"] = self.numeric_total  # the matrix covers the first ones
        return out

    def _sample(self) -> dict[str, Any]:
        names = self.schema.names
        if not self.sample:
            return {"columns": names, "rows": []}
        rows = pa.Table.from_batches(self.sample).to_pylist()
        return {"columns": names, "rows": [[r[n] for n in names] for r in rows]}

    def _histograms_from_sketches(self, columns: list[Column], found: dict[str, dict[str, Any]]) -> None:
        for column, state in zip(columns, self.states):
            if isinstance(state, NumberState) and state.kept is None and state.count:
                bins = histogram_bins(column, state.lo, state.hi)
                if bins is None:
                    continue
                edges, n, _ = bins
                masses = state.kll.get_pmf(edges[1:-1]) if n > 1 else [1.0]
                counts = [int(round(m * state.count)) for m in masses[:n]]
                found[column.name].update(histogram={"edges": edges, "counts": counts},
                                          histogram_exact=False)

    def _from_file(self, source: str, filesystem: fsspec.AbstractFileSystem | None,
                   columns: list[Column], found: dict[str, dict[str, Any]], progress: Progress,
                   memory_limit: str | None) -> int | None:
        """Exact figures whose state did not fit memory, counted again from the file."""

        sketched = [(c, s) for c, s in zip(columns, self.states)
                    if isinstance(s, NumberState) and s.kept is None and s.count]
        if sketched:
            _file_histograms(source, filesystem, sketched, found, progress)
        regroup = [c for c, s in zip(columns, self.states)
                   if isinstance(s, ValueState) and not s.exact]
        if not regroup and self.row_hashes is not None:
            return None
        with tempfile.TemporaryDirectory(prefix="dataplane-stats-") as tmp:
            con = duck.connect(Path(tmp), memory_limit=memory_limit)
            try:
                table = relation(con, source, filesystem)
                for i, column in enumerate(regroup):
                    lo = 0.9 + 0.05 * i / len(regroup)
                    if column.type == "binary":
                        sql = f"SELECT count(DISTINCT {aggregates.ident(column.name)}) FROM {table}"
                        rows = duck.run(con, sql, progress=progress, share=(lo, lo),
                                        message=f"counting the values of {column.name}")
                        found[column.name].update(distinct=int(rows[0][0]), distinct_exact=True,
                                                  distinct_error=None)
                        continue
                    rows = duck.run(con, top_values(column, table), progress=progress,
                                    share=(lo, lo), message=f"counting the values of {column.name}")
                    found[column.name].update(
                        top=[{"value": v, "count": int(n)} for v, n, _ in rows],
                        distinct=int(rows[0][2]) if rows else 0, distinct_exact=True,
                        distinct_error=None)
                if self.row_hashes is None:

                    rows = duck.run(con, rows_pass(columns, table), progress=progress,
                                    share=(0.95, 0.95), message="counting duplicate rows")
                    return int(rows[0][0]) - int(rows[0][1])
            finally:
                con.close()
        return None

    def close(self) -> None:
        """Free the temporary files, threads and DuckDB sessions."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        self.hasher.close()
        self.row_hasher.close()
        if self.row_hashes is not None:
            self.row_hashes.close()


def _file_histograms(source: str, filesystem: fsspec.AbstractFileSystem | None,
                     sketched: list[tuple[Column, NumberState]], found: dict[str, dict[str, Any]],
                     progress: Progress) -> None:
    """Exact histograms of numeric columns whose values were not kept: their bins are known
    now (min, max), so the columns are read again, a group of columns at a time."""
    found_bins = {c.name: histogram_bins(c, s.lo, s.hi) for c, s in sketched}
    bins = {name: b for name, b in found_bins.items() if b is not None}
    wanted = list(bins)
    counts = {name: np.zeros(bins[name][1], np.int64) for name in wanted}
    file = pq.ParquetFile(source, filesystem=filesystem, pre_buffer=False, buffer_size=2 ** 20)
    group = max(1, min(32, len(wanted)))
    for start in range(0, len(wanted), group):
        names = wanted[start:start + group]
        batch_rows = max(4096, 4_000_000 // len(names))
        for batch in file.iter_batches(batch_size=batch_rows, columns=names, use_threads=True):
            for name, array in zip(names, batch.columns):
                edges, n, width = bins[name]
                keys, scale = physical(array)
                counts[name] += bin_counts(as_values(keys, scale), edges[0], n, width)
        progress(0.9 * (start + len(names)) / max(len(wanted), 1), "computing histograms")
    for name in wanted:
        edges = bins[name][0]
        found[name]["histogram"] = {"edges": edges, "counts": [int(c) for c in counts[name]]}


def accumulate_parquet(source: str, *, filesystem: fsspec.AbstractFileSystem | None = None,
                       progress: Callable[[float, str], None] = noop_progress,
                       sample_rows: int = 100, share: float = 0.9) -> StatsAccumulator:
    """An accumulator fed with every batch of a Parquet file (all columns, bounded batches)."""
    # streamed reads (no pre-buffering of whole row groups): a third less peak memory
    file = pq.ParquetFile(source, filesystem=filesystem, pre_buffer=False, buffer_size=2 ** 20)
    acc = StatsAccumulator.for_parquet(file.metadata, sample_rows=sample_rows)
    total = max(file.metadata.num_rows, 1)
    width = max(file.metadata.num_columns, 1)
    batch_rows = max(1024, min(262_144, 4_000_000 // width))
    done = 0
    progress(0.0, "computing column statistics")
    for batch in file.iter_batches(batch_size=batch_rows, use_threads=True):
        acc.update(batch)
        done += batch.num_rows
        progress(share * done / total, "computing column statistics")
    return acc
