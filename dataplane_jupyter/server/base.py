"""The base handler: catalog access, JSON replies, and the one place domain errors become HTTP."""

from __future__ import annotations

import asyncio
import functools
import json
import typing
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, TypeVar
from urllib.parse import quote

import tornado.web
from jupyter_server.auth.identity import IdentityProvider, LegacyIdentityProvider, PasswordIdentityProvider
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import BaseModel, ValidationError

from ..core.catalog.catalog import Catalog
from ..core.catalog.project import Project
from ..core.datasets.datasets import Dataset
from ..core.errors import (
    AlreadyExists,
    DataplaneError,
    InvalidInput,
    InvalidState,
    NotFound,
    PermissionDenied,
    UpstreamError,
    find_hints,
)
from ..core.images.folders import ImageFolder

#: jupyter_server's own identity providers: one token or password, users named "Anonymous …".
ANONYMOUS_PROVIDERS = (IdentityProvider, PasswordIdentityProvider, LegacyIdentityProvider)

T = TypeVar("T")
Q = TypeVar("Q", bound=BaseModel)

STATUS_BY_ERROR: tuple[tuple[type[DataplaneError], int], ...] = (
    (NotFound, 404),
    (PermissionDenied, 403),
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


MAX_FILENAME_CHARS = 150


def content_disposition(filename: str) -> str:
    """An `attachment` header that every browser reads the same way (RFC 6266 / RFC 5987).

    `filename=` gets a printable-ASCII fallback (accents stripped, anything else, quotes and
    backslashes replaced by `_`); `filename*=UTF-8''…` gets the real name percent-encoded, so
    no character of the name can end the quoted string or add a parameter. Names are capped at
    MAX_FILENAME_CHARS characters, keeping the suffix.
    """
    stem, dot, suffix = filename.rpartition(".")
    if not dot or len(suffix) > 16:
        stem, dot, suffix = filename, "", ""
    stem = "".join(c for c in stem if unicodedata.category(c)[0] != "C")  # controls, RTL marks
    stem = stem[: MAX_FILENAME_CHARS - len(suffix) - 1] or "download"
    full = f"{stem}{dot}{suffix}"
    ascii_name = unicodedata.normalize("NFKD", full).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%;' else "_" for c in ascii_name)
    if not ascii_name.strip("_. ") or ascii_name.startswith("."):
        ascii_name = f"download{dot}{suffix}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full, safe='')}"


def operation(
    summary: str,
    *,
    response: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    status: int = 200,
    content: str | tuple[str, ...] = "application/json",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An authenticated route method, described for the OpenAPI document: the one decorator of
    every handler method (a request without a valid login gets 403 before the method runs).
    `query` is the model the method parses its query string with (`DataplaneHandler.query`);
    `content` the media type(s) of a response that is not JSON."""

    def mark(method: Callable[..., Any]) -> Callable[..., Any]:
        method = tornado.web.authenticated(method)
        method.__openapi__ = {  # type: ignore[attr-defined]
            "summary": summary,
            "response": response,
            "body": body,
            "query": query,
            "status": status,
            "content": content,
        }
        return method

    return mark


class DataplaneHandler(ExtensionHandlerMixin, APIHandler):
    """Every dataplane route derives from this."""

    @property
    def catalog(self) -> Catalog:
        """The catalog the extension opened at start-up, used as the caller (see `caller`)."""
        cached = getattr(self, "_dataplane_catalog", None)
        if cached is None:
            base: Catalog = self.settings["dataplane_catalog"]
            caller = self.caller()
            cached = self._dataplane_catalog = base.as_user(caller) if caller else base
        return cached

    def caller(self) -> str | None:
        """The Jupyter server's identity of the caller: its user name when the server's identity
        provider names users (JupyterHub, or any provider configured with
        `ServerApp.identity_provider_class`). None for jupyter_server's own token and password
        providers, whose users are anonymous: the catalog's user (`DATAPLANE_USER`, the JupyterHub
        user, else the OS user) is then the caller."""
        if type(self.identity_provider) in ANONYMOUS_PROVIDERS:
            return None
        user = self.current_user
        return (getattr(user, "username", None) or None) if user is not None else None

    def project(self, name: str) -> Project:
        """An existing project (404 otherwise)."""
        return self.catalog.project(name, create=False)

    def dataset(self, project: str, dataset: str) -> Dataset:
        """A dataset of an existing project, by id or name (404 otherwise); blocking."""
        return self.project(project).datasets[dataset]

    def image_folder(self, project: str, folder: str) -> ImageFolder:
        """An image folder of an existing project, by id or name (404 otherwise); blocking."""
        return self.project(project).image_folders[folder]

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking core work off the event loop."""
        return await asyncio.to_thread(functools.partial(fn, *args, **kwargs))

    def reply(self, payload: BaseModel | dict[str, Any] | list[Any], status: int = 200) -> None:
        """Finish with a JSON body."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        if isinstance(payload, BaseModel):
            self.finish(payload.model_dump_json(exclude_unset=getattr(payload, "sparse", False)))
        else:
            self.finish(json.dumps(payload, default=str))

    async def no_content(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run blocking core work (a deletion) off the event loop, then finish with 204."""
        await self.call(fn, *args)
        self.set_status(204)
        self.finish()

    def int_argument(self, name: str, default: int | None = None, *, least: int | None = None,
                     most: int | None = None) -> int:
        """A whole-number query argument (422 naming it when it is not one, is out of range, or
        is missing without a default)."""
        text = self.get_argument(name, None)
        if text is None:
            if default is None:
                raise InvalidInput(f"The query parameter {name} is required.", field=name)
            return default
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or (least is not None and value < least) or (most is not None and value > most):
            bounds = (f" from {least} to {most:,}" if least is not None and most is not None
                      else f" from {least} or more" if least is not None else "")
            raise InvalidInput(f"{name} must be a whole number{bounds}, not {text!r}.", field=name)
        return value

    def required_argument(self, name: str) -> str:
        """A query argument that must be given and not empty (422 naming it otherwise)."""
        value = self.get_argument(name, "")
        if not value:
            raise InvalidInput(f"The query parameter {name} is required.", field=name)
        return value

    async def send_file(self, path: Path, media_type: str, filename: str | None = None) -> None:
        """Stream a local file as a download named `filename` (default: the file's name)."""
        with open(path, "rb") as stream:
            await self.send_stream(stream, media_type, filename or path.name)

    async def send_stream(self, stream: BinaryIO, media_type: str, filename: str) -> None:
        """Stream an open binary file as a download, a megabyte at a time."""
        self.set_header("Content-Type", media_type)
        self.set_header("Content-Disposition", content_disposition(filename))
        while chunk := await self.call(stream.read, 1 << 20):
            self.write(chunk)
            await self.flush()
        self.finish(set_content_type=media_type)  # APIHandler.finish would reset it to JSON

    async def send_chunks(self, first: bytes, rest: Iterator[bytes], media_type: str, filename: str) -> None:
        """Stream a download produced chunk by chunk (each next chunk made off the event loop)."""
        self.set_header("Content-Type", media_type)
        self.set_header("Content-Disposition", content_disposition(filename))
        chunk = first
        while chunk:
            self.write(chunk)
            await self.flush()
            chunk = await self.call(next, rest, b"")
        self.finish(set_content_type=media_type)  # APIHandler.finish would reset it to JSON

    def body(self, model: type[BaseModel]) -> Any:
        """The request body parsed into `model` (422 with the field named when it is wrong)."""
        try:
            return model.model_validate_json(self.request.body or b"{}")
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or None
            raise InvalidInput(f"{field or 'body'}: {first['msg']}", field=field) from None

    def query(self, model: type[Q]) -> Q:
        """The query string parsed into `model` (422 naming the parameter when it is wrong).
        List fields take repeated parameters, each of which may also be comma-separated."""
        values: dict[str, Any] = {}
        for name, field in model.model_fields.items():
            if typing.get_origin(field.annotation) is list:
                items = [part for value in self.get_query_arguments(name) for part in value.split(",") if part]
                if items:
                    values[name] = items
            elif (value := self.get_query_argument(name, None)) is not None:
                values[name] = value
        try:
            return model.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else None
            if first["type"] == "missing":
                raise InvalidInput(f"The query parameter {field} is required.", field=field) from None
            raise InvalidInput(f"{field}: {first['msg']} (got {first.get('input')!r})", field=field) from None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """JSON `{"message": ...}` for every error; domain errors get their own status."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        status = http_status(error) if error is not None else None
        if status is not None:
            self.set_status(status)
            payload = {"message": str(error), "field": getattr(error, "field", None),
                       "hints": find_hints(str(error))}
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
