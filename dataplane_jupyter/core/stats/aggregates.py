"""Shared constants and the SQL still used when figures are counted again from the file.

Exactness (see :mod:`.accumulate`): counts, missing, mean, std, min, max, histograms, top
values, text and byte lengths are always exact; so is ``distinct`` for categorical, text and
boolean columns. Quantiles and the ``distinct`` of numeric/datetime columns are exact (linear
interpolation, as numpy/pandas) while all numeric values kept stay under
:data:`EXACT_LIMIT_VALUES`; past it they come from a KLL sketch (``quantiles_error``: rank
error) and a HyperLogLog (``distinct_error``: relative standard error), so memory stays
bounded. Each column says which in ``quantiles_exact`` / ``distinct_exact``.
"""

from __future__ import annotations

import pyarrow as pa

from dataplane_jupyter.core.stats.schema import Column

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
HISTOGRAM_BINS = 20
TOP_VALUES = 10
#: 16 M values (128 MiB, plus the copies their sort makes at the end) keep the whole import of
#: any size under 1 GiB; 32 M put a 3M-row import at 1,015 MiB in the worker alone (16 M: 752)
EXACT_LIMIT_VALUES = 16_000_000


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def rows_pass(columns: list[Column], source: str) -> str:
    """Row count and distinct rows."""
    return f"SELECT count(*), {_distinct_rows(columns)} FROM {source}"


def _distinct_rows(columns: list[Column]) -> str:
    # a 64-bit row hash: exact up to hash collisions (~1e-7 chance at 5M rows), bounded memory
    if not columns:
        return "0"
    return f"count(DISTINCT hash({', '.join(ident(c.name) for c in columns)}))"


def bin_count(column: Column, lo: float, hi: float) -> int:
    """Bins of a histogram: 20, or one per integer value when an integer column spans fewer."""
    if hi <= lo:
        return 1
    if column.type == "numeric" and column.arrow is not None and _is_integer(column):
        return int(min(HISTOGRAM_BINS, hi - lo + 1))
    return HISTOGRAM_BINS


def _is_integer(column: Column) -> bool:
    return pa.types.is_integer(column.arrow)


def top_values(column: Column, source: str) -> str:
    """Top values with their counts, and the exact number of distinct values."""
    c = ident(column.name)
    return (f"SELECT value, n, count(*) OVER () FROM (SELECT {c} AS value, count(*) AS n "
            f"FROM {source} WHERE {c} IS NOT NULL GROUP BY {c}) "
            f"ORDER BY n DESC, value LIMIT {TOP_VALUES}")
