"""`dataplane exporters ...` run as a user would (a real subprocess); a failed export exits non-zero."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

import dataplane_jupyter as dp


def dataplane(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dataplane_jupyter.cli", "--project", "p", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.team
def test_create_run_history_and_a_cancelled_export_exits_1(isolated_home, tmp_path):
    out = tmp_path / "out.db"
    sqlite3.connect(out).close()
    project = dp.Catalog(isolated_home).project("p")
    project.datasets.from_pandas(pd.DataFrame({"id": [1, 2]}), "sales").wait(timeout=60)
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(out))

    bad = dataplane("exporters", "create", "out", "lite", "table=preds", "--mode", "append")
    assert bad.returncode == 1 and "mode must be one of timestamp, cancel, overwrite" in bad.stderr
    created = dataplane("--json", "exporters", "create", "out", "lite", "table=preds", "--mode", "cancel")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["destination"] == {"table": "preds"}
    tested = dataplane("exporters", "test", "out")
    assert tested.returncode == 0 and "ok: True" in tested.stdout

    first = dataplane("--json", "exporters", "run", "out", "sales", "--wait")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["status"] == "succeeded" and json.loads(first.stdout)["rows"] == 2
    second = dataplane("exporters", "run", "out", "sales", "--wait")
    assert second.returncode == 1
    assert "error: export cancelled: table 'preds' already exists" in second.stderr

    history = json.loads(dataplane("--json", "exporters", "history", "out").stdout)
    assert [run["status"] for run in history] == ["cancelled", "succeeded"]
    listed = dataplane("exporters", "list")
    assert listed.returncode == 0 and "cancelled" in listed.stdout.splitlines()[1]
    missing = dataplane("exporters", "run", "out", "nope")
    assert missing.returncode == 1 and "No dataset named 'nope'" in missing.stderr
    assert dataplane("exporters", "delete", "out").returncode == 0
    with sqlite3.connect(out) as con:
        assert con.execute("select count(*) from preds").fetchone() == (2,)
