"""A job whose worker died while the server was down is failed when the server starts."""

from __future__ import annotations

import os
import signal
import time

import pytest

from dataplane_jupyter import Catalog
from dataplane_jupyter.core.jobs.store import JobStatus


@pytest.fixture
def interrupted_job(isolated_home):
    """A real worker process killed mid-job, as a crash or a machine restart would."""
    catalog = Catalog(isolated_home, executor="process")
    project = catalog.project("p")
    job = catalog.jobs.start(
        "t", "tests.core.job_functions:steps", project_id=project.id, params={"n": 1000, "delay": 0.05}
    )
    deadline = time.monotonic() + 30
    while (current := catalog.jobs.get(job.id)).status is not JobStatus.RUNNING or current.progress == 0:
        assert time.monotonic() < deadline, "worker never started"
        time.sleep(0.05)
    os.kill(current.worker_pid, signal.SIGKILL)
    while True:
        try:
            os.kill(current.worker_pid, 0)
            time.sleep(0.05)
        except ProcessLookupError:
            break
    assert catalog.jobs.get(job.id).status is JobStatus.RUNNING  # nobody noticed yet
    return job


@pytest.fixture
def jp_server_config(jp_server_config, interrupted_job):
    """The suite's server, started once the job is left running by a dead worker."""
    return jp_server_config


@pytest.mark.team
async def test_server_start_fails_jobs_left_running_by_a_dead_worker(api, interrupted_job):
    code, body = await api("GET", f"jobs/{interrupted_job.id}")
    assert code == 200
    assert body["status"] == "failed"
    assert body["error"].startswith("Interrupted: the worker process running this job")
