"""Jobs on a real Dask distributed cluster (LocalCluster on 127.0.0.1, worker processes)."""

from __future__ import annotations

import os

import pandas as pd
import pytest
import sqlalchemy as sa

import dataplane_jupyter as dp
from dataplane_jupyter.core.jobs.store import JobStatus
from tests.conftest import REPO


@pytest.fixture(scope="module")
def dask_address():
    from distributed import LocalCluster

    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), previous]))
    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=40)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close(timeout=30)
        if previous is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = previous


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
