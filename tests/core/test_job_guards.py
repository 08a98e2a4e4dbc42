"""Guards around jobs (issue 21): cancel that is honoured, memory and concurrency limits, and
nothing left behind by a job that failed or whose worker was killed."""

from __future__ import annotations

import os
import signal
import time

from dataplane_jupyter.core.imports import on_import_end
from dataplane_jupyter.core.jobs import JobStatus
from dataplane_jupyter.core.models import DatasetOrigin

JOBS = "tests.core.job_functions"


def wait_for(predicate, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)
    return value


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_job_cancelled_then_killed_ends_cancelled(process_catalog):
    project = process_catalog.project("p")
    job = process_catalog.jobs.start("t", f"{JOBS}:silent", project_id=project.id, params={"seconds": 120})
    running = wait_for(lambda: (j := process_catalog.jobs.get(job.id)).status is JobStatus.RUNNING and j, "running")
    process_catalog.jobs.cancel(job.id)
    os.kill(running.worker_pid, signal.SIGKILL)
    wait_for(lambda: gone(running.worker_pid), "worker gone")
    process_catalog.jobs.reap()
    ended = process_catalog.jobs.get(job.id)
    assert ended.status is JobStatus.CANCELLED, ended
    assert ended.error.startswith("Cancelled at the user's request")


def test_a_failed_import_keeps_no_row_count(catalog):
    project = catalog.project("p")
    dataset_id = project.datasets._create("d", DatasetOrigin.UPLOAD, {"file": "d.csv"})
    job = catalog.jobs.start(
        "dataset.import", f"{JOBS}:copied_then_fail", on_end=f"{on_import_end.__module__}:on_import_end",
        project_id=project.id, target=("dataset", dataset_id),
        params={"dataset_id": dataset_id, "project_id": project.id},
    )
    catalog.jobs.wait(job.id, timeout=60)
    info = project.datasets.get(dataset_id).info
    assert (info.status.value, info.error) == ("failed", "statistics failed")
    assert (info.rows, info.columns, info.size_bytes) == (None, None, None)
