"""Two schedulers on one PostgreSQL catalog fire each tick exactly once."""

from __future__ import annotations

import threading
from collections import Counter

import dataplane_jupyter as dp
from dataplane_jupyter import Scheduler
from tests.schedules.conftest import settle


def test_two_schedulers_on_one_postgresql_catalog_fire_each_of_20_ticks_once(
        postgres_server, tmp_path, sales_db, clock, caplog):
    postgres_server.create_database("shared_catalog")
    url = postgres_server.url("shared_catalog")
    first = dp.Catalog(tmp_path / "home", catalog_url=url, executor="thread")
    second = dp.Catalog(tmp_path / "home", catalog_url=url, executor="thread")  # its own engine and pool
    project = first.project("p")
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(sales_db))
    project.datasources.create("weekly", connector="lite", table="sales")
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


def test_two_scheduler_daemons_on_one_postgresql_catalog_fire_each_1s_tick_once(
        postgres_server, tmp_path, sales_db):
    """Two real `dataplane scheduler` processes (real clocks, a 1 s interval) on one catalog: every
    tick is claimed by one of them, each made one snapshot; SIGTERM ends both cleanly."""
    import os
    import signal
    import subprocess
    import sys

    postgres_server.create_database("shared_daemons")
    url = postgres_server.url("shared_daemons")
    home = tmp_path / "home"
    catalog = dp.Catalog(home, catalog_url=url)
    project = catalog.project("p")
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(sales_db))
    schedule = project.datasources.create("weekly", connector="lite", table="sales").schedule(every=1)
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
