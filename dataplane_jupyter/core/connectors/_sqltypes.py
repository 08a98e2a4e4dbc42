"""Arrow <-> SQLAlchemy types for the sql kind: reading result rows into batches, creating export tables."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import sqlalchemy as sa

from dataplane_jupyter.core.errors import UpstreamError


def arrow_type(sql_type: sa.types.TypeEngine) -> pa.DataType | None:
    """The Arrow type for a reflected column type, or None to infer it from the values."""
    try:
        python = sql_type.python_type
    except NotImplementedError:
        return None
    if python is bool:
        return pa.bool_()
    if python is int:
        return pa.int64()
    if python is float:
        return pa.float64()
    if python is decimal.Decimal:
        precision, scale = getattr(sql_type, "precision", None), getattr(sql_type, "scale", None)
        if precision and precision <= 38 and scale is not None:
            return pa.decimal128(precision, scale)
        return pa.float64()
    if python is dt.datetime:
        return pa.timestamp("us", tz="UTC" if getattr(sql_type, "timezone", False) else None)
    if python is dt.date:
        return pa.date32()
    if python is dt.time:
        return pa.time64("us")
    if python is dt.timedelta:
        return pa.duration("us")
    if python is str:
        return pa.string()
    if python is bytes:
        return pa.binary()
    return pa.string() if python in (dict, list) else None


def to_batch(rows: Sequence[Any], names: list[str], schema: pa.Schema | None,
             types: Mapping[str, pa.DataType]) -> pa.RecordBatch:
    """Rows as one record batch, with the same types as the previous batch when there was one."""
    arrays = []
    for i, name in enumerate(names):
        values = [row[i] for row in rows]
        wanted = schema.field(i).type if schema is not None else types.get(name)
        arrays.append(_array(name, values, wanted))
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _array(name: str, values: list[Any], wanted: pa.DataType | None) -> pa.Array:
    if wanted is not None and pa.types.is_string(wanted):
        values = [v if v is None or isinstance(v, str) else _text(v) for v in values]
    elif wanted is not None and pa.types.is_floating(wanted):
        values = [None if v is None else float(v) for v in values]
    try:
        array = pa.array(values, type=wanted)
        if wanted is None and pa.types.is_decimal(array.type):
            # A query's decimal precision is only known per batch: a later batch could overflow it.
            array = array.cast(pa.float64())
        # A column with only NULLs so far gets text, so that every batch keeps the first one's schema.
        return array.cast(pa.string()) if pa.types.is_null(array.type) else array
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        if wanted is None:
            return pa.array([None if v is None else _text(v) for v in values], type=pa.string())
        raise UpstreamError(f"column '{name}' holds values that do not fit its type {wanted}") from None


def _text(value: Any) -> str:
    return json.dumps(value, default=str) if isinstance(value, dict | list) else str(value)


def sql_type(arrow: pa.DataType) -> sa.types.TypeEngine[Any]:
    """The column type an export table gets for an Arrow type (text for anything unusual)."""
    if pa.types.is_boolean(arrow):
        return sa.Boolean()
    if pa.types.is_integer(arrow):
        return sa.BigInteger()
    if pa.types.is_floating(arrow):
        return sa.Double()
    if pa.types.is_decimal(arrow):
        return sa.Numeric(arrow.precision, arrow.scale)
    if pa.types.is_timestamp(arrow):
        return sa.DateTime(timezone=arrow.tz is not None)
    if pa.types.is_date(arrow):
        return sa.Date()
    if pa.types.is_time(arrow):
        return sa.Time()
    if pa.types.is_binary(arrow) or pa.types.is_large_binary(arrow):
        return sa.LargeBinary()
    return sa.Text()


def rows_of(batch: pa.RecordBatch) -> list[dict[str, Any]]:
    """A batch as insertable rows; columns without a plain SQL type become text."""
    for i, f in enumerate(batch.schema):
        if isinstance(sql_type(f.type), sa.Text) and not pa.types.is_string(f.type):
            batch = batch.set_column(i, f.name, batch.column(i).cast(pa.string()) if not pa.types.is_nested(f.type)
                                     else pa.array([None if v is None else _text(v) for v in batch.column(i).to_pylist()]))
    return batch.to_pylist()


def copyable(schema: pa.Schema) -> bool:
    """Whether pyarrow's CSV output of these columns reads back the same through PostgreSQL's COPY."""
    simple = (pa.types.is_boolean, pa.types.is_integer, pa.types.is_floating, pa.types.is_decimal,
              pa.types.is_string, pa.types.is_large_string, pa.types.is_date, pa.types.is_timestamp)
    return all(any(check(f.type) for check in simple) for f in schema)
