"""`dataplane pipelines ...` run as a user would (a real subprocess): create from YAML, run with
--wait, runs, a failing run exits 1 naming the step, retry, validation messages."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

import dataplane_jupyter as dp


def dataplane(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dataplane_jupyter.cli", "--project", "p", *args],
                          capture_output=True, text=True, timeout=180)


def test_create_run_runs_fail_retry_and_validate(isolated_home, tmp_path):
    project = dp.Catalog(isolated_home).project("p")
    project.datasets.from_pandas(pd.DataFrame({"id": [1, 2, 3], "amount": [1.0, 5.0, 9.0]}), "sales").wait(timeout=60)
    (tmp_path / "fix.py").write_text(
        "from pathlib import Path\n"
        f"def check(frame):\n    if not Path({str(tmp_path / 'ok')!r}).exists():\n"
        "        raise ValueError('not yet')\n    return frame\n")
    (tmp_path / "weekly.yaml").write_text(
        "description: big sales\nsteps:\n"
        "  - {name: sales, kind: read, dataset: sales}\n"
        "  - {name: big, kind: sql, query: 'select * from sales where amount > 2'}\n"
        "  - {name: checked, kind: python, function: 'fix:check', input: big}\n")
    (tmp_path / "bad.yaml").write_text("- {name: a, kind: sql, query: 'select * from nowhere'}\n- {name: b, kind: x}\n")

    bad = dataplane("pipelines", "validate", "-f", str(tmp_path / "bad.yaml"))
    assert bad.returncode == 1
    assert "step 'b', field 'kind': unknown step kind 'x'" in bad.stderr
    refused = dataplane("pipelines", "create", "bad", "-f", str(tmp_path / "bad.yaml"))
    assert refused.returncode == 1 and "step 'b', field 'kind'" in refused.stderr

    created = dataplane("--json", "pipelines", "create", "weekly", "-f", str(tmp_path / "weekly.yaml"))
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["base_dir"] == str(tmp_path)
    listed = dataplane("pipelines", "list")
    assert "sales → big → checked" in listed.stdout

    failed = dataplane("pipelines", "run", "weekly", "--wait")
    assert failed.returncode == 1
    assert "error: run 1 of pipeline 'weekly' failed: Step 'checked' (python) failed: ValueError: not yet" in failed.stderr
    assert "✓sales ✓big ✗checked" in failed.stderr  # the progress line marks each step
    runs = json.loads(dataplane("--json", "pipelines", "runs", "weekly").stdout)
    assert [(r["number"], r["status"]) for r in runs] == [(1, "failed")]
    log = dataplane("pipelines", "log", runs[0]["id"], "checked")
    assert "ValueError: not yet" in log.stdout

    (tmp_path / "ok").touch()
    retried = dataplane("--json", "pipelines", "retry", runs[0]["id"], "--wait")
    assert retried.returncode == 0, retried.stderr
    assert [s["status"] for s in json.loads(retried.stdout)["steps"]] == ["reused", "reused", "succeeded"]

    again = dataplane("--json", "pipelines", "run", "weekly", "--wait", "--param", "big.query=select * from sales")
    assert again.returncode == 0, again.stderr
    done = json.loads(again.stdout)
    assert done["steps"][1]["rows_out"] == 3 and done["params"] == {"big": {"query": "select * from sales"}}
    shown = dataplane("pipelines", "run-show", done["id"])
    assert "checked" in shown.stdout and "succeeded" in shown.stdout


def test_show_and_cancel_a_running_pipeline(isolated_home, tmp_path):
    project = dp.Catalog(isolated_home).project("p")
    project.datasets.from_pandas(pd.DataFrame({"id": [1, 2, 3]}), "sales").wait(timeout=60)
    (tmp_path / "hold.py").write_text(
        "import time\nfrom pathlib import Path\n"
        f"def hold(frame):\n    Path({str(tmp_path / 'started')!r}).touch()\n"
        f"    while not Path({str(tmp_path / 'release')!r}).exists():\n        time.sleep(0.05)\n    return frame\n")
    (tmp_path / "held.yaml").write_text(
        "steps:\n  - {name: sales, kind: read, dataset: sales}\n"
        "  - {name: held, kind: python, function: 'hold:hold', input: sales}\n"
        "  - {name: after, kind: sql, query: 'select * from held'}\n")
    assert dataplane("pipelines", "create", "held", "-f", str(tmp_path / "held.yaml")).returncode == 0
    shown = json.loads(dataplane("--json", "pipelines", "show", "held").stdout)
    assert (shown["name"], shown["version"], [s["name"] for s in shown["steps"]]) == ("held", 1,
                                                                                     ["sales", "held", "after"])
    started = dataplane("--json", "pipelines", "run", "held")
    assert started.returncode == 0, started.stderr
    run_id = json.loads(started.stdout)["id"]
    project.catalog.jobs.wait_until(lambda: True if (tmp_path / "started").exists() else None, timeout=120)
    cancelled = dataplane("--json", "pipelines", "cancel", run_id)
    assert cancelled.returncode == 0, cancelled.stderr
    (tmp_path / "release").touch()
    run = project.pipelines.get_run(run_id)
    project.catalog.jobs.wait_until(lambda: True if run.status in ("succeeded", "failed", "cancelled") else None,
                                    timeout=120)
    assert run.status == "cancelled"
    assert [s.status for s in run.steps] == ["succeeded", "succeeded", "skipped"]
    again = dataplane("pipelines", "cancel", run_id)
    assert again.returncode == 1 and "nothing to cancel" in again.stderr
