"""Shared fixtures: every test gets its own data home; nothing touches ~/.dataplane."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# pytest only takes plugins from the top-level conftest; tests/server uses jp_fetch & co.
pytest_plugins = ("pytest_jupyter.jupyter_server",)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh DATAPLANE_HOME; worker processes can import test job functions."""
    home = tmp_path / "dataplane-home"
    monkeypatch.setenv("DATAPLANE_HOME", str(home))
    for name in ("DATAPLANE_CATALOG_URL", "DATAPLANE_STORAGE_URL", "DATAPLANE_EXECUTOR", "DATAPLANE_USER",
                 "DATAPLANE_ACCESS", "DATAPLANE_DEFAULT_OWNER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return home


@pytest.fixture
def catalog(isolated_home: Path):
    """A catalog whose jobs run in threads of the test process (fast)."""
    from dataplane_jupyter import Catalog

    return Catalog(isolated_home, executor="thread")


@pytest.fixture
def process_catalog(isolated_home: Path):
    """A catalog whose jobs run in detached worker processes (the default)."""
    from dataplane_jupyter import Catalog

    return Catalog(isolated_home, executor="process")
