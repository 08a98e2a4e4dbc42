"""Exporters end to end: `ds.export(...)` through the catalog's job into every kind's real server,
checked by reading the destination back; failures and cuts leave the previous data in place."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

import dataplane_jupyter as dp
from dataplane_jupyter.core.connectors import get_kind
from dataplane_jupyter.core.connectors.base import DestinationExists
from dataplane_jupyter.core.datasets.datasets import Dataset
from dataplane_jupyter.core.errors import InUse, InvalidInput, JobFailed, NotFound
from tests.connectors.conformance import Target, assert_no_secret, read_back, small_table, stamp
from tests.connectors.test_files import ftp_target, s3_target, sftp_target
from tests.connectors.test_gcp import bigquery_target, gcs_target
from tests.connectors.test_sql import mariadb_target, postgres_target, sqlite_target
from tests.servers import ftp

KINDS = ["postgres", "mariadb", "sqlite", "ftp", "sftp", "s3", "gcs", "bigquery"]


def make_target(name: str, request: pytest.FixtureRequest, unique: str, tmp_path: Path) -> Target:
    server = lambda fixture: request.getfixturevalue(fixture)  # noqa: E731 - only start the servers a kind needs
    google = lambda: (server("gcs_server"), server("bigquery_server"), server("google_token_server"))  # noqa: E731
    builders = {
        "postgres": lambda: postgres_target(server("postgres_server"), unique),
        "mariadb": lambda: mariadb_target(server("mariadb_server"), unique),
        "sqlite": lambda: sqlite_target(tmp_path),
        "ftp": lambda: ftp_target(server("ftp_server"), unique),
        "sftp": lambda: sftp_target(server("sftp_server"), unique, {"password": server("sftp_server").password}),
        "s3": lambda: s3_target(server("s3_server"), unique),
        "gcs": lambda: gcs_target(*google(), unique),
        "bigquery": lambda: bigquery_target(*google(), unique),
    }
    return builders[name]()


@pytest.fixture(params=KINDS)
def target(request: pytest.FixtureRequest, unique: str, tmp_path: Path) -> Target:
    return make_target(request.param, request, unique, tmp_path)


@pytest.fixture
def project(catalog: dp.Catalog, target: Target) -> Any:
    project = catalog.project("p")
    project.connectors.create("remote", kind=target.kind, **target.config, **target.secrets)
    return project


def dataset(project: Any, name: str, table: pa.Table) -> Dataset:
    return project.datasets.from_arrow(table, name).wait(timeout=60)


def sqlite_project(catalog: dp.Catalog, tmp_path: Path) -> tuple[Any, Target]:
    """Project "p" with connector "lite" over a fresh SQLite file, and that destination."""
    target = sqlite_target(tmp_path)
    project = catalog.project("p")
    project.connectors.create("lite", kind="sql", **target.config)
    return project, target


def stamped_locator(dest: dict[str, Any], location: str) -> dict[str, Any]:
    """Where a timestamp-mode run wrote, from the time its location carries."""
    found = re.search(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)|(\d{8}_\d{6})", location)
    assert found, location
    when = dt.datetime.strptime(found[0], "%Y-%m-%dT%H:%M:%S" if found[1] else "%Y%m%d_%H%M%S")
    return stamp(dest, when)


def test_every_mode_through_ds_export_reads_back(project: Any, target: Target) -> None:
    five, two = dataset(project, "sales", small_table()), dataset(project, "top", small_table().slice(0, 2))
    over = project.exporters.create("over", connector="remote", mode="overwrite", **target.dest("preds"))
    before = target.names()
    check = over.test()
    assert check.ok, check.message

    run = five.export("over").wait(timeout=120)
    assert (run.status, run.rows, run.error) == ("succeeded", 5, None)
    assert "preds" in run.location and run.duration is not None and run.duration >= 0
    assert_no_secret(run.location, target)
    got = read_back(target, target.dest("preds"))
    assert got.column("city").to_pylist() == small_table().column("city").to_pylist()
    assert [float(v) for v in got.column("price").to_pylist()] == small_table().column("price").to_pylist()
    assert over.history()[0].status == "succeeded"  # the probe of test() left nothing behind
    assert two.export("over").wait(timeout=120).rows == 2
    assert read_back(target, target.dest("preds")).num_rows == 2
    assert target.names() - before == {n for n in target.names() - before if "preds" in n}

    project.exporters.create("stamp", connector="remote", mode="timestamp", **target.dest("labels"))
    stamped_run = five.export("stamp").wait(timeout=120)
    assert read_back(target, stamped_locator(target.dest("labels"), stamped_run.location)).num_rows == 5

    keep = project.exporters.create("keep", connector="remote", mode="cancel", **target.dest("kept"))
    assert five.export("keep").wait(timeout=120).rows == 5
    again = two.export("keep")
    with pytest.raises(JobFailed, match="cancelled: .*already exists.*export cancelled"):
        again.wait(timeout=120)
    assert (again.status, again.location, again.rows) == ("cancelled", None, None)
    assert_no_secret(again.error, target)
    assert read_back(target, target.dest("kept")).num_rows == 5  # untouched

    assert [r.status for r in keep.history()] == ["cancelled", "succeeded"]
    assert keep.info.last_run.status == "cancelled"
    assert [(r.exporter, r.status) for r in two.exports()] == [("keep", "cancelled"), ("over", "succeeded")]
    assert {x.name: x.last_run.status for x in project.exporters} == {
        "keep": "cancelled", "over": "succeeded", "stamp": "succeeded"}


@pytest.mark.team(only=True)
@pytest.mark.parametrize("kind", ["postgres", "sqlite", "s3"])
def test_every_mode_from_the_team_storage(kind: str, catalog: dp.Catalog, request: pytest.FixtureRequest,
                                          unique: str, tmp_path: Path) -> None:
    """The three modes again with the datasets in the team's S3 storage and the exports run by
    the Dask workers (team profile; the local profile runs every kind above)."""
    target = make_target(kind, request, unique, tmp_path)
    project = catalog.project("p")
    project.connectors.create("remote", kind=target.kind, **target.config, **target.secrets)
    test_every_mode_through_ds_export_reads_back(project, target)


def failing_batches(monkeypatch: pytest.MonkeyPatch, cut: Any = None) -> None:
    """Datasets yield one batch, then fail; or, given a `cut`, run it and yield one more batch
    (the export then fails on the cut connection or not at all)."""
    def iter_batches(self: Dataset, batch_rows: int = 65_536) -> Iterator[pa.RecordBatch]:
        yield small_table().to_batches()[0]
        if cut is None:
            raise RuntimeError("the dataset could not be read past row 5")
        cut()
        yield small_table().to_batches()[0]

    monkeypatch.setattr(Dataset, "iter_batches", iter_batches)


def test_failed_overwrite_keeps_the_old_data_and_the_run_says_why(project: Any, target: Target,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ds = dataset(project, "sales", small_table())
    project.exporters.create("over", connector="remote", mode="overwrite", **target.dest("preds"))
    ds.export("over").wait(timeout=120)
    before = target.names()
    failing_batches(monkeypatch)
    run = ds.export("over")
    with pytest.raises(JobFailed, match="failed: .*could not be read past row 5"):
        run.wait(timeout=120)
    assert (run.status, run.location, run.rows) == ("failed", None, None)
    assert run.finished_at is not None
    assert read_back(target, target.dest("preds")).num_rows == 5
    assert target.names() == before  # no staging table or partial file left


def test_postgres_connection_terminated_mid_overwrite(catalog: dp.Catalog, postgres_server: Any, unique: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    target = postgres_target(postgres_server, unique)
    database = target.config["database"]
    project = catalog.project("p")
    project.connectors.create("pg", kind="sql", **target.config, **target.secrets)
    ds = dataset(project, "sales", small_table())
    project.exporters.create("over", connector="pg", mode="overwrite", table="preds")
    ds.export("over").wait(timeout=60)
    killed: list[int] = []

    def cut() -> None:
        engine = sa.create_engine(postgres_server.url(database))
        with engine.connect() as conn:
            killed.extend(conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": database}).scalars())
        engine.dispose()

    failing_batches(monkeypatch, cut)
    run = ds.export("over")
    with pytest.raises(JobFailed):
        run.wait(timeout=60)
    assert killed == [True]  # the export's own connection, cut from another one
    assert run.status == "failed" and "PostgreSQL server" in run.error, run.error
    assert read_back(target, {"table": "preds"}).num_rows == 5
    assert target.names() == {"preds"}


def test_ftp_server_stopped_mid_overwrite(catalog: dp.Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    server = ftp.start()  # a server of its own: this test stops it
    try:
        (server.root / "out").mkdir()
        (server.root / "out" / "preds.csv").write_text("id,city\n1,old\n")
        project = catalog.project("p")
        project.connectors.create("f", kind="ftp", host=server.host, port=server.port,
                                  username=server.username, password=server.password)
        ds = dataset(project, "sales", small_table())
        project.exporters.create("over", connector="f", mode="overwrite", path="/out/preds.csv")
        failing_batches(monkeypatch, server.process.stop)
        run = ds.export("over")
        with pytest.raises(JobFailed):
            run.wait(timeout=60)
        assert run.status == "failed" and run.error.startswith(f"FTP server {server.host}:{server.port} closed "
                                                                "the connection unexpectedly"), run.error
        assert (server.root / "out" / "preds.csv").read_text() == "id,city\n1,old\n"
    finally:
        server.stop()


def test_cancelling_a_running_export_keeps_the_destination(catalog: dp.Catalog, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    project, target = sqlite_project(catalog, tmp_path)
    ds = dataset(project, "sales", small_table())
    project.exporters.create("over", connector="lite", mode="overwrite", table="preds")
    ds.export("over").wait(timeout=60)
    started = threading.Event()

    def endless(self: Dataset, batch_rows: int = 65_536) -> Iterator[pa.RecordBatch]:
        while True:
            started.set()
            yield small_table().to_batches()[0]
            time.sleep(0.05)

    monkeypatch.setattr(Dataset, "iter_batches", endless)
    run = ds.export("over")
    assert started.wait(30)
    with pytest.raises(InUse, match="Exporter 'over' is exporting dataset 'sales' now"):
        project.exporters["over"].delete()
    run.cancel()
    with pytest.raises(JobFailed, match="cancelled"):
        run.wait(timeout=30)
    assert run.status == "cancelled" and "user's request" in run.error
    assert read_back(target, {"table": "preds"}).num_rows == 5
    assert target.names() == {"preds"}


def test_timestamp_exports_in_the_same_second_get_two_names(catalog: dp.Catalog, tmp_path: Path) -> None:
    project, target = sqlite_project(catalog, tmp_path)
    ds = dataset(project, "sales", small_table())
    project.exporters.create("stamp", connector="lite", table="labels")
    runs = [ds.export("stamp"), ds.export("stamp")]
    locations = {run.wait(timeout=60).location for run in runs}
    assert len(locations) == 2
    assert len(target.names()) == 2 and all(re.fullmatch(r"labels_\d{8}_\d{6}", n) for n in target.names())


@pytest.mark.parametrize("kind", ["postgres", "mariadb", "sqlite"])
def test_concurrent_cancel_mode_writes_never_replace_each_other(kind: str, request: pytest.FixtureRequest,
                                                                unique: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from dataplane_jupyter.core.connectors import sql

    target = make_target(kind, request, unique, tmp_path)
    schema = pa.schema([("id", pa.int64())])
    both_checked = threading.Barrier(2, timeout=30)  # both writers found no table "t", now both rename
    swap = sql._swap

    def swap_together(*args: Any, **kwargs: Any) -> None:
        both_checked.wait()
        swap(*args, **kwargs)

    monkeypatch.setattr(sql, "_swap", swap_together)
    outcomes: dict[int, str] = {}

    def write(value: int) -> None:
        try:
            get_kind("sql").write(target.config, target.secrets, {"table": "t"},
                                  [pa.record_batch([[value]], schema=schema)], schema=schema, mode="cancel")
            outcomes[value] = "written"
        except DestinationExists:
            outcomes[value] = "cancelled"

    threads = [threading.Thread(target=write, args=(value,)) for value in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes.values()) == ["cancelled", "written"]
    winner = next(value for value, outcome in outcomes.items() if outcome == "written")
    assert read_back(target, {"table": "t"}).column("id").to_pylist() == [winner]
    assert target.names() == {"t"}


def test_parquet_into_a_folder_is_named_after_the_dataset(catalog: dp.Catalog, s3_server: Any, unique: str) -> None:
    target = s3_target(s3_server, unique)
    project = catalog.project("p")
    project.connectors.create("s3", kind="s3", **target.config, **target.secrets)
    ds = dataset(project, "sales", small_table())
    project.exporters.create("pq", connector="s3", bucket=unique, path="exports/", mode="overwrite",
                             file_format="parquet")
    run = ds.export("pq").wait(timeout=60)
    assert run.location == f"s3://{unique}/exports/sales.parquet"
    body = s3_server.client().get_object(Bucket=unique, Key="exports/sales.parquet")["Body"].read()
    assert pq.read_table(pa.BufferReader(body)).equals(small_table())


def test_csv_written_to_sftp_is_plain_csv(catalog: dp.Catalog, sftp_server: Any, unique: str) -> None:
    target = sftp_target(sftp_server, unique, {"private_key": sftp_server.private_key})
    project = catalog.project("p")
    project.connectors.create("s", kind="sftp", **target.config, **target.secrets)
    ds = dataset(project, "sales", small_table())
    project.exporters.create("csv", connector="s", path=f"/{unique}/sales.csv", mode="cancel")
    ds.export("csv").wait(timeout=60)
    written = pacsv.read_csv(sftp_server.root / unique / "sales.csv")
    assert written.column("city").to_pylist() == small_table().column("city").to_pylist()


def test_destination_test_says_plainly_why_it_cannot_write(catalog: dp.Catalog, ftp_server: Any,
                                                           unique: str) -> None:
    target = ftp_target(ftp_server, unique)
    project = catalog.project("p")
    project.connectors.create("f", kind="ftp", **target.config, **target.secrets)
    project.connectors.create("ro", kind="ftp", **{**target.config, "username": ftp.READONLY_USER},
                              **target.secrets)
    missing = project.exporters.test("f", path="/no-such-folder/out.csv")
    assert not missing.ok and missing.message == (
        f"Folder '/no-such-folder' does not exist on FTP server {ftp_server.host}:{ftp_server.port}")
    denied = project.exporters.test("ro", path=f"/{unique}/out.csv")
    assert not denied.ok and "does not let 'reader' write to" in denied.message, denied.message
    ok = project.exporters.test("f", path=f"/{unique}/out.csv")
    assert ok.ok and ok.message.startswith("The exporter can write there"), ok.message
    assert target.names() == set()  # the probe was removed
    assert ftp_server.password not in denied.message + ok.message


def test_bad_exporters_are_refused_naming_the_field(catalog: dp.Catalog, tmp_path: Path) -> None:
    project, _ = sqlite_project(catalog, tmp_path)
    cases = [
        ({"table": "t", "mode": "append"}, "mode", "mode must be one of timestamp, cancel, overwrite"),
        ({"query": "select 1"}, "query", "not a query"),
        ({"tabel": "t"}, "tabel", "SQL exporters have no field 'tabel'"),
        ({}, "table", "an SQL exporter needs 'table'"),
        ({"table": "t", "file_format": "xlsx"}, "file_format", "file_format must be one of csv, parquet"),
        ({"table": "t", "file_format": "parquet"}, "file_format", "only applies to files"),
    ]
    for fields, field, phrase in cases:
        with pytest.raises(InvalidInput, match=phrase) as error:
            project.exporters.create("bad", connector="lite", **fields)
        assert error.value.field == field
    assert len(project.exporters) == 0
    with pytest.raises(NotFound, match="No connector named 'nope'"):
        project.exporters.create("bad", connector="nope", table="t")


def test_only_datasets_can_be_exported(catalog: dp.Catalog, tmp_path: Path) -> None:
    from dataplane_jupyter.core.catalog.catalog import schema

    project, _ = sqlite_project(catalog, tmp_path)
    out = project.exporters.create("out", connector="lite", table="t")
    with catalog.engine.begin() as connection:
        connection.execute(schema.image_folders.insert().values(
            id=schema.new_id(), project_id=project.id, name="pets", status="ready"))
    with pytest.raises(InvalidInput, match="'pets' is an image folder: image folders cannot be exported"):
        out.run("pets")
    with pytest.raises(NotFound, match="No dataset named 'nope'"):
        out.run("nope")
    assert out.history() == []


def test_connector_in_use_by_an_exporter_cannot_be_deleted(catalog: dp.Catalog, tmp_path: Path) -> None:
    project, _ = sqlite_project(catalog, tmp_path)
    lite = project.connectors["lite"]
    out = project.exporters.create("out", connector="lite", table="t")
    with pytest.raises(InUse, match="Connector 'lite' is used by exporter 'out'"):
        lite.delete()
    renamed = out.update(name="out2", mode="overwrite", table="t2")
    assert (renamed.name, renamed.mode, renamed.destination) == ("out2", "overwrite", {"table": "t2"})
    renamed.delete()
    lite.delete()
    assert len(project.connectors) == 0


def test_export_in_a_worker_process(process_catalog: dp.Catalog, tmp_path: Path) -> None:
    project, target = sqlite_project(process_catalog, tmp_path)
    ds = dataset(project, "sales", small_table())
    project.exporters.create("out", connector="lite", table="preds", mode="overwrite")
    run = ds.export("out")
    assert run.status in ("queued", "running", "succeeded")
    assert run.wait(timeout=120).rows == 5
    job = process_catalog.jobs.get(run.info.job_id)
    assert (job.kind, job.target_type, job.target_id) == ("dataset.export", "export_run", run.id)
    assert job.worker_pid is not None
    assert read_back(target, {"table": "preds"}).num_rows == 5


def test_a_killed_worker_fails_the_run_and_the_old_table_stays(process_catalog: dp.Catalog, tmp_path: Path) -> None:
    project, target = sqlite_project(process_catalog, tmp_path)
    ds = dataset(project, "sales", small_table())
    project.exporters.create("over", connector="lite", table="preds", mode="overwrite")
    ds.export("over").wait(timeout=120)
    lock = sqlite3.connect(target.config["database"], isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # the next export blocks on the database, and is killed there
    try:
        run = ds.export("over")
        deadline = time.monotonic() + 60
        while run.status != "running":
            assert time.monotonic() < deadline, run.status
            time.sleep(0.05)
        pid = process_catalog.jobs.get(run.info.job_id).worker_pid
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(JobFailed, match="Interrupted: the worker process running this job"):
            run.wait(timeout=60)
    finally:
        lock.rollback()
        lock.close()
    assert run.status == "failed" and run.finished_at is not None
    assert read_back(target, {"table": "preds"}).num_rows == 5


DENIED_WRITES = {
    "postgres": "User 'reader' lacks permission on PostgreSQL server .*: permission denied for schema public",
    "mariadb": "User 'reader' lacks permission on MySQL server .*Access denied for user 'reader'",
    "ftp": "FTP server .* does not let 'reader' write to '/.*': missing permission",
    "s3": "The access key '.*' lacks permission to write to bucket '.*' on S3 endpoint",
}


@pytest.mark.parametrize("kind", sorted(DENIED_WRITES))
def test_a_login_without_write_permission_is_named(kind: str, request: pytest.FixtureRequest, unique: str,
                                                   tmp_path: Path) -> None:
    target = make_target(kind, request, unique, tmp_path)
    config, secrets, _ = target.denied
    before = target.names()
    result = get_kind(target.kind).test_destination(config, secrets, target.dest("preds"))
    assert not result.ok and re.match(DENIED_WRITES[kind], result.message), result.message
    assert_no_secret(result, target, secrets)
    assert target.names() == before
