"""Embeddings as JSON-ready values, for the REST API and the command line.

    embedding_map(ds, color="group")   # {"info", "rows", "x", "y", "z", "color": {column, values}}
    neighbor_records(ds, 12, k=5)      # [{"row", "distance", "values": {column: value}}], nearest first
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from dataplane_jupyter.core.datasets.rows import open_parquet, take_rows
from dataplane_jupyter.core.embeddings.embeddings import load_embeddings, neighbors
from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.stats.jsonsafe import jsonable

if TYPE_CHECKING:
    from dataplane_jupyter.core.datasets.datasets import Dataset


def embedding_map(dataset: "Dataset", color: str | None = None) -> dict[str, Any]:
    """The 3-D map as columns (one entry per embedded row) and, with `color`, that column's
    values for the same rows; InvalidState until the embeddings are ready."""
    points = load_embeddings(dataset)
    rows = points["row"].to_numpy()
    return {
        "info": dataset.info.embeddings,
        "rows": rows.tolist(),
        **{axis: points[axis].astype(float).tolist() for axis in ("x", "y", "z")},
        "color": None if color is None else {"column": color, "values": color_values(dataset, rows, color)},
    }


def color_values(dataset: "Dataset", rows: np.ndarray, column: str) -> list[str | int | float | None]:
    """`column`'s value at each of the given ascending rows, reading that column only: numbers
    stay numbers, missing values are None, anything else is text."""
    with open_parquet(dataset) as parquet:
        names = parquet.schema_arrow.names
    if column not in names:
        raise InvalidInput(
            f"Dataset {dataset.name!r} has no column {column!r} to colour by; its columns are "
            f"{', '.join(names)}.", field="color")
    return [_as_color(jsonable(value)) for value in take_rows(dataset, rows, columns=[column]).column(0).to_pylist()]


def neighbor_records(dataset: "Dataset", row: int, k: int = 5) -> list[dict[str, Any]]:
    """The `k` rows nearest to `row`, nearest first, each as its row number, distance and values
    (missing values as None, times as ISO 8601 text)."""
    frame = neighbors(dataset, row, k)
    values = pa.Table.from_pandas(frame.drop(columns=["row", "distance"]), preserve_index=False).to_pylist()
    return [
        {"row": int(found), "distance": float(distance), "values": {key: jsonable(v) for key, v in record.items()}}
        for found, distance, record in zip(frame["row"], frame["distance"], values)
    ]


def _as_color(value: Any) -> str | int | float | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, (str, int, float)):
        return value
    return json.dumps(value)
