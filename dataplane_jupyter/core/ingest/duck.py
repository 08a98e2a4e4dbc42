"""DuckDB sessions with bounded memory, progress reports and cancellation.

DuckDB runs each statement on a worker thread while the calling thread polls
``query_progress()`` and calls ``progress``. When ``progress`` raises (a cancelled job), the
statement is interrupted and the exception goes on to the caller untouched.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import duckdb

from dataplane_jupyter.core.ingest.model import Progress

DEFAULT_MEMORY_LIMIT = os.environ.get("DATAPLANE_DUCKDB_MEMORY", "1GB")
_POLL_SECONDS = 0.25


def connect(workdir: Path, *, memory_limit: str | None = None, threads: int | None = None,
            database: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that spills to ``workdir`` instead of growing past its memory limit.

    No extension is installed or loaded from the network.
    """
    path = str(workdir / database) if database else ":memory:"
    con = duckdb.connect(path, config={"autoinstall_known_extensions": False,
                                       "autoload_known_extensions": False})
    con.execute(f"SET memory_limit = '{memory_limit or DEFAULT_MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{workdir / 'spill'}'")
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def run(con: duckdb.DuckDBPyConnection, sql: str, *, progress: Progress,
        share: tuple[float, float], message: str, fetch: bool = True) -> list[tuple[Any, ...]]:
    """Execute ``sql``, reporting progress inside ``share`` of the whole job; rows if ``fetch``."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            cursor = con.execute(sql)
            outcome["rows"] = cursor.fetchall() if fetch else []
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread below
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="dataplane-duckdb", daemon=True)
    worker.start()
    try:
        _poll(con, worker, progress, share, message)
    except BaseException:
        con.interrupt()
        worker.join()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["rows"]


def _poll(con: duckdb.DuckDBPyConnection, worker: threading.Thread, progress: Progress,
          share: tuple[float, float], message: str) -> None:
    lo, hi = share
    progress(lo, message)
    while True:
        worker.join(_POLL_SECONDS)
        if not worker.is_alive():
            return
        done = con.query_progress()
        fraction = lo + (hi - lo) * (max(done, 0.0) / 100.0)
        progress(min(fraction, hi), message)
