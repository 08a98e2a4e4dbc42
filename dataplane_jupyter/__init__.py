"""dataplane_jupyter: the data section of an ML platform, Jupyter-native.

    import dataplane_jupyter as dp
    project = dp.project("churn")
    ds = project.datasets.import_file("sales.csv", name="sales").wait()

Importing this package pulls in no Jupyter code: the core works from a plain script. The
Jupyter hooks below import their shells lazily.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .core.catalog import Catalog, project
from .core.errors import (
    AlreadyExists,
    DataplaneError,
    ImportFailed,
    InUse,
    InvalidInput,
    InvalidState,
    JobFailed,
    NotFound,
    UpstreamError,
)

__all__ = [
    "AlreadyExists",
    "Catalog",
    "DataplaneError",
    "ImportFailed",
    "InUse",
    "InvalidInput",
    "InvalidState",
    "JobFailed",
    "NotFound",
    "UpstreamError",
    "__version__",
    "project",
]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "dataplane-jupyter"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .server.app import DataplaneExtension

    return [{"module": "dataplane_jupyter.server.app", "app": DataplaneExtension}]


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext dataplane_jupyter`: registers the `%dataplane` magics."""
    from .magics import load_ipython_extension as load

    load(ipython)
