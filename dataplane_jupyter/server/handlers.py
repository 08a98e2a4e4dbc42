"""REST handlers: each parses the request, calls the core, and replies. Nothing else."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable

import tornado.web
from pydantic import BaseModel

from ..core.jobs.leftovers import uploads_folder
from ..core.jobs.store import Job
from ..core.models import (
    CreateProject,
    DescribeColumnStatistics,
    DescribeDataset,
    DescribeJob,
    DescribeProject,
    DescribeSample,
    DescribeStatistics,
    DownloadQuery,
    ListDatasetsQuery,
    ListDatasetsResponse,
    ListJobsQuery,
    ListJobsResponse,
    ListProjectsResponse,
    ListRejectedRowsResponse,
    RejectedRow,
    RejectedRowsQuery,
    SampleQuery,
    UpdateDataset,
    UploadCsvQuery,
)
from ..core.stats.jsonsafe import jsonable
from . import crud
from .base import DataplaneHandler, operation


def describe_job(job: Job) -> DescribeJob:
    """The public view of a job."""
    return DescribeJob.model_validate(job.to_dict())


class ProjectsHandler(DataplaneHandler):
    @operation("List projects", response=ListProjectsResponse)
    async def get(self) -> None:
        projects = await self.call(self.catalog.projects)
        self.reply(ListProjectsResponse(projects=projects))

    @operation("Create a project", body=CreateProject, response=DescribeProject, status=201)
    async def post(self) -> None:
        request = self.body(CreateProject)
        project = await self.call(self.catalog.create_project, request.name, request.description)
        self.reply(project.info, status=201)


class ProjectHandler(DataplaneHandler):
    @operation("Describe a project", response=DescribeProject)
    async def get(self, project: str) -> None:
        self.reply((await self.call(self.project, project)).info)

    @operation("Delete a project and everything it holds", status=204)
    async def delete(self, project: str) -> None:
        await self.no_content(self.catalog.delete_project, project)


class DatasetsHandler(DataplaneHandler):
    @operation(
        "List datasets",
        response=ListDatasetsResponse,
        query=ListDatasetsQuery,
    )
    async def get(self, project: str) -> None:
        q = self.query(ListDatasetsQuery)

        def run() -> list[DescribeDataset]:
            datasets = self.project(project).datasets.list(
                origin=[o.value for o in q.origin] or None, status=[s.value for s in q.status] or None, search=q.search,
            )
            return [ds.describe() for ds in datasets]

        self.reply(ListDatasetsResponse(datasets=await self.call(run)))


class DatasetHandler(crud.CollectionHandler, collection="datasets"):
    patch = crud.edit_record("Rename a dataset", UpdateDataset, DescribeDataset, lambda ds, r: ds.rename(r.name))
    delete = crud.delete_record("Delete a dataset and its stored files (sources are never touched)")

    @operation("Describe a dataset (by id or name), with its lineage when a pipeline run made it",
               response=DescribeDataset)
    async def get(self, project: str, dataset: str) -> None:
        ds = await self.call(self.dataset, project, dataset)
        self.reply(await self.call(ds.describe_with_lineage))


class StatisticsHandler(DataplaneHandler):
    @operation("Dataset statistics: summary, columns, correlation, sample", response=DescribeStatistics)
    async def get(self, project: str, dataset: str) -> None:
        ds = await self.call(self.dataset, project, dataset)
        self.reply(DescribeStatistics.model_validate(await self.call(ds.statistics)))


class ColumnHandler(DataplaneHandler):
    @operation("Statistics of one column (drill-down)", response=DescribeColumnStatistics)
    async def get(self, project: str, dataset: str, column: str) -> None:
        ds = await self.call(self.dataset, project, dataset)
        self.reply(DescribeColumnStatistics.model_validate(await self.call(ds.column, column)))


class SampleHandler(DataplaneHandler):
    @operation("The first rows", response=DescribeSample, query=SampleQuery)
    async def get(self, project: str, dataset: str) -> None:
        n = self.query(SampleQuery).n
        ds = await self.call(self.dataset, project, dataset)
        frame = _sized_bytes(await self.call(ds.sample, n))
        self.reply(DescribeSample.model_validate_json(frame.to_json(orient="split", index=False, date_format="iso")))


def _sized_bytes(frame: Any) -> Any:
    """The frame with raw bytes shown as ``"<n bytes>"``: they are not JSON text."""
    for name in frame.select_dtypes(include="object").columns:
        frame[name] = frame[name].map(lambda v: jsonable(v) if isinstance(v, bytes) else v)
    return frame


class DownloadHandler(DataplaneHandler):
    @operation(
        "Download the dataset as CSV or Parquet",
        query=DownloadQuery,
        content=("text/csv", "application/vnd.apache.parquet"),
    )
    async def get(self, project: str, dataset: str) -> None:
        fmt = self.query(DownloadQuery).format
        ds = await self.call(self.dataset, project, dataset)
        chunks = await self.call(ds.iter_bytes, fmt)
        # the first chunk before the headers: a dataset that cannot be read answers an error, not half a file
        first = await self.call(next, chunks, b"")
        await self.send_chunks(first, chunks, "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
                               f"{ds.name}.{fmt}")


def _rejected_page(dataset: Any, q: RejectedRowsQuery) -> ListRejectedRowsResponse:
    table = dataset.rejected_table()
    rows = [RejectedRow(**row) for row in table.slice(q.offset, q.limit).to_pylist()]
    return ListRejectedRowsResponse(rows=rows, total=table.num_rows, offset=q.offset)


class RejectedRowsHandler(crud.CollectionHandler, collection="datasets"):
    get = crud.read_record("The rows the import set aside, verbatim (line, raw text, reason)", ListRejectedRowsResponse,
                           _rejected_page, query=RejectedRowsQuery)


class RejectedRowsDownloadHandler(DataplaneHandler):
    @operation("Download the rows the import set aside as CSV (line, raw, reason)", content="text/csv")
    async def get(self, project: str, dataset: str) -> None:
        from ..core.ingest.rejected import rejected_csv

        ds = await self.call(self.dataset, project, dataset)
        table = await self.call(ds.rejected_table)
        with tempfile.TemporaryFile() as out:
            await self.call(rejected_csv, table, out)
            out.seek(0)
            await self.send_stream(out, "text/csv", "rejected-rows.csv")


class ProjectJobsHandler(DataplaneHandler):
    @operation("List a project's jobs", response=ListJobsResponse, query=ListJobsQuery)
    async def get(self, project: str) -> None:
        statuses = list(self.query(ListJobsQuery).status) or None
        jobs = await self.call(lambda: self.project(project).jobs(statuses=statuses))
        self.reply(ListJobsResponse(jobs=[describe_job(job) for job in jobs]))


class JobHandler(DataplaneHandler):
    @operation("Describe a job", response=DescribeJob)
    async def get(self, job: str) -> None:
        self.reply(describe_job(await self.call(self.catalog.jobs.get, job)))


class CancelJobHandler(DataplaneHandler):
    @operation("Cancel a job", response=DescribeJob)
    async def post(self, job: str) -> None:
        self.reply(describe_job(await self.call(self.catalog.jobs.cancel, job)))


class OpenAPIHandler(DataplaneHandler):
    @operation("This document")
    async def get(self) -> None:
        from .openapi import openapi_document

        self.reply(openapi_document())


def _delete_if_there(project: Any, name: str) -> None:
    """Replace-on-upload: the dataset that holds the name goes first (with its files)."""
    if name in project.datasets:
        project.datasets[name].delete()


MAX_UPLOAD_BYTES = 1 << 40  # streamed to disk, so only the disk limits it
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")


def staged_suffix(filename: str) -> str:
    """The last two suffixes of an uploaded file's name when they look like suffixes
    ("sales.csv.gz" → ".csv.gz"); the staged file is named by id plus this."""
    suffixes = [s for s in Path(Path(filename).name).suffixes[-2:] if _SUFFIX.match(s)]
    return "".join(suffixes).lower()


def default_name(filename: str) -> str:
    """A record name from an uploaded file's name: its stem, cut to the 200 characters a name may have."""
    stem = Path(Path(filename).name).stem.removesuffix(".csv")
    return stem[:200].strip() or "upload"


def upload_operation(summary: str, response: type[BaseModel], query: type[BaseModel]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The `@operation` of an upload's POST (an `UploadHandler`): the file is the raw request body,
    and an import job takes it from there (202)."""
    return operation(summary, response=response, status=202, query=query, content="application/octet-stream")


@tornado.web.stream_request_body
class UploadHandler(DataplaneHandler):
    """A browser upload: the raw file is the body, streamed to a staging file, never held in
    memory; the import job takes it from there."""

    async def prepare(self) -> None:
        await super().prepare()
        if self.current_user is None:
            raise tornado.web.HTTPError(403)
        project = self.path_kwargs.get("project")
        if project is not None and self.catalog.shared:  # refused before a byte is stored
            await self.call(lambda: self.project(project).require("editor", "import a dataset"))
        self.request.connection.set_max_body_size(MAX_UPLOAD_BYTES)
        folder = uploads_folder(self.catalog.settings.home)
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, suffix=".upload")
        self._staging = Path(name)
        self._stream = os.fdopen(handle, "wb")

    def data_received(self, chunk: bytes) -> None:
        self._stream.write(chunk)

    def received(self) -> Path:
        """The staging file, closed: the method runs once the whole body is on disk."""
        self._stream.close()
        return self._staging

    def _discard(self) -> None:
        stream = getattr(self, "_stream", None)
        if stream is not None and not stream.closed:
            stream.close()
        staging = getattr(self, "_staging", None)
        if staging is not None:
            staging.unlink(missing_ok=True)

    def on_finish(self) -> None:
        stream = getattr(self, "_stream", None)
        if stream is not None and not stream.closed:
            stream.close()
        if self.get_status() >= 400:
            self._discard()

    def on_connection_close(self) -> None:
        """The browser gave up mid-upload: the partial file goes at once."""
        if not self._finished:
            self._discard()
        super().on_connection_close()

    @upload_operation("Import a CSV file sent as the raw request body", DescribeDataset, UploadCsvQuery)
    async def post(self, project: str) -> None:
        staged = self.received()
        q = self.query(UploadCsvQuery)
        filename = q.filename.strip()
        # named by id, keeping only the suffix (.csv.gz) that tells how to read it: any name fits
        target = staged.with_name(staged.stem + staged_suffix(filename))
        staged.rename(target)
        self._staging = target
        options = q.model_dump(include={"separator", "decimal", "encoding", "quotechar", "header", "escapechar",
                                        "skip_lines", "header_rows", "on_bad_rows"})
        name = q.name or default_name(filename)
        if q.replace:
            await self.call(_delete_if_there, self.project(project), name)
        ds = await self.call(
            self.project(project).datasets.import_file,
            target,
            name,
            delete_source=True,
            file_name=Path(filename).name,
            **options,
        )
        self.reply(ds.describe(), status=202)
