"""dataplane_jupyter: the data section of an ML platform, Jupyter-native.

    import dataplane_jupyter as dp
    project = dp.project("churn")
    ds = project.datasets.import_file("sales.csv", name="sales").wait()

Importing this package pulls in no Jupyter code: the core works from a plain script. The
Jupyter hooks below import their shells lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import lazy_loader

from ._version import __version__
from .core.errors import (
    AlreadyExists,
    DataplaneError,
    ImportFailed,
    InUse,
    InvalidInput,
    InvalidState,
    JobFailed,
    NotFound,
    PermissionDenied,
    UpstreamError,
)

if TYPE_CHECKING:
    from .core.catalog.catalog import Catalog, project
    from .core.schedules import ManualClock, Scheduler

# The catalog loads on first use: a job's worker process, which starts with this package, then
# imports only the modules it needs (the whole catalog takes about 0.7 s and 100 MiB).
__getattr__, _, _ = lazy_loader.attach(__name__, submod_attrs={
    "core.catalog.catalog": ["Catalog", "project"],
    "core.schedules": ["ManualClock", "Scheduler"],
})

__all__ = [
    "AlreadyExists",
    "Catalog",
    "DataplaneError",
    "ImportFailed",
    "InUse",
    "InvalidInput",
    "InvalidState",
    "JobFailed",
    "ManualClock",
    "NotFound",
    "PermissionDenied",
    "Scheduler",
    "UpstreamError",
    "__version__",
    "panel",
    "project",
]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})  # the lazy names too, for completion in notebooks


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "dataplane-jupyter"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .server.app import DataplaneExtension

    return [{"module": "dataplane_jupyter.server.app", "app": DataplaneExtension}]


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext dataplane_jupyter`: registers the `%dataplane` magics and the panels."""
    from .magics import load_ipython_extension as load

    load(ipython)


def panel(project: Any = None, **catalog_options: Any) -> Any:
    """The catalog panel (ipywidgets) of a project: `dp.panel()` shows the default project."""
    from .widgets import catalog_panel

    return catalog_panel(project, **catalog_options)


def _register_display() -> None:
    """Inside a running IPython, datasets, projects and connectors display as panels.

    Nothing happens in a plain script: IPython is only looked at when it is already imported.
    """
    import sys

    if "IPython" not in sys.modules:
        return
    shell = sys.modules["IPython"].get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    from .widgets import register_display

    register_display(shell)


_register_display()
