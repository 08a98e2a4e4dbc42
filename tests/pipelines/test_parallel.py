"""Independent branches of a pipeline run at the same time: in threads of the run's worker, and
on the Dask executor each step as its own task on the cluster. A failed step skips what needs it
while the independent branches finish, and a retry reuses them."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import dataplane_jupyter as dp
from dataplane_jupyter.core.errors import JobFailed
from tests.core.test_dask_executor import dask_address  # noqa: F401 - the LocalCluster fixture


def meeting_module(folder: Path) -> None:
    """Two steps that each wait until the other one has started: run one after the other, the
    first one gives up and fails the run, so a success proves the branches overlapped."""
    (folder / "meet.py").write_text(textwrap.dedent(f"""
        import time
        from pathlib import Path

        FOLDER = Path({str(folder)!r})

        def meet(frame, me, other):
            (FOLDER / f"{{me}}.started").touch()
            deadline = time.monotonic() + 90
            while not (FOLDER / f"{{other}}.started").exists():
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{{other}} did not start while {{me}} was running")
                time.sleep(0.02)
            print(f"{{me}} met {{other}}")
            return frame.assign(branch=me)
    """))


def two_branches(project: Any, folder: Path) -> Any:
    meeting_module(folder)
    return project.pipelines.create("branches", base_dir=folder, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "west", "kind": "python", "function": "meet:meet", "input": "sales",
         "args": {"me": "west", "other": "east"}},
        {"name": "east", "kind": "python", "function": "meet:meet", "input": "sales",
         "args": {"me": "east", "other": "west"}},
        {"name": "both", "kind": "sql", "query": "select * from west union all select * from east"},
    ])


def assert_overlapped(run: Any) -> None:
    west, east, both = run.step("west"), run.step("east"), run.step("both")
    assert west.started_at < east.finished_at and east.started_at < west.finished_at
    assert both.started_at >= max(west.finished_at, east.finished_at)
    assert "west met east" in run.log("west") and "east met west" in run.log("east")


def test_independent_branches_run_at_the_same_time(catalog: dp.Catalog, tmp_path: Path) -> None:
    project = catalog.project("p")
    project.datasets.from_pandas(pd.DataFrame({"a": range(6)}), "sales", origin="upload").wait()
    run = two_branches(project, tmp_path).run().wait(timeout=180)
    assert [s.status for s in run.steps] == ["succeeded"] * 4
    assert_overlapped(run)
    assert project.datasets[run.outputs["both"]].to_pandas()["branch"].value_counts().to_dict() == {"west": 6,
                                                                                                   "east": 6}


def test_on_dask_each_step_is_a_task_and_branches_overlap(isolated_home: Path, tmp_path: Path,
                                                          dask_address: str) -> None:  # noqa: F811
    catalog = dp.Catalog(isolated_home, executor="dask", dask_address=dask_address)
    project = catalog.project("p")
    project.datasets.from_pandas(pd.DataFrame({"a": range(6)}), "sales", origin="upload").wait(timeout=120)
    run = two_branches(project, tmp_path).run().wait(timeout=180)
    assert [s.status for s in run.steps] == ["succeeded"] * 4
    assert_overlapped(run)
    for step in ("sales", "west", "east", "both"):
        assert "on Dask worker tcp://127.0.0.1:" in run.log(step)
    assert project.datasets[run.outputs["both"]].rows == 12


def test_a_failed_step_skips_its_dependents_while_other_branches_finish(catalog: dp.Catalog, tmp_path: Path) -> None:
    project = catalog.project("p")
    project.datasets.from_pandas(pd.DataFrame({"a": range(6)}), "sales", origin="upload").wait()
    (tmp_path / "fragile.py").write_text(textwrap.dedent(f"""
        from pathlib import Path

        def check(frame):
            if not Path({str(tmp_path / 'fixed')!r}).exists():
                raise ValueError("not yet")
            return frame

        def count(frame):
            with open({str(tmp_path / 'counted.txt')!r}, "a") as f:
                f.write("x")
            return frame
    """))
    pipe = project.pipelines.create("fragile", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "bad", "kind": "python", "function": "fragile:check", "input": "sales"},
        {"name": "after_bad", "kind": "sql", "query": "select * from bad"},
        {"name": "good", "kind": "python", "function": "fragile:count", "input": "sales"},
        {"name": "after_good", "kind": "sql", "query": "select count(*) as n from good"},
    ])
    failed = pipe.run()
    with pytest.raises(JobFailed, match=r"Step 'bad' \(python\) failed: ValueError: not yet"):
        failed.wait(timeout=120)
    steps = {s.name: s for s in failed.steps}
    assert {n: s.status for n, s in steps.items()} == {"sales": "succeeded", "bad": "failed", "after_bad": "skipped",
                                                       "good": "succeeded", "after_good": "succeeded"}
    assert steps["after_bad"].message == "Not run: step 'bad' failed"
    assert project.datasets.list(origin=["pipeline_output", "pipeline_intermediate"]) == []
    (tmp_path / "fixed").touch()
    retried = failed.retry().wait(timeout=120)
    assert {s.name: s.status for s in retried.steps} == {"sales": "reused", "bad": "succeeded",
                                                          "after_bad": "succeeded", "good": "reused",
                                                          "after_good": "reused"}
    assert (tmp_path / "counted.txt").read_text() == "x"
    assert project.datasets[retried.outputs["after_good"]].to_pandas()["n"].tolist() == [6]
