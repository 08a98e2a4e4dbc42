"""The scheduler on an injected clock: datasource refreshes, DST, catch-up once, retries,
pause/resume, a deleted target, and no overlap (a PostgreSQL table lock keeps a run running)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

import dataplane_jupyter as dp
from dataplane_jupyter import ManualClock, Scheduler
from tests.schedules.conftest import settle


def statuses(schedule) -> list[tuple[int, str]]:
    """(attempt, status) of each record, oldest first."""
    return [(r.attempt, r.status) for r in reversed(schedule.runs())]


def test_an_interval_refresh_imports_the_datasource_into_a_new_snapshot_each_tick(project, clock):
    schedule = project.schedules.with_clock(clock).create(datasource="weekly", every=60)
    assert schedule.name == "weekly schedule" and schedule.enabled
    assert schedule.next_run == datetime(2027, 1, 4, 6, 0, 30, tzinfo=timezone.utc)
    scheduler = Scheduler(project.catalog, clock=clock)
    assert not scheduler.run_pending()  # not due yet
    for _ in range(3):
        clock.advance(60)
        assert len(scheduler.run_pending().fired) == 1
        settle(project)
    scheduler.run_pending()
    runs = schedule.runs()
    assert [r.status for r in runs] == ["succeeded"] * 3
    assert [r.run_name for r in reversed(runs)] == [
        "weekly_2027-01-04T06-00-30Z", "weekly_2027-01-04T06-01-30Z", "weekly_2027-01-04T06-02-30Z"]
    snapshot = project.datasets[runs[0].run_name]
    assert snapshot.origin == "datasource" and snapshot.rows == 200 and snapshot.status == "ready"
    assert schedule.info.last_status == "succeeded"
    assert schedule.next_run == datetime(2027, 1, 4, 6, 3, 30, tzinfo=timezone.utc)


def test_a_0230_paris_job_fires_once_in_the_spring_forward_night(project):
    clock = ManualClock(datetime(2027, 3, 27, 22, 0, tzinfo=timezone.utc))  # 23:00 in Paris, 27 March
    schedule = project.schedules.with_clock(clock).create(
        datasource="weekly", cron="30 2 * * *", timezone="Europe/Paris", params={"dataset_name": "w_{tick:%H%M}"})
    scheduler = Scheduler(project.catalog, clock=clock)
    fired = []
    for _ in range(6 * 6):  # six hours in ten-minute steps, through 02:00 → 03:00
        clock.advance(minutes=10)
        fired += scheduler.run_pending().fired
        settle(project)
    assert [(tick.isoformat(), attempt) for _, tick, attempt in fired] == [("2027-03-28T01:00:00+00:00", 1)]
    assert [r.status for r in schedule.runs()] == ["succeeded"]
    assert project.datasets["w_0100"].info.source["datasource"] == "weekly"


def test_missed_ticks_are_caught_up_once_and_each_recorded(project, clock):
    schedule = project.schedules.with_clock(clock).create(datasource="weekly", every=60)
    clock.advance(hours=1)  # no scheduler ran for an hour: 60 ticks are due
    report = Scheduler(project.catalog, clock=clock).run_pending()
    assert len(report.fired) == 1 and report.skipped_missed == 59
    runs = schedule.runs(limit=1000)
    assert Counter(r.status for r in runs) == {"fired": 1, "skipped_missed": 59}
    assert runs[0].status == "fired" and runs[0].tick == clock.now()
    assert all("caught up once" in r.message for r in runs[1:])
    assert schedule.next_run == clock.now() + timedelta(seconds=60)
    settle(project)

    # With a cap on the records, the oldest ticks are counted in one record.
    clock.advance(days=1)
    report = Scheduler(project.catalog, clock=clock, missed_limit=10).run_pending()
    assert report.skipped_missed == 1439 and len(report.fired) == 1
    missed = schedule.runs(limit=1000, statuses=["skipped_missed"])
    assert len(missed) == 59 + 10
    counted = [r for r in missed if "stands for" in r.message]
    assert len(counted) == 1 and "stands for 1,430 missed ticks" in counted[0].message


def test_a_failed_refresh_is_retried_with_its_delay_then_succeeds(project, clock, sales_db):
    project.datasources.create("late", connector="lite", table="arrives_later")
    schedule = project.schedules.with_clock(clock).create(
        datasource="late", cron="0 6 * * *", retries=2, retry_delay=300)
    scheduler = Scheduler(project.catalog, clock=clock)
    clock.advance(30)  # 06:00
    assert len(scheduler.run_pending().fired) == 1
    settle(project)
    scheduler.run_pending()  # the import failed: retry planned in 300 s
    assert statuses(schedule) == [(1, "retried")]
    assert "'arrives_later' does not exist" in schedule.runs()[0].message and ". Retry 1 of 2 in 300 s." in schedule.runs()[0].message
    assert schedule.info.retry_at == clock.now() + timedelta(seconds=300)
    clock.advance(299)
    assert not scheduler.run_pending().fired  # not yet
    with sqlite3.connect(sales_db) as con:
        con.execute("create table arrives_later (id integer)")
        con.execute("insert into arrives_later values (1)")
    clock.advance(1)
    assert scheduler.run_pending().fired == [(schedule.name, datetime(2027, 1, 4, 6, tzinfo=timezone.utc), 2)]
    settle(project)
    scheduler.run_pending()
    assert statuses(schedule) == [(1, "retried"), (2, "succeeded")]
    assert schedule.runs()[0].run_name == "late_2027-01-04T06-00-00Z_attempt2"


def test_retries_run_out_and_the_tick_ends_failed_and_a_tick_during_a_pending_retry_is_skipped(project, clock):
    project.datasources.create("broken", connector="lite", table="never_there")
    schedule = project.schedules.with_clock(clock).create(datasource="broken", every=60, retries=1, retry_delay=90)
    scheduler = Scheduler(project.catalog, clock=clock)
    clock.advance(60)
    scheduler.run_pending()
    settle(project)
    scheduler.run_pending()
    assert statuses(schedule) == [(1, "retried")]
    clock.advance(60)  # the next tick comes while the retry waits: skipped, not overlapping
    report = scheduler.run_pending()
    assert report.skipped_overlap and not report.fired
    assert "retry" in schedule.runs()[0].message.lower()
    clock.advance(30)  # the retry is due
    assert scheduler.run_pending().fired[0][2] == 2
    settle(project)
    scheduler.run_pending()
    assert [s for _, s in statuses(schedule)] == ["retried", "skipped_overlap", "failed"]
    assert schedule.info.last_status == "failed" and schedule.info.retry_at is None


def test_pause_resume_and_one_off(project, clock):
    schedules = project.schedules.with_clock(clock)
    every = schedules.create("minutely", datasource="weekly", every=60)
    every.pause()
    assert not every.enabled and every.next_run is None and every.next_runs() == []
    scheduler = Scheduler(project.catalog, clock=clock)
    clock.advance(hours=2)
    assert not scheduler.run_pending()  # paused ticks are neither fired nor caught up
    every.resume()
    assert every.enabled and every.next_run == clock.now() + timedelta(seconds=60)  # on the anchor's grid
    assert len(every.next_runs(5)) == 5

    once = schedules.create("once", datasource="weekly", at=clock.now() + timedelta(minutes=5))
    assert once.info.kind == "at"
    clock.advance(minutes=10)
    fired = scheduler.run_pending().fired
    assert {name for name, *_ in fired} == {"minutely", "once"}
    settle(project)
    assert once.next_run is None and once.enabled
    clock.advance(days=1)
    assert "once" not in {name for name, *_ in scheduler.run_pending().fired}
    settle(project)
    assert [s.name for s in project.schedules.list(datasource="weekly")] == ["minutely", "once"]


def test_a_schedule_whose_datasource_was_deleted_is_disabled_with_the_reason(project, clock):
    schedule = project.schedules.with_clock(clock).create(datasource="weekly", every=60)
    project.datasources["weekly"].delete()
    clock.advance(60)
    report = Scheduler(project.catalog, clock=clock).run_pending()
    assert report.disabled == ["weekly schedule"] and not report.fired
    info = schedule.info
    assert not info.enabled and info.next_run is None
    assert info.disabled_reason == ("Datasource 'weekly' was deleted: schedule 'weekly schedule' is disabled. "
                                    "Point a new schedule at another one, or delete this one.")
    assert schedule.runs()[0].status == "failed" and schedule.runs()[0].message == info.disabled_reason
    with pytest.raises(dp.InvalidInput, match="was deleted"):
        schedule.resume()


def test_creation_refuses_bad_input_by_field(project):
    with pytest.raises(dp.InvalidInput, match="either pipeline= or datasource="):
        project.schedules.create(every=60)
    with pytest.raises(dp.NotFound, match="No datasource named 'nope'"):
        project.schedules.create(datasource="nope", every=60)
    with pytest.raises(dp.InvalidInput, match="only dataset_name") as error:
        project.schedules.create(datasource="weekly", every=60, params={"exporter": "x"})
    assert error.value.field == "params.exporter"
    with pytest.raises(dp.InvalidInput, match="cannot be filled in"):
        project.schedules.create(datasource="weekly", every=60, params={"dataset_name": "x_{when}"})
    with pytest.raises(dp.InvalidInput, match="retries"):
        project.schedules.create(datasource="weekly", every=60, retries=-1)
    project.schedules.create("s", datasource="weekly", every=60)
    with pytest.raises(dp.AlreadyExists):
        project.schedules.create("s", datasource="weekly", every=60)
    assert "s" in project.schedules and len(project.schedules) == 1
    project.schedules["s"].delete()
    assert len(project.schedules) == 0


def test_a_tick_that_comes_while_the_previous_refresh_still_runs_is_skipped_and_recorded(
        catalog, postgres_server, clock):
    postgres_server.create_database("overlap_src")
    postgres_server.execute("overlap_src", "create table sales (id int)", "insert into sales select generate_series(1, 50)")
    project = catalog.project("p")
    project.connectors.create("pg", kind="sql", dialect="postgresql", host=postgres_server.host,
                              port=postgres_server.port, username=postgres_server.username,
                              password=postgres_server.password, database="overlap_src")
    project.datasources.create("sales", connector="pg", table="sales")
    schedule = project.schedules.with_clock(clock).create(datasource="sales", every=60)
    scheduler = Scheduler(project.catalog, clock=clock)
    lock = psycopg.connect(host=postgres_server.host, port=postgres_server.port, user=postgres_server.username,
                           password=postgres_server.password, dbname="overlap_src")
    try:
        lock.execute("lock table sales in access exclusive mode")  # the import's read waits on it
        clock.advance(60)
        first = scheduler.run_pending().fired
        assert len(first) == 1
        clock.advance(60)
        report = scheduler.run_pending()
        assert not report.fired and report.skipped_overlap == [(schedule.name, clock.now())]
        assert schedule.runs()[0].status == "skipped_overlap"
        assert "still running" in schedule.runs()[0].message and first[0][1].strftime("%H:%M:%S") in \
            schedule.runs()[0].message
    finally:
        lock.rollback()
        lock.close()
    settle(project)
    clock.advance(60)
    report = scheduler.run_pending()
    assert report.finished == [(schedule.name, "succeeded")] and len(report.fired) == 1
    settle(project)
    assert [s for _, s in statuses(schedule)] == ["succeeded", "skipped_overlap", "fired"]
