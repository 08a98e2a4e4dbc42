"""SQL for the per-column statistics, one column family at a time.

Exactness: counts, missing, mean, std, min, max, histograms, top values, text and byte lengths
are always exact; so is ``distinct`` for categorical, text and boolean columns (from the
grouping that gives the top values). Quantiles and the ``distinct`` of numeric/datetime/binary
columns are exact (linear interpolation, as numpy/pandas) while rows x those columns stays under
:data:`EXACT_LIMIT_VALUES`; past it they are approximate: a t-digest (``approx_quantile``,
within a fraction of a percent of rank) and a HyperLogLog count (about 2 %), so memory stays
bounded. Each column says which in ``quantiles_exact`` / ``distinct_exact``.
"""

from __future__ import annotations

import pyarrow as pa

from dataplane_jupyter.core.stats.schema import Column, seconds_per_unit

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
HISTOGRAM_BINS = 20
TOP_VALUES = 10
EXACT_LIMIT_VALUES = 10_000_000


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def numeric_value(column: Column) -> str:
    """The column as DOUBLE (datetimes as seconds since 1970 UTC, times of day as seconds since
    midnight, durations in seconds)."""
    c = ident(column.name)
    if column.type == "datetime" and column.arrow is not None and pa.types.is_time(column.arrow):
        return f"epoch({c})"
    if column.type == "datetime" and column.arrow is not None \
            and pa.types.is_timestamp(column.arrow) and column.arrow.tz:
        return f"epoch_us({c}) / 1e6"  # a cast to TIMESTAMP would shift it to the session's zone
    if column.type == "datetime":
        return f"epoch_us(CAST({c} AS TIMESTAMP)) / 1e6"
    if column.arrow is not None and pa.types.is_duration(column.arrow):
        return f"CAST({c} AS DOUBLE) * {seconds_per_unit(column.arrow)!r}"
    return f"CAST({c} AS DOUBLE)"


def column_aggregates(column: Column, exact: bool = False) -> list[str]:
    """Aggregates of the first pass for one column (see :func:`aggregate_names`)."""
    c = ident(column.name)
    aggs = [f"count({c})"]
    if column.type == "boolean":
        aggs.append(f"avg(CAST({c} AS DOUBLE))")
    elif column.type in ("numeric", "datetime"):
        x = numeric_value(column)
        q = ", ".join(str(p) for p in QUANTILES)
        aggs += [f"avg({x})", f"stddev_samp({x})", f"min({x})", f"max({x})"]
        aggs += [f"count(DISTINCT {c})", f"quantile_cont({x}, [{q}])"] if exact else \
            [f"approx_count_distinct({c})", f"approx_quantile({x}, [{q}])"]
    elif column.type == "binary":
        size = f"octet_length({c})"
        aggs += [f"count(DISTINCT {c})" if exact else f"approx_count_distinct({c})",
                 f"min({size})", f"max({size})", f"avg({size})"]
    else:
        size = _length(column)
        aggs += [f"min({size})", f"max({size})", f"avg({size})"]
    return aggs


def _length(column: Column) -> str:
    """Characters of a string, items of a list or map; NULL for a struct (no length)."""
    c = ident(column.name)
    if column.arrow is not None and pa.types.is_struct(column.arrow):
        return "NULL::BIGINT"
    if column.arrow is not None and pa.types.is_map(column.arrow):
        return f"cardinality({c})"
    return f"length({c})"


def aggregate_names(column: Column) -> list[str]:
    """Names of the values returned by :func:`column_aggregates`, in order."""
    if column.type == "boolean":
        return ["count", "mean"]
    if column.type in ("numeric", "datetime"):
        return ["count", "mean", "std", "min", "max", "distinct", "quantiles"]
    if column.type == "binary":
        return ["count", "distinct", "length_min", "length_max", "length_mean"]
    return ["count", "length_min", "length_max", "length_mean"]


COLUMNS_PER_SCAN = 16


def rows_pass(columns: list[Column], source: str) -> str:
    """Row count and distinct rows."""
    return f"SELECT count(*), {_distinct_rows(columns)} FROM {source}"


def first_pass(columns: list[Column], source: str, exact: bool) -> list[str]:
    """:func:`column_aggregates` of every column, :data:`COLUMNS_PER_SCAN` columns per query.

    Exact distinct counts and quantiles keep per-column state that DuckDB cannot spill, so
    a wide file is scanned in slices (Parquet reads only each slice's columns).
    """
    queries = []
    for start in range(0, len(columns), COLUMNS_PER_SCAN):
        parts = [a for c in columns[start:start + COLUMNS_PER_SCAN]
                 for a in column_aggregates(c, exact)]
        queries.append(f"SELECT {', '.join(parts)} FROM {source}")
    return queries


def _distinct_rows(columns: list[Column]) -> str:
    # a 64-bit row hash: exact up to hash collisions (~1e-7 chance at 5M rows), bounded memory
    if not columns:
        return "0"
    return f"count(DISTINCT hash({', '.join(ident(c.name) for c in columns)}))"


def histogram_pass(bins: dict[str, tuple[Column, float, float, int]], source: str) -> list[str]:
    """Bin counts of numeric/datetime columns: ``{column: (column, min, max, bins)}``.

    Equal-width bins from min to max; each bin holds ``edge_i <= x < edge_i+1``, the last one
    also ``x == max`` (as numpy.histogram).
    """
    parts = []
    for column, lo, hi, n in bins.values():
        x = numeric_value(column)
        width = (hi - lo) / n if hi > lo else 1.0
        parts.append(f"histogram(least(CAST(floor(({x} - {lo!r}) / {width!r}) AS INTEGER), {n - 1}))")
    return [f"SELECT {', '.join(parts[i:i + COLUMNS_PER_SCAN])} FROM {source}"
            for i in range(0, len(parts), COLUMNS_PER_SCAN)]


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
