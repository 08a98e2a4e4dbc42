"""BigQuery helpers for the gcp kind's exports: Arrow schema to BigQuery schema, one load job per export."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

LOAD_TIMEOUT = 600.0


def bq_type(arrow: pa.DataType) -> str:
    """The BigQuery column type for an Arrow type; STRING for anything unusual (values are cast)."""
    checks = (
        (pa.types.is_boolean, "BOOL"), (pa.types.is_integer, "INT64"), (pa.types.is_floating, "FLOAT64"),
        (pa.types.is_date, "DATE"), (pa.types.is_time, "TIME"), (pa.types.is_binary, "BYTES"),
        (pa.types.is_large_binary, "BYTES"), (pa.types.is_string, "STRING"), (pa.types.is_large_string, "STRING"),
    )
    if pa.types.is_timestamp(arrow):
        return "TIMESTAMP" if arrow.tz else "DATETIME"
    if pa.types.is_decimal(arrow):
        return "NUMERIC" if arrow.precision <= 38 and arrow.scale <= 9 else "BIGNUMERIC"
    return next((name for check, name in checks if check(arrow)), "STRING")


def load_batches(client: Any, table_id: str, batches: Iterable[pa.RecordBatch], schema: pa.Schema, *,
                 overwrite: bool) -> int:
    """Spool the batches to a local Parquet file, then load it in one job (atomic on BigQuery's side)."""
    from google.cloud import bigquery

    target = pa.schema([pa.field(f.name, f.type if bq_type(f.type) != "STRING" else pa.string()) for f in schema])
    rows = 0
    with tempfile.TemporaryFile(suffix=".parquet") as spool:
        with pq.ParquetWriter(spool, target) as writer:
            for batch in batches:
                writer.write_batch(batch.cast(target) if batch.schema != target else batch)
                rows += batch.num_rows
        spool.seek(0)
        config = bigquery.LoadJobConfig(
            source_format=bigquery.SourceFormat.PARQUET,
            schema=[bigquery.SchemaField(f.name, bq_type(f.type)) for f in target],
            write_disposition="WRITE_TRUNCATE" if overwrite else "WRITE_EMPTY",
        )
        retry = bigquery.DEFAULT_RETRY.with_timeout(LOAD_TIMEOUT)
        job = client.load_table_from_file(spool, table_id, job_config=config, timeout=LOAD_TIMEOUT)
        job.result(retry=retry, timeout=LOAD_TIMEOUT)
    return rows
