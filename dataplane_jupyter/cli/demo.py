"""`dataplane demo seed`: a demo project holding real datasets that ship with plotly."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import AlreadyExists
from .common import catalog
from .output import Output
from .parser import Verb, add_verbs, arg, verbs

DEMO_DATASETS = ("gapminder", "tips", "iris", "wind", "stocks")


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `demo` noun."""
    add_verbs(verbs(nouns, "demo", "the demo project"), [
        Verb("seed", seed_demo, "create the demo project and import plotly's sample data",
             [arg("--name", default="demo", help="project name (default: demo)")]),
    ])


def sample_file(name: str) -> Path:
    """A sample table shipped inside the plotly wheel (nothing is downloaded)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "datasets" / f"{name}.csv.gz"


def seed_demo(args: argparse.Namespace, out: Output) -> None:
    """Import each sample table once (idempotent), through the same CSV import as users."""
    project = catalog(args).project(args.name)
    started = []
    for name in DEMO_DATASETS:
        if name in project.datasets:
            continue
        try:
            started.append(project.datasets.import_file(sample_file(name), name))
        except AlreadyExists:
            continue
    for ds in started:
        out.message(f"{ds.name}: waiting for statistics…")
        ds.wait(timeout=300)
    out.result([ds.describe() for ds in project.datasets.list()], table=["name", "status", "rows", "columns"])
