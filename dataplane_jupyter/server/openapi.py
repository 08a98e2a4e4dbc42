"""The OpenAPI 3.1 document of the REST API, generated from `routes.ROUTES` and the
`@operation` descriptions on the handlers, so that it cannot drift from what is served."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from .._version import __version__
from ..core.models import ErrorResponse
from .routes import API, ROUTES

METHODS = ("get", "post", "put", "patch", "delete")

ERROR_STATUSES = {
    "400": "Bad request",
    "403": "Not authenticated",
    "404": "Not found",
    "409": "Conflict with the current state or an existing name",
    "422": "Invalid input (the field is named)",
}


def operations(handler: type) -> dict[str, dict[str, Any]]:
    """The described HTTP methods of a handler class."""
    found = {}
    for method in METHODS:
        function = getattr(handler, method, None)
        spec = getattr(function, "__openapi__", None)
        if spec is not None:
            found[method] = spec
    return found


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(template: str, spec: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"\{(\w+)\}", template)
    ] + [
        {"name": name, "in": "query", "required": name in spec.get("required", ()), "description": text,
         "schema": {"type": "string"}}
        for name, text in spec["query"].items()
    ]
    success: dict[str, Any] = {"description": spec["summary"]}
    if spec["response"] is not None:
        success["content"] = {"application/json": {"schema": _schema_ref(spec["response"], components)}}
    elif spec["status"] != 204:
        success["content"] = {spec["content"]: {"schema": {}}}
    error = {"application/json": {"schema": _schema_ref(ErrorResponse, components)}}
    operation: dict[str, Any] = {
        "summary": spec["summary"],
        "parameters": parameters,
        "responses": {
            str(spec["status"]): success,
            **{code: {"description": text, "content": error} for code, text in ERROR_STATUSES.items()},
        },
    }
    if spec["body"] is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema_ref(spec["body"], components)}},
        }
    elif spec["content"] == "application/octet-stream" and spec["status"] != 200:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    return operation


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """The whole document (built once per process: it only depends on the code)."""
    components: dict[str, Any] = {}
    paths = {
        API + template: {
            method: _operation(template, spec, components) for method, spec in operations(handler).items()
        }
        for template, handler in ROUTES
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "dataplane_jupyter REST API", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"jupyterToken": {"type": "apiKey", "in": "header", "name": "Authorization"}},
        },
        "security": [{"jupyterToken": []}],
    }
