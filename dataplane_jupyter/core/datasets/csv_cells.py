"""Arrow batches made writable as CSV: raw bytes as base64, nested values as JSON text.

Arrow's CSV writer refuses lists, structs and maps, and fails on bytes that are not UTF-8;
text in those columns keeps every value and can be read back.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pyarrow as pa

from dataplane_jupyter.core.stats.schema import is_binary


def _needs_text(arrow: pa.DataType) -> bool:
    return is_binary(arrow) or pa.types.is_nested(arrow)


def csv_schema(schema: pa.Schema) -> pa.Schema:
    """The schema of :func:`csv_batch` results: binary and nested columns become strings."""
    return pa.schema([f.with_type(pa.string()) if _needs_text(f.type) else f for f in schema],
                     metadata=schema.metadata)


def csv_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """``batch`` with binary columns as base64 text and list/struct/map columns as JSON text."""
    if not any(_needs_text(f.type) for f in batch.schema):
        return batch
    arrays = [pa.array([None if v is None else _text(v) for v in column.to_pylist()], pa.string())
              if _needs_text(column.type) else column for column in batch.columns]
    return pa.RecordBatch.from_arrays(arrays, schema=csv_schema(batch.schema))


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)
