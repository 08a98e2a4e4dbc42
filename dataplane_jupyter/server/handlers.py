"""REST handlers: each parses the request, calls the core, and replies. Nothing else."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import tornado.web

from ..core.datasets.datasets import DOWNLOAD_FORMATS, Dataset
from ..core.errors import InvalidInput, NotFound
from ..core.jobs.store import Job
from ..core.models import (
    CreateProject,
    DescribeDataset,
    DescribeJob,
    DescribeProject,
    ListDatasetsResponse,
    ListJobsResponse,
    ListProjectsResponse,
    UpdateDataset,
)
from ..core.stats.jsonsafe import jsonable
from .base import DataplaneHandler, operation


def describe_job(job: Job) -> DescribeJob:
    """The public view of a job."""
    return DescribeJob.model_validate(job.to_dict())


class ProjectsHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("List projects", response=ListProjectsResponse)
    async def get(self) -> None:
        projects = await self.call(self.catalog.projects)
        self.reply(ListProjectsResponse(projects=projects))

    @tornado.web.authenticated
    @operation("Create a project", body=CreateProject, response=DescribeProject, status=201)
    async def post(self) -> None:
        request = self.body(CreateProject)
        project = await self.call(self.catalog.create_project, request.name, request.description)
        self.reply(project.info, status=201)


class ProjectHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Describe a project", response=DescribeProject)
    async def get(self, project: str) -> None:
        self.reply((await self.call(self.project, project)).info)

    @tornado.web.authenticated
    @operation("Delete a project and everything it holds", status=204)
    async def delete(self, project: str) -> None:
        await self.call(self.catalog.delete_project, project)
        self.set_status(204)
        self.finish()


class DatasetsHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation(
        "List datasets",
        response=ListDatasetsResponse,
        query={
            "origin": "Keep these origins (repeatable): upload, datasource, pipeline_output, pipeline_intermediate",
            "status": "Keep these statuses (repeatable)",
            "search": "Case-insensitive part of the name",
        },
    )
    async def get(self, project: str) -> None:
        def run() -> list[DescribeDataset]:
            datasets = self.project(project).datasets.list(
                origin=self.get_arguments("origin") or None,
                status=self.get_arguments("status") or None,
                search=self.get_argument("search", None),
            )
            return [ds.describe() for ds in datasets]

        try:
            self.reply(ListDatasetsResponse(datasets=await self.call(run)))
        except ValueError as error:
            raise InvalidInput(str(error), field="origin") from None


def find_dataset(handler: DataplaneHandler, project: str, dataset: str) -> Dataset:
    """A dataset by id, or else by name."""
    datasets = handler.project(project).datasets
    try:
        return datasets.get(dataset)
    except NotFound:
        return datasets[dataset]


class DatasetHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Describe a dataset (by id or name)", response=DescribeDataset)
    async def get(self, project: str, dataset: str) -> None:
        ds = await self.call(find_dataset, self, project, dataset)
        self.reply(ds.describe())

    @tornado.web.authenticated
    @operation("Rename a dataset", body=UpdateDataset, response=DescribeDataset)
    async def patch(self, project: str, dataset: str) -> None:
        request = self.body(UpdateDataset)
        ds = await self.call(find_dataset, self, project, dataset)
        self.reply((await self.call(ds.rename, request.name)).describe())

    @tornado.web.authenticated
    @operation("Delete a dataset and its stored files (sources are never touched)", status=204)
    async def delete(self, project: str, dataset: str) -> None:
        ds = await self.call(find_dataset, self, project, dataset)
        await self.call(ds.delete)
        self.set_status(204)
        self.finish()


class StatisticsHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Dataset statistics: summary, columns, correlation, sample")
    async def get(self, project: str, dataset: str) -> None:
        ds = await self.call(find_dataset, self, project, dataset)
        self.reply(await self.call(ds.statistics))


class ColumnHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Statistics of one column (drill-down)")
    async def get(self, project: str, dataset: str, column: str) -> None:
        ds = await self.call(find_dataset, self, project, dataset)
        self.reply(await self.call(ds.column, column))


class SampleHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("The first rows", query={"n": "Number of rows (default 20, at most 1000)"})
    async def get(self, project: str, dataset: str) -> None:
        n = self.get_argument("n", "20")
        if not n.isdigit() or not 0 < int(n) <= 1000:
            raise InvalidInput(f"n must be a whole number from 1 to 1000, not {n!r}.", field="n")
        ds = await self.call(find_dataset, self, project, dataset)
        frame = _sized_bytes(await self.call(ds.sample, int(n)))
        self.reply(json.loads(frame.to_json(orient="split", index=False, date_format="iso")))


def _sized_bytes(frame: Any) -> Any:
    """The frame with raw bytes shown as ``"<n bytes>"``: they are not JSON text."""
    for name in frame.select_dtypes(include="object").columns:
        frame[name] = frame[name].map(lambda v: jsonable(v) if isinstance(v, bytes) else v)
    return frame


class DownloadHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation(
        "Download the dataset as CSV or Parquet",
        query={"format": "csv (default) or parquet"},
        content="application/octet-stream",
    )
    async def get(self, project: str, dataset: str) -> None:
        fmt = self.get_argument("format", "csv")
        if fmt not in DOWNLOAD_FORMATS:
            raise InvalidInput(f"format must be one of {DOWNLOAD_FORMATS}, not {fmt!r}.", field="format")
        ds = await self.call(find_dataset, self, project, dataset)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{ds.name}.{fmt}"
            await self.call(ds.download, path, fmt)
            media_type = "text/csv" if fmt == "csv" else "application/vnd.apache.parquet"
            self.set_header("Content-Type", media_type)
            self.set_header("Content-Disposition", f'attachment; filename="{path.name}"')
            with open(path, "rb") as stream:
                while chunk := await self.call(stream.read, 1 << 20):
                    self.write(chunk)
                    await self.flush()
        self.finish(set_content_type=media_type)  # APIHandler.finish would reset it to JSON


class ProjectJobsHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("List a project's jobs", response=ListJobsResponse, query={"status": "Keep these statuses (repeatable)"})
    async def get(self, project: str) -> None:
        statuses = self.get_arguments("status") or None
        jobs = await self.call(lambda: self.project(project).jobs(statuses=statuses))
        self.reply(ListJobsResponse(jobs=[describe_job(job) for job in jobs]))


class JobHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Describe a job", response=DescribeJob)
    async def get(self, job: str) -> None:
        self.reply(describe_job(await self.call(self.catalog.jobs.get, job)))


class CancelJobHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Cancel a job", response=DescribeJob)
    async def post(self, job: str) -> None:
        self.reply(describe_job(await self.call(self.catalog.jobs.cancel, job)))


class OpenAPIHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("This document")
    async def get(self) -> None:
        from .openapi import openapi_document

        self.reply(openapi_document())


def _delete_if_there(project: Any, name: str) -> None:
    """Replace-on-upload: the dataset that holds the name goes first (with its files)."""
    if name in project.datasets:
        project.datasets[name].delete()


MAX_UPLOAD_BYTES = 1 << 40  # streamed to disk, so only the disk limits it


@tornado.web.stream_request_body
class UploadHandler(DataplaneHandler):
    """A browser upload: the raw file is the body, streamed to a staging file, never held in
    memory; the import job takes it from there."""

    async def prepare(self) -> None:
        await super().prepare()
        if self.current_user is None:
            raise tornado.web.HTTPError(403)
        self.request.connection.set_max_body_size(MAX_UPLOAD_BYTES)
        folder = self.catalog.settings.home / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, suffix=".upload")
        self._staging = Path(name)
        self._stream = os.fdopen(handle, "wb")

    def data_received(self, chunk: bytes) -> None:
        self._stream.write(chunk)

    def on_finish(self) -> None:
        stream = getattr(self, "_stream", None)
        if stream is not None and not stream.closed:
            stream.close()
        staging = getattr(self, "_staging", None)
        if staging is not None and self.get_status() >= 400:
            staging.unlink(missing_ok=True)

    @tornado.web.authenticated
    @operation(
        "Import a CSV file sent as the raw request body",
        response=DescribeDataset,
        status=202,
        query={
            "filename": "Name of the uploaded file, e.g. sales.csv or sales.csv.gz: its suffix tells how to "
                        "read it and it names the dataset unless `name` is given; without it the upload is "
                        "refused with 422",
            "name": "Dataset name (default: the file name without suffix)",
            "separator": "Column separator (auto-detected when absent)",
            "decimal": "Decimal separator (auto-detected when absent)",
            "encoding": "Text encoding (auto-detected when absent)",
            "replace": "true: first delete the dataset of that name, if there is one (default false: 409 "
                       "when the name is taken)",
        },
        required=("filename",),
        content="application/octet-stream",
    )
    async def post(self, project: str) -> None:
        self._stream.close()
        filename = self.get_argument("filename", "").strip()
        if not filename:
            raise InvalidInput("The query parameter filename is required.", field="filename")
        target = self._staging.with_name(f"{self._staging.stem}-{Path(filename).name}")
        self._staging.rename(target)  # keeps the suffix (.csv.gz) that tells how to read it
        self._staging = target
        options = {key: self.get_argument(key, None) for key in ("separator", "decimal", "encoding")}
        name = self.get_argument("name", None) or Path(filename).stem.removesuffix(".csv")
        if self.get_argument("replace", "false").lower() in ("true", "1", "yes"):
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
