"""The rejected rows of an import: a small Parquet table stored beside the dataset's data.

Columns: ``line`` (the row's first physical line in the file, 1-based), ``raw`` (its text,
verbatim, line breaks included) and ``reason`` ("2 fields, expected 3", "a quote that is not
closed", "after the table" for a footer or a second table).
"""

from __future__ import annotations

from typing import Any, BinaryIO, Sequence

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dataplane_jupyter.core.ingest.model import RejectedRow

REJECTED_FILE = "rejected.parquet"
REJECTED_SCHEMA = pa.schema([("line", pa.int64()), ("raw", pa.string()), ("reason", pa.string())])


def rejected_table(rows: Sequence[RejectedRow]) -> pa.Table:
    return pa.table({"line": [r.line for r in rows], "raw": [r.raw for r in rows],
                     "reason": [r.reason for r in rows]}, schema=REJECTED_SCHEMA)


def write_rejected(rows: Sequence[RejectedRow], out: BinaryIO) -> None:
    """Write the rejected rows as Parquet into ``out``."""
    pq.write_table(rejected_table(rows), out)


def read_rejected(stream: Any | None, *, offset: int = 0, limit: int | None = None) -> pa.Table:
    """The stored rejected rows (``stream`` None: there are none), optionally a page."""
    if stream is None:
        return REJECTED_SCHEMA.empty_table()
    table = pq.read_table(stream)
    if offset or limit is not None:
        table = table.slice(offset, limit)
    return table


def rejected_csv(table: pa.Table, out: BinaryIO) -> None:
    """The rejected rows as CSV (``line,raw,reason``), e.g. for a download."""
    pacsv.write_csv(table, out)
