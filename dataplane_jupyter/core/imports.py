"""The import pipeline behind every dataset: copy → statistics → ready, as one job.

Whatever the source (upload, URL, datasource, DataFrame), a dataset moves through the
platform's three steps here, and a failure or cancellation anywhere marks it `failed` with the
reason and removes the files written so far.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fsspec
import pyarrow as pa
import sqlalchemy as sa

from . import schema
from .datasets import DATA_FILE, dataset_folder
from .jobs import Job
from .models import DatasetStatus
from .runner import JobContext

if TYPE_CHECKING:
    from .catalog import Catalog
    from .project import Project

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
    from .ingest import CsvOptions, csv_to_parquet, detect_csv_format

    catalog, params = ctx.catalog, ctx.params
    location, dataset_id = params["location"], params["dataset_id"]
    source = location.rsplit("/", 1)[-1]
    destination = catalog.storage.path(dataset_folder(params["project_id"], dataset_id), DATA_FILE)
    options = CsvOptions(**{k: v for k, v in params["options"].items() if v is not None})
    ctx.progress(0.0, f"Reading {source}", force=True)
    with fsspec.open(location, "rb") as stream:
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
    _set(
        catalog,
        dataset_id,
        status=DatasetStatus.COMPUTING_STATISTICS.value,
        rows=result.rows,
        n_columns=len(result.columns),
        schema=[{"name": c.name, "type": c.type} for c in result.columns],
        warnings=[w.to_dict() for w in result.warnings],
        source={"file": source, "format": result.format.to_dict()},
    )
    _remove_source(params)
    return {**_compute_statistics(ctx), "format": result.format.to_dict()}


def run_statistics(ctx: JobContext) -> dict[str, Any]:
    """Job: compute the statistics of a stored dataset."""
    return _compute_statistics(ctx)


def _compute_statistics(ctx: JobContext) -> dict[str, Any]:
    from .stats import compute_statistics

    catalog, params = ctx.catalog, ctx.params
    dataset_id = params["dataset_id"]
    folder = dataset_folder(params["project_id"], dataset_id)
    start = COPY_SHARE if ctx.job.kind == "dataset.import" else 0.0
    ctx.progress(start, "Computing statistics", force=True)
    payload = compute_statistics(
        catalog.storage.path(folder, DATA_FILE),
        filesystem=catalog.storage.filesystem(),
        progress=lambda f, m: ctx.progress(start + f * (1 - start), m),
    )
    with catalog.engine.begin() as connection:
        connection.execute(
            schema.dataset_statistics.delete().where(schema.dataset_statistics.c.dataset_id == dataset_id)
        )
        connection.execute(schema.dataset_statistics.insert().values(dataset_id=dataset_id, payload=payload))
    _set(
        catalog,
        dataset_id,
        status=DatasetStatus.READY.value,
        size_bytes=catalog.storage.size(folder),
        error=None,
    )
    return {"rows": payload["summary"]["rows"], "columns": payload["summary"]["columns"]}


def _remove_source(params: dict[str, Any]) -> None:
    if params.get("delete_source"):
        fs, path = fsspec.core.url_to_fs(params["location"])
        if fs.exists(path):
            fs.rm(path)


def on_import_end(catalog: "Catalog", job: Job) -> None:
    """A failed or cancelled import: dataset `failed` with the reason, partial files removed."""
    params = job.params
    _set(catalog, params["dataset_id"], status=DatasetStatus.FAILED.value, error=job.error)
    catalog.storage.remove(dataset_folder(params["project_id"], params["dataset_id"]))
    with catalog.engine.begin() as connection:
        connection.execute(
            sa.delete(schema.dataset_statistics).where(
                schema.dataset_statistics.c.dataset_id == params["dataset_id"]
            )
        )
    _remove_source(params)
