"""The base handler: catalog access, JSON replies, and the one place domain errors become HTTP."""

from __future__ import annotations

import asyncio
import functools
import json
from typing import Any, Callable, TypeVar

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import BaseModel, ValidationError

from ..core.catalog.catalog import Catalog
from ..core.catalog.project import Project
from ..core.errors import (
    AlreadyExists,
    DataplaneError,
    InvalidInput,
    InvalidState,
    NotFound,
    UpstreamError,
)

T = TypeVar("T")

STATUS_BY_ERROR: tuple[tuple[type[DataplaneError], int], ...] = (
    (NotFound, 404),
    (AlreadyExists, 409),
    (InvalidState, 409),
    (InvalidInput, 422),
    (UpstreamError, 502),
    (DataplaneError, 400),
)


def http_status(error: BaseException) -> int | None:
    """The HTTP status of a domain error (None for anything else: a real 500)."""
    if isinstance(error, ValidationError):
        return 422
    for kind, status in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return status
    return None


def operation(
    summary: str,
    *,
    response: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    query: dict[str, str] | None = None,
    required: tuple[str, ...] = (),
    status: int = 200,
    content: str = "application/json",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe a handler method for the OpenAPI document (`query`: name → description;
    `required`: the query parameters without which the request is refused with 422)."""

    def mark(method: Callable[..., Any]) -> Callable[..., Any]:
        method.__openapi__ = {  # type: ignore[attr-defined]
            "summary": summary,
            "response": response,
            "body": body,
            "query": query or {},
            "required": tuple(required),
            "status": status,
            "content": content,
        }
        return method

    return mark


class DataplaneHandler(ExtensionHandlerMixin, APIHandler):
    """Every dataplane route derives from this."""

    @property
    def catalog(self) -> Catalog:
        """The catalog the extension opened at start-up."""
        return self.settings["dataplane_catalog"]

    def project(self, name: str) -> Project:
        """An existing project (404 otherwise)."""
        return self.catalog.project(name, create=False)

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking core work off the event loop."""
        return await asyncio.to_thread(functools.partial(fn, *args, **kwargs))

    def reply(self, payload: BaseModel | dict[str, Any] | list[Any], status: int = 200) -> None:
        """Finish with a JSON body."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        if isinstance(payload, BaseModel):
            self.finish(payload.model_dump_json())
        else:
            self.finish(json.dumps(payload, default=str))

    def body(self, model: type[BaseModel]) -> Any:
        """The request body parsed into `model` (422 with the field named when it is wrong)."""
        try:
            return model.model_validate_json(self.request.body or b"{}")
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or None
            raise InvalidInput(f"{field or 'body'}: {first['msg']}", field=field) from None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """JSON `{"message": ...}` for every error; domain errors get their own status."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        status = http_status(error) if error is not None else None
        if status is not None:
            self.set_status(status)
            payload = {"message": str(error), "field": getattr(error, "field", None)}
        else:
            payload = {"message": self._reason or "Internal server error"}
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Domain errors are the user's input, not the server's fault: no traceback."""
        if value is not None and http_status(value) is not None:
            self.log.info("%s %s: %s", self.request.method, self.request.path, value)
            return
        super().log_exception(typ, value, tb)
