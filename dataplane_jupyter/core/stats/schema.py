"""What the statistics need to know about a Parquet file before reading its rows."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import duckdb
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

META_TYPES = "dataplane.types"


@dataclass(frozen=True)
class Column:
    """A column of the dataset: name, semantic type (None = a string not classified yet)."""

    name: str
    type: str | None
    arrow: pa.DataType


def columns_of(metadata: pq.FileMetaData) -> list[Column]:
    """Columns with the semantic types stored at import, or guessed from the Arrow types."""
    schema = metadata.schema.to_arrow_schema()
    stored = _stored_types(metadata)
    return [Column(f.name, stored.get(f.name) or arrow_type_kind(f.type), f.type) for f in schema]


def _stored_types(metadata: pq.FileMetaData) -> dict[str, str]:
    raw = (metadata.metadata or {}).get(META_TYPES.encode())
    return json.loads(raw) if raw else {}


def arrow_type_kind(arrow: pa.DataType) -> str | None:
    """Semantic type of an Arrow type; None for strings (categorical or text, decided later)."""
    if pa.types.is_boolean(arrow):
        return "boolean"
    if pa.types.is_integer(arrow) or pa.types.is_floating(arrow) or pa.types.is_decimal(arrow):
        return "numeric"
    if pa.types.is_duration(arrow):
        return "numeric"  # described in seconds
    if pa.types.is_temporal(arrow):
        return "datetime"  # times of day as instants of 1970-01-01
    if is_binary(arrow):
        return "binary"
    if pa.types.is_fixed_size_list(arrow):
        return "tensor"  # examples of an npy array, flattened (`core.datasets.npy`)
    return None


def is_binary(arrow: pa.DataType) -> bool:
    """Whether the Arrow type holds raw bytes (DuckDB BLOB)."""
    return pa.types.is_binary(arrow) or pa.types.is_large_binary(arrow) \
        or pa.types.is_fixed_size_binary(arrow)


def seconds_per_unit(arrow: pa.DataType) -> float:
    """Seconds in one stored unit of a duration type (Parquet keeps durations as int64)."""
    return {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}[arrow.unit]


def open_metadata(path: str, filesystem: fsspec.AbstractFileSystem | None) -> pq.FileMetaData:
    """The Parquet footer, read without reading the data."""
    return pq.read_metadata(path, filesystem=filesystem)


def size_bytes(path: str, filesystem: fsspec.AbstractFileSystem | None) -> int:
    """Stored size of the file."""
    return int(filesystem.size(path)) if filesystem is not None else os.path.getsize(path)


def relation(con: duckdb.DuckDBPyConnection, path: str,
             filesystem: fsspec.AbstractFileSystem | None) -> str:
    """SQL for the file's rows; a non-local fsspec filesystem is registered with DuckDB."""
    if filesystem is None or _is_local(filesystem):
        return f"read_parquet('{_escape(path)}')"
    con.register_filesystem(filesystem)
    protocol = filesystem.protocol if isinstance(filesystem.protocol, str) \
        else filesystem.protocol[0]
    url = path if "://" in path else f"{protocol}://{path.lstrip('/')}"
    return f"read_parquet('{_escape(url)}')"


def _is_local(filesystem: fsspec.AbstractFileSystem) -> bool:
    protocols = filesystem.protocol if isinstance(filesystem.protocol, (tuple, list)) \
        else (filesystem.protocol,)
    return "file" in protocols or "local" in protocols


def _escape(text: str) -> str:
    return text.replace("'", "''")
