"""Dataset statistics, computed once over the Parquet file with bounded memory.

Passes: (1) one DuckDB scan for row count, duplicate rows and every column's moments,
extremes, quantiles and text lengths; (2) one scan for all histograms; (3) one grouping per
categorical/text/boolean column for its top values and exact distinct count; (4) a streaming
numpy pass for the Pearson matrix; (5) the first rows as a sample. DuckDB spills to a
temporary folder past its memory limit, so the file is never loaded whole.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import fsspec
import numpy as np
import pyarrow.parquet as pq

from dataplane_jupyter.core.ingest import duck
from dataplane_jupyter.core.ingest.model import Progress, noop_progress
from dataplane_jupyter.core.stats import aggregates as agg
from dataplane_jupyter.core.stats.correlation import pearson
from dataplane_jupyter.core.stats.describe import column_entry, string_kind, summary
from dataplane_jupyter.core.stats.jsonsafe import jsonable
from dataplane_jupyter.core.stats.media import add_media_statistics
from dataplane_jupyter.core.stats.schema import Column, columns_of, relation, size_bytes


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
    type, count, missing, distinct, distinct_exact, mean, std, min, max, quantiles, histogram,
    top, text_length, warnings), ``correlation`` (Pearson over numeric columns) and ``sample``.
    ``progress`` may raise to cancel; its exception is raised again unchanged.
    """
    metadata = pq.read_metadata(parquet_path, filesystem=filesystem)
    columns = columns_of(metadata)
    with tempfile.TemporaryDirectory(prefix="dataplane-stats-") as tmp:
        con = duck.connect(Path(tmp), memory_limit=memory_limit)
        try:
            source = relation(con, parquet_path, filesystem)
            exact = _exact(metadata.num_rows, columns)
            rows, duplicates, found = _first_pass(con, columns, source, exact, progress)
            columns = [_classified(c, found[c.name], rows) for c in columns]
            _histograms(con, columns, found, source, progress)
            _tops(con, columns, found, source, progress)
        finally:
            con.close()
    file = pq.ParquetFile(parquet_path, filesystem=filesystem)
    correlation = _correlation(file, columns, found, progress)
    entries = [column_entry(c, found[c.name], rows, exact) for c in columns]
    add_media_statistics(entries, columns, parquet_path, filesystem)
    result = {
        "rows": rows,
        "columns_count": len(columns),
        "summary": summary(entries, rows, size_bytes(parquet_path, filesystem), duplicates),
        "columns": entries,
        "correlation": correlation,
        "sample": _sample(file, sample_rows),
    }
    progress(1.0, "statistics ready")
    return jsonable(result)


def _exact(rows: int, columns: list[Column]) -> bool:
    measured = sum(1 for c in columns if c.type in ("numeric", "datetime", "binary"))
    return rows * measured <= agg.EXACT_LIMIT_VALUES


def _first_pass(con: Any, columns: list[Column], source: str, exact: bool, progress: Progress
                ) -> tuple[int, int, dict[str, dict[str, Any]]]:
    queries = [agg.rows_pass(columns, source)] + agg.first_pass(columns, source, exact)
    results: list[Any] = []
    for i, sql in enumerate(queries):
        share = (0.45 * i / len(queries), 0.45 * (i + 1) / len(queries))
        results += duck.run(con, sql, progress=progress, share=share,
                            message="computing column statistics")[0]
    rows, distinct_rows = int(results[0]), int(results[1])
    values = iter(results[2:])
    found = {c.name: {k: next(values) for k in agg.aggregate_names(c)} for c in columns}
    return rows, rows - distinct_rows, found


def _classified(column: Column, found: dict[str, Any], rows: int) -> Column:
    if column.type is not None:
        return column
    return Column(column.name, string_kind(found), column.arrow)


def _histograms(con: Any, columns: list[Column], found: dict[str, dict[str, Any]],
                source: str, progress: Progress) -> None:
    bins = {}
    for c in columns:
        stats = found[c.name]
        if c.type in ("numeric", "datetime") and stats["count"]:
            lo, hi = float(stats["min"]), float(stats["max"])
            if np.isfinite(lo) and np.isfinite(hi):
                bins[c.name] = (c, lo, hi, agg.bin_count(c, lo, hi))
    if not bins:
        return
    queries = agg.histogram_pass(bins, source)
    row: list[Any] = []
    for i, sql in enumerate(queries):
        share = (0.45 + 0.15 * i / len(queries), 0.45 + 0.15 * (i + 1) / len(queries))
        row += duck.run(con, sql, progress=progress, share=share, message="computing histograms")[0]
    for (name, (_, lo, hi, n)), counts in zip(bins.items(), row):
        by_bin = dict(counts or {})
        found[name]["histogram"] = {
            "edges": [float(e) for e in np.linspace(lo, hi if hi > lo else lo + 1.0, n + 1)],
            "counts": [int(by_bin.get(i, 0)) for i in range(n)],
        }


def _tops(con: Any, columns: list[Column], found: dict[str, dict[str, Any]], source: str,
          progress: Progress) -> None:
    grouped = [c for c in columns if c.type in ("categorical", "text", "boolean")]
    for i, column in enumerate(grouped):
        lo = 0.6 + 0.2 * i / len(grouped)
        rows = duck.run(con, agg.top_values(column, source), progress=progress,
                        share=(lo, lo + 0.2 / len(grouped)),
                        message=f"counting the values of {column.name}")
        found[column.name]["top"] = [{"value": v, "count": int(n)} for v, n, _ in rows]
        found[column.name]["distinct"] = int(rows[0][2]) if rows else 0


def _correlation(file: pq.ParquetFile, columns: list[Column],
                 found: dict[str, dict[str, Any]], progress: Progress) -> dict[str, Any]:
    numeric = [c.name for c in columns if c.type == "numeric" and found[c.name]["count"]]
    if len(numeric) < 2:
        return {"method": "pearson", "columns": numeric,
                "matrix": [[1.0] for _ in numeric]}
    means = [found[n]["mean"] for n in numeric]
    matrix = pearson(file, numeric, means,
                     lambda x: progress(0.8 + 0.18 * x, "computing correlations"))
    return {"method": "pearson", "columns": numeric,
            "matrix": [[None if np.isnan(v) else round(float(v), 6) for v in row]
                       for row in matrix]}


def _sample(file: pq.ParquetFile, sample_rows: int) -> dict[str, Any]:
    names = file.schema_arrow.names
    if sample_rows <= 0 or file.metadata.num_rows == 0:
        return {"columns": names, "rows": []}
    batch = next(file.iter_batches(batch_size=sample_rows))
    table = batch.to_pylist()
    return {"columns": names, "rows": [[r[n] for n in names] for r in table]}
