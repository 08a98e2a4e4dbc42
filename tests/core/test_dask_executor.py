"""Jobs on a real Dask distributed cluster (LocalCluster on 127.0.0.1, worker processes)."""

from __future__ import annotations

import os

import pandas as pd
import pytest
import sqlalchemy as sa

import dataplane_jupyter as dp
from dataplane_jupyter.core.jobs.store import JobStatus
from tests.conftest import REPO

SPREAD_MIN_ROWS = "100000"  # statistics spread over the workers from this many rows (test size)


@pytest.fixture(scope="module")
def dask_address(team_deployment):
    """Two worker processes (the team profile's cluster in that profile)."""
    if team_deployment is not None:
        yield team_deployment.dask_address
        return
    from distributed import LocalCluster

    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
           "DATAPLANE_SPREAD_MIN_ROWS": SPREAD_MIN_ROWS}
    previous = {name: os.environ.get(name) for name in env}
    os.environ.update(env)  # the worker processes inherit them
    cluster = LocalCluster(n_workers=2, threads_per_worker=2, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=40)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close(timeout=30)
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_jobs_run_on_the_cluster_and_report_back(isolated_home, dask_address):
    catalog = dp.Catalog(isolated_home, executor="dask", dask_address=dask_address)
    job = catalog.jobs.start("t", "tests.core.job_functions:steps", params={"n": 4})
    done = catalog.jobs.wait(job.id, timeout=60)
    assert done.status is JobStatus.SUCCEEDED and done.result == {"counted": 4}
    assert done.worker_pid != os.getpid()


def test_a_dataset_import_runs_on_the_cluster(isolated_home, dask_address, tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame({"a": range(100), "b": ["u", "v"] * 50}).to_csv(path, index=False)
    catalog = dp.Catalog(isolated_home, executor="dask", dask_address=dask_address)
    ds = catalog.project("p").datasets.import_file(path).wait(timeout=120)
    assert (ds.rows, ds.columns) == (100, 2)
    assert ds.column("a")["mean"] == pytest.approx(49.5)


def test_a_pipeline_run_runs_on_the_cluster(isolated_home, dask_address):
    catalog = dp.Catalog(isolated_home, executor="dask", dask_address=dask_address)
    project = catalog.project("p")
    project.datasets.from_pandas(pd.DataFrame({"a": range(10)}), "base", origin="upload").wait(timeout=120)
    run = project.pipelines.create("p", steps=[
        {"name": "base", "kind": "read", "dataset": "base"},
        {"name": "odd", "kind": "sql", "query": "select a from base where a % 2 = 1"},
    ]).run().wait(timeout=120)
    assert catalog.jobs.get(run.info.job_id).worker_pid != os.getpid()
    assert project.datasets[run.outputs["odd"]].to_pandas()["a"].tolist() == [1, 3, 5, 7, 9]


def test_dask_executor_needs_an_address(isolated_home):
    with pytest.raises(ValueError, match="DATAPLANE_DASK_ADDRESS"):
        dp.Catalog(isolated_home, executor="dask")


def test_a_pipeline_run_on_the_cluster_works_as_its_starter_in_shared_mode(isolated_home, dask_address, tmp_path):
    """The Dask worker opens the catalog as the user who started the job, in the same access mode:
    the datasets the run writes are alice's, and a project bob cannot see stays hidden there too."""
    path = tmp_path / "x.csv"
    pd.DataFrame({"a": range(10)}).to_csv(path, index=False)
    alice = dp.Catalog(isolated_home, executor="dask", dask_address=dask_address, user="alice", access="members")
    project = alice.project("p")
    project.datasets.import_file(path, name="x").wait(timeout=120)
    run = project.pipelines.create("w", steps=[
        {"name": "x", "kind": "read", "dataset": "x"},
        {"name": "big", "kind": "sql", "query": "select a from x where a > 4"},
    ]).run().wait(timeout=120)
    output = project.datasets[run.outputs["big"]]
    assert output.rows == 5 and alice.jobs.get(run.info.job_id).created_by == "alice"
    with alice.engine.connect() as connection:
        creators = connection.execute(sa.text("select created_by from datasets")).scalars().all()
    assert len(creators) >= 2 and set(creators) == {"alice"}
    bob = dp.Catalog(isolated_home, user="bob", access="members")
    with pytest.raises(dp.NotFound):
        bob.jobs.get(run.info.job_id)


def assert_same_statistics(got, expected, path="statistics"):
    """Equal figures; floats computed in another order (merged moments) equal to 1e-9."""
    if isinstance(expected, dict):
        assert isinstance(got, dict) and set(got) == set(expected), f"{path}: keys {sorted(got)} != {sorted(expected)}"
        for key in expected:
            assert_same_statistics(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), f"{path}: {got!r} != {expected!r}"
        for i, (a, b) in enumerate(zip(got, expected)):
            assert_same_statistics(a, b, f"{path}[{i}]")
    elif isinstance(expected, float) and not isinstance(got, bool):
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12), f"{path}: {got!r} != {expected!r}"
    else:
        assert got == expected, f"{path}: {got!r} != {expected!r}"


@pytest.mark.team
def test_statistics_of_a_large_dataset_spread_over_two_workers_equal_one_machine(isolated_home, dask_address):
    import numpy as np

    from dataplane_jupyter.core.datasets.paths import DATA_FILE
    from dataplane_jupyter.core.stats import compute_statistics

    rows = 2 * int(SPREAD_MIN_ROWS) + 12_345
    rng = np.random.default_rng(7)
    amount = rng.normal(100, 15, rows)
    amount[rng.random(rows) < 0.05] = np.nan
    frame = pd.DataFrame({
        "id": np.arange(rows),
        "amount": amount,
        "qty": rng.integers(0, 50, rows),
        "city": rng.choice(["Paris", "Lyon", "Nice", "Lille", None], rows),
        "member": rng.random(rows) < 0.3,
        "note": [f"order {i % 997} of the day" for i in range(rows)],
    })
    frame = pd.concat([frame.tail(100), frame], ignore_index=True)  # 100 duplicate rows, first and last partition
    rows = len(frame)
    catalog = dp.Catalog(isolated_home, executor="dask", dask_address=dask_address)
    ds = catalog.project("p").datasets.from_pandas(frame, "big", origin="upload").wait(timeout=600)

    job = catalog.jobs.get(ds.info.job_id)
    assert job.result["partitions"] >= 2 and job.result["workers"] == 2, job.result
    stored = f"{ds.folder}/{DATA_FILE}"
    on_one_machine = compute_statistics(catalog.storage.path(stored), filesystem=catalog.storage.filesystem())
    spread = ds.statistics()
    assert spread.pop("partial") is False
    assert spread["summary"]["rows"] == rows
    assert_same_statistics(spread, on_one_machine)


def test_a_worker_that_dies_mid_job_fails_the_job_cleanly(isolated_home, dask_address):
    """Dask gives the task of a dead worker to another worker: that attempt ends the job failed
    with the reason and runs its clean-up, without the reaper of the job's host (which another
    machine would not have)."""
    import signal
    import time

    catalog = dp.Catalog(isolated_home, executor="dask", dask_address=dask_address)
    job = catalog.jobs.start("t", "tests.core.job_functions:steps", params={"n": 100_000, "delay": 0.05},
                             on_end="tests.core.job_functions:record_end")
    running = catalog.jobs.wait_until(
        lambda: (j if (j := catalog.jobs.store.get(job.id)).status is JobStatus.RUNNING and j.progress > 0 else None),
        timeout=120)
    os.kill(running.worker_pid, signal.SIGKILL)
    deadline = time.monotonic() + 300  # only so that a regression fails instead of hanging the suite
    while not (ended := catalog.jobs.store.get(job.id)).status.finished:  # polling the record: no reaper
        assert time.monotonic() < deadline, "the job of the dead worker never ended"
        time.sleep(0.2)
    assert ended.status is JobStatus.FAILED
    assert "Dask worker running this job died" in ended.error
    assert (isolated_home / f"ended-{job.id}").read_text().startswith("failed: Interrupted")
