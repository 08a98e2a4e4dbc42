"""A dataset a pipeline run made knows where it comes from: pipeline, version, run, step, the steps
in between, the datasets (and datasource snapshots) they started from, and its exports; in Python
and in `dataplane datasets show`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import dataplane_jupyter as dp


@pytest.fixture
def project(catalog: dp.Catalog, tmp_path: Path) -> Any:
    database = tmp_path / "sales.db"
    with sqlite3.connect(database) as connection:
        connection.execute("create table sales (id integer, price real, region text)")
        connection.executemany("insert into sales values (?, ?, ?)", [(i, i * 0.5, "abc"[i % 3]) for i in range(30)])
    project = catalog.project("p")
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(database))
    project.datasources.create("weekly", connector="lite", table="sales")
    project.datasets.from_pandas(pd.DataFrame({"region": list("abc"), "name": ["North", "South", "West"]}),
                                 "regions", origin="upload").wait()
    project.exporters.create("out", connector="lite", table="scored", mode="overwrite")
    return project


STEPS = [
    {"name": "src", "kind": "read", "datasource": "weekly"},
    {"name": "regions", "kind": "read", "dataset": "regions"},
    {"name": "joined", "kind": "sql", "keep": True,
     "query": "select src.id, src.price, regions.name from src join regions on src.region = regions.region"},
    {"name": "scored", "kind": "sql", "query": "select name, sum(price) as total from joined group by name"},
    {"name": "names", "kind": "sql", "query": "select name from regions"},
    {"name": "out", "kind": "export", "exporter": "out", "input": "scored"},
]


def test_outputs_intermediates_and_snapshots_show_their_lineage(project: Any, tmp_path: Path) -> None:
    pipe = project.pipelines.create("lin", steps=STEPS)
    pipe.update(steps=STEPS)  # version 2
    run = pipe.run().wait(timeout=180)
    snapshot = run.step("src").dataset

    scored = project.datasets[run.outputs["scored"]].lineage()
    assert scored is not None
    assert (scored.pipeline, scored.pipeline_id, scored.version, scored.run_id, scored.run_number, scored.run_status,
            scored.step, scored.step_kind, scored.role) == ("lin", pipe.id, 2, run.id, 1, "succeeded", "scored",
                                                            "sql", "output")
    assert scored.upstream_steps == ["src", "regions", "joined"]
    assert [(i.step, i.role, i.dataset, i.datasource) for i in scored.inputs] == [
        ("src", "snapshot", snapshot, "weekly"), ("regions", "input", "regions", None)]
    assert [(e.step, e.exporter, e.status) for e in scored.exports] == [("out", "out", "succeeded")]

    names = project.datasets[run.outputs["names"]].lineage()
    assert (names.upstream_steps, [i.dataset for i in names.inputs], names.exports) == (["regions"], ["regions"], [])
    joined = project.datasets["lin_joined_run1"].lineage()
    assert (joined.role, joined.step, [i.step for i in joined.inputs]) == ("intermediate", "joined", ["src", "regions"])
    made = project.datasets[snapshot].lineage()
    assert (made.role, made.step, made.step_kind, made.upstream_steps, made.inputs) == ("snapshot", "src", "read",
                                                                                         [], [])
    assert project.datasets["regions"].lineage() is None
    assert project.datasets["regions"].describe_with_lineage().lineage is None

    home = {"DATAPLANE_HOME": str(project.catalog.settings.home)}
    shown = subprocess.run([sys.executable, "-m", "dataplane_jupyter.cli", "--project", "p", "datasets", "show",
                            run.outputs["scored"]], capture_output=True, text=True, timeout=120,
                           env={**__import__("os").environ, **home})
    assert shown.returncode == 0, shown.stderr
    assert "lineage: pipeline 'lin' version 2, run 1 (succeeded), step 'scored' (sql, output)" in shown.stdout
    assert "  computed through: src → regions → joined → scored" in shown.stdout
    assert f"  from: dataset {snapshot!r} (snapshot of datasource 'weekly'), read by step 'src'" in shown.stdout
    assert "  from: dataset 'regions', read by step 'regions'" in shown.stdout
    assert "  exported by step 'out' with exporter 'out': succeeded" in shown.stdout
    as_json = subprocess.run([sys.executable, "-m", "dataplane_jupyter.cli", "--project", "p", "--json", "datasets",
                              "show", run.outputs["scored"]], capture_output=True, text=True, timeout=120,
                             env={**__import__("os").environ, **home})
    assert json.loads(as_json.stdout)["lineage"]["run_id"] == run.id


def test_a_retry_keeps_the_lineage_of_the_run_that_made_a_result(project: Any, tmp_path: Path) -> None:
    (tmp_path / "gate.py").write_text(
        "from pathlib import Path\n"
        f"def check(frame):\n    if not Path({str(tmp_path / 'open')!r}).exists():\n"
        "        raise ValueError('closed')\n    return frame\n")
    pipe = project.pipelines.create("gated", base_dir=tmp_path, steps=[
        {"name": "regions", "kind": "read", "dataset": "regions"},
        {"name": "kept", "kind": "sql", "query": "select * from regions", "keep": True},
        {"name": "checked", "kind": "python", "function": "gate:check", "input": "kept"},
    ])
    first = pipe.run()
    with pytest.raises(dp.JobFailed):
        first.wait(timeout=120)
    (tmp_path / "open").touch()
    second = first.retry().wait(timeout=120)
    output = project.datasets[second.outputs["checked"]].lineage()
    assert (output.run_number, output.upstream_steps) == (2, ["regions", "kept"])
    kept = project.datasets[second.step("kept").dataset].lineage()
    assert (kept.run_number, kept.role, kept.reused_by) == (2, "intermediate", [])


def test_an_export_step_writes_through_its_exporter_in_the_mode_it_names(project: Any, tmp_path: Path) -> None:
    """The step's `mode` overrides the exporter's (here `cancel`: never replace what is there), a
    run's params can change it again, and the exporter's history shows every pipeline export."""
    pipe = project.pipelines.create("careful", steps=[
        STEPS[0], {"name": "cheap", "kind": "sql", "query": "select id, price from src where price < 5"},
        {"name": "out", "kind": "export", "exporter": "out", "input": "cheap", "mode": "cancel"}])
    first = pipe.run().wait(timeout=180)
    second = pipe.run()
    with pytest.raises(dp.JobFailed, match=r"Step 'out' \(export\) failed: nothing written: .*already exists"):
        second.wait(timeout=180)
    assert second.step("out").status == "failed"
    third = pipe.run(params={"out": {"mode": "overwrite"}}).wait(timeout=180)
    history = project.exporters["out"].history()
    assert [(h.status, h.pipeline_run_id) for h in history] == [
        ("succeeded", third.id), ("cancelled", second.id), ("succeeded", first.id)]
    with sqlite3.connect(tmp_path / "sales.db") as connection:
        assert connection.execute("select count(*) from scored").fetchone() == (10,)
