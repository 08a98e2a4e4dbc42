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
from . import crud
from .base import DataplaneHandler, operation


class ExportersHandler(crud.CollectionHandler, collection="exporters"):
    get = crud.list_records("List exporters, each with its last export", ListExportersResponse)
    post = crud.create_record("Create an exporter", CreateExporter, DescribeExporter, lambda exporters, r: exporters.create(
        r.name, r.connector, mode=r.mode, file_format=r.file_format, destination=r.destination))


class TestNewExporterHandler(crud.CollectionHandler, collection="exporters"):
    post = crud.test_new_record("Check that a destination is writable before saving the exporter", CreateExporter,
                                ConnectorTest, lambda exporters, r: exporters.test(r.connector, destination=r.destination))


class ExporterHandler(crud.CollectionHandler, collection="exporters"):
    get = crud.read_record("Describe an exporter (by id or name), with its last export", DescribeExporter)
    patch = crud.edit_record("Edit an exporter", UpdateExporter, DescribeExporter, lambda exporter, r: exporter.update(
        name=r.name, connector=r.connector, mode=r.mode, file_format=r.file_format, destination=r.destination))
    delete = crud.delete_record("Delete an exporter and its history (refused while it exports)")


class TestExporterHandler(crud.CollectionHandler, collection="exporters"):
    post = crud.record_action("Check that a saved exporter's destination is writable", ConnectorTest,
                              lambda exporter: exporter.test())


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


class ExportRunHandler(crud.RunHandler, collection="exporters"):
    get = crud.read_record("One export run: status, location, rows, error, timing", DescribeExportRun)


class CancelExportRunHandler(crud.RunHandler, collection="exporters"):
    post = crud.record_action("Ask an export to stop (the destination keeps what it had)", DescribeExportRun,
                              lambda run: run.cancel().info)
