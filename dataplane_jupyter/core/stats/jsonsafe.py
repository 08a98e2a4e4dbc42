"""Turning query results into plain JSON values (NaN and infinities become null)."""

from __future__ import annotations

import datetime as dt
import decimal
import math
from typing import Any


def jsonable(value: Any) -> Any:
    """A JSON-serialisable form of ``value``: NaN/inf -> None, dates -> ISO 8601 strings,
    bytes -> ``"<n bytes>"``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return jsonable(float(value))
    if isinstance(value, bytes):  # raw bytes are not text: say how many there are
        return f"<{len(value):,} bytes>"
    if hasattr(value, "item"):  # numpy scalars
        return jsonable(value.item())
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


def ratio(part: float, whole: float) -> float | None:
    """``part / whole`` or None when ``whole`` is 0."""
    return part / whole if whole else None
