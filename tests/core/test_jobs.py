"""Jobs: persisted, legal transitions only, progress, cancel, failures, crash recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from dataplane_jupyter.core.errors import InvalidState, NotFound
from dataplane_jupyter.core.jobs.store import INTERRUPTED, LEGAL_TRANSITIONS, JobStatus

FN = "tests.core.job_functions"


def wait_until(predicate, timeout: float = 20.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not reached in time")


@pytest.mark.team
def test_start_returns_at_once_and_the_job_succeeds(catalog):
    started = time.monotonic()
    job = catalog.jobs.start("test.steps", f"{FN}:steps", params={"n": 20, "delay": 0.05})
    assert time.monotonic() - started < 0.5
    assert job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    done = catalog.jobs.wait(job.id, timeout=30)
    assert done.status is JobStatus.SUCCEEDED
    assert done.progress == 1.0
    assert done.result == {"counted": 20}
    assert done.started_at and done.finished_at and done.finished_at >= done.started_at
    assert done.created_by


def test_progress_is_visible_while_running(catalog):
    job = catalog.jobs.start("test.steps", f"{FN}:steps", params={"n": 40, "delay": 0.05})
    seen = wait_until(lambda: (j := catalog.jobs.get(job.id)).status is JobStatus.RUNNING and 0 < j.progress < 1 and j)
    assert seen.message.startswith("step ")
    catalog.jobs.wait(job.id, timeout=30)


@pytest.mark.team
def test_domain_error_and_bug_both_end_failed_with_a_message(catalog):
    refused = catalog.jobs.wait(catalog.jobs.start("t", f"{FN}:refuse").id, timeout=20)
    assert refused.status is JobStatus.FAILED
    assert refused.error == "column 'price' on line 7 is not a number"
    crashed = catalog.jobs.wait(catalog.jobs.start("t", f"{FN}:crash").id, timeout=20)
    assert crashed.status is JobStatus.FAILED
    assert crashed.error == "Unexpected error: ZeroDivisionError: division by zero"


def test_on_end_runs_when_a_job_fails(catalog):
    job = catalog.jobs.start("t", f"{FN}:refuse", on_end=f"{FN}:record_end")
    catalog.jobs.wait(job.id, timeout=20)
    trace = catalog.settings.home / f"ended-{job.id}"
    wait_until(trace.exists)  # on_end runs just after the job is recorded failed
    assert trace.read_text() == "failed: column 'price' on line 7 is not a number"


def test_cancel_a_running_job(catalog):
    job = catalog.jobs.start("t", f"{FN}:steps", params={"n": 1000, "delay": 0.02}, on_end=f"{FN}:record_end")
    wait_until(lambda: catalog.jobs.get(job.id).status is JobStatus.RUNNING)
    catalog.jobs.cancel(job.id)
    done = catalog.jobs.wait(job.id, timeout=20)
    assert done.status is JobStatus.CANCELLED
    assert done.result is None
    trace = catalog.settings.home / f"ended-{job.id}"
    wait_until(trace.exists)  # on_end runs just after the job is recorded cancelled
    assert trace.read_text().startswith("cancelled")


def test_cancel_a_queued_job_and_a_finished_one(catalog):
    job = catalog.jobs.store.create("t", f"{FN}:steps")  # recorded, never dispatched
    assert catalog.jobs.cancel(job.id).status is JobStatus.CANCELLED
    with pytest.raises(InvalidState, match="already cancelled"):
        catalog.jobs.cancel(job.id)


def test_a_cancel_that_read_queued_never_ends_a_job_that_started_meanwhile(catalog):
    """The race a dataset deleted while its import starts hit: the cancel reads `queued`, the
    worker claims the job, then the cancel ended the running job "before it started" (its
    cleanup ran under the working job, whose own ending then failed). Now the job goes on
    and stops at its next report, cancelled once."""
    store = catalog.jobs.store
    job = store.create("t", f"{FN}:steps", on_end=f"{FN}:record_end")  # recorded, never dispatched
    asked = store.request_cancel

    def stale_read(job_id):
        stale = asked(job_id)  # read while queued ...
        store.transition(job_id, JobStatus.RUNNING)  # ... and the worker claims it right after
        return stale

    store.request_cancel = stale_read
    try:
        assert catalog.jobs.cancel(job.id).status is JobStatus.RUNNING
    finally:
        del store.request_cancel
    assert not (catalog.settings.home / f"ended-{job.id}").exists()  # no cleanup under a running job
    assert store.report(job.id, 0.5, "working") is True  # the job learns it must stop
    with pytest.raises(InvalidState, match="running; it cannot become cancelled"):
        store.transition(job.id, JobStatus.CANCELLED, only_from=JobStatus.QUEUED)


def test_only_legal_transitions_happen(catalog):
    store = catalog.jobs.store
    job = store.create("t", f"{FN}:steps")
    with pytest.raises(InvalidState, match="queued; it cannot become succeeded"):
        store.transition(job.id, JobStatus.SUCCEEDED)
    store.transition(job.id, JobStatus.RUNNING)
    store.transition(job.id, JobStatus.SUCCEEDED)
    for target in JobStatus:
        with pytest.raises(InvalidState):
            store.transition(job.id, target)
    assert all(not LEGAL_TRANSITIONS[s] for s in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED))


def test_unknown_job_is_not_found(catalog):
    with pytest.raises(NotFound):
        catalog.jobs.get("nope")


def test_a_process_job_outlives_the_process_that_started_it(process_catalog, tmp_path):
    marker = tmp_path / "marker"
    starter = (
        "import sys, dataplane_jupyter as dp;"
        f"job = dp.Catalog().jobs.start('t', '{FN}:steps', params={{'n': 10, 'delay': 0.1, 'marker': {str(marker)!r}}});"
        "print(job.id)"
    )
    out = subprocess.run([sys.executable, "-c", starter], capture_output=True, text=True, check=True, timeout=60)
    job_id = out.stdout.strip()
    done = process_catalog.jobs.wait(job_id, timeout=60)
    assert done.status is JobStatus.SUCCEEDED, done.error
    assert marker.read_text() == "done"


def test_a_killed_worker_leaves_a_failed_job_never_a_running_one(process_catalog):
    jobs = process_catalog.jobs
    job = jobs.start("t", f"{FN}:steps", params={"n": 1000, "delay": 0.05}, on_end=f"{FN}:record_end")
    running = wait_until(lambda: (j := jobs.get(job.id)).status is JobStatus.RUNNING and j.progress > 0 and j)
    os.kill(running.worker_pid, signal.SIGKILL)
    wait_until(lambda: not _alive(running.worker_pid))
    reaped = jobs.reap()
    assert [j.id for j in reaped] == [job.id]
    failed = jobs.get(job.id)
    assert failed.status is JobStatus.FAILED
    assert failed.error == INTERRUPTED.format(pid=running.worker_pid)
    assert (process_catalog.settings.home / f"ended-{job.id}").read_text().startswith("failed: Interrupted")
    assert jobs.reap() == []


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_whoever_waits_fails_a_job_whose_worker_died(process_catalog, monkeypatch):
    monkeypatch.setattr("dataplane_jupyter.core.jobs.handles.REAP_EVERY", 0.2)
    jobs = process_catalog.jobs
    job = jobs.start("t", f"{FN}:steps", params={"n": 1000, "delay": 0.05})
    running = wait_until(lambda: (j := jobs.get(job.id)).status is JobStatus.RUNNING and j.progress > 0 and j)
    os.kill(running.worker_pid, signal.SIGKILL)
    looks = []

    def finished():
        looks.append(jobs.get(job.id).status)
        return looks[-1] if looks[-1].finished else None

    assert jobs.wait_until(finished, timeout=30) is JobStatus.FAILED
    assert looks[0] is JobStatus.RUNNING  # nothing but the waiting failed it
    assert jobs.wait(job.id, timeout=1).error == INTERRUPTED.format(pid=running.worker_pid)


def test_waiting_gives_up_after_the_timeout_saying_on_what(catalog):
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"^Still computing after 0.3 s\.$"):
        catalog.jobs.wait_until(lambda: None, timeout=0.3, poll=0.05, waiting=lambda: "Still computing")
    assert 0.3 <= time.monotonic() - started < 2
