"""The import pipeline behind every dataset: copy → statistics → ready, as one job.

Whatever the source (upload, URL, datasource, DataFrame), a dataset moves through the
platform's three steps here, and a failure or cancellation anywhere marks it `failed` with the
reason and removes the files written so far.
"""

from __future__ import annotations

import itertools
import json
import posixpath
import shutil
import tempfile
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Mapping

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from dataplane_jupyter.core.archives import open_bounded
from dataplane_jupyter.core.background import BackgroundConsumer
from dataplane_jupyter.core.catalog import records, schema
from dataplane_jupyter.core.catalog.storage import remove_staged_source
from dataplane_jupyter.core.datasets.media_columns import type_media_columns
from dataplane_jupyter.core.datasets.paths import DATA_FILE, dataset_folder
from dataplane_jupyter.core.datasets.zip_import import file_kind, run_media_import
from dataplane_jupyter.core.errors import DataplaneError, UpstreamError
from dataplane_jupyter.core.ingest import META_TYPES, CsvOptions, csv_to_parquet, detect_csv_format
from dataplane_jupyter.core.ingest.detect import read_sample
from dataplane_jupyter.core.ingest.firstlook import first_look
from dataplane_jupyter.core.ingest.model import CsvFormat
from dataplane_jupyter.core.ingest.rejected import REJECTED_FILE, write_rejected
from dataplane_jupyter.core.jobs.runner import JobContext
from dataplane_jupyter.core.jobs.store import Job
from dataplane_jupyter.core.models import DatasetStatus
from dataplane_jupyter.core.stats import first_figures
from dataplane_jupyter.core.stats.accumulate import StatsAccumulator
from dataplane_jupyter.core.stats.spread import dataset_statistics

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog
    from dataplane_jupyter.core.catalog.project import Project

COPY_SHARE = 0.6  # share of the progress bar given to copying; statistics take the rest


def set_dataset(catalog: "Catalog", dataset_id: str, **values: Any) -> None:
    """Write fields of a dataset record as its import moves along."""
    records.set_fields(catalog.engine, schema.datasets, dataset_id, **values)


def start_import_job(project: "Project", dataset_id: str, kind: str, function: str, params: dict[str, Any],
                     *, on_end: str = f"{__name__}:on_import_end") -> Job:
    """Start the job (`function`, "module:name") that fills the dataset, and link the two."""
    job = project.catalog.jobs.start(
        kind,
        function,
        on_end=on_end,
        project_id=project.id,
        target=("dataset", dataset_id),
        params={"dataset_id": dataset_id, "project_id": project.id, **params},
    )
    set_dataset(project.catalog, dataset_id, job_id=job.id)
    return job


def start_file_import(
    project: "Project", dataset_id: str, location: str, options: dict[str, Any], *, delete_source: bool
) -> Job:
    """Start the job that turns a CSV file into the dataset's Parquet file and statistics,
    with the file's first look stored before it starts (see :func:`store_first_look`)."""
    looked = store_first_look(project.catalog, dataset_id, location, options)
    return start_import_job(
        project,
        dataset_id,
        "dataset.import",
        f"{__name__}:run_file_import",
        {"location": location, "options": options, "delete_source": delete_source, "first_look": looked},
    )


def store_first_look(catalog: "Catalog", dataset_id: str, location: str, options: dict[str, Any]) -> bool:
    """Store the first look at a CSV file (columns, provisional types, first rows, estimated
    row count) in the process that starts its import, from the detection sample alone.

    It shows before the job's worker has even started, which alone takes over a second (#13).
    False for a zip, npy or unreadable file: the job then reads it, and names what is wrong."""
    source = posixpath.basename(location.split("://")[-1])
    try:
        if file_kind(location):
            return False
        with open_bounded(location, source) as stream:
            _, look = _look(stream, _csv_options(options), source)
    except (DataplaneError, OSError, ValueError):
        return False
    if look is None:
        return False
    store_statistics(catalog, dataset_id, look)
    return True


def start_datasource_import(project: "Project", dataset_id: str, datasource_id: str) -> Job:
    """Start the job that copies a datasource (table or remote file) into the dataset."""
    return start_import_job(
        project, dataset_id, "dataset.import", f"{__name__}:run_datasource_import", {"datasource_id": datasource_id}
    )


def start_statistics(project: "Project", dataset_id: str, rows: int, arrow_schema: pa.Schema) -> Job:
    """Mark an already stored dataset copied and start computing its statistics."""
    set_dataset(
        project.catalog,
        dataset_id,
        status=DatasetStatus.COMPUTING_STATISTICS.value,
        rows=rows,
        n_columns=len(arrow_schema),
        schema=[{"name": f.name, "type": str(f.type)} for f in arrow_schema],
    )
    return start_import_job(project, dataset_id, "dataset.statistics", f"{__name__}:run_statistics", {})


class DatasetImport:
    """The one import template, for the dataset of an import job: detect the kind → a reader
    yields Arrow batches and column types (:meth:`write`; the CSV reader writes its Parquet
    itself, :meth:`csv`) → :meth:`finish` computes the statistics and makes it ready.

    CSV, zip (CSV + media, image trees, npy sets), npy and datasource imports all go through
    it; nothing outside this module touches the dataset record of an import.
    """

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.catalog = ctx.catalog
        self.params = ctx.params
        self.dataset_id: str = ctx.params["dataset_id"]
        self.folder = dataset_folder(ctx.params["project_id"], self.dataset_id)

    @property
    def source(self) -> dict[str, Any]:
        """The dataset's stored source (file name or datasource)."""
        return _current_source(self.catalog, self.dataset_id)

    def progress(self, fraction: float, message: str, *, force: bool = False) -> None:
        self.ctx.progress(fraction, message, force=force)

    def write(self, schema: pa.Schema, batches: Iterable[pa.RecordBatch], types: Mapping[str, str | None], *,
              metadata: dict[bytes, bytes] | None = None, what: str = "") -> tuple[int, pa.Schema]:
        """Write the reader's batches as the dataset's Parquet file (zstd), the column types
        in its metadata; returns (rows, schema)."""

        named = {k: v for k, v in types.items() if v}
        meta = {**({META_TYPES.encode(): json.dumps(named).encode()} if named else {}), **(metadata or {})}
        schema = schema.with_metadata({**(schema.metadata or {}), **meta})
        rows = 0
        with self.catalog.storage.open(f"{self.folder}/{DATA_FILE}", "wb") as out, \
                pq.ParquetWriter(out, schema, compression="zstd") as writer:
            for batch in batches:
                writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
                rows += batch.num_rows
                self.progress(COPY_SHARE * 0.9, f"Copied {rows:,} rows" + (f" of {what}" if what else ""))
        return rows, schema

    def copied(self, rows: int, columns: list[dict[str, Any]], warnings: list[dict[str, Any]] | None = None,
               **source: Any) -> None:
        """The data is stored: record its shape, warnings and what the reader found."""
        values: dict[str, Any] = {"status": DatasetStatus.COMPUTING_STATISTICS.value, "rows": rows,
                                  "n_columns": len(columns), "schema": columns}
        if warnings is not None:
            values["warnings"] = warnings
        if source:
            values["source"] = {**self.source, **source}
        set_dataset(self.catalog, self.dataset_id, **values)

    def finish(self, accumulated: Any = None) -> dict[str, Any]:
        """Statistics of the stored data (first figures at once, then the full set); ready.

        ``accumulated``: a :class:`~dataplane_jupyter.core.stats.accumulate.StatsAccumulator`
        already fed with every row while the file was written (the CSV reader's one pass);
        without it the statistics read the stored file."""
        return _compute_statistics(self.ctx, accumulated)

    def csv(self, stream: BinaryIO, *, source: str, media: Any = None) -> dict[str, Any]:
        """The CSV reader: detect the format, write the typed Parquet file, then finish."""
        return _import_csv_stream(self, stream, source=source, media=media)

    def remove_source(self) -> None:
        """Delete the staged upload once read (when the import owns it)."""
        remove_source(self.params)


def run_file_import(ctx: JobContext) -> dict[str, Any]:
    """Job: detect the kind (zip, npy or CSV), read it into Parquet, then compute statistics."""

    target = DatasetImport(ctx)
    location = ctx.params["location"]
    if kind := file_kind(location):  # a zip (CSV + images/npy, or an image tree) or an .npy file
        return run_media_import(target, kind)
    source = target.source["file"]
    target.progress(0.0, f"Reading {source}", force=True)
    room = shutil.disk_usage(tempfile.gettempdir()).free  # a .gz is decompressed into the temp folder
    with open_bounded(location, source, room=room) as stream:  # .gz/.bz2/.xz: bounded like a zip
        result = target.csv(stream, source=source)
    target.remove_source()
    return result


def _import_csv_stream(target: DatasetImport, stream: BinaryIO, *, source: str, media: Any = None) -> dict[str, Any]:

    catalog, params = target.catalog, target.params
    destination = catalog.storage.writable_path(target.folder, DATA_FILE)
    options = params.get("options", {})
    on_bad_rows = options.get("on_bad_rows") or "repair"
    total = getattr(stream, "size", None)
    fmt, look = _look(stream, _csv_options(options), source, look=not params.get("first_look"))
    if look is not None:  # shown while the file is written (#13), unless its starter stored it
        store_statistics(catalog, target.dataset_id, look)
    sink = _StatisticsSink()
    try:
        return _read_csv(target, stream, fmt, destination, sink, total=total, source=source, media=media,
                         on_bad_rows=on_bad_rows)
    finally:
        sink.close()


def _csv_options(options: Mapping[str, Any]) -> CsvOptions:
    """The reading options an import was given (None: detect it), without `on_bad_rows`."""
    return CsvOptions(**{k: v for k, v in options.items() if v is not None and k != "on_bad_rows"})


def _look(stream: BinaryIO, options: CsvOptions, source: str, *,
          look: bool = True) -> tuple[CsvFormat, dict[str, Any] | None]:
    """The file's detected format and (with `look`) its first look, from the sample; the
    stream is rewound."""
    total = getattr(stream, "size", None)
    fmt = detect_csv_format(stream, options, source=source)
    stream.seek(0)
    if not look:
        return fmt, None
    raw, truncated = read_sample(stream)
    stream.seek(0)
    return fmt, first_look(raw, truncated, fmt, total_bytes=total if isinstance(total, int) else None)


class _StatisticsSink:
    """The CSV reader's batches, fed to the statistics while they are written (one pass).

    The statistics run on their own thread, a few batches behind the writer (a bounded
    queue: memory stays bounded), so reading, writing and counting overlap."""

    QUEUED_BATCHES = 2

    def __init__(self) -> None:
        self.accumulator: Any = None
        self._feed: BackgroundConsumer[pa.RecordBatch] | None = None
        self._decided: dict[str, str] = {}

    def start(self, schema: pa.Schema, types: Mapping[str, str]) -> None:

        self.close()
        self._decided = {}
        self.accumulator = StatsAccumulator(schema, dict(types))
        self._feed = BackgroundConsumer(self.accumulator.update, queued=self.QUEUED_BATCHES,
                                        name="dataplane-stats-feed")

    def decided(self, types: Mapping[str, str]) -> None:
        """The reader decided the string columns' types after their batches (one scan)."""
        self._decided = dict(types)

    def update(self, batch: pa.RecordBatch) -> None:
        assert self._feed is not None, "start() comes first"
        self._feed.put(batch)

    def take(self) -> Any:
        """The fed accumulator, now owned by the caller (None if nothing was written)."""
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.finish()
        accumulator, self.accumulator = self.accumulator, None
        if accumulator is not None and self._decided:
            accumulator.retype(self._decided)
        return accumulator

    def close(self) -> None:
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.stop()
        if self.accumulator is not None:
            self.accumulator.close()
            self.accumulator = None


def _read_csv(target: DatasetImport, stream: BinaryIO, fmt: Any, destination: str, sink: _StatisticsSink, *,
              total: Any, source: str, media: Any, on_bad_rows: Any) -> dict[str, Any]:

    ctx, catalog = target.ctx, target.catalog
    result = csv_to_parquet(
        stream,
        destination,
        fmt,
        source=source,
        progress=lambda f, m: ctx.progress(f * COPY_SHARE, m),
        total_bytes=total if isinstance(total, int) else None,
        filesystem=catalog.storage.filesystem(),
        on_bad_rows=on_bad_rows,
        sink=sink,
    )
    if result.rejected:
        with catalog.storage.open(f"{target.folder}/{REJECTED_FILE}", "wb") as out:
            write_rejected(result.rejected, out)
    typed = type_media_columns(destination, result, catalog.storage.filesystem(), source=source, media=media)
    if typed.columns != result.columns:  # media columns retyped (file rewritten): statistics read the file
        sink.close()
    result = typed
    target.copied(
        result.rows,
        [asdict(column) for column in result.columns],
        [asdict(warning) for warning in result.warnings],
        format=result.format.to_dict(), rejected_rows=len(result.rejected), repaired_rows=len(result.repaired),
    )
    return {**target.finish(sink.take()), "format": result.format.to_dict()}


def _current_source(catalog: "Catalog", dataset_id: str) -> dict[str, Any]:
    with catalog.engine.connect() as connection:
        return dict(
            connection.execute(
                sa.select(schema.datasets.c.source).where(schema.datasets.c.id == dataset_id)
            ).scalar_one()
        )


def run_datasource_import(ctx: JobContext) -> dict[str, Any]:
    """Job: copy a datasource through its connector (files via the CSV path, tables in
    streamed batches), then compute statistics."""
    catalog, params = ctx.catalog, ctx.params
    project = catalog.project_by_id(params["project_id"])
    source = project.datasources[params["datasource_id"]]
    connector = source.connector
    kind, locator = connector.kind_impl, source.locator
    what = kind.describe(locator)
    target = DatasetImport(ctx)
    target.progress(0.0, f"Reading {what}", force=True)
    if kind.shape(locator) == "file":
        with connector.open_file(locator) as stream:
            return target.csv(stream, source=str(locator.get("path") or what))
    batches = iter(connector.iter_batches(locator))
    first = next(batches, None)
    if first is None:
        raise UpstreamError(f"{what} returned no columns.")
    rows, arrow_schema = target.write(first.schema, itertools.chain([first], batches), {}, what=what)
    target.copied(rows, [{"name": f.name, "type": None, "dtype": str(f.type)} for f in arrow_schema])
    return target.finish()


def run_statistics(ctx: JobContext) -> dict[str, Any]:
    """Job: compute the statistics of a stored dataset."""
    return _compute_statistics(ctx)


def _compute_statistics(ctx: JobContext, accumulated: Any = None) -> dict[str, Any]:

    catalog, params = ctx.catalog, ctx.params
    dataset_id = params["dataset_id"]
    folder = dataset_folder(params["project_id"], dataset_id)
    data = catalog.storage.path(folder, DATA_FILE)
    fs = catalog.storage.filesystem()
    start = COPY_SHARE if ctx.job.kind == "dataset.import" else 0.0
    ctx.progress(start, "Computing statistics", force=True)
    store_statistics(catalog, dataset_id, {**first_figures(data, filesystem=fs), "partial": True})
    progress = lambda f, m: ctx.progress(start + f * (1 - start), m)  # noqa: E731
    spread: dict[str, Any] = {}
    if accumulated is None:  # on the Dask executor, large files spread over its workers
        payload, spread = dataset_statistics(catalog.storage, f"{folder}/{DATA_FILE}", progress=progress)
    else:  # fed while the file was written: only what did not fit memory reads the file again
        try:
            payload = accumulated.result(data, filesystem=fs, progress=progress)
        finally:
            accumulated.close()
        progress(1.0, "statistics ready")
    store_statistics(catalog, dataset_id, {**payload, "partial": False})
    set_dataset(catalog, dataset_id, status=DatasetStatus.READY.value, size_bytes=catalog.storage.size(folder), error=None)
    return {"rows": payload["summary"]["rows"], "columns": payload["summary"]["columns"], **spread}


def store_statistics(catalog: "Catalog", dataset_id: str, payload: dict[str, Any]) -> None:
    """Replace the dataset's stored statistics (first figures first, then the full set)."""
    table = schema.dataset_statistics
    with catalog.engine.begin() as connection:
        connection.execute(table.delete().where(table.c.dataset_id == dataset_id))
        connection.execute(table.insert().values(dataset_id=dataset_id, payload=payload))


def remove_source(params: dict[str, Any]) -> None:
    """Delete an import's staged file when the job owns it (``delete_source``)."""
    remove_staged_source(params)


def on_import_end(catalog: "Catalog", job: Job) -> None:
    """A failed or cancelled import: dataset `failed` with the reason, partial files removed
    (not the staged upload: a retry reads it again)."""
    params = job.params
    catalog.storage.remove(dataset_folder(params["project_id"], params["dataset_id"]))  # before `failed` shows
    with catalog.engine.begin() as connection:
        connection.execute(
            sa.delete(schema.dataset_statistics).where(
                schema.dataset_statistics.c.dataset_id == params["dataset_id"]
            )
        )
    # a staged upload stays for `Dataset.retry` (datasets/import_retry.py); deleting the dataset removes it
    set_dataset(  # the data is gone: so are its row count, width, size and schema
        catalog, params["dataset_id"], status=DatasetStatus.FAILED.value, error=job.error,
        rows=None, n_columns=None, size_bytes=None, schema=[],
    )
