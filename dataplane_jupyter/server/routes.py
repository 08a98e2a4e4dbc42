"""The REST API's routes, written once: the extension registers them and the OpenAPI document
is generated from them."""

from __future__ import annotations

import re

from tornado.web import RequestHandler

from . import embedding_handlers as e
from . import export_handlers as x
from . import feature_handlers as fe
from . import handlers as h
from . import image_handlers as i
from . import member_handlers as m
from . import pipeline_handlers as pl
from . import retry_handlers as r
from . import schedule_handlers as c
from . import source_handlers as s

API = "/dataplane/api/v1"

# Fixed segments ("upload", "test") come before the {placeholders} they would otherwise match.
ROUTES: list[tuple[str, type[RequestHandler]]] = [
    ("/projects", h.ProjectsHandler),
    ("/projects/{project}", h.ProjectHandler),
    ("/projects/{project}/members", m.MembersHandler),
    ("/projects/{project}/members/{user}", m.MemberHandler),
    ("/projects/{project}/datasets", h.DatasetsHandler),
    ("/projects/{project}/datasets/upload", h.UploadHandler),
    ("/projects/{project}/datasets/from-datasource", s.ImportDatasourceHandler),
    ("/projects/{project}/datasets/upload-files", fe.UploadFilesHandler),
    ("/projects/{project}/datasets/{dataset}", h.DatasetHandler),
    ("/projects/{project}/datasets/{dataset}/retry", r.RetryImportHandler),
    ("/projects/{project}/datasets/{dataset}/statistics", h.StatisticsHandler),
    ("/projects/{project}/datasets/{dataset}/columns/{column}", h.ColumnHandler),
    ("/projects/{project}/datasets/{dataset}/columns/{column}/feature-options", fe.DatasetFeatureOptionsHandler),
    ("/projects/{project}/datasets/{dataset}/columns/{column}/feature-options/history", fe.DatasetFeatureOptionsHistoryHandler),
    ("/projects/{project}/datasets/{dataset}/columns/{column}/preview", fe.DatasetImagePreviewHandler),
    ("/projects/{project}/datasets/{dataset}/columns/{column}/tensor", fe.DatasetTensorViewHandler),
    ("/projects/{project}/datasets/{dataset}/sample", h.SampleHandler),
    ("/projects/{project}/datasets/{dataset}/download", h.DownloadHandler),
    ("/projects/{project}/datasets/{dataset}/rejected-rows", h.RejectedRowsHandler),
    ("/projects/{project}/datasets/{dataset}/rejected-rows/download", h.RejectedRowsDownloadHandler),
    ("/projects/{project}/datasets/{dataset}/export", x.ExportDatasetHandler),
    ("/projects/{project}/datasets/{dataset}/exports", x.DatasetExportsHandler),
    ("/projects/{project}/datasets/{dataset}/embeddings", e.EmbeddingsHandler),
    ("/projects/{project}/datasets/{dataset}/embeddings/neighbors", e.NeighborsHandler),
    ("/projects/{project}/datasets/{dataset}/embeddings/selection", e.SelectionHandler),
    ("/connector-kinds", s.ConnectorKindsHandler),
    ("/projects/{project}/connectors", s.ConnectorsHandler),
    ("/projects/{project}/connectors/test", s.TestNewConnectorHandler),
    ("/projects/{project}/connectors/{connector}", s.ConnectorHandler),
    ("/projects/{project}/connectors/{connector}/test", s.TestConnectorHandler),
    ("/projects/{project}/datasources", s.DatasourcesHandler),
    ("/projects/{project}/datasources/test", s.TestNewDatasourceHandler),
    ("/projects/{project}/datasources/{datasource}", s.DatasourceHandler),
    ("/projects/{project}/datasources/{datasource}/test", s.TestDatasourceHandler),
    ("/projects/{project}/exporters", x.ExportersHandler),
    ("/projects/{project}/exporters/test", x.TestNewExporterHandler),
    ("/projects/{project}/exporters/{exporter}", x.ExporterHandler),
    ("/projects/{project}/exporters/{exporter}/test", x.TestExporterHandler),
    ("/projects/{project}/exporters/{exporter}/runs", x.ExporterRunsHandler),
    ("/projects/{project}/export-runs/{run}", x.ExportRunHandler),
    ("/projects/{project}/export-runs/{run}/cancel", x.CancelExportRunHandler),
    ("/projects/{project}/image-folders", i.ImageFoldersHandler),
    ("/projects/{project}/image-folders/upload", i.ImageFolderUploadHandler),
    ("/projects/{project}/image-folders/{folder}", i.ImageFolderHandler),
    ("/projects/{project}/image-folders/{folder}/categories", i.ImageFolderCategoriesHandler),
    ("/projects/{project}/image-folders/{folder}/images", i.ImageFolderImagesHandler),
    ("/projects/{project}/image-folders/{folder}/thumbnail", i.ImageThumbnailHandler),
    ("/projects/{project}/image-folders/{folder}/image", i.ImageHandler),
    ("/projects/{project}/image-folders/{folder}/download", i.ImageFolderDownloadHandler),
    ("/projects/{project}/image-folders/{folder}/feature-options", fe.FolderFeatureOptionsHandler),
    ("/projects/{project}/image-folders/{folder}/preview", fe.FolderImagePreviewHandler),
    ("/projects/{project}/pipelines", pl.PipelinesHandler),
    ("/projects/{project}/pipelines/validate", pl.ValidatePipelineHandler),
    ("/projects/{project}/pipelines/{pipeline}", pl.PipelineHandler),
    ("/projects/{project}/pipelines/{pipeline}/versions", pl.PipelineVersionsHandler),
    ("/projects/{project}/pipelines/{pipeline}/runs", pl.PipelineRunsHandler),
    ("/projects/{project}/pipeline-runs", pl.ProjectPipelineRunsHandler),
    ("/projects/{project}/pipeline-runs/{run}", pl.PipelineRunHandler),
    ("/projects/{project}/pipeline-runs/{run}/cancel", pl.CancelPipelineRunHandler),
    ("/projects/{project}/pipeline-runs/{run}/retry", pl.RetryPipelineRunHandler),
    ("/projects/{project}/pipeline-runs/{run}/steps/{step}/log", pl.PipelineRunStepLogHandler),
    ("/projects/{project}/pipeline-runs/{run}/steps/{step}/notebook", pl.PipelineRunNotebookHandler),
    ("/projects/{project}/schedules", c.SchedulesHandler),
    ("/projects/{project}/schedules/preview", c.SchedulePreviewHandler),
    ("/projects/{project}/schedules/{schedule}", c.ScheduleHandler),
    ("/projects/{project}/schedules/{schedule}/pause", c.PauseScheduleHandler),
    ("/projects/{project}/schedules/{schedule}/resume", c.ResumeScheduleHandler),
    ("/projects/{project}/schedules/{schedule}/runs", c.ScheduleRunsHandler),
    ("/scheduler", c.SchedulerHandler),
    ("/projects/{project}/jobs", h.ProjectJobsHandler),
    ("/jobs/{job}", h.JobHandler),
    ("/jobs/{job}/cancel", h.CancelJobHandler),
    ("/identity", m.IdentityHandler),
    ("/openapi.json", h.OpenAPIHandler),
]


def tornado_pattern(template: str) -> str:
    """`/projects/{project}` → `/dataplane/api/v1/projects/(?P<project>[^/]+)`."""
    return API + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)


def tornado_routes() -> list[tuple[str, type[RequestHandler]]]:
    """The routes in the form jupyter_server's ExtensionApp takes."""
    return [(tornado_pattern(template), handler) for template, handler in ROUTES]
