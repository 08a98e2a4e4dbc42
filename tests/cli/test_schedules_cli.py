"""`dataplane schedules ...` and `dataplane scheduler --once`, run as a user would (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import dataplane_jupyter as dp
from tests.sqlite_tables import add_weekly_datasource, write_sales


def dataplane(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dataplane_jupyter.cli", "--project", "p", *args],
                          capture_output=True, text=True, timeout=120)


def test_create_list_show_preview_pause_resume_once_runs_delete(isolated_home, tmp_path):
    project = dp.Catalog(isolated_home).project("p")
    add_weekly_datasource(project, write_sales(tmp_path / "sales.db", [(1,)], "id integer"))

    preview = dataplane("schedules", "preview", "--cron", "0 6 * * MON", "--tz", "Europe/Paris")
    assert preview.returncode == 0, preview.stderr
    lines = preview.stdout.splitlines()
    assert lines[0] == "At 06:00, only on Monday (Europe/Paris)" and len(lines) == 6
    bad = dataplane("schedules", "create", "--datasource", "weekly", "--cron", "0 6 * * MON", "--tz", "Europe/Pari")
    assert bad.returncode == 1 and "timezone: 'Europe/Pari' is not a known time zone" in bad.stderr
    bad = dataplane("schedules", "create", "--datasource", "weekly", "--every", "60", "--param", "x")
    assert bad.returncode == 1 and "expected KEY=VALUE" in bad.stderr

    created = dataplane("--json", "schedules", "create", "monday", "--datasource", "weekly", "--cron", "0 6 * * MON",
                        "--tz", "Europe/Paris", "--retries", "1", "--param", "dataset_name=weekly_{tick:%Y%m%d}")
    assert created.returncode == 0, created.stderr
    info = json.loads(created.stdout)
    assert info["params"] == {"dataset_name": "weekly_{tick:%Y%m%d}"} and info["retries"] == 1
    listed = dataplane("schedules", "list")
    assert "monday" in listed.stdout and "At 06:00, only on Monday (Europe/Paris)" in listed.stdout
    shown = json.loads(dataplane("--json", "schedules", "show", "monday").stdout)
    assert len(shown["next_runs"]) == 5
    assert json.loads(dataplane("--json", "schedules", "pause", "monday").stdout)["enabled"] is False
    assert json.loads(dataplane("--json", "schedules", "resume", "monday").stdout)["enabled"] is True

    past = dataplane("schedules", "create", "now", "--datasource", "weekly", "--at", "2020-01-01T00:00Z")
    assert past.returncode == 1 and "at: 2020-01-01 00:00:00 UTC is in the past" in past.stderr
    at = datetime.now(timezone.utc) + timedelta(seconds=1)
    project.schedules.create("now", datasource="weekly", at=at)  # a CLI start-up takes longer than a second
    while datetime.now(timezone.utc) <= at:  # the subprocess took longer than that, most likely
        time.sleep(0.05)
    once = dataplane("scheduler", "--once")
    assert once.returncode == 0 and "one pass: 1 fired" in once.stdout, once.stdout + once.stderr
    runs = json.loads(dataplane("--json", "schedules", "runs", "now").stdout)
    assert [r["status"] for r in runs] == ["fired"] and runs[0]["run_name"] == f"weekly_{at:%Y-%m-%dT%H-%M-%S}Z"
    assert dataplane("schedules", "delete", "monday").returncode == 0
    assert "monday" not in dataplane("schedules", "list").stdout


def test_a_pipeline_schedule_from_the_cli_with_params_then_edited(isolated_home, tmp_path):
    project = dp.Catalog(isolated_home).project("p")
    add_weekly_datasource(project, write_sales(tmp_path / "sales.db", [(i, i * 2.0) for i in range(10)],
                                            "id integer, price real"))
    project.pipelines.create("scoring", steps=[
        {"name": "sales", "kind": "read", "datasource": "weekly"},
        {"name": "big", "kind": "sql", "query": "select * from sales where price > 10"}])
    bad = dataplane("schedules", "create", "--pipeline", "scoring", "--every", "3600", "--param", "out.exporter=x")
    assert bad.returncode == 1 and "'out', which is not a step of this pipeline" in bad.stderr
    created = dataplane("--json", "schedules", "create", "nightly", "--pipeline", "scoring", "--cron", "0 2 * * *",
                        "--tz", "Europe/Paris", "--param", "big.query=select * from sales where price > 15")
    assert created.returncode == 0, created.stderr
    info = json.loads(created.stdout)
    assert (info["target_type"], info["target_name"], info["params"]) == (
        "pipeline", "scoring", {"big": {"query": "select * from sales where price > 15"}})
    edited = dataplane("--json", "schedules", "edit", "nightly", "--every", "7200", "--retries", "2")
    assert edited.returncode == 0, edited.stderr
    info = json.loads(edited.stdout)
    assert (info["kind"], info["every"], info["retries"], info["description"]) == ("every", 7200, 2, "Every 2 hours")
    listed = dataplane("schedules", "list", "--pipeline", "scoring")
    assert "nightly" in listed.stdout and "Every 2 hours" in listed.stdout
    refused = dataplane("pipelines", "delete", "scoring")
    assert refused.returncode == 1 and "Pipeline 'scoring' is used by schedule 'nightly'" in refused.stderr
