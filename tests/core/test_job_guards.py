"""Guards around jobs (issue 21): cancel that is honoured, memory and concurrency limits, and
nothing left behind by a job that failed or whose worker was killed."""

from __future__ import annotations

import os
import signal
import time

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.datasets.imports import on_import_end
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
    dataset_id = project.datasets.add_record("d", DatasetOrigin.UPLOAD, {"file": "d.csv"})
    job = catalog.jobs.start(
        "dataset.import", f"{JOBS}:copied_then_fail", on_end=f"{on_import_end.__module__}:on_import_end",
        project_id=project.id, target=("dataset", dataset_id),
        params={"dataset_id": dataset_id, "project_id": project.id},
    )
    catalog.jobs.wait(job.id, timeout=60)
    info = project.datasets.get(dataset_id).info
    assert (info.status.value, info.error) == ("failed", "statistics failed")
    assert (info.rows, info.columns, info.size_bytes) == (None, None, None)


def test_a_cancel_is_honoured_even_by_a_job_that_never_reports(process_catalog):
    project = process_catalog.project("p")
    job = process_catalog.jobs.start("t", f"{JOBS}:silent", project_id=project.id, params={"seconds": 600})
    running = wait_for(lambda: (j := process_catalog.jobs.get(job.id)).status is JobStatus.RUNNING and j, "running")
    process_catalog.jobs.cancel(job.id)
    ended = process_catalog.jobs.wait(job.id, timeout=60)  # the job itself would run 10 minutes
    assert ended.status is JobStatus.CANCELLED
    assert ended.error.startswith("Cancelled at the user's request")
    wait_for(lambda: gone(running.worker_pid), "supervisor gone")
    assert not (process_catalog.settings.home / "tmp" / job.id).exists()  # its scratch folder too


def test_a_worker_past_its_memory_allowance_is_stopped_with_a_clear_message(process_catalog, monkeypatch):
    monkeypatch.setenv("DATAPLANE_WORKER_MEMORY", "400MiB")
    project = process_catalog.project("p")
    job = process_catalog.jobs.start("t", f"{JOBS}:allocate", project_id=project.id, params={"mb": 1500},
                                     on_end=f"{JOBS}:record_end")
    ended = process_catalog.jobs.wait(job.id, timeout=120)
    assert ended.status is JobStatus.FAILED
    assert "more than the 400.0 MiB a worker may use (DATAPLANE_WORKER_MEMORY)" in ended.error
    assert (400 << 20) < ended.peak_memory < (1500 << 20)  # stopped well before it got what it wanted
    # the supervisor ended it, and the target cleaned up after it (`on_end`, run in its own process)
    trace = wait_for(lambda: next((process_catalog.settings.home).glob(f"ended-{job.id}"), None), "on_end ran")
    assert trace.read_text().startswith("failed: Stopped: the job used")


def test_jobs_beyond_the_cap_wait_queued_in_line(process_catalog, monkeypatch):
    monkeypatch.setenv("DATAPLANE_MAX_JOBS", "1")
    project = process_catalog.project("p")
    jobs = [process_catalog.jobs.start("t", f"{JOBS}:steps", project_id=project.id, params={"n": 20, "delay": 0.1})
            for _ in range(3)]
    wait_for(lambda: process_catalog.jobs.get(jobs[2].id).message.startswith("Queued: 2nd in line"), "third queued")
    seen_running, seen_places = set(), set()
    while not all(process_catalog.jobs.get(j.id).status.finished for j in jobs):
        states = [process_catalog.jobs.get(j.id) for j in jobs]
        running = [s.id for s in states if s.status is JobStatus.RUNNING]
        assert len(running) <= 1, states
        seen_running.update(running)
        seen_places.update(s.message.split(" in line")[0] for s in states if s.status is JobStatus.QUEUED)
        time.sleep(0.05)
    assert [process_catalog.jobs.get(j.id).status for j in jobs] == [JobStatus.SUCCEEDED] * 3
    assert seen_running == {j.id for j in jobs}
    assert {"Queued: 1st", "Queued: 2nd"} <= seen_places

    def slots_held() -> int:
        with process_catalog.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(schema.job_slots)).scalar_one()

    wait_for(lambda: slots_held() == 0, "every slot given back")


def test_every_duckdb_connection_gets_the_workers_memory_limit(monkeypatch, tmp_path):
    """Every place that opens DuckDB passes the limit (a new one must too)."""
    import ast
    from pathlib import Path

    import dataplane_jupyter.core as core
    from dataplane_jupyter.core.ingest import duck

    monkeypatch.setenv("DATAPLANE_DUCKDB_MEMORY", "123MiB")
    con = duck.connect(tmp_path)
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("123.0 MiB", "128.9 MB")
    offenders = []
    for path in Path(core.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "duckdb.connect" and "memory_limit" not in ast.unparse(node):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
