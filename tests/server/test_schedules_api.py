"""Schedules over REST: CRUD, preview, pause/resume, runs, errors naming fields, authentication,
and the in-server scheduler firing in its own thread while REST keeps answering."""

from __future__ import annotations

import sqlite3
import time

import pytest
from tornado.httpclient import HTTPClientError

import dataplane_jupyter as dp
from tests.sqlite_tables import add_weekly_datasource, write_sales


@pytest.fixture
def sales_project(isolated_home, tmp_path):
    db = write_sales(tmp_path / "sales.db", [(i, i * 1.5) for i in range(50)], "id integer, price real")
    project = dp.Catalog(isolated_home, executor="thread").project("p")
    add_weekly_datasource(project, db)
    return project


async def test_schedule_crud_preview_pause_resume_runs(api, sales_project, jp_serverapp):
    code, preview = await api("POST", "projects/p/schedules/preview",
                              {"cron": "0 6 * * MON", "timezone": "Europe/Paris"})
    assert code == 200 and preview["description"] == "At 06:00, only on Monday (Europe/Paris)"
    assert len(preview["next_runs"]) == 5 and all(t.endswith("T06:00:00+01:00") or t.endswith("T06:00:00+02:00")
                                                    for t in preview["local_next_runs"])
    code, created = await api("POST", "projects/p/schedules", {
        "name": "monday", "datasource": "weekly", "cron": "0 6 * * MON", "timezone": "Europe/Paris",
        "retries": 2, "retry_delay": 120, "params": {"dataset_name": "sales_{tick:%Y%m%d}"}})
    assert code == 201, created
    assert created["target_type"] == "datasource" and created["target_name"] == "weekly"
    assert created["kind"] == "cron" and created["enabled"] and created["next_run"]
    assert created["description"] == "At 06:00, only on Monday (Europe/Paris)" and created["retries"] == 2
    assert created["next_runs"][0] == created["next_run"] and created["next_runs"] == preview["next_runs"]
    code, listed = await api("GET", "projects/p/schedules", params={"datasource": "weekly"})
    assert code == 200 and [s["name"] for s in listed["schedules"]] == ["monday"]
    assert listed["schedules"][0]["next_runs"] == preview["next_runs"]
    code, paused = await api("POST", "projects/p/schedules/monday/pause")
    assert code == 200 and not paused["enabled"] and paused["next_run"] is None and paused["next_runs"] == []
    code, resumed = await api("POST", "projects/p/schedules/monday/resume")
    assert code == 200 and resumed["enabled"] and resumed["next_run"] == created["next_run"]
    code, edited = await api("PATCH", "projects/p/schedules/monday", {"every": 3600})
    assert code == 200 and edited["kind"] == "every" and edited["description"] == "Every 1 hour"
    code, runs = await api("GET", "projects/p/schedules/monday/runs")
    assert code == 200 and runs == {"runs": []}
    code, _ = await api("DELETE", "projects/p/schedules/monday")
    assert code == 204
    code, error = await api("GET", "projects/p/schedules/monday")
    assert code == 404 and "monday" in error["message"]


@pytest.mark.parametrize(("body", "status", "field", "message"), [
    ({"datasource": "weekly", "cron": "0 6 * * MON", "timezone": "Mars/Olympus"}, 422, "timezone", "not a known"),
    ({"datasource": "weekly", "every": 0.2}, 422, "every", "the least is 1 s"),
    ({"datasource": "weekly"}, 422, "cron", "exactly one of"),
    ({"datasource": "nope", "every": 60}, 404, None, "No datasource named 'nope'"),
    ({"every": 60}, 422, "pipeline", "either pipeline= or datasource="),
    ({"datasource": "weekly", "every": 60, "retries": -1}, 422, "retries", "greater than or equal to 0"),
])
async def test_bad_schedules_are_refused_naming_the_field(api, sales_project, body, status, field, message):
    code, error = await api("POST", "projects/p/schedules", body)
    assert code == status and message in error["message"] and error["field"] == field, error


async def test_every_schedule_route_refuses_an_unauthenticated_request(http_server_client, jp_serverapp, jp_base_url):
    routes = [("GET", "projects/p/schedules"), ("POST", "projects/p/schedules"),
              ("POST", "projects/p/schedules/preview"), ("GET", "projects/p/schedules/s"),
              ("PATCH", "projects/p/schedules/s"), ("DELETE", "projects/p/schedules/s"),
              ("POST", "projects/p/schedules/s/pause"), ("POST", "projects/p/schedules/s/resume"),
              ("GET", "projects/p/schedules/s/runs"), ("GET", "scheduler")]
    for method, path in routes:
        with pytest.raises(HTTPClientError) as error:
            await http_server_client.fetch(f"{jp_base_url.rstrip('/')}/dataplane/api/v1/{path}", method=method,
                                           body=b"{}" if method in ("POST", "PATCH") else None)
        assert error.value.code == 403, (method, path)


async def test_the_server_scheduler_fires_in_a_thread_and_rest_answers_while_a_tick_runs(
        api, sales_project, jp_serverapp, isolated_home):
    code, status = await api("GET", "scheduler")
    assert code == 200 and status["running"] and status["name"].startswith("server:")
    scheduler = jp_serverapp.web_app.settings["dataplane_scheduler"]
    schedule = sales_project.schedules.create("fast", datasource="weekly", every=1)
    due = schedule.next_run
    # Hold the catalog's write lock: the tick that claims `due` waits on it inside its thread.
    lock = sqlite3.connect(isolated_home / "catalog.db", isolation_level=None, timeout=30)
    lock.execute("begin immediate")
    try:
        deadline = time.monotonic() + 60
        while not (scheduler.ticking.is_set() and scheduler.tick_started_at and scheduler.tick_started_at >= due):
            assert time.monotonic() < deadline, "the scheduler never started the tick"
            time.sleep(0.02)
        blocked_pass = scheduler.tick_started_at
        code, listed = await api("GET", "projects/p/schedules")  # served while the tick is stuck
        assert code == 200 and [s["name"] for s in listed["schedules"]] == ["fast"]
        code, status = await api("GET", "scheduler")
        assert code == 200 and status["ticking"]
        assert scheduler.ticking.is_set() and scheduler.tick_started_at == blocked_pass
    finally:
        lock.rollback()
        lock.close()
    sales_project.catalog.jobs.wait_until(
        lambda: True if schedule.runs(statuses=["succeeded"]) else None, timeout=60)
    schedule.pause()
    run = schedule.runs(statuses=["succeeded"])[-1]
    assert run.scheduler == scheduler.name and sales_project.datasets[run.run_name].rows == 50


async def test_a_pipeline_schedule_over_rest(api, sales_project):
    sales_project.pipelines.create("scoring", steps=[{"name": "sales", "kind": "read", "datasource": "weekly"}])
    code, created = await api("POST", "projects/p/schedules", {
        "pipeline": "scoring", "every": 3600, "params": {"sales": {"datasource": "weekly"}}})
    assert code == 201 and created["target_type"] == "pipeline" and created["name"] == "scoring schedule"
    code, error = await api("POST", "projects/p/schedules", {
        "pipeline": "scoring", "every": 3600, "params": {"nope": {}}})
    assert code == 422 and error["field"] == "params.nope" and "not a step of this pipeline" in error["message"]
    code, listed = await api("GET", "projects/p/schedules", params={"pipeline": "scoring"})
    assert [s["name"] for s in listed["schedules"]] == ["scoring schedule"]
    code, refused = await api("DELETE", "projects/p/pipelines/scoring")
    assert code == 409 and refused["message"] == (
        "Pipeline 'scoring' is used by schedule 'scoring schedule': delete the schedule first.")
    assert (await api("DELETE", f"projects/p/schedules/{created['id']}"))[0] == 204
    assert (await api("DELETE", "projects/p/pipelines/scoring"))[0] == 204
