"""Progress views follow real jobs in the background and end with a readable state."""

from __future__ import annotations

import os
import signal
import time

from dataplane_jupyter import Catalog
from dataplane_jupyter.core.jobs.store import JobStatus
from dataplane_jupyter.widgets.actions import job_progress


def test_progress_follows_a_job_to_success(catalog):
    project = catalog.project("p")
    job = catalog.jobs.start("t", "tests.core.job_functions:steps", project_id=project.id,
                             params={"n": 10, "delay": 0.05})
    view = job_progress(catalog.jobs.handle(job.id))
    state = view.follower.join(30)
    assert state is not None and state.status == "succeeded"
    assert view.bar.value == 1.0 and view.bar.bar_style == "success"


def test_a_killed_worker_is_noticed_and_shown_as_failed(isolated_home):
    catalog = Catalog(isolated_home, executor="process")
    project = catalog.project("p")
    job = catalog.jobs.start("t", "tests.core.job_functions:steps", project_id=project.id,
                             params={"n": 1000, "delay": 0.05})
    view = job_progress(catalog.jobs.handle(job.id))
    deadline = time.monotonic() + 30
    while (current := catalog.jobs.get(job.id)).status is not JobStatus.RUNNING or current.progress == 0:
        assert time.monotonic() < deadline, "worker never started"
        time.sleep(0.05)
    while 'data-status="running"' not in view.label.value:
        assert time.monotonic() < deadline, view.label.value
        time.sleep(0.05)
    assert "step " in view.label.value  # the job's own message
    os.kill(current.worker_pid, signal.SIGKILL)
    state = view.follower.join(20)  # the view reaps dead workers every few seconds
    assert state is not None and state.status == "failed"
    assert "Interrupted: the worker process running this job" in view.error.value
    assert view.bar.bar_style == "danger"
