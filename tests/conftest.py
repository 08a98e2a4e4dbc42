"""Shared fixtures: every test gets its own data home; nothing touches ~/.dataplane.

Two profiles (``pytest --profile local|team``, or ``DATAPLANE_TEST_PROFILE``):

- ``local`` (default): the embedded default, SQLite catalog + local storage under the home.
- ``team``: only the tests marked ``team`` run, each against the deployment of
  docs/deployment.md started by the suite (tests/servers/team.py): its own PostgreSQL database as
  the catalog, a prefix of an S3 bucket as the storage, and jobs on a Dask cluster of two worker
  processes. The same tests, the same assertions.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# pytest only takes plugins from the top-level conftest; tests/server uses jp_fetch & co.
pytest_plugins = ("pytest_jupyter.jupyter_server",)

PROFILES = ("local", "team")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--profile", choices=PROFILES, default=os.environ.get("DATAPLANE_TEST_PROFILE") or "local",
        help="local: embedded default (SQLite, local storage); team: the tests marked 'team' on "
             "PostgreSQL + S3 storage + a two-worker Dask cluster (docs/deployment.md)",
    )


def _in_profile(item: pytest.Item, team: bool) -> bool:
    """Marked `team`: runs in both profiles; `team(only=True)`: in the team profile only."""
    mark = item.get_closest_marker("team")
    return mark is not None if team else mark is None or not mark.kwargs.get("only")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    team = team_profile(config)
    keep = [item for item in items if _in_profile(item, team)]
    dropped = [item for item in items if not _in_profile(item, team)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def team_profile(config: pytest.Config) -> bool:
    """True when the suite runs in the team profile."""
    return bool(config.getoption("--profile") == "team")


@pytest.fixture(scope="session")
def team_deployment(request: pytest.FixtureRequest):
    """PostgreSQL + S3 bucket + two-worker Dask cluster (team profile only; None otherwise)."""
    if not team_profile(request.config):
        yield None
        return
    from tests.servers import team

    deployment = team.start()
    try:
        yield deployment
    finally:
        deployment.stop()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, team_deployment) -> Path:
    """A fresh DATAPLANE_HOME; worker processes can import test job functions. In the team
    profile also a fresh PostgreSQL catalog, S3 storage prefix and the Dask executor."""
    home = tmp_path / "dataplane-home"
    monkeypatch.setenv("DATAPLANE_HOME", str(home))
    for name in ("DATAPLANE_CATALOG_URL", "DATAPLANE_STORAGE_URL", "DATAPLANE_EXECUTOR", "DATAPLANE_DASK_ADDRESS",
                 "DATAPLANE_USER", "DATAPLANE_ACCESS", "DATAPLANE_DEFAULT_OWNER"):
        monkeypatch.delenv(name, raising=False)
    if team_deployment is not None:
        for name, value in team_deployment.settings().items():
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return home


@pytest.fixture
def catalog(isolated_home: Path, team_deployment):
    """A catalog whose jobs run in threads of the test process (fast); on the Dask cluster in
    the team profile."""
    from dataplane_jupyter import Catalog

    return Catalog(isolated_home, executor="dask" if team_deployment else "thread")


@pytest.fixture
def sales_db(tmp_path: Path) -> Path:
    """A SQLite file whose table sales(id, price) holds 20 rows, for a datasource to read.
    (tests/schedules and tests/core/test_sources.py use a larger one, with a city column.)"""
    from tests.sqlite_tables import write_sales

    return write_sales(tmp_path / "sales.db", [(i, i * 0.5) for i in range(20)], "id integer, price real")


@pytest.fixture
def process_catalog(isolated_home: Path, team_deployment):
    """A catalog whose jobs run in detached worker processes (the default); on the Dask
    cluster in the team profile."""
    from dataplane_jupyter import Catalog

    return Catalog(isolated_home, executor="dask" if team_deployment else "process")
