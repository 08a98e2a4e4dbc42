"""Fixtures for schedules: a SQLite table to refresh, a project, a clock that only moves when told,
and a real PostgreSQL server (for shared catalogs and table locks)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from dataplane_jupyter import ManualClock
from tests import sqlite_tables
from tests.servers import postgres
from tests.servers._process import serve


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer]:
    """A PostgreSQL server for the shared-catalog and PostgreSQL-source tests, once per session."""
    yield from serve(postgres)


@pytest.fixture
def sales_db(tmp_path):
    return sqlite_tables.write_sales(tmp_path / "sales.db", sqlite_tables.city_sales(200))


@pytest.fixture
def project(catalog, sales_db):
    """A project with a datasource "weekly" over the SQLite sales table (jobs run in threads)."""
    project = catalog.project("p")
    sqlite_tables.add_weekly_datasource(project, sales_db)
    return project


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2027, 1, 4, 5, 59, 30, tzinfo=timezone.utc))


def settle(project, timeout: float = 60) -> None:
    """Wait until no job of the project is queued or running and every dataset import has ended."""
    for job in project.jobs(statuses=["queued", "running"]):
        project.catalog.jobs.wait(job.id, timeout=timeout)
    busy = ("copying", "computing_statistics")
    project.catalog.jobs.wait_until(
        lambda: True if not project.datasets.list(status=busy) else None,
        timeout=timeout, poll=0.05)
