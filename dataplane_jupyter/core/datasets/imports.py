"""The import pipeline behind every dataset: copy → statistics → ready, as one job.

Whatever the source (upload, URL, datasource, DataFrame), a dataset moves through the
platform's three steps here, and a failure or cancellation anywhere marks it `failed` with the
reason and removes the files written so far.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, BinaryIO, Iterator

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.datasets.paths import DATA_FILE, dataset_folder
from dataplane_jupyter.core.errors import UpstreamError
from dataplane_jupyter.core.jobs.runner import JobContext
from dataplane_jupyter.core.jobs.store import Job
from dataplane_jupyter.core.models import DatasetStatus

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog
    from dataplane_jupyter.core.catalog.project import Project

COPY_SHARE = 0.6  # share of the progress bar given to copying; statistics take the rest


def _set(catalog: "Catalog", dataset_id: str, **values: Any) -> None:
    with catalog.engine.begin() as connection:
        connection.execute(
            schema.datasets.update().where(schema.datasets.c.id == dataset_id).values(**values)
        )


def _start(project: "Project", dataset_id: str, kind: str, function: str, params: dict[str, Any]) -> Job:
    job = project.catalog.jobs.start(
        kind,
        function,
        on_end=f"{__name__}:on_import_end",
        project_id=project.id,
        target=("dataset", dataset_id),
        params={"dataset_id": dataset_id, "project_id": project.id, **params},
    )
    _set(project.catalog, dataset_id, job_id=job.id)
    return job


def start_file_import(
    project: "Project", dataset_id: str, location: str, options: dict[str, Any], *, delete_source: bool
) -> Job:
    """Start the job that turns a CSV file into the dataset's Parquet file and statistics."""
    return _start(
        project,
        dataset_id,
        "dataset.import",
        f"{__name__}:run_file_import",
        {"location": location, "options": options, "delete_source": delete_source},
    )


def start_datasource_import(project: "Project", dataset_id: str, datasource_id: str) -> Job:
    """Start the job that copies a datasource (table or remote file) into the dataset."""
    return _start(
        project, dataset_id, "dataset.import", f"{__name__}:run_datasource_import", {"datasource_id": datasource_id}
    )


def start_statistics(project: "Project", dataset_id: str, rows: int, arrow_schema: pa.Schema) -> Job:
    """Mark an already stored dataset copied and start computing its statistics."""
    _set(
        project.catalog,
        dataset_id,
        status=DatasetStatus.COMPUTING_STATISTICS.value,
        rows=rows,
        n_columns=len(arrow_schema),
        schema=[{"name": f.name, "type": str(f.type)} for f in arrow_schema],
    )
    return _start(project, dataset_id, "dataset.statistics", f"{__name__}:run_statistics", {})


def run_file_import(ctx: JobContext) -> dict[str, Any]:
    """Job: detect the CSV format, stream it into Parquet, then compute statistics."""
    from dataplane_jupyter.core.datasets.zip_import import file_kind, run_media_import

    location = ctx.params["location"]
    if kind := file_kind(location):  # a zip (CSV + images/npy, or an image tree) or an .npy file
        return run_media_import(ctx, kind)
    source = _current_source(ctx.catalog, ctx.params["dataset_id"])["file"]
    ctx.progress(0.0, f"Reading {source}", force=True)
    with fsspec.open(location, "rb", compression="infer") as stream:
        result = _import_csv_stream(ctx, stream, source=source)
    _remove_source(ctx.params)
    return result


def _import_csv_stream(ctx: JobContext, stream: BinaryIO, *, source: str, media: Any = None) -> dict[str, Any]:
    from dataplane_jupyter.core.datasets.media_columns import type_media_columns
    from dataplane_jupyter.core.ingest import CsvOptions, csv_to_parquet, detect_csv_format

    catalog, params = ctx.catalog, ctx.params
    dataset_id = params["dataset_id"]
    destination = catalog.storage.writable_path(dataset_folder(params["project_id"], dataset_id), DATA_FILE)
    options = CsvOptions(**{k: v for k, v in params.get("options", {}).items() if v is not None})
    total = getattr(stream, "size", None)
    fmt = detect_csv_format(stream, options, source=source)
    stream.seek(0)
    result = csv_to_parquet(
        stream,
        destination,
        fmt,
        source=source,
        progress=lambda f, m: ctx.progress(f * COPY_SHARE, m),
        total_bytes=total if isinstance(total, int) else None,
        filesystem=catalog.storage.filesystem(),
    )
    result = type_media_columns(destination, result, catalog.storage.filesystem(), source=source, media=media)
    _set(
        catalog,
        dataset_id,
        status=DatasetStatus.COMPUTING_STATISTICS.value,
        rows=result.rows,
        n_columns=len(result.columns),
        schema=[asdict(column) for column in result.columns],
        warnings=[asdict(warning) for warning in result.warnings],
        source={**_current_source(catalog, dataset_id), "format": result.format.to_dict()},
    )
    return {**_compute_statistics(ctx), "format": result.format.to_dict()}


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
    ctx.progress(0.0, f"Reading {what}", force=True)
    if kind.shape(locator) == "file":
        with connector.open_file(locator) as stream:
            return _import_csv_stream(ctx, stream, source=str(locator.get("path") or what))
    destination = catalog.storage.writable_path(dataset_folder(params["project_id"], params["dataset_id"]), DATA_FILE)
    rows, arrow_schema = _write_batches(ctx, connector.iter_batches(locator), destination, what)
    _set(
        catalog,
        params["dataset_id"],
        status=DatasetStatus.COMPUTING_STATISTICS.value,
        rows=rows,
        n_columns=len(arrow_schema),
        schema=[{"name": f.name, "type": None, "dtype": str(f.type)} for f in arrow_schema],
    )
    return _compute_statistics(ctx)


def _write_batches(ctx: JobContext, batches: Iterator[pa.RecordBatch], destination: str, what: str) -> tuple[int, pa.Schema]:
    rows, writer = 0, None
    with ctx.catalog.storage.fs.open(destination, "wb") as out:
        try:
            for batch in batches:
                if writer is None:
                    writer = pq.ParquetWriter(out, batch.schema)
                writer.write_batch(batch)
                rows += batch.num_rows
                ctx.progress(0.05, f"Copied {rows:,} rows of {what}")
        finally:
            if writer is not None:
                writer.close()
    if writer is None:
        raise UpstreamError(f"{what} returned no columns.")
    return rows, writer.schema


def run_statistics(ctx: JobContext) -> dict[str, Any]:
    """Job: compute the statistics of a stored dataset."""
    return _compute_statistics(ctx)


def _compute_statistics(ctx: JobContext) -> dict[str, Any]:
    from dataplane_jupyter.core.stats import compute_statistics, first_figures

    catalog, params = ctx.catalog, ctx.params
    dataset_id = params["dataset_id"]
    folder = dataset_folder(params["project_id"], dataset_id)
    data = catalog.storage.path(folder, DATA_FILE)
    fs = catalog.storage.filesystem()
    start = COPY_SHARE if ctx.job.kind == "dataset.import" else 0.0
    ctx.progress(start, "Computing statistics", force=True)
    _store_statistics(catalog, dataset_id, {**first_figures(data, filesystem=fs), "partial": True})
    payload = compute_statistics(
        data, filesystem=fs, progress=lambda f, m: ctx.progress(start + f * (1 - start), m)
    )
    _store_statistics(catalog, dataset_id, {**payload, "partial": False})
    _set(catalog, dataset_id, status=DatasetStatus.READY.value, size_bytes=catalog.storage.size(folder), error=None)
    return {"rows": payload["summary"]["rows"], "columns": payload["summary"]["columns"]}


def _store_statistics(catalog: "Catalog", dataset_id: str, payload: dict[str, Any]) -> None:
    """Replace the dataset's stored statistics (first figures first, then the full set)."""
    table = schema.dataset_statistics
    with catalog.engine.begin() as connection:
        connection.execute(table.delete().where(table.c.dataset_id == dataset_id))
        connection.execute(table.insert().values(dataset_id=dataset_id, payload=payload))


def _remove_source(params: dict[str, Any]) -> None:
    if params.get("delete_source"):
        fs, path = fsspec.core.url_to_fs(params["location"])
        if fs.exists(path):
            fs.rm(path)


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
    _set(catalog, params["dataset_id"], status=DatasetStatus.FAILED.value, error=job.error)
