"""Job functions used by the job tests (run by real workers, threads and processes)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.jobs.runner import JobContext


def steps(ctx: JobContext) -> dict[str, Any]:
    """Counts to params['n'], sleeping params['delay'] per step, reporting progress each step."""
    n, delay = ctx.params.get("n", 5), ctx.params.get("delay", 0.01)
    for i in range(n):
        ctx.progress(i / n, f"step {i + 1} of {n}", force=True)
        time.sleep(delay)
    marker = ctx.params.get("marker")
    if marker:
        Path(marker).write_text("done")
    return {"counted": n}


def refuse(ctx: JobContext) -> None:
    """Fails the way a job fails on bad input."""
    raise InvalidInput("column 'price' on line 7 is not a number")


def crash(ctx: JobContext) -> None:
    """Fails the way a bug fails."""
    raise ZeroDivisionError("division by zero")


def record_end(catalog: Any, job: Any) -> None:
    """on_end hook: leaves a trace next to the catalog."""
    (catalog.settings.home / f"ended-{job.id}").write_text(f"{job.status.value}: {job.error}")
