"""Real datasets for the figure and panel tests, imported through the core (jobs in threads)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.express as px
import pytest


@pytest.fixture
def project(catalog):
    """The default project of a thread-executor catalog."""
    return catalog.project("default")


@pytest.fixture
def tips(project, tmp_path: Path):
    """plotly's bundled tips table (numeric, categorical, boolean columns), imported from CSV."""
    path = tmp_path / "tips.csv"
    px.data.tips().to_csv(path, index=False)
    return project.datasets.import_file(path, name="tips").wait(timeout=60)


@pytest.fixture
def stocks(project, tmp_path: Path):
    """plotly's bundled stocks table (a date column and six prices), imported from CSV."""
    path = tmp_path / "stocks.csv"
    px.data.stocks().to_csv(path, index=False)
    return project.datasets.import_file(path, name="stocks").wait(timeout=60)


@pytest.fixture
def wide(project):
    """320 numeric columns in two correlated families (a_*, b_*) plus independent noise (n_*)."""
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=400), rng.normal(size=400)
    columns = {}
    for i in range(320):
        family = ("a", "b", "n")[i % 3]
        base = {"a": a, "b": b, "n": rng.normal(size=400)}[family]
        columns[f"{family}_{i:03d}"] = base + rng.normal(scale=0.3 if family != "n" else 1.0, size=400)
    return project.datasets.from_pandas(pd.DataFrame(columns), "wide").wait(timeout=120)
