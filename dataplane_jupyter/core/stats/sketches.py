"""Mergeable sketches and hashes for the one-pass statistics (numpy, no per-row Python).

- :func:`hash_values` / :func:`hash_rows`: 64-bit hashes of Arrow values or whole rows
  (numbers through splitmix64 on their bits; anything else through DuckDB's ``hash``, which
  scans the Arrow batch in place).
- :class:`HyperLogLog`: distinct counts, ``2**14`` one-byte registers (16 KiB), relative
  standard error ``1.04 / sqrt(2**14)`` ≈ 0.81 % (:data:`HLL_RELATIVE_ERROR`), merged by
  register-wise maximum.
- :class:`DistinctHashes`: the exact number of distinct 64-bit hashes (duplicate rows) in
  bounded memory: past :data:`HASHES_IN_MEMORY` the sorted hashes are spilled to
  :data:`SPILL_BUCKETS` files by their top bits and each bucket is counted alone at the end.
- Quantiles past the exact limit use DataSketches' KLL (``datasketches.kll_doubles_sketch``,
  vectorised numpy updates, mergeable); its normalised rank error for :data:`KLL_K` is
  :func:`kll_rank_error`.
"""

from __future__ import annotations

import math
import os
import tempfile
import threading
from typing import Any

import datasketches
import duckdb
import numpy as np
import pyarrow as pa

from dataplane_jupyter.core.limits import duckdb_memory_limit

HLL_PRECISION = 14
HLL_RELATIVE_ERROR = 1.04 / math.sqrt(2 ** HLL_PRECISION)
KLL_K = 2_000
HASHES_IN_MEMORY = 8_000_000
SPILL_BUCKETS = 256

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def splitmix64(bits: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser of 64-bit patterns (a well-mixed hash of integers)."""
    with np.errstate(over="ignore"):
        z = bits.astype(np.uint64, copy=True) + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def hash_numbers(values: np.ndarray) -> np.ndarray:
    """Hashes of numeric keys (floats by value: -0.0 == 0.0, one NaN)."""
    if values.dtype.kind == "f":
        floats = values.astype(np.float64) + 0.0  # -0.0 becomes 0.0
        floats[np.isnan(floats)] = np.nan
        return splitmix64(floats.view(np.uint64))
    return splitmix64(values.astype(np.int64, copy=False).view(np.uint64))


class Hasher:
    """DuckDB ``hash`` over Arrow data (strings, bytes, nested values, whole rows)."""

    def __init__(self) -> None:
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()  # one statement at a time on the connection

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:

            self._con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                               "autoload_known_extensions": False,
                                               "memory_limit": duckdb_memory_limit()})
        return self._con

    def rows(self, batch: pa.RecordBatch) -> np.ndarray:
        """One hash per row of ``batch`` over all its columns (nulls included)."""
        if batch.num_columns == 0:
            return np.zeros(batch.num_rows, np.uint64)
        names = ", ".join(_ident(f"c{i}") for i in range(batch.num_columns))
        table = pa.Table.from_arrays(batch.columns, names=[f"c{i}" for i in range(batch.num_columns)])
        return self._hash(table, f"hash({names})")

    def values(self, array: pa.Array) -> np.ndarray:
        """One hash per non-null value of ``array``."""
        table = pa.Table.from_arrays([array.drop_null()], names=["v"])
        return self._hash(table, "hash(v)")

    def _hash(self, table: pa.Table, expression: str) -> np.ndarray:
        with self._lock:
            con = self._connection()
            con.register("dataplane_batch", table)
            try:
                out = con.execute(f"SELECT {expression} AS h FROM dataplane_batch").fetchnumpy()["h"]
            finally:
                con.unregister("dataplane_batch")
        return np.asarray(out, dtype=np.uint64)

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __getstate__(self) -> dict[str, Any]:  # picklable (Dask): the connection is re-opened
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class HyperLogLog:
    """HyperLogLog over 64-bit hashes (vectorised update, mergeable, picklable)."""

    def __init__(self, precision: int = HLL_PRECISION) -> None:
        self.p = precision
        self.registers = np.zeros(2 ** precision, np.uint8)

    def update(self, hashes: np.ndarray) -> None:
        if hashes.size == 0:
            return
        index = (hashes >> np.uint64(64 - self.p)).astype(np.intp)
        rest = (hashes << np.uint64(self.p)) >> np.uint64(self.p)  # the low 64-p bits
        # rank = leading zeros of the 64-p bits + 1 (bit_length from the float exponent)
        _, bits = np.frexp(rest.astype(np.float64))
        rank = (64 - self.p - bits + 1).astype(np.uint8)
        np.maximum.at(self.registers, index, rank)

    @property
    def relative_error(self) -> float:
        """Relative standard error of :meth:`estimate`."""
        return 1.04 / math.sqrt(self.registers.size)

    def merge(self, other: "HyperLogLog") -> None:
        if other.p != self.p:
            raise ValueError("cannot merge HyperLogLogs of different precisions")
        np.maximum(self.registers, other.registers, out=self.registers)

    def estimate(self) -> float:
        m = self.registers.size
        alpha = 0.7213 / (1 + 1.079 / m)
        raw = alpha * m * m / float(np.sum(np.ldexp(1.0, -self.registers.astype(np.int64))))
        zeros = int(np.count_nonzero(self.registers == 0))
        if raw <= 2.5 * m and zeros:
            return m * math.log(m / zeros)  # linear counting for small cardinalities
        return raw


def new_kll(k: int = KLL_K) -> Any:
    """An empty KLL quantiles sketch of doubles."""
    return datasketches.kll_doubles_sketch(k)


def kll_rank_error(k: int = KLL_K) -> float:
    """Normalised rank error (single quantile, 99 % confidence) of a KLL sketch of size ``k``."""
    return float(datasketches.kll_doubles_sketch.get_normalized_rank_error(k, False))


def sketch_sizes(columns: int) -> tuple[int, int]:
    """KLL ``k`` and HyperLogLog precision for a table of ``columns`` columns: the most
    accurate sizes up to a few hundred columns, smaller ones past that so that all sketches
    together stay within some tens of MiB (each column reports its own error bound)."""
    k = max(200, min(KLL_K, 600_000 // max(columns, 1)))
    precision = HLL_PRECISION if columns <= 1_000 else 12
    return k, precision


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort + compare: numpy's hash-based ``unique`` is far slower on
    64-bit integers)."""
    if values.size == 0:
        return values
    ordered = np.sort(values)
    keep = np.empty(ordered.size, bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


class DistinctHashes:
    """Exact count of distinct 64-bit hashes, spilling sorted runs to disk past a limit."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit if limit is not None else HASHES_IN_MEMORY
        self._pending: list[np.ndarray] = []
        self._pending_size = 0
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def update(self, hashes: np.ndarray) -> None:
        self._pending.append(np.asarray(hashes, dtype=np.uint64))
        self._pending_size += hashes.size
        if self._pending_size > self.limit:
            self._compact()

    def _compact(self) -> None:
        unique = unique_sorted(np.concatenate(self._pending)) if self._pending else \
            np.empty(0, np.uint64)
        self._pending, self._pending_size = [unique], unique.size
        if unique.size > self.limit // 2:
            self._spill(unique)
            self._pending, self._pending_size = [], 0

    def _spill(self, unique: np.ndarray) -> None:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="dataplane-rows-")
        shift = np.uint64(64 - int(math.log2(SPILL_BUCKETS)))
        bounds = np.searchsorted(unique >> shift, np.arange(SPILL_BUCKETS + 1, dtype=np.uint64))
        for bucket in range(SPILL_BUCKETS):
            part = unique[bounds[bucket]:bounds[bucket + 1]]
            if part.size:
                with open(os.path.join(self._folder.name, f"{bucket}.u64"), "ab") as out:
                    out.write(part.tobytes())

    def merge(self, other: "DistinctHashes") -> None:
        for part in other._pending:
            self.update(part)
        if other._folder is not None:
            for name in os.listdir(other._folder.name):
                with open(os.path.join(other._folder.name, name), "rb") as src:
                    self._spill(np.frombuffer(src.read(), np.uint64))

    def count(self) -> int:
        if self._folder is None:
            return int(unique_sorted(np.concatenate(self._pending)).size) if self._pending else 0
        if self._pending:
            self._spill(unique_sorted(np.concatenate(self._pending)))
            self._pending, self._pending_size = [], 0
        total = 0
        for name in os.listdir(self._folder.name):
            with open(os.path.join(self._folder.name, name), "rb") as src:
                total += int(unique_sorted(np.frombuffer(src.read(), np.uint64)).size)
        return total

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
