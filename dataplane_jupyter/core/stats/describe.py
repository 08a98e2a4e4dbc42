"""Shaping raw aggregates into the public statistics entries, with column warnings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from dataplane_jupyter.core.stats.aggregates import QUANTILES
from dataplane_jupyter.core.stats.jsonsafe import ratio
from dataplane_jupyter.core.stats.schema import Column

MAX_CATEGORIES = 2_000
TEXT_MIN_MEAN_CHARS = 50
MOSTLY_MISSING = 0.5
TYPES = ("numeric", "categorical", "text", "datetime", "boolean")


def string_kind(found: dict[str, Any]) -> str:
    """Text when values average at least 50 characters, else categorical (files not imported
    by us carry no stored type; the importer's richer rule needs the raw cells)."""
    mean = found.get("length_mean")
    return "text" if mean is not None and mean >= TEXT_MIN_MEAN_CHARS else "categorical"


def column_entry(column: Column, found: dict[str, Any], rows: int,
                 exact: bool = True) -> dict[str, Any]:
    """The public statistics of one column (``exact``: quantiles/distinct computed exactly).

    Approximate figures carry their bound: ``quantiles_error`` is the normalised rank error of
    the quantiles sketch (a quantile's rank is within that fraction of the rows, 99 %
    confidence), ``distinct_error`` the relative standard error of the distinct count; both are
    None when the figure is exact. ``histogram_exact`` is False only for a histogram estimated
    from the quantiles sketch (statistics computed without the file)."""
    count = int(found["count"] or 0)
    distinct = found.get("distinct")
    grouped = column.type in ("categorical", "text", "boolean")
    entry: dict[str, Any] = {
        "name": column.name, "type": column.type, "count": count, "missing": rows - count,
        "missing_pct": ratio(100.0 * (rows - count), rows) if rows else 0.0,
        "distinct": min(int(distinct), count) if distinct is not None else None,
        "distinct_exact": found.get("distinct_exact", grouped or exact),
        "distinct_error": found.get("distinct_error"),
        "quantiles_exact": exact if column.type in ("numeric", "datetime") else None,
        "quantiles_error": found.get("quantiles_error"),
        "mean": None, "std": None, "min": None, "max": None, "quantiles": None,
        "histogram": None, "top": found.get("top"), "text_length": None, "byte_length": None,
    }
    if column.type == "boolean":
        entry.update(mean=found["mean"], min=_bool_extreme(found, False),
                     max=_bool_extreme(found, True))
    elif column.type in ("numeric", "datetime"):
        entry.update(_moments(column, found))
    elif column.type == "binary":
        entry["byte_length"] = _lengths(found)
    else:
        entry["text_length"] = _lengths(found)
    entry["warnings"] = column_warnings(entry, rows)
    return entry


def _lengths(found: dict[str, Any]) -> dict[str, Any]:
    return {"min": found["length_min"], "max": found["length_max"], "mean": found["length_mean"]}


def _bool_extreme(found: dict[str, Any], want_max: bool) -> bool | None:
    values = {t["value"] for t in found.get("top") or []}
    if not values:
        return None
    return max(values) if want_max else min(values)


def _moments(column: Column, found: dict[str, Any]) -> dict[str, Any]:
    quantiles = found.get("quantiles")
    labels = [str(q) for q in QUANTILES]
    values = {
        "mean": found["mean"], "std": found["std"], "min": found["min"], "max": found["max"],
        "quantiles": dict(zip(labels, quantiles)) if quantiles else None,
        "histogram": found.get("histogram"),
        "histogram_exact": found.get("histogram_exact", True) if found.get("histogram") else None,
    }
    if column.type != "datetime":
        return values
    values["std_seconds"] = values.pop("std")
    values["std"] = None
    for key in ("mean", "min", "max"):
        values[key] = _as_datetime(values[key])
    if values["quantiles"]:
        values["quantiles"] = {k: _as_datetime(v) for k, v in values["quantiles"].items()}
    if values["histogram"]:
        edges = [_as_datetime(e) for e in values["histogram"]["edges"]]
        values["histogram"] = {**values["histogram"], "edges": edges}
    return values


def _as_datetime(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=float(seconds))
    return moment.isoformat()


def column_warnings(entry: dict[str, Any], rows: int) -> list[str]:
    """Plain-language warnings about one column."""
    notes: list[str] = []
    count, distinct = entry["count"], entry["distinct"]
    if rows and count == 0:
        return ["all values are missing"]
    if rows and entry["missing"] / rows > MOSTLY_MISSING:
        notes.append(f"{entry['missing_pct']:.0f}% of values are missing")
    if distinct == 1:
        notes.append("constant: every value is the same")
    if entry["type"] == "categorical" and distinct and distinct > MAX_CATEGORIES:
        notes.append(f"{distinct:,} distinct values: more than the {MAX_CATEGORIES:,} "
                     "categories the platform supports per column")
    if entry["type"] == "categorical" and distinct and distinct == count and count > 50:
        notes.append("every value is different (an identifier?)")
    return notes


def summary(entries: list[dict[str, Any]], rows: int, size: int, duplicates: int
            ) -> dict[str, Any]:
    """Dataset-level figures."""
    cells = rows * len(entries)
    missing = sum(e["missing"] for e in entries)
    kinds = Counter(e["type"] for e in entries)
    return {
        "rows": rows, "columns": len(entries), "size_bytes": size,
        "missing_cells": missing,
        "missing_cells_pct": ratio(100.0 * missing, cells) if cells else 0.0,
        "duplicate_rows": duplicates,
        "duplicate_rows_pct": ratio(100.0 * duplicates, rows) if rows else 0.0,
        "types": {**{t: kinds.get(t, 0) for t in TYPES}, **{t: n for t, n in kinds.items() if t not in TYPES}},
    }
