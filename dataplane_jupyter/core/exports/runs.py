"""Export runs: one use of an exporter on a dataset, run as a job (`dataset.export`).

The run record goes queued → running → succeeded | failed | cancelled. The job streams the
dataset's Parquet batches into the connector kind's `write`, which only publishes a file or table
once every row is written, so a failure anywhere (the dataset, the network, a killed worker: the
job's `on_end`) leaves the previous data in place and the run `failed` with the reason. A "cancel"
mode exporter whose destination exists ends the run `cancelled`, with nothing written.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.catalog.records import RunRecord, fields_from_docstring
from dataplane_jupyter.core.connectors.base import DestinationExists, WriteResult
from dataplane_jupyter.core.datasets.paths import DATA_FILE, dataset_folder
from dataplane_jupyter.core.errors import InvalidState, JobFailed, NotFound
from dataplane_jupyter.core.jobs.runner import JobContext
from dataplane_jupyter.core.jobs.store import Job
from dataplane_jupyter.core.models import STATUS_LABELS, TERMINAL, DatasetStatus, DescribeExportRun, JobStatus

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog
    from dataplane_jupyter.core.catalog.project import Project
    from dataplane_jupyter.core.datasets.datasets import Dataset
    from dataplane_jupyter.core.exports.exporters import Exporter

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED = TERMINAL
EXPORTABLE = (DatasetStatus.READY, DatasetStatus.COMPUTING_STATISTICS)


def run_query() -> sa.Select:
    """Export runs with their exporter's name and project, and their job's progress."""
    r, x, j = schema.export_runs, schema.exporters, schema.jobs
    return sa.select(
        r, x.c.name.label("exporter"), x.c.project_id, sa.func.coalesce(j.c.progress, 0.0).label("progress"),
    ).select_from(r.join(x, r.c.exporter_id == x.c.id).outerjoin(j, r.c.job_id == j.c.id))


def describe_run(row: sa.Row) -> DescribeExportRun:
    """The public record of a run row from `run_query()`."""
    values = dict(row._mapping)
    if values["status"] == "succeeded":
        values["progress"] = 1.0
    if values["started_at"] and values["finished_at"]:
        values["duration_seconds"] = (values["finished_at"] - values["started_at"]).total_seconds()
    return DescribeExportRun.model_validate(values)


@fields_from_docstring
class ExportRun(RunRecord[DescribeExportRun]):
    """A handle on one export: `.status`, `.location`, `.rows`, `.error`, `.duration`, `.wait()`,
    `.cancel()` (`describe()` is the snapshot read last, without a query).

    Attributes:
        status: queued, running, succeeded, failed or cancelled.
        location: The file or table written (no credentials).
        rows: Rows written.
        error: Why it failed or was cancelled.
        progress: 0–1.
        started_at: When it started (UTC), once it has.
        finished_at: When it ended (UTC), once it has.
        exporter: The exporter's name.
        dataset_name: The exported dataset's name.
        pipeline_run_id: The pipeline run that exported, if any.
    """

    _noun = "Export"

    def _load(self) -> DescribeExportRun:
        query = run_query().where(schema.export_runs.c.id == self.id, schema.exporters.c.project_id == self.project.id)
        with self.catalog.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            raise NotFound(f"No export run with id {self.id!r} in project {self.project.name!r}.")
        return describe_run(row)

    def _done(self, info: DescribeExportRun) -> bool:
        if info.status not in FINISHED:
            return False
        if info.status is not JobStatus.SUCCEEDED:
            raise JobFailed(f"Export of dataset {info.dataset_name!r} with {info.exporter!r} {info.status.value}: {info.error}")
        return True

    def _waiting(self) -> str:
        return f"Export of {self._info.dataset_name!r} still {self._info.status.value}"

    duration = property(lambda self: self.info.duration_seconds, doc="Seconds from start to end, once finished.")

    def __repr__(self) -> str:
        info = self._info
        where = f" → {info.location}" if info.location else ""
        return f"<ExportRun {info.dataset_name!r} via {info.exporter!r} {info.status.value}{where}>"

    def cancel(self) -> "ExportRun":
        """Ask the export to stop; the destination keeps what it had."""
        self.project.require("editor", "cancel an export")
        info = self.info
        job_id = info.job_id
        if job_id is None or info.status in FINISHED:
            raise InvalidState(f"Export run {self.id} already {self.status}; nothing to cancel.")
        self.project.catalog.jobs.cancel(job_id)
        return self


def _update(catalog: "Catalog", run_id: str, *, only_from: Iterable[JobStatus] | None = None, **values: Any) -> bool:
    r = schema.export_runs
    query = r.update().where(r.c.id == run_id)
    if only_from is not None:
        query = query.where(r.c.status.in_([status.value for status in only_from]))
    with catalog.engine.begin() as connection:
        return bool(connection.execute(query.values(updated_at=schema.utcnow(), **values)).rowcount)


def start_export(project: "Project", dataset: "Dataset", exporter_id: str) -> ExportRun:
    """Record a queued run of the exporter on the dataset and start its job; returns at once."""
    exporter = project.exporters[exporter_id]
    info = dataset.info
    if info.status not in EXPORTABLE:
        raise InvalidState(f"Dataset {info.name!r} is {STATUS_LABELS[info.status]!r}: "
                           "it can be exported once its data is copied.")
    run_id = schema.new_id()
    with project.catalog.engine.begin() as connection:
        connection.execute(schema.export_runs.insert().values(
            id=run_id, exporter_id=exporter.id, dataset_id=info.id, dataset_name=info.name, status=JobStatus.QUEUED.value,
            created_by=project.catalog.user))
    job = project.catalog.jobs.start(
        "dataset.export", f"{__name__}:run_export", on_end=f"{__name__}:on_export_end", project_id=project.id,
        target=("export_run", run_id),
        params={"run_id": run_id, "project_id": project.id, "exporter_id": exporter.id, "dataset_id": info.id},
    )
    _update(project.catalog, run_id, job_id=job.id)
    return ExportRun(project, run_id)


def _dataset_schema(catalog: "Catalog", project_id: str, dataset_id: str) -> pa.Schema:
    with catalog.storage.open_arrow(f"{dataset_folder(project_id, dataset_id)}/{DATA_FILE}") as stream:
        return pq.ParquetFile(stream).schema_arrow


def run_export(ctx: JobContext) -> dict[str, Any]:
    """Job: stream the dataset into the exporter's destination, then record where and how many rows."""
    catalog, params = ctx.catalog, ctx.params
    run_id = params["run_id"]
    if not _update(catalog, run_id, only_from=(JobStatus.QUEUED,), status=JobStatus.RUNNING.value, started_at=schema.utcnow()):
        return {"skipped": "the run had already ended"}
    project = catalog.project_by_id(params["project_id"])
    exporter = project.exporters[params["exporter_id"]]
    try:
        result = _write(ctx, exporter, project.datasets.get(params["dataset_id"]), mode=params.get("mode"))
    except DestinationExists as exc:
        _update(catalog, run_id, only_from=(JobStatus.RUNNING,), status=JobStatus.CANCELLED.value, error=exc.message,
                finished_at=schema.utcnow())
        return {"cancelled": exc.message}
    _update(catalog, run_id, only_from=(JobStatus.RUNNING,), status=JobStatus.SUCCEEDED.value, location=result.location,
            rows=result.rows, error=None, finished_at=schema.utcnow())
    return {"location": result.location, "rows": result.rows}


def _write(ctx: JobContext, exporter: "Exporter", dataset: "Dataset", *, mode: str | None = None) -> WriteResult:
    """Stream the dataset through the connector kind, reporting progress per batch (`mode`
    overrides the exporter's for this export: a pipeline run's params)."""
    mode = mode or exporter.mode
    connector = exporter.connector
    kind = connector.kind_impl
    destination = exporter.destination_for(dataset.name)
    total, what = dataset.rows or 0, kind.describe(destination)
    arrow_schema = _dataset_schema(ctx.catalog, dataset.project.id, dataset.id)
    ctx.progress(0.0, f"Exporting {total:,} rows to {what}", force=True)

    def batches() -> Iterator[pa.RecordBatch]:
        done = 0
        for batch in dataset.iter_batches():
            yield batch
            done += batch.num_rows
            ctx.progress(0.99 * done / max(total, 1), f"Wrote {done:,} of {total:,} rows to {what}")

    def write() -> WriteResult:
        return connector.write(destination, batches(), schema=arrow_schema, mode=mode,
                               file_format=exporter.file_format)

    try:
        return write()
    except DestinationExists:
        if mode != "timestamp":
            raise
    # Names carry the time to the second: an export in the same second as the last one waits for the next.
    time.sleep(1.05 - time.time() % 1)
    return write()


def on_export_end(catalog: "Catalog", job: Job) -> None:
    """A failed or cancelled export job (even one whose worker died): the run says so, with the reason."""
    status = (JobStatus.CANCELLED if job.status is JobStatus.CANCELLED else JobStatus.FAILED).value
    _update(catalog, job.params["run_id"], only_from=ACTIVE, status=status, error=job.error,
            finished_at=job.finished_at or schema.utcnow())


def dataset_exports(dataset: "Dataset", limit: int = 200) -> list[ExportRun]:
    """The exports of one dataset, newest first."""
    query = run_query().where(schema.export_runs.c.dataset_id == dataset.id)
    return dataset.project.exporters.runs(query, limit=limit)
