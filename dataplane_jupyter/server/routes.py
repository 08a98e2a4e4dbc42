"""The REST API's routes, written once: the extension registers them and the OpenAPI document
is generated from them."""

from __future__ import annotations

import re

from tornado.web import RequestHandler

from . import handlers as h

API = "/dataplane/api/v1"

ROUTES: list[tuple[str, type[RequestHandler]]] = [
    ("/projects", h.ProjectsHandler),
    ("/projects/{project}", h.ProjectHandler),
    ("/projects/{project}/datasets", h.DatasetsHandler),
    ("/projects/{project}/datasets/upload", h.UploadHandler),
    ("/projects/{project}/datasets/{dataset}", h.DatasetHandler),
    ("/projects/{project}/datasets/{dataset}/statistics", h.StatisticsHandler),
    ("/projects/{project}/datasets/{dataset}/columns/{column}", h.ColumnHandler),
    ("/projects/{project}/datasets/{dataset}/sample", h.SampleHandler),
    ("/projects/{project}/datasets/{dataset}/download", h.DownloadHandler),
    ("/projects/{project}/jobs", h.ProjectJobsHandler),
    ("/jobs/{job}", h.JobHandler),
    ("/jobs/{job}/cancel", h.CancelJobHandler),
    ("/openapi.json", h.OpenAPIHandler),
]


def tornado_pattern(template: str) -> str:
    """`/projects/{project}` → `/dataplane/api/v1/projects/(?P<project>[^/]+)`."""
    return API + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)


def tornado_routes() -> list[tuple[str, type[RequestHandler]]]:
    """The routes in the form jupyter_server's ExtensionApp takes."""
    return [(tornado_pattern(template), handler) for template, handler in ROUTES]
