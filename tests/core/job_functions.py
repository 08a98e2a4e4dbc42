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


def silent(ctx: JobContext) -> dict[str, Any]:
    """Works for params['seconds'] without ever reporting progress (like a long C call)."""
    ctx.progress(0.1, "started", force=True)
    deadline = time.monotonic() + ctx.params.get("seconds", 60)
    while time.monotonic() < deadline:
        time.sleep(0.05)
    return {}


def copied_then_fail(ctx: JobContext) -> None:
    """An import that recorded its copied rows, then failed computing statistics."""
    from dataplane_jupyter.core.datasets import imports

    imports.set_dataset(ctx.catalog, ctx.params["dataset_id"], rows=1234, n_columns=3, size_bytes=999)
    raise InvalidInput("statistics failed")


def allocate(ctx: JobContext) -> dict[str, Any]:
    """Holds params['mb'] MiB of memory (touched) for params['seconds'] seconds."""
    block = bytearray(ctx.params["mb"] << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    ctx.progress(0.5, "holding", force=True)
    time.sleep(ctx.params.get("seconds", 5))
    return {"held": len(block)}


def spill(ctx: JobContext) -> dict[str, Any]:
    """Writes a scratch folder the way the CSV reader does, then works silently for a long time."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="dataplane-ingest-"))
    (folder / "source.utf8.csv").write_bytes(b"x" * (1 << 20))
    ctx.progress(0.5, f"spilled into {folder}", force=True)
    time.sleep(ctx.params.get("seconds", 600))
    return {}
