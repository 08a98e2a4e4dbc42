"""`dataplane scheduler`, a real process: a 1 s interval refresh runs three times, SIGTERM ends it
cleanly, and nothing it started is left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import psutil

import dataplane_jupyter as dp
from tests.sqlite_tables import add_weekly_datasource


def test_the_scheduler_daemon_fires_a_1s_interval_then_exits_cleanly_on_sigterm(isolated_home, sales_db, tmp_path):
    catalog = dp.Catalog(isolated_home)  # jobs in detached worker processes, as in production
    project = catalog.project("p")
    schedule = add_weekly_datasource(project, sales_db).schedule(every=1)
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


def test_the_readme_systemd_unit_runs_the_scheduler_and_stops_it_cleanly(postgres_server, tmp_path):
    """The unit in the README, run as systemd would: its Environment (home and catalog pointed at
    this test's folder and PostgreSQL), its ExecStart (with this venv's `dataplane`), its
    KillSignal; the process exits 0 before TimeoutStopSec, and the --grace default fits in it."""
    import re
    import shlex
    import shutil

    from tests.cli.test_readme import README

    text = re.search(r"```ini\n(\[Unit\].*?)```", README.read_text(), flags=re.S).group(1)
    unit: dict[str, list[tuple[str, str]]] = {}
    section = ""
    for line in text.splitlines():  # systemd repeats keys (Environment=), which configparser does not keep
        if line.startswith("["):
            section = line.strip("[]")
        elif "=" in line:
            key, value = line.split("=", 1)
            unit.setdefault(section, []).append((key, value))
    service = dict(unit["Service"])
    assert service["User"] and dict(unit["Install"])["WantedBy"] == "multi-user.target"
    environment = dict(value.split("=", 1) for key, value in unit["Service"] if key == "Environment")
    assert set(environment) == {"DATAPLANE_HOME", "DATAPLANE_CATALOG_URL"}
    assert environment["DATAPLANE_CATALOG_URL"].startswith("postgresql+psycopg://")
    postgres_server.create_database("systemd_unit")
    environment.update(DATAPLANE_HOME=str(tmp_path / "srv"), DATAPLANE_CATALOG_URL=postgres_server.url("systemd_unit"))
    command = shlex.split(service["ExecStart"])
    assert command[0].endswith("/bin/dataplane") and command[1:] == ["scheduler"]
    dataplane = shutil.which("dataplane", path=os.path.dirname(sys.executable))
    assert dataplane, "the dataplane console script is installed next to this Python"
    kill = getattr(signal, service["KillSignal"])
    stop_timeout = float(service["TimeoutStopSec"])
    log_path = tmp_path / "unit.log"
    with open(log_path, "wb") as log:
        daemon = subprocess.Popen([dataplane, *command[1:]], stdout=log, stderr=subprocess.STDOUT,
                                  env={**os.environ, **environment})
    try:
        catalog = dp.Catalog(tmp_path / "srv", catalog_url=environment["DATAPLANE_CATALOG_URL"])
        catalog.jobs.wait_until(lambda: True if "started on catalog" in log_path.read_text() else None,
                                timeout=120, poll=0.1, waiting=lambda: log_path.read_text())
        daemon.send_signal(kill)
        assert daemon.wait(timeout=stop_timeout) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    logged = log_path.read_text()
    assert f"{service['KillSignal']} received: stopping" in logged and "scheduler exited cleanly" in logged, logged
    from dataplane_jupyter.cli.parser import build_parser

    grace = build_parser().parse_args(["scheduler"]).grace
    assert grace < stop_timeout  # systemd does not SIGKILL the runs it is still waiting for
