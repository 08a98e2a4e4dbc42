"""The conformance suite every connector kind runs against a real server (after fsspec's tests/abstract).

A subclass provides a `target` fixture returning a `Target`: how to reach the server, how to put
data on it, and which wrong inputs to try. A test that cannot apply to a kind (SQLite has no port)
is switched off in that subclass by setting it to None, never skipped at run time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pytest

from dataplane_jupyter.core.connectors import TestResult, get_kind
from dataplane_jupyter.core.connectors.base import DestinationExists, stamped

BIG_ROWS = 200_000
BATCH_ROWS = 20_000


def small_table() -> pa.Table:
    return pa.table({
        "id": pa.array([1, 2, 3, 4, 5], pa.int64()),
        "city": ["Paris", "Lyon", "Nantes", "Lille", "Brest"],
        "price": [10.5, 20.25, 30.0, 40.75, 50.5],
    })


def big_table(rows: int = BIG_ROWS) -> pa.Table:
    ids = pa.array(range(1, rows + 1), pa.int64())
    return pa.table({"id": ids, "name": [f"row-{i}" for i in range(1, rows + 1)],
                     "value": pa.compute.multiply(ids.cast(pa.float64()), 0.5)})


@dataclass
class Target:
    """One kind on one real server, as a conformance test sees it."""

    kind: str
    config: dict[str, Any]
    secrets: dict[str, Any]
    put: Callable[[str, pa.Table], dict[str, Any]]  # store a table under a name, return its locator
    wrong_secrets: list[tuple[dict[str, Any], dict[str, Any], str]]  # (config, secrets, expected phrase)
    missing: list[tuple[dict[str, Any], str]]  # (locator, expected phrase): missing bucket/database/table/file
    refused: dict[str, Any] | None = None  # config pointing at a port nobody listens on
    unknown_host: dict[str, Any] | None = None
    denied: tuple[dict[str, Any], dict[str, Any], str] | None = None  # (config, secrets, phrase): valid login, no read permission
    dest: Callable[[str], dict[str, Any]] | None = None  # an export destination's locator for a name
    names: Callable[[], set[str]] | None = None  # what is in the test's folder/database/bucket/dataset now

    def secret_values(self, secrets: Mapping[str, Any] | None = None) -> list[str]:
        values = [v for v in {**self.secrets, **(secrets or {})}.values() if isinstance(v, str)]
        return [line for v in values for line in {v, *v.splitlines()} if len(line.strip()) >= 8]


def assert_no_secret(result: TestResult | str, target: Target, secrets: Mapping[str, Any] | None = None) -> None:
    text = result.message if isinstance(result, TestResult) else result
    for value in target.secret_values(secrets):
        assert value not in text, "a secret leaked into a message"


class ConnectorConformance:
    """What every connector kind must do; subclasses supply the `target` fixture."""

    @pytest.fixture
    def target(self) -> Target:  # pragma: no cover - overridden
        raise NotImplementedError

    def test_ok(self, target: Target) -> None:
        result = get_kind(target.kind).test(target.config, target.secrets)
        assert result.ok, result.message
        assert_no_secret(result, target)

    def test_wrong_credentials(self, target: Target) -> None:
        assert target.wrong_secrets, "every kind has a wrong-credential case"
        for config, secrets, phrase in target.wrong_secrets:
            result = get_kind(target.kind).test(config, secrets, timeout=10)
            assert not result.ok
            assert phrase in result.message, result.message
            assert_no_secret(result, target, secrets)

    def test_refused_port(self, target: Target) -> None:
        assert target.refused is not None
        result = get_kind(target.kind).test(target.refused, target.secrets, timeout=5)
        assert not result.ok
        assert "connection refused" in result.message, result.message
        assert_no_secret(result, target)

    def test_unknown_host(self, target: Target) -> None:
        assert target.unknown_host is not None
        result = get_kind(target.kind).test(target.unknown_host, target.secrets, timeout=5)
        assert not result.ok
        assert "does not resolve" in result.message, result.message

    def test_missing(self, target: Target) -> None:
        assert target.missing
        for locator, phrase in target.missing:
            result = get_kind(target.kind).test_locator(target.config, target.secrets, locator, timeout=10)
            assert not result.ok
            assert phrase in result.message, result.message
            assert_no_secret(result, target)

    def test_permission_denied(self, target: Target) -> None:
        assert target.denied is not None
        locator = target.put("guarded", small_table())
        config, secrets, phrase = target.denied
        result = get_kind(target.kind).test_locator(config, secrets, locator, timeout=10)
        assert not result.ok
        assert phrase in result.message, result.message
        assert_no_secret(result, target, secrets)

    def test_preview(self, target: Target) -> None:
        table = small_table()
        locator = target.put("cities", table)
        preview = get_kind(target.kind).preview(target.config, target.secrets, locator, rows=3)
        assert preview.column_names == table.column_names
        assert preview.num_rows == 3
        got = preview.to_pydict()
        assert got["id"] == [1, 2, 3]
        assert got["city"] == ["Paris", "Lyon", "Nantes"]
        assert [float(v) for v in got["price"]] == [10.5, 20.25, 30.0]
        assert get_kind(target.kind).test_locator(target.config, target.secrets, locator).ok

    def test_stream_big(self, target: Target) -> None:
        table = big_table()
        locator = target.put("big", table)
        head = get_kind(target.kind).preview(target.config, target.secrets, locator, rows=5)
        assert head.column("id").to_pylist() == [1, 2, 3, 4, 5]
        baseline, peak, batches, rows, ids = pa.total_allocated_bytes(), 0, 0, 0, 0
        for batch in get_kind(target.kind).iter_batches(target.config, target.secrets, locator,
                                                         batch_rows=BATCH_ROWS):
            assert batch.num_rows <= BATCH_ROWS
            assert batch.schema.names == ["id", "name", "value"]
            batches, rows = batches + 1, rows + batch.num_rows
            ids += pa.compute.sum(batch.column("id")).as_py() or 0
            peak = max(peak, pa.total_allocated_bytes() - baseline)
            del batch
        assert batches > 1
        assert rows == BIG_ROWS
        assert ids == BIG_ROWS * (BIG_ROWS + 1) // 2
        # Reading it whole would hold at least nbytes; the margin absorbs allocator noise under load.
        assert peak < table.nbytes * 0.8, f"{peak} bytes held while streaming {table.nbytes} bytes"

    def test_imports_as_a_ready_dataset_with_statistics(self, target: Target, isolated_home: Any) -> None:
        """The whole path a user takes: connector → datasource → dataset, through the catalog."""
        import dataplane_jupyter as dp

        project = dp.Catalog(isolated_home, executor="thread").project("p")
        project.connectors.create("remote", kind=target.kind, **target.config, **target.secrets)
        locator = target.put("cities", small_table())
        project.datasources.create("cities", connector="remote", **locator)
        ds = project.datasets.import_datasource("cities", name="snapshot").wait(timeout=120)
        assert (ds.origin, ds.rows, ds.columns) == ("datasource", 5, 3)
        price = ds.column("price")
        assert price["type"] == "numeric" and price["mean"] == pytest.approx(30.4)
        assert sorted(ds.to_pandas()["city"]) == ["Brest", "Lille", "Lyon", "Nantes", "Paris"]
        ds.delete()
        assert get_kind(target.kind).preview(target.config, target.secrets, locator, rows=5).num_rows == 5


def stamp(locator: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Where the timestamp mode puts an export aimed at `locator`."""
    if "path" in locator:
        return {**locator, "path": stamped(locator["path"], now)}
    return {**locator, "table": stamped(locator["table"], now, table=True)}


def read_back(target: Target, locator: dict[str, Any]) -> pa.Table:
    batches = list(get_kind(target.kind).iter_batches(target.config, target.secrets, locator))
    return pa.Table.from_batches(batches).sort_by("id")


class ExporterConformance:
    """What every kind that writes must do; subclasses supply `target` with `dest` and `names`."""

    def write(self, target: Target, locator: dict[str, Any], table: pa.Table, mode: str, **kw: Any) -> Any:
        return get_kind(target.kind).write(target.config, target.secrets, locator, table.to_batches(max_chunksize=2),
                                           schema=table.schema, mode=mode, **kw)

    def test_write_overwrite_and_read_back(self, target: Target) -> None:
        dest = target.dest("preds")
        result = self.write(target, dest, small_table(), "overwrite")
        assert result.rows == 5 and "preds" in result.location
        assert_no_secret(result.location, target)
        got = read_back(target, dest)
        assert got.column("city").to_pylist() == small_table().column("city").to_pylist()
        assert [float(v) for v in got.column("price").to_pylist()] == small_table().column("price").to_pylist()
        self.write(target, dest, small_table().slice(0, 2), "overwrite")
        assert read_back(target, dest).num_rows == 2

    def test_write_timestamp_adds_the_time(self, target: Target) -> None:
        dest = target.dest("labels")
        first, second = dt.datetime(2021, 7, 12, 15, 22, 29), dt.datetime(2021, 7, 12, 15, 22, 30)
        one = self.write(target, dest, small_table(), "timestamp", now=first)
        two = self.write(target, dest, small_table().slice(0, 1), "timestamp", now=second)
        assert one.location != two.location
        assert ("2021-07-12T15:22:29" in one.location) or ("20210712_152229" in one.location), one.location
        assert read_back(target, stamp(dest, first)).num_rows == 5
        assert read_back(target, stamp(dest, second)).num_rows == 1

    def test_write_cancel_keeps_what_exists(self, target: Target) -> None:
        dest = target.dest("kept")
        self.write(target, dest, small_table(), "cancel")
        with pytest.raises(DestinationExists, match="already exists.*export cancelled"):
            self.write(target, dest, small_table().slice(0, 1), "cancel")
        assert read_back(target, dest).num_rows == 5

    def test_failed_write_leaves_nothing(self, target: Target) -> None:
        dest = target.dest("broken")
        before = target.names()

        def batches():
            yield small_table().to_batches()[0]
            raise RuntimeError("the dataset could not be read")

        with pytest.raises(RuntimeError, match="could not be read"):
            get_kind(target.kind).write(target.config, target.secrets, dest, batches(),
                                        schema=small_table().schema, mode="overwrite")
        assert target.names() == before

    def test_write_big_streams(self, target: Target) -> None:
        table = big_table()
        dest = target.dest("big_out")
        result = get_kind(target.kind).write(target.config, target.secrets, dest,
                                             table.to_batches(max_chunksize=BATCH_ROWS), schema=table.schema,
                                             mode="overwrite")
        assert result.rows == BIG_ROWS
        rows = sum(b.num_rows for b in get_kind(target.kind).iter_batches(target.config, target.secrets, dest))
        assert rows == BIG_ROWS
