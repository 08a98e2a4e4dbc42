"""Statistics, samples and downloads of datasets whose columns have less common Arrow types."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import sqlite3
import time

import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from dataplane_jupyter.core.connectors._files import write_csv
from dataplane_jupyter.core.embeddings.embeddings import _current


@pytest.fixture
def project(catalog):
    return catalog.project("p")


def test_a_bytes_column_gets_binary_statistics(project, tmp_path):
    frame = pd.DataFrame({"id": [1, 2, 3], "raw": [b"\x00\x01", b"\xff\xfeabc", None]})
    ds = project.datasets.from_pandas(frame, name="b").wait(timeout=60)
    assert ds.status == "ready", ds.error
    raw = ds.column("raw")
    assert (raw["type"], raw["count"], raw["missing"], raw["distinct"]) == ("binary", 2, 1, 2)
    assert raw["byte_length"] == {"min": 2, "max": 5, "mean": 3.5}
    stats = ds.statistics()
    json.dumps(stats, allow_nan=False)
    assert stats["sample"]["rows"][0] == [1, "<2 bytes>"]
    assert ds.sample(2)["raw"].tolist() == [b"\x00\x01", b"\xff\xfeabc"]
    csv = pacsv.read_csv(ds.download(tmp_path / "b.csv"))
    assert csv.column("raw").to_pylist() == ["AAE=", "//5hYmM=", ""]
    assert pq.read_table(ds.download(tmp_path / "b.parquet")).equals(ds.to_arrow())


UNUSUAL = {
    "large_binary": pa.array([b"ab", b"cde", None], pa.large_binary()),
    "fixed_size_binary": pa.array([b"ab", b"cd", None], pa.binary(2)),
    "list": pa.array([[1, 2], [3], None]),
    "struct": pa.array([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}, None]),
    "map": pa.array([[("a", 1)], [("b", 2)], None], pa.map_(pa.string(), pa.int64())),
    "decimal": pa.array([decimal.Decimal("1.50"), decimal.Decimal("2.25"), None], pa.decimal128(10, 2)),
    "time_of_day": pa.array([dt.time(1, 2, 3), dt.time(4, 5, 6), None], pa.time64("us")),
    "duration": pa.array([dt.timedelta(seconds=5), dt.timedelta(hours=1), None], pa.duration("ms")),
    "timestamp_tz": pa.array([dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
                              dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc), None],
                             pa.timestamp("us", tz="Europe/Paris")),
    "dictionary": pa.array(["a", "b", None]).dictionary_encode(),
    "uint64": pa.array([1, 2**63, None], pa.uint64()),
}


@pytest.mark.parametrize("kind", list(UNUSUAL))
def test_unusual_arrow_types_reach_ready_with_statistics(project, tmp_path, kind):
    table = pa.table({"n": [1.0, 2.0, 4.0], "x": UNUSUAL[kind]})
    ds = project.datasets.from_arrow(table, name=kind).wait(timeout=60)
    assert ds.status == "ready", ds.error
    stats = ds.statistics()
    json.dumps(stats, allow_nan=False)
    x = ds.column("x")
    assert (x["count"], x["missing"], x["distinct"]) == (2, 1, 2)
    assert len(stats["sample"]["rows"]) == 3
    assert len(pacsv.read_csv(ds.download(tmp_path / "x.csv"))) == 3


@pytest.fixture
def new_york_time():
    """A local time zone other than UTC, as on many laptops."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_unusual_types_are_described_in_their_own_units(project, new_york_time):
    table = pa.table({k: UNUSUAL[k] for k in ("duration", "time_of_day", "timestamp_tz", "decimal")})
    ds = project.datasets.from_arrow(table, name="units").wait(timeout=60)
    assert ds.status == "ready", ds.error
    duration, time_of_day = ds.column("duration"), ds.column("time_of_day")
    assert (duration["type"], duration["min"], duration["max"]) == ("numeric", 5.0, 3600.0)
    assert (time_of_day["type"], time_of_day["min"]) == ("datetime", "1970-01-01T01:02:03")
    assert ds.column("timestamp_tz")["min"] == "2024-01-01T00:00:00"  # UTC
    assert ds.column("decimal")["mean"] == pytest.approx(1.875)
    assert ds.statistics()["correlation"]["columns"] == ["duration", "decimal"]


def test_a_blob_column_imported_from_sql_gets_binary_statistics(project, tmp_path):
    path = tmp_path / "files.db"
    with sqlite3.connect(path) as con:
        con.execute("create table files (id integer, raw blob)")
        con.executemany("insert into files values (?, ?)", [(1, b"\x00\x01"), (2, b"\xff" * 10), (3, None)])
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(path))
    project.datasources.create("files", connector="lite", table="files")
    ds = project.datasets.import_datasource("files", name="files").wait(timeout=60)
    raw = ds.column("raw")
    assert (ds.status, raw["type"], raw["count"], raw["byte_length"]["max"]) == ("ready", "binary", 2, 10)


def test_file_exports_write_binary_and_nested_cells_as_text(tmp_path):
    table = pa.table({"raw": pa.array([b"\xff\x00", None]), "tags": pa.array([["a", "b"], []])})
    fs = fsspec.filesystem("file")
    target = str(tmp_path / "out.csv")
    assert write_csv(fs, target, table.to_batches(), table.schema, separator=",") == 2
    assert (tmp_path / "out.csv").read_text().splitlines() == ['"raw","tags"', '"/wA=","[""a"", ""b""]"', ',"[]"']


def test_embeddings_use_durations_times_and_huge_integers_and_skip_bytes(project):
    table = pa.table({k: pa.concat_arrays([UNUSUAL[k]] * 4) for k in
                      ("duration", "time_of_day", "uint64", "large_binary", "struct")})
    ds = project.datasets.from_arrow(table, name="mixed").wait(timeout=60)
    ds.compute_embeddings(method="pca").wait(timeout=120)
    assert len(ds.embeddings()) == 12
    meta = _current(project.catalog, ds.id)
    assert ds.info.embeddings == meta  # the typed record keeps every stored key and value
    assert [f["name"] for f in meta["features"]] == ["duration", "time_of_day", "uint64"]
    assert {s["name"] for s in meta["skipped"]} == {"large_binary", "struct"}
