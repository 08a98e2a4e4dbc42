"""REST handlers for exporters, exporting a dataset and the export runs (history)."""

from __future__ import annotations

from ..core.models import (
    ConnectorTest,
    CreateExporter,
    DescribeExporter,
    DescribeExportRun,
    ExportDataset,
    ListExportersResponse,
    ListExportRunsResponse,
    UpdateExporter,
)
from .base import DataplaneHandler, operation


class ExportersHandler(DataplaneHandler):
    @operation("List exporters, each with its last export", response=ListExportersResponse)
    async def get(self, project: str) -> None:
        found = await self.call(lambda: [x.info for x in self.project(project).exporters.list()])
        self.reply(ListExportersResponse(exporters=found))

    @operation("Create an exporter", body=CreateExporter, response=DescribeExporter, status=201)
    async def post(self, project: str) -> None:
        r = self.body(CreateExporter)
        create = lambda: self.project(project).exporters.create(  # noqa: E731
            r.name, r.connector, mode=r.mode, file_format=r.file_format, destination=r.destination).info
        self.reply(await self.call(create), status=201)


class TestNewExporterHandler(DataplaneHandler):
    @operation("Check that a destination is writable before saving the exporter", body=CreateExporter,
               response=ConnectorTest)
    async def post(self, project: str) -> None:
        r = self.body(CreateExporter)
        self.reply(await self.call(lambda: self.project(project).exporters.test(r.connector, destination=r.destination)))


class ExporterHandler(DataplaneHandler):
    @operation("Describe an exporter (by id or name), with its last export", response=DescribeExporter)
    async def get(self, project: str, exporter: str) -> None:
        self.reply(await self.call(lambda: self.project(project).exporters[exporter].info))

    @operation("Edit an exporter", body=UpdateExporter, response=DescribeExporter)
    async def patch(self, project: str, exporter: str) -> None:
        r = self.body(UpdateExporter)
        edit = lambda: self.project(project).exporters[exporter].update(  # noqa: E731
            name=r.name, connector=r.connector, mode=r.mode, file_format=r.file_format, destination=r.destination).info
        self.reply(await self.call(edit))

    @operation("Delete an exporter and its history (refused while it exports)", status=204)
    async def delete(self, project: str, exporter: str) -> None:
        await self.no_content(lambda: self.project(project).exporters[exporter].delete())


class TestExporterHandler(DataplaneHandler):
    @operation("Check that a saved exporter's destination is writable", response=ConnectorTest)
    async def post(self, project: str, exporter: str) -> None:
        self.reply(await self.call(lambda: self.project(project).exporters[exporter].test()))


class ExporterRunsHandler(DataplaneHandler):
    @operation("An exporter's history: every export, newest first", response=ListExportRunsResponse)
    async def get(self, project: str, exporter: str) -> None:
        runs = await self.call(lambda: [run.info for run in self.project(project).exporters[exporter].history()])
        self.reply(ListExportRunsResponse(runs=runs))


class ExportDatasetHandler(DataplaneHandler):
    @operation("Export a dataset with an exporter (a job)", body=ExportDataset, response=DescribeExportRun,
               status=202)
    async def post(self, project: str, dataset: str) -> None:
        r = self.body(ExportDataset)
        start = lambda: self.project(project).exporters[r.exporter].run(dataset).info  # noqa: E731
        self.reply(await self.call(start), status=202)


class DatasetExportsHandler(DataplaneHandler):
    @operation("A dataset's exports, newest first", response=ListExportRunsResponse)
    async def get(self, project: str, dataset: str) -> None:
        def runs() -> ListExportRunsResponse:
            exporters = self.project(project).exporters
            return ListExportRunsResponse(runs=[run.info for run in exporters.dataset(dataset).exports()])

        self.reply(await self.call(runs))


class ExportRunHandler(DataplaneHandler):
    @operation("One export run: status, location, rows, error, timing", response=DescribeExportRun)
    async def get(self, project: str, run: str) -> None:
        self.reply(await self.call(lambda: self.project(project).exporters.get_run(run).info))


class CancelExportRunHandler(DataplaneHandler):
    @operation("Ask an export to stop (the destination keeps what it had)", response=DescribeExportRun)
    async def post(self, project: str, run: str) -> None:
        self.reply(await self.call(lambda: self.project(project).exporters.get_run(run).cancel().info))
