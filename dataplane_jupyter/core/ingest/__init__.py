"""CSV import: format detection and streaming conversion to Parquet (no Jupyter imports)."""

from dataplane_jupyter.core.ingest.convert import META_FORMAT, META_TYPES, csv_to_parquet
from dataplane_jupyter.core.ingest.detect import detect_csv_format
from dataplane_jupyter.core.ingest.model import (
    COLUMN_TYPES,
    MAX_CATEGORIES,
    MAX_CELL_CHARS,
    MAX_ROWS,
    ColumnSchema,
    CsvFormat,
    CsvOptions,
    IngestResult,
    IngestWarning,
    noop_progress,
)

__all__ = [
    "COLUMN_TYPES", "MAX_CATEGORIES", "MAX_CELL_CHARS", "MAX_ROWS", "META_FORMAT", "META_TYPES",
    "ColumnSchema", "CsvFormat", "CsvOptions", "IngestResult", "IngestWarning",
    "csv_to_parquet", "detect_csv_format", "noop_progress",
]
