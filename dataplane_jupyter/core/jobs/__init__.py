"""Jobs: the persisted records and their status rules (store), running them in a worker process,
a thread or Dask (runner, worker), and the handles users follow them with (handles).

The main names are importable from the package (`from dataplane_jupyter.core.jobs import Job`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataplane_jupyter.core.jobs.handles import JobHandle, Jobs
    from dataplane_jupyter.core.jobs.runner import JobCancelled, JobContext
    from dataplane_jupyter.core.jobs.store import Job, JobStatus, JobStore

_EXPORTS = {
    "Job": "store",
    "JobStatus": "store",
    "JobStore": "store",
    "JobContext": "runner",
    "JobCancelled": "runner",
    "JobHandle": "handles",
    "Jobs": "handles",
}
__all__ = ["Job", "JobCancelled", "JobContext", "JobHandle", "JobStatus", "JobStore", "Jobs"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
