"""Pipeline runs in the core: every step kind, outputs with statistics, params, versions, retry,
cancel, and a worker killed mid-run."""

from __future__ import annotations

import os
import signal
import textwrap
import time
from pathlib import Path
from typing import Any

import joblib
import nbformat
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

import dataplane_jupyter as dp
from dataplane_jupyter.core.errors import InvalidInput, InvalidState, JobFailed


def wait_for(path: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.fixture
def project(catalog: dp.Catalog) -> Any:
    project = catalog.project("p")
    frame = pd.DataFrame({"id": range(10), "amount": [5.0, -1.0, 3.0, 8.0, -2.0, 1.0, 9.0, 4.0, 0.5, 7.0],
                          "region": list("abababcbca")})
    project.datasets.from_pandas(frame, "sales", origin="upload").wait()
    return project


def write_module(folder: Path, name: str, code: str) -> None:
    (folder / f"{name}.py").write_text(textwrap.dedent(code))


@pytest.mark.team
def test_sql_and_python_steps_make_an_output_dataset_with_statistics(project: Any, tmp_path: Path) -> None:
    write_module(tmp_path, "transforms", """
        import pandas as pd
        import pyarrow as pa

        def double(frame: pd.DataFrame, factor: int = 2) -> pd.DataFrame:
            print(f"doubling {len(frame)} rows")
            return frame.assign(amount=frame["amount"] * factor)

        def count(table: pa.Table) -> pa.Table:
            return pa.table({"rows": [table.num_rows], "is_arrow": [isinstance(table, pa.Table)]})
    """)
    pipe = project.pipelines.create("weekly", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "clean", "kind": "sql", "query": "select id, amount from sales where amount > 0", "keep": True},
        {"name": "doubled", "kind": "python", "function": "transforms:double", "input": "clean", "args": {"factor": 3}},
        {"name": "counted", "kind": "python", "function": "transforms:count", "input": "clean"},
    ])
    run = pipe.run().wait()
    assert run.status == "succeeded"
    assert run.outputs == {"doubled": "weekly_doubled_run1", "counted": "weekly_counted_run1"}
    steps = {s.name: s for s in run.steps}
    assert [steps[n].status for n in ("sales", "clean", "doubled", "counted")] == ["succeeded"] * 4
    assert (steps["clean"].rows_in, steps["clean"].rows_out) == (10, 8)
    assert steps["doubled"].seconds is not None and steps["doubled"].dataset_role == "output"
    assert "doubling 8 rows" in run.log("doubled")
    doubled = project.datasets["weekly_doubled_run1"]
    assert doubled.origin == "pipeline_output" and doubled.status == "ready"
    assert sorted(doubled.to_pandas()["amount"]) == sorted(a * 3 for a in (5.0, 3.0, 8.0, 1.0, 9.0, 4.0, 0.5, 7.0))
    assert doubled.statistics()["summary"]["rows"] == 8
    assert project.datasets["weekly_counted_run1"].to_pandas().to_dict("records") == [{"rows": 8, "is_arrow": True}]
    kept = project.datasets.list(origin=["pipeline_intermediate"])
    assert [d.name for d in kept] == ["weekly_clean_run1"]
    assert {d.name for d in project.datasets.list(origin=["pipeline_output"])} == {"weekly_doubled_run1",
                                                                                 "weekly_counted_run1"}
    assert doubled.info.source["pipeline_run_id"] == run.id
    assert run.lineage()["inputs"] == {"sales": "sales"}
    assert [r.id for r in pipe.runs()] == [run.id]
    assert [r.id for r in project.pipelines.runs(pipeline="weekly", status=["succeeded"])] == [run.id]
    assert project.pipelines.get_run(run.id).number == 1


def train_model(folder: Path) -> tuple[LogisticRegression, Path]:
    """A real scikit-learn model, trained here and saved with joblib."""
    rng = np.random.default_rng(0)
    features = pd.DataFrame({"amount": rng.normal(size=200), "id": rng.integers(0, 50, size=200).astype(float)})
    model = LogisticRegression().fit(features, (features["amount"] > 0).astype(int))
    path = folder / "models" / "churn.joblib"
    path.parent.mkdir()
    joblib.dump(model, path)
    return model, path


@pytest.mark.team
def test_predict_applies_a_joblib_model_in_batches_with_probability_columns(project: Any, tmp_path: Path) -> None:
    model, _ = train_model(tmp_path)
    pipe = project.pipelines.create("scoring", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "features", "kind": "sql", "query": "select cast(id as double) as id, amount, region from sales"},
        {"name": "scored", "kind": "predict", "input": "features", "model": "models/churn.joblib",
         "features": ["amount", "id"], "batch_rows": 3},
    ])
    run = pipe.run().wait()
    scored = project.datasets[run.outputs["scored"]].to_pandas().sort_values("id")
    expected = model.predict(scored[["amount", "id"]])
    assert list(scored["prediction"]) == list(expected)
    assert np.allclose(scored[["proba_0", "proba_1"]].to_numpy(), model.predict_proba(scored[["amount", "id"]]))
    assert run.step("scored").rows_out == 10 and "10 rows predicted" in run.step("scored").message


def test_predict_gives_the_model_one_batch_at_a_time(project: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The model never sees more rows at once than `batch_rows`: 10 rows in batches of 4 are 4, 4, 2."""
    write_module(tmp_path, "recording", f"""
        import numpy as np

        class Recording:
            feature_names_in_ = np.array(["amount"])

            def predict(self, frame):
                with open({str(tmp_path / 'batches.txt')!r}, "a") as out:
                    out.write(f"{{len(frame)}}\\n")
                return (frame["amount"] > 0).astype(int).to_numpy()
    """)
    monkeypatch.syspath_prepend(str(tmp_path))  # joblib finds the model's class (the run runs in a thread here)
    from recording import Recording

    joblib.dump(Recording(), tmp_path / "recording.joblib")
    pipe = project.pipelines.create("batched", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "scored", "kind": "predict", "input": "sales", "model": "recording.joblib", "batch_rows": 4},
    ])
    run = pipe.run().wait()
    assert (tmp_path / "batches.txt").read_text().split() == ["4", "4", "2"]
    scored = project.datasets[run.outputs["scored"]].to_pandas().sort_values("id")
    assert list(scored["prediction"]) == [int(a > 0) for a in scored["amount"]]
    assert "proba_0" not in scored.columns  # no predict_proba: no probability columns


def test_predict_names_the_missing_feature_columns(project: Any, tmp_path: Path) -> None:
    train_model(tmp_path)
    pipe = project.pipelines.create("scoring", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "thin", "kind": "sql", "query": "select amount from sales"},
        {"name": "scored", "kind": "predict", "input": "thin", "model": "models/churn.joblib"},
    ])
    run = pipe.run()
    with pytest.raises(JobFailed, match=r"Step 'scored' \(predict\) failed: input 'thin' lacks the feature column"):
        run.wait()
    assert "'id'" in run.step("scored").message and run.step("scored").status == "failed"
    assert project.datasets.list(origin=["pipeline_output", "pipeline_intermediate"]) == []


@pytest.mark.team(only=True)
def test_on_s3_storage_sql_and_predict_steps_stream_from_the_bucket_without_a_local_copy(
        project: Any, tmp_path: Path, isolated_home: Path) -> None:
    """DuckDB reads the inputs and writes its result through the storage's fsspec filesystem (no
    httpfs), predict and python steps read and write in batches: while the last step runs, the
    run's local workspace holds no Parquet file, and every step's result is in the bucket."""
    model, _ = train_model(tmp_path)
    write_module(tmp_path, "holding", f"""
        from pathlib import Path
        import time

        def hold(frame):
            Path({str(tmp_path / 'started')!r}).touch()
            while not Path({str(tmp_path / 'release')!r}).exists():
                time.sleep(0.05)
            return frame[frame["prediction"] >= 0]
    """)
    pipe = project.pipelines.create("streamed", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "features", "kind": "sql", "keep": True,
         "query": "select cast(id as double) as id, amount, region from sales where amount > 0"},
        {"name": "scored", "kind": "predict", "input": "features", "model": "models/churn.joblib",
         "features": ["amount", "id"], "batch_rows": 3},
        {"name": "joined", "kind": "sql", "query": "select s.*, f.region as r2 from scored s join features f on s.id = f.id"},
        {"name": "held", "kind": "python", "function": "holding:hold", "input": "joined"},
    ])
    run = pipe.run()
    wait_for(tmp_path / "started")
    try:
        workspace = isolated_home / "pipeline-work"
        local = sorted(str(p.relative_to(workspace)) for p in workspace.rglob("*") if p.is_file()) \
            if workspace.exists() else []
        assert [p for p in local if p.endswith((".parquet", ".part"))] == []
        storage = project.catalog.storage
        for step in ("features", "scored", "joined"):
            assert run.step(step).status == "succeeded"
            assert storage.exists(f"projects/{project.id}/pipeline_runs/{run.id}/work/{step}.parquet")
    finally:
        (tmp_path / "release").touch()
    run.wait()
    assert "sales: streamed from s3://" in run.log("features")
    assert "scored: streamed from s3://" in run.log("joined")
    held = project.datasets[run.outputs["held"]].to_pandas().sort_values("id")
    assert list(held["prediction"]) == list(model.predict(held[["amount", "id"]]))
    assert len(held) == 8 and list(held["region"]) == list(held["r2"])
    assert project.datasets["streamed_features_run1"].statistics()["summary"]["rows"] == 8


def write_notebook(path: Path, *cells: str) -> None:
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("factor = 1")
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, *(nbformat.v4.new_code_cell(textwrap.dedent(c)) for c in cells)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


@pytest.mark.team
def test_notebook_step_gets_parameters_and_inputs_and_is_kept(project: Any, tmp_path: Path) -> None:
    write_notebook(tmp_path / "enrich.ipynb", """
        import pandas as pd
        frame = pd.read_parquet(dataplane_input)
        frame["scaled"] = frame["amount"] * factor
        frame.to_parquet(dataplane_output)
        print("rows", len(frame))
    """)
    pipe = project.pipelines.create("nb", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "enriched", "kind": "notebook", "path": "enrich.ipynb", "input": "sales", "parameters": {"factor": 10}},
    ])
    run = pipe.run().wait()
    frame = project.datasets[run.outputs["enriched"]].to_pandas()
    assert list(frame["scaled"]) == [a * 10 for a in frame["amount"]]
    executed = nbformat.reads(run.notebook("enriched"), as_version=4)
    assert executed.cells[1].metadata["tags"] == ["injected-parameters"] and "factor = 10" in executed.cells[1].source
    assert any("rows 10" in output.get("text", "") for output in executed.cells[2].outputs)


def test_a_failing_notebook_fails_its_step_and_keeps_the_executed_notebook(project: Any, tmp_path: Path) -> None:
    write_notebook(tmp_path / "broken.ipynb", "x = 1", "raise ValueError('no weekly file')")
    pipe = project.pipelines.create("nb", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "broken", "kind": "notebook", "path": "broken.ipynb", "input": "sales"},
    ])
    run = pipe.run()
    with pytest.raises(JobFailed, match=r"Step 'broken' \(notebook\) failed: notebook broken.ipynb failed at cell 4: "
                                        r"ValueError: no weekly file"):
        run.wait()
    executed = nbformat.reads(run.notebook("broken"), as_version=4)
    assert executed.cells[3].outputs[0]["ename"] == "ValueError"


def test_params_override_step_fields_for_one_run_and_versions_are_recorded(project: Any) -> None:
    pipe = project.pipelines.create("p", steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "big", "kind": "sql", "query": "select * from sales where amount > 5"},
    ])
    pipe = pipe.update(steps=[*pipe.steps[:1], {"name": "big", "kind": "sql",
                                                  "query": "select * from sales where amount > 7"}])
    assert pipe.version == 2 and [v.version for v in pipe.versions()] == [2, 1]
    first = pipe.run().wait()
    second = pipe.run(params={"big": {"query": "select * from sales where amount < 0"}}).wait()
    assert (first.version, first.step("big").rows_out) == (2, 2)
    assert (second.number, second.params, second.step("big").rows_out) == (2, {"big": {"query":
                                                                             "select * from sales where amount < 0"}}, 2)
    assert project.datasets[second.outputs["big"]].to_pandas()["amount"].max() < 0
    with pytest.raises(InvalidInput, match="params name step 'nope'"):
        pipe.run(params={"nope": {"query": "select 1"}})
    with pytest.raises(InvalidInput, match="step 'big', field 'query'"):
        pipe.run(params={"big": {"query": "select * from elsewhere"}})


@pytest.mark.team
def test_retry_starts_again_at_the_failed_step_and_reuses_the_rest(project: Any, tmp_path: Path) -> None:
    write_module(tmp_path, "flaky", f"""
        from pathlib import Path

        CALLS = Path({str(tmp_path / 'calls.txt')!r})

        def first(frame):
            with CALLS.open("a") as f:
                f.write("first\\n")
            return frame

        def second(frame):
            with CALLS.open("a") as f:
                f.write("second\\n")
            if not Path({str(tmp_path / 'fixed')!r}).exists():
                raise RuntimeError("the upstream file is late")
            return frame.head(3)
    """)
    pipe = project.pipelines.create("flaky", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "one", "kind": "python", "function": "flaky:first", "input": "sales"},
        {"name": "two", "kind": "python", "function": "flaky:second", "input": "one"},
    ])
    failed = pipe.run()
    with pytest.raises(JobFailed, match=r"Step 'two' \(python\) failed: RuntimeError: the upstream file is late"):
        failed.wait()
    assert [s.status for s in failed.steps] == ["succeeded", "succeeded", "failed"]
    assert "RuntimeError: the upstream file is late" in failed.log("two")
    assert project.datasets.list(origin=["pipeline_output"]) == []
    (tmp_path / "fixed").touch()
    retried = failed.retry().wait()
    assert [s.status for s in retried.steps] == ["reused", "reused", "succeeded"]
    assert retried.info.retry_of == failed.id and retried.info.trigger == "retry"
    assert (tmp_path / "calls.txt").read_text().split() == ["first", "second", "second"]
    assert project.datasets[retried.outputs["two"]].rows == 3
    with pytest.raises(InvalidState, match="only a failed or cancelled run can be retried"):
        retried.retry()


def test_cancel_stops_the_run_at_the_next_step_boundary(project: Any, tmp_path: Path) -> None:
    write_module(tmp_path, "slow", f"""
        import time
        from pathlib import Path

        def hold(frame):
            Path({str(tmp_path / 'started')!r}).touch()
            while not Path({str(tmp_path / 'release')!r}).exists():
                time.sleep(0.05)
            return frame
    """)
    pipe = project.pipelines.create("slow", base_dir=tmp_path, steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "held", "kind": "python", "function": "slow:hold", "input": "sales", "keep": True},
        {"name": "after", "kind": "sql", "query": "select * from held"},
    ])
    run = pipe.run()
    wait_for(tmp_path / "started")
    run.cancel()
    (tmp_path / "release").touch()
    with pytest.raises(JobFailed, match="cancelled"):
        run.wait()
    assert run.status == "cancelled"
    assert [s.status for s in run.steps] == ["succeeded", "succeeded", "skipped"]
    assert project.datasets.list(origin=["pipeline_output", "pipeline_intermediate"]) == []
    with pytest.raises(InvalidState, match="nothing to cancel"):
        run.cancel()


def test_a_worker_killed_mid_run_fails_the_run_naming_the_step_and_publishes_nothing(
        process_catalog: dp.Catalog, tmp_path: Path) -> None:
    project = process_catalog.project("p")
    project.datasets.from_pandas(pd.DataFrame({"a": range(5)}), "base", origin="upload").wait()
    write_module(tmp_path, "stuck", f"""
        import time
        from pathlib import Path

        def forever(frame):
            Path({str(tmp_path / 'started')!r}).touch()
            time.sleep(600)
            return frame
    """)
    pipe = project.pipelines.create("stuck", base_dir=tmp_path, steps=[
        {"name": "base", "kind": "read", "dataset": "base"},
        {"name": "early", "kind": "sql", "query": "select a * 2 as b from base", "keep": True},
        {"name": "stuck", "kind": "python", "function": "stuck:forever", "input": "early"},
        {"name": "later", "kind": "sql", "query": "select * from stuck"},
    ])
    run = pipe.run()
    wait_for(tmp_path / "started")
    job = process_catalog.jobs.get(run.info.job_id)
    os.kill(job.worker_pid, signal.SIGKILL)
    with pytest.raises(JobFailed, match=r"Step 'stuck' \(python\) failed: Interrupted: the worker process"):
        run.wait(timeout=120)
    assert run.status == "failed"
    assert [s.status for s in run.steps] == ["succeeded", "succeeded", "failed", "skipped"]
    assert "Interrupted" in run.step("stuck").message
    assert project.datasets.list(origin=["pipeline_output", "pipeline_intermediate"]) == []
    assert [d.name for d in project.datasets.list()] == ["base"]


def test_cancel_interrupts_a_long_sql_query(project: Any) -> None:
    pipe = project.pipelines.create("long", steps=[
        {"name": "sales", "kind": "read", "dataset": "sales"},
        {"name": "endless", "kind": "sql",
         "query": "select count(*) as n from range(1000000) a, range(1000000) b, sales where (a.range * b.range) % 7 = 3"},
    ])
    run = pipe.run()
    deadline = time.monotonic() + 120
    while run.step("endless").status != "running":
        assert time.monotonic() < deadline and run.status in ("queued", "running"), run
        time.sleep(0.05)
    run.cancel()
    with pytest.raises(JobFailed, match="cancelled"):
        run.wait(timeout=120)
    assert [s.status for s in run.steps] == ["succeeded", "cancelled"]
    assert project.datasets.list(origin=["pipeline_output"]) == []
