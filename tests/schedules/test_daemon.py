"""`dataplane scheduler`, a real process: a 1 s interval refresh runs three times, SIGTERM ends it
cleanly, and nothing it started is left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import psutil

import dataplane_jupyter as dp


def test_the_scheduler_daemon_fires_a_1s_interval_then_exits_cleanly_on_sigterm(isolated_home, sales_db, tmp_path):
    catalog = dp.Catalog(isolated_home)  # jobs in detached worker processes, as in production
    project = catalog.project("p")
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(sales_db))
    schedule = project.datasources.create("weekly", connector="lite", table="sales").schedule(every=1)
    log_path = tmp_path / "scheduler.log"
    with open(log_path, "wb") as log:
        daemon = subprocess.Popen(
            [sys.executable, "-m", "dataplane_jupyter.cli", "--home", str(isolated_home), "scheduler", "--grace", "60"],
            stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    try:
        catalog.jobs.wait_until(
            lambda: True if len(schedule.runs(statuses=["succeeded"])) >= 3 else None, timeout=180, poll=0.2,
            waiting=lambda: f"Waiting for 3 refreshes; log:\n{log_path.read_text()}")
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=120) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    text = log_path.read_text()
    assert "SIGTERM received: stopping" in text and "scheduler exited cleanly" in text, text
    assert "Traceback" not in text, text
    runs = schedule.runs(limit=1000)
    assert not [r for r in runs if r.status == "fired"], "a run was left unrecorded"
    assert len([r for r in runs if r.status == "succeeded"]) >= 3
    # Ticks before the daemon was up are caught up once; ticks during a refresh are skipped.
    assert {r.status for r in runs} <= {"succeeded", "skipped_overlap", "skipped_missed"}
    assert len({(r.tick, r.attempt) for r in runs}) == len(runs)
    assert not catalog.jobs.list(statuses=["queued", "running"]), "a job was left running"
    workers = [job.worker_pid for job in catalog.jobs.list() if job.worker_pid]
    # a worker's supervisor may still be tidying up (temp folder, slot) a moment after its job ended
    alive = []
    for pid in workers:
        try:
            alive.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            pass
    _, still = psutil.wait_procs(alive, timeout=15)
    assert workers and not [p for p in still if p.status() != psutil.STATUS_ZOMBIE]
    assert f"schedule '{schedule.name}': tick" in text and "fired: dataset weekly_" in text
