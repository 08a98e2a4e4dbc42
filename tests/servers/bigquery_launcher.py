"""Runs `bqemulator start` inside the emulator's own venv, patched to work offline with the real client.

Executed by that venv's python (see tests/servers/bigquery.py); imports nothing from this project.
- DuckDB's spatial extension is loaded from the `duckdb-extension-spatial` wheel instead of
  being downloaded, and the best-effort `avro` download is skipped: tests never leave 127.0.0.1.
- The client's small multipart uploads are sent as `*/*`, which the emulator rejects by default.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _spatial_extension() -> Path:
    import duckdb
    import duckdb_extension_spatial

    path = Path(duckdb_extension_spatial.__file__).parent / "extensions" / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    if not path.exists():
        sys.exit(f"no spatial extension for DuckDB {duckdb.__version__} at {path}")
    return path


def _patch() -> None:
    import duckdb
    from bqemulator.api.routes import upload
    from bqemulator.storage import engine
    from bqemulator.types import geography

    spatial = _spatial_extension()

    def load_spatial(self: engine.DuckDBEngine) -> None:
        self._connection.execute(f"LOAD '{spatial}'")

    def conversion_connection() -> duckdb.DuckDBPyConnection:
        with geography._CONV_LOCK:
            if geography._CONV_CONN is None:
                conn = duckdb.connect(":memory:")
                conn.execute(f"LOAD '{spatial}'")
                geography._CONV_CONN = conn
            return geography._CONV_CONN

    engine.DuckDBEngine._load_spatial = load_spatial
    engine.DuckDBEngine._load_format_extensions = lambda self: None
    geography._ensure_conv_conn = conversion_connection
    upload._PERMITTED_MEDIA_CONTENT_TYPES = (*upload._PERMITTED_MEDIA_CONTENT_TYPES, "*/*")


if __name__ == "__main__":
    _patch()
    from bqemulator.cli import main

    main(["start", *sys.argv[1:]])
