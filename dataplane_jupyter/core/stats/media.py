"""Statistics of image and tensor columns, added to their entries as `media`.

Image columns hold paths relative to the dataset folder (files we stored at import) or bucket
URLs (`gs://`, `s3://`: counted as `remote`, never fetched here). Up to :data:`SAMPLE_FILES`
stored images are opened: formats, colour modes, width/height spreads, corrupt or non-image
files. Tensor columns are either paths of .npy files (up to :data:`SAMPLE_FILES` read: shapes,
min/max/mean) or inline float32 values (every row streamed: min/max/mean, shape from the
file's metadata).
"""

from __future__ import annotations

import json
import posixpath
from collections import Counter
from typing import Any, Iterable

import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dataplane_jupyter.core.datasets.npy import load_example
from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.images.imaging import BadImage, inspect
from dataplane_jupyter.core.stats.schema import Column

SAMPLE_FILES = 1_000
LISTED = 10
META_SHAPES = "dataplane.shapes"


def add_media_statistics(entries: list[dict[str, Any]], columns: list[Column], parquet_path: str,
                         filesystem: fsspec.AbstractFileSystem | None) -> None:
    """Add `media` to the entries of image and tensor columns (in place)."""
    wanted = {c.name: c.type for c in columns if c.type in ("image", "tensor")}
    if not wanted:
        return
    fs = filesystem or fsspec.filesystem("file")
    folder = posixpath.dirname(parquet_path)
    file = pq.ParquetFile(parquet_path, filesystem=fs)  # Arrow's own file on local storage
    shapes = json.loads((file.schema_arrow.metadata or {}).get(META_SHAPES.encode(), b"{}"))
    for entry in entries:
        kind = wanted.get(entry["name"])
        if kind is None:
            continue
        arrow = file.schema_arrow.field(entry["name"]).type
        if not (pa.types.is_string(arrow) or pa.types.is_large_string(arrow)):
            batches = file.iter_batches(batch_size=8_192, columns=[entry["name"]])
            entry["media"] = inline_tensor_statistics((b.column(0) for b in batches), shapes.get(entry["name"]))
            continue
        column = file.read(columns=[entry["name"]]).column(0)
        entry["media"] = (image_statistics if kind == "image" else npy_statistics)(column, fs, folder)


def _spread(values: list[int]) -> dict[str, Any] | None:
    if not values:
        return None
    array = np.asarray(values)
    edges = np.histogram_bin_edges(array, bins=min(10, max(1, len(set(values)))))
    counts, _ = np.histogram(array, bins=edges)
    return {"min": int(array.min()), "max": int(array.max()), "mean": round(float(array.mean()), 2),
            "histogram": {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}}


def _paths(column: pa.ChunkedArray) -> list[str]:
    return [v for v in column.drop_null().to_pylist() if v and v.strip()]


def image_statistics(column: pa.ChunkedArray, fs: fsspec.AbstractFileSystem, folder: str) -> dict[str, Any]:
    """Formats, modes, sizes and corrupt files of an image column (a sample of its files)."""

    paths = _paths(column)
    remote = [p for p in paths if "://" in p]
    local = [p for p in paths if "://" not in p]
    formats: Counter[str] = Counter()
    modes: Counter[str] = Counter()
    widths, heights, corrupt = [], [], []
    sizes: Counter[str] = Counter()
    for path in local[:SAMPLE_FILES]:
        try:
            with fs.open(f"{folder}/{path}", "rb") as stream:
                facts = inspect(stream)
        except (BadImage, OSError) as error:
            corrupt.append({"path": path, "reason": str(error)})
            continue
        formats[facts.format] += 1
        modes[facts.mode] += 1
        sizes[f"{facts.width}×{facts.height}"] += 1
        widths.append(facts.width)
        heights.append(facts.height)
    return {
        "count": len(paths), "remote": len(remote), "inspected": min(len(local), SAMPLE_FILES),
        "formats": dict(formats.most_common()), "modes": dict(modes.most_common()),
        "sizes": dict(sizes.most_common(LISTED)), "distinct_sizes": len(sizes),
        "width": _spread(widths), "height": _spread(heights),
        "corrupt": {"count": len(corrupt), "files": corrupt[:LISTED]},
    }


def npy_statistics(column: pa.ChunkedArray, fs: fsspec.AbstractFileSystem, folder: str) -> dict[str, Any]:
    """Shapes and value range of a column of .npy paths (a sample of its files)."""

    paths = _paths(column)
    shapes: Counter[str] = Counter()
    lo, hi, total, n, bad = np.inf, -np.inf, 0.0, 0, []
    for path in paths[:SAMPLE_FILES]:
        try:
            with fs.open(f"{folder}/{path}", "rb") as stream:
                array = load_example(stream, path)
        except (InvalidInput, OSError) as error:
            bad.append({"path": path, "reason": str(error)})
            continue
        shapes["×".join(str(d) for d in array.shape) or "scalar"] += 1
        if array.size:
            lo, hi = min(lo, float(array.min())), max(hi, float(array.max()))
            total, n = total + float(array.sum(dtype=np.float64)), n + array.size
    return {"count": len(paths), "inspected": min(len(paths), SAMPLE_FILES), "shapes": dict(shapes.most_common()),
            **_range(lo, hi, total, n), "corrupt": {"count": len(bad), "files": bad[:LISTED]}}


def inline_tensor_statistics(chunks: Iterable[pa.Array], shape: list[int] | None) -> dict[str, Any]:
    """Value range of a tensor column stored in the file (fixed-size lists of float32), streamed."""
    lo, hi, total, n, rows = np.inf, -np.inf, 0.0, 0, 0
    for chunk in chunks:
        rows += len(chunk) - chunk.null_count
        values = pc.list_flatten(chunk) if pa.types.is_fixed_size_list(chunk.type) or pa.types.is_list(chunk.type) else chunk
        array = values.drop_null().to_numpy(zero_copy_only=False)
        if array.size:
            lo, hi = min(lo, float(np.nanmin(array))), max(hi, float(np.nanmax(array)))
            total, n = total + float(np.nansum(array, dtype=np.float64)), n + int(np.count_nonzero(~np.isnan(array)))
    label = "×".join(str(d) for d in shape) if shape else None
    return {"count": rows, "shapes": {label: rows} if label else {},
            **_range(lo, hi, total, n)}


def _range(lo: float, hi: float, total: float, n: int) -> dict[str, float | None]:
    if not n:
        return {"min": None, "max": None, "mean": None}
    return {"min": lo, "max": hi, "mean": round(total / n, 6)}
