"""SQLite source tables for the tests' datasources (SQLite needs no server)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SALES_COLUMNS = "id integer, price real, city text"


def write_sales(path: Path, rows: Iterable[tuple[Any, ...]], columns: str = SALES_COLUMNS) -> Path:
    """Write the SQLite file `path` with one table, sales (`columns` as in CREATE TABLE), holding
    `rows`; `path` again."""
    rows = list(rows)
    with sqlite3.connect(path) as con:
        con.execute(f"create table sales ({columns})")
        if rows:
            con.executemany(f"insert into sales values ({', '.join('?' * len(rows[0]))})", rows)
    return path


def city_sales(count: int) -> list[tuple[int, float, str]]:
    """`count` rows of (id, price, city): price i × 0.5, city "a", "b", "c" in turn."""
    return [(i, i * 0.5, "abc"[i % 3]) for i in range(count)]


def add_weekly_datasource(project: Any, db: Path) -> Any:
    """Connector "lite" over the SQLite file `db`, and datasource "weekly" reading its table sales
    (returned)."""
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(db))
    return project.datasources.create("weekly", connector="lite", table="sales")
