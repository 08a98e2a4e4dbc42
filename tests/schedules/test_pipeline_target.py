"""Schedules of pipelines: each tick starts `pipeline.run(params=schedule.params)`; overlap is
judged on that run's status (a PostgreSQL table lock keeps it running); a deleted pipeline
disables its schedule with the reason."""

from __future__ import annotations

import psycopg
import pytest

import dataplane_jupyter as dp
from dataplane_jupyter import Scheduler
from dataplane_jupyter.core.catalog import schema
from tests.schedules.conftest import settle

STEPS = [
    {"name": "sales", "kind": "read", "datasource": "weekly"},
    {"name": "big", "kind": "sql", "query": "select id, price from sales where price > 50"},
]


def wait_runs(pipeline, timeout: float = 120) -> None:
    for run in pipeline.runs(status=["queued", "running"]):
        pipeline.project.catalog.jobs.wait_until(
            lambda run=run: True if run.status not in ("queued", "running") else None, timeout=timeout)


def test_a_pipeline_schedule_runs_it_with_the_schedule_params(project, clock):
    pipeline = project.pipelines.create("scoring", steps=STEPS)
    schedule = pipeline.schedule(cron="0 6 * * *", timezone="Europe/Paris", retries=1,
                                 params={"big": {"query": "select id, price from sales where price > 90"}})
    assert pipeline.schedules()[0].name == schedule.name == "scoring schedule"
    assert schedule.info.target_type == "pipeline" and schedule.info.params["big"]["query"].endswith("> 90")
    timed = project.schedules.with_clock(clock)[schedule.id]
    timed.update(cron="0 6 * * *")  # next_run from the injected clock: 06:00 Paris on 5 January
    scheduler = Scheduler(project.catalog, clock=clock)
    clock.set(timed.next_run)
    report = scheduler.run_pending()
    assert len(report.fired) == 1
    wait_runs(pipeline)
    scheduler.run_pending()
    run = pipeline.runs()[0]
    assert run.status == "succeeded" and run.params == {"big": {"query": "select id, price from sales where price > 90"}}
    assert run.info.trigger == "schedule" and run.info.schedule_id == schedule.id
    record = timed.runs()[0]
    assert (record.status, record.run_type, record.run_id, record.run_name) == (
        "succeeded", "pipeline_run", run.id, "scoring run 1")
    output = project.datasets[run.outputs["big"]]
    assert output.rows == len([i for i in range(200) if i * 0.5 > 90])


def test_params_that_name_no_step_are_refused_naming_the_step(project):
    pipeline = project.pipelines.create("scoring", steps=STEPS)
    with pytest.raises(dp.InvalidInput, match="'out', which is not a step of this pipeline") as error:
        pipeline.schedule(every=60, params={"out": {"exporter": "x"}})
    assert error.value.field == "params.out"


def test_a_scheduled_pipeline_cannot_be_deleted_until_its_schedules_are(project, clock):
    pipeline = project.pipelines.create("scoring", steps=STEPS)
    schedules = project.schedules.with_clock(clock)
    schedules.create(pipeline="scoring", every=60)
    paused = schedules.create("nightly", pipeline="scoring", cron="0 2 * * *")
    paused.pause()
    with pytest.raises(dp.InUse, match="Pipeline 'scoring' is used by schedules 'nightly', 'scoring schedule': "
                                       "delete the schedule first") as refused:
        pipeline.delete()
    assert refused.value.field == "pipeline" and "scoring" in project.pipelines
    project.schedules["scoring schedule"].delete()
    with pytest.raises(dp.InUse, match="used by schedule 'nightly'"):
        pipeline.delete()  # a paused schedule still needs it
    paused.delete()
    pipeline.delete()
    assert "scoring" not in project.pipelines
    with pytest.raises(dp.NotFound, match="No pipeline named 'scoring'"):
        schedules.create(pipeline="scoring", every=60)  # a schedule of a deleted pipeline is refused


def test_a_schedule_whose_pipeline_was_deleted_is_disabled_with_a_message(project, clock):
    pipeline = project.pipelines.create("scoring", steps=STEPS)
    schedule = project.schedules.with_clock(clock).create(pipeline="scoring", every=60)
    # Deleting the pipeline is refused while a schedule uses it; it can still vanish under a
    # schedule (a schedule saved while another process deleted the pipeline): the row goes.
    with project.catalog.engine.begin() as connection:
        connection.execute(schema.pipelines.delete().where(schema.pipelines.c.id == pipeline.id))
    clock.advance(60)
    report = Scheduler(project.catalog, clock=clock).run_pending()
    assert report.disabled == ["scoring schedule"]
    assert schedule.info.disabled_reason.startswith("Pipeline 'scoring' was deleted: schedule 'scoring schedule'")
    assert not schedule.enabled and schedule.runs()[0].status == "failed"


def test_overlap_is_judged_on_the_pipeline_runs_status(catalog, postgres_server, clock):
    postgres_server.create_database("pipeline_src")
    postgres_server.execute("pipeline_src", "create table sales (id int, price float)",
                            "insert into sales select g, g * 1.5 from generate_series(1, 40) g")
    project = catalog.project("p")
    project.connectors.create("pg", kind="sql", dialect="postgresql", host=postgres_server.host,
                              port=postgres_server.port, username=postgres_server.username,
                              password=postgres_server.password, database="pipeline_src")
    project.datasources.create("weekly", connector="pg", table="sales")
    pipeline = project.pipelines.create("scoring", steps=STEPS)
    schedule = project.schedules.with_clock(clock).create(pipeline="scoring", every=60)
    scheduler = Scheduler(project.catalog, clock=clock)
    lock = psycopg.connect(host=postgres_server.host, port=postgres_server.port, user=postgres_server.username,
                           password=postgres_server.password, dbname="pipeline_src")
    try:
        lock.execute("lock table sales in access exclusive mode")  # the read step waits on it
        clock.advance(60)
        assert len(scheduler.run_pending().fired) == 1
        clock.advance(60)
        report = scheduler.run_pending()
        assert not report.fired and len(report.skipped_overlap) == 1
        assert "pipeline_run scoring run 1" in schedule.runs()[0].message
        assert pipeline.runs()[0].status in ("queued", "running")
    finally:
        lock.rollback()
        lock.close()
    wait_runs(pipeline)
    settle(project)
    clock.advance(60)
    report = scheduler.run_pending()
    assert report.finished == [(schedule.name, "succeeded")] and len(report.fired) == 1
    wait_runs(pipeline)
    assert [r.number for r in pipeline.runs()] == [2, 1]
