"""Several schedulers on one PostgreSQL catalog fire each tick exactly once: in one process, as
two daemons, and as two Jupyter servers plus a daemon."""

from __future__ import annotations

import re
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import dataplane_jupyter as dp
from dataplane_jupyter import Scheduler
from dataplane_jupyter.core.models import DescribeScheduleRun
from tests.schedules.conftest import settle
from tests.servers import jupyter
from tests.servers._process import REPO, ServerProcess, tail
from tests.sqlite_tables import add_weekly_datasource


def test_two_schedulers_on_one_postgresql_catalog_fire_each_of_20_ticks_once(
        postgres_server, tmp_path, sales_db, clock, caplog):
    postgres_server.create_database("shared_catalog")
    url = postgres_server.url("shared_catalog")
    first = dp.Catalog(tmp_path / "home", catalog_url=url, executor="thread")
    second = dp.Catalog(tmp_path / "home", catalog_url=url, executor="thread")  # its own engine and pool
    project = first.project("p")
    add_weekly_datasource(project, sales_db)
    schedule = project.schedules.with_clock(clock).create(datasource="weekly", every=60)
    schedulers = [Scheduler(first, clock=clock, name="one"), Scheduler(second, clock=clock, name="two")]
    expected = []
    for _ in range(20):
        expected.append(clock.advance(60))
        start = threading.Barrier(2)
        reports: list = []

        def run(scheduler: Scheduler, start: threading.Barrier, reports: list) -> None:
            start.wait()
            reports.append(scheduler.run_pending())

        threads = [threading.Thread(target=run, args=(s, start, reports)) for s in schedulers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(len(r.fired) for r in reports) == 1
        settle(project)
    for scheduler in schedulers:
        scheduler.run_pending()
    runs = schedule.runs(limit=100)
    assert Counter(r.tick for r in runs) == Counter(expected)  # every tick once, no tick twice
    assert {r.status for r in runs} == {"succeeded"}
    snapshots = project.datasets.list(origin=["datasource"])
    assert len(snapshots) == 20 and len({d.name for d in snapshots}) == 20
    assert {r.scheduler for r in runs} <= {"one", "two"}
    # The claim decided every race: no scheduler got as far as a duplicate record (the unique
    # constraint on tick + attempt, the second line of defence, was never hit).
    assert not [r for r in caplog.records if r.name == "dataplane_jupyter.scheduler" and r.levelname == "ERROR"]


def _shared_catalog(postgres_server, database: str, tmp_path, sales_db) -> tuple[str, Any, Any]:
    """A fresh PostgreSQL catalog (URL) with its home, and a datasource over the SQLite sales table
    in project "p" of it, for schedulers in other processes."""
    postgres_server.create_database(database)
    url = postgres_server.url(database)
    home = tmp_path / "home"
    project = dp.Catalog(home, catalog_url=url).project("p")
    return url, home, add_weekly_datasource(project, sales_db)


def test_two_scheduler_daemons_on_one_postgresql_catalog_fire_each_1s_tick_once(
        postgres_server, tmp_path, sales_db):
    """Two real `dataplane scheduler` processes (real clocks, a 1 s interval) on one catalog: every
    tick is claimed by one of them, each made one snapshot; SIGTERM ends both cleanly."""
    import os
    import signal
    import subprocess

    url, home, datasource = _shared_catalog(postgres_server, "shared_daemons", tmp_path, sales_db)
    catalog, project = datasource.project.catalog, datasource.project
    schedule = datasource.schedule(every=1)
    env = {**os.environ, "DATAPLANE_CATALOG_URL": url}
    logs = [tmp_path / f"scheduler-{name}.log" for name in ("a", "b")]
    daemons = []
    for name, log_path in zip(("a", "b"), logs):
        with open(log_path, "wb") as log:
            daemons.append(subprocess.Popen(
                [sys.executable, "-m", "dataplane_jupyter.cli", "--home", str(home), "scheduler", "--name", name,
                 "--grace", "60"], stdout=log, stderr=subprocess.STDOUT, env=env))
    try:
        catalog.jobs.wait_until(
            lambda: True if len(schedule.runs(statuses=["succeeded"])) >= 6 else None, timeout=240, poll=0.2,
            waiting=lambda: "Waiting for 6 refreshes; logs:\n" + "\n".join(p.read_text() for p in logs))
        for daemon in daemons:
            daemon.send_signal(signal.SIGTERM)
        assert [daemon.wait(timeout=120) for daemon in daemons] == [0, 0]
    finally:
        for daemon in daemons:
            if daemon.poll() is None:
                daemon.kill()
                daemon.wait()
    texts = [p.read_text() for p in logs]
    assert all("scheduler exited cleanly" in text and "Traceback" not in text for text in texts), texts
    runs = schedule.runs(limit=1000)
    assert len({(r.tick, r.attempt) for r in runs}) == len(runs)  # no tick recorded twice
    started = [r for r in runs if r.status in ("succeeded", "failed", "fired")]
    assert {r.status for r in started} == {"succeeded"}, [(r.status, r.message) for r in started]
    snapshots = project.datasets.list(origin=["datasource"])
    assert len(snapshots) == len(started) >= 6  # one snapshot per fired tick: none fired twice
    assert {r.scheduler for r in started} <= {"a", "b"}


FIRED_LINE = re.compile(r"schedule '[^']*': tick (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC fired(?: \(attempt (\d+)\))?: ")


@pytest.fixture
def stopped_at_end() -> Iterator[list[Any]]:
    """The processes a test starts (anything with `stop()`), stopped in reverse order at its end,
    whether it passed or failed."""
    started: list[Any] = []
    yield started
    for process in reversed(started):
        process.stop()


def test_two_jupyter_servers_and_a_daemon_on_one_postgresql_catalog_fire_each_1s_tick_once(
        postgres_server, tmp_path, sales_db, stopped_at_end):
    """The deployment of the issue: two real Jupyter servers (the dataplane extension runs a
    scheduler in each) and one `dataplane scheduler` daemon on one PostgreSQL catalog and one
    home. A 1 s datasource refresh: every tick is recorded once, by one of the three, and each
    fired tick made one snapshot; what each process logged as fired matches the catalog."""
    url, home, datasource = _shared_catalog(postgres_server, "shared_mixed", tmp_path, sales_db)
    catalog, project = datasource.project.catalog, datasource.project
    env = {"DATAPLANE_HOME": str(home), "DATAPLANE_CATALOG_URL": url}

    daemon = ServerProcess("dataplane scheduler", [
        sys.executable, "-m", "dataplane_jupyter.cli", "--home", str(home), "scheduler", "--name", "daemon",
        "--grace", "60"], tmp_path / "daemon.log", env=env, cwd=REPO)
    stopped_at_end.append(daemon)
    servers = []
    for name in ("one", "two"):
        servers.append(jupyter.start(tmp_path / f"jupyter-{name}", env, name=f"Jupyter server {name}"))
        stopped_at_end.append(servers[-1])
    daemon.wait_until(lambda: "started on catalog" in daemon.log.read_text(), deadline=120)
    logs = {"daemon": daemon.log}
    for server in servers:
        about = server.get("dataplane/api/v1/scheduler")
        assert about["running"] is True, about  # the extension runs a scheduler, no setting needed
        logs[about["name"]] = server.process.log
    assert len(logs) == 3

    def log_texts() -> str:
        return "\n".join(f"--- {name}:\n{tail(path, 40)}" for name, path in logs.items())

    schedule = datasource.schedule(every=1)

    def enough_ticks() -> list[DescribeScheduleRun] | None:
        runs = schedule.runs(limit=1000)
        ended = [r for r in runs if r.status != "fired"]
        started = [r for r in ended if r.run_id]
        return runs if len(ended) >= 8 and len(started) >= 3 and len({r.scheduler for r in runs}) >= 2 else None

    catalog.jobs.wait_until(enough_ticks, timeout=300, poll=0.2, waiting=lambda: (
        f"Waiting for 8 ended ticks (3 of them runs) claimed by 2 of the 3 schedulers; recorded: "
        f"{[(r.tick, r.status, r.scheduler) for r in schedule.runs(limit=1000)]}; logs:\n{log_texts()}"))
    schedule.pause()  # from here no scheduler can claim a tick (the claim requires enabled)

    def fired_in_logs() -> dict[str, list[tuple[datetime, int]]]:
        return {name: [(datetime.strptime(tick, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc), int(attempt or 1))
                       for tick, attempt in FIRED_LINE.findall(path.read_text(errors="replace"))]
                for name, path in logs.items()}

    def settled() -> list[DescribeScheduleRun] | None:
        """Every run ended and recorded, and each process has logged every run it started."""
        runs = schedule.runs(limit=1000)
        if any(r.status == "fired" for r in runs) or project.jobs(statuses=["queued", "running"]):
            return None
        started = sum(len(fired) for fired in fired_in_logs().values())
        return runs if started >= len([r for r in runs if r.run_id]) else None

    runs = catalog.jobs.wait_until(settled, timeout=180, poll=0.2, waiting=lambda: (
        f"Waiting for the runs to end; recorded: {[(r.tick, r.status, r.run_id) for r in schedule.runs(limit=1000)]}; "
        f"logs:\n{log_texts()}"))

    for server in servers:
        server.stop()
    daemon.stop(grace=90)
    assert [p.returncode for p in (daemon.proc, *(s.process.proc for s in servers))] == [0, 0, 0]
    texts = {name: path.read_text(errors="replace") for name, path in logs.items()}
    # A lost race that got past the claim would end in a logged error (the unique tick + attempt
    # constraint refuses the second record): none in any process.
    assert not [name for name, text in texts.items() if "Traceback" in text or "tick failed" in text], log_texts()
    assert "scheduler exited cleanly" in texts["daemon"]

    # The catalog: each tick of the 1 s grid from the first to the last recorded exactly once.
    ticks = Counter((r.tick, r.attempt) for r in runs)
    assert [key for key, count in ticks.items() if count > 1] == []
    assert {attempt for _, attempt in ticks} == {1}
    first, last = min(r.tick for r in runs), max(r.tick for r in runs)
    grid = {first + timedelta(seconds=i) for i in range(int((last - first).total_seconds()) + 1)}
    assert {r.tick for r in runs} == grid
    # Each started run is one snapshot of its own, and every one succeeded.
    started = [r for r in runs if r.run_id]
    assert {r.status for r in started} == {"succeeded"}, [(r.status, r.message) for r in started]
    # The others: the previous run still ran, or (on a machine so loaded that no scheduler woke
    # within the second) a missed tick recorded as such.
    assert {r.status for r in runs} <= {"succeeded", "skipped_overlap", "skipped_missed"}, [
        (r.status, r.message) for r in runs]
    snapshots = project.datasets.list(origin=["datasource"])
    assert sorted(d.id for d in snapshots) == sorted(r.run_id for r in started)
    # Who claimed: only these three, at least two of them.
    assert {r.scheduler for r in runs} <= set(logs) and len({r.scheduler for r in runs}) >= 2
    # What each process logged as fired is exactly what the catalog gives it: no tick fired twice.
    assert {name: sorted(fired) for name, fired in fired_in_logs().items()} == {
        name: sorted((r.tick, r.attempt) for r in started if r.scheduler == name) for name in logs}
