"""The routes of a named collection of a project, written once.

A project holds its connectors, datasources, exporters, pipelines, schedules, datasets and image
folders as collections (`project.connectors`, ...): a collection lists, creates and tests records
and finds one by id or name (`collection[name]`); a record describes itself (`.info`), updates,
tests and deletes itself. Over REST every collection has the same kinds of routes:

    GET    /projects/{project}/<collection>                 list_records
    POST   /projects/{project}/<collection>                 create_record
    POST   /projects/{project}/<collection>/test            test_new_record
    GET    /projects/{project}/<collection>/{record}        read_record
    PATCH  /projects/{project}/<collection>/{record}        edit_record
    DELETE /projects/{project}/<collection>/{record}        delete_record
    POST   /projects/{project}/<collection>/{record}/<verb> record_action (test, pause, cancel, ...)

A route module imports this module (`from . import crud`) and declares one handler class per
route, naming the collection in its class line (`class ConnectorHandler(crud.CollectionHandler,
collection="connectors")`; `crud.RunHandler` for the runs of a collection). It sets each HTTP
method to one of the functions below, given what differs: the OpenAPI summary, the models and,
as a lambda, the core call. Each function returns an ordinary authenticated handler method
(`@operation`), which the OpenAPI document reads like any other. A route that does more than
this writes its method out as usual, using `records` and `record`.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, ClassVar

from pydantic import BaseModel

from .base import DataplaneHandler, operation

Method = Callable[..., Awaitable[None]]
Call = Callable[..., Any]


class CollectionHandler(DataplaneHandler):
    """A route of one collection of a project: `collection` is its attribute on `Project`.
    On a record's route the placeholder after `{project}` names the record."""

    collection: ClassVar[str]

    def __init_subclass__(cls, collection: str | None = None, **kwargs: Any) -> None:
        """`class XHandler(CollectionHandler, collection="connectors")` sets `collection`."""
        super().__init_subclass__(**kwargs)
        if collection is not None:
            cls.collection = collection

    def records(self, project: str) -> Any:
        """The collection of an existing project (404 otherwise); blocking."""
        return getattr(self.project(project), self.collection)

    def record(self, project: str, path: dict[str, str]) -> Any:
        """The record the route names after the project, by id or name (404 otherwise); blocking."""
        (name,) = path.values()
        return self.records(project)[name]

    def saved(self) -> None:
        """Called after a record was created or edited (the schedules wake their scheduler)."""


class RunHandler(CollectionHandler):
    """A route of one run of a collection (`/export-runs/{run}`, `/pipeline-runs/{run}`): the
    collection finds it by id with `get_run`."""

    def record(self, project: str, path: dict[str, str]) -> Any:
        (run,) = path.values()
        return self.records(project).get_run(run)


def list_records(summary: str, response: type[BaseModel], query: type[BaseModel] | None = None) -> Method:
    """GET the collection: the `info` of every record, in the one field of `response` (named like
    the collection). The fields of the `query` model, if any, are passed to `list()` by name."""

    @operation(summary, response=response, query=query)
    async def get(self: CollectionHandler, project: str) -> None:
        filters = self.query(query).model_dump() if query is not None else {}
        found = await self.call(lambda: [record.info for record in self.records(project).list(**filters)])
        self.reply(response.model_validate({self.collection: found}))

    return get


def create_record(summary: str, body: type[BaseModel], response: type[BaseModel], create: Call) -> Method:
    """POST to the collection: `create(collection, request)` makes the record; 201 with its `info`."""

    @operation(summary, body=body, response=response, status=201)
    async def post(self: CollectionHandler, project: str) -> None:
        request = self.body(body)
        self.reply(await self.call(lambda: create(self.records(project), request).info), status=201)
        self.saved()

    return post


def test_new_record(summary: str, body: type[BaseModel], response: type[BaseModel], test: Call) -> Method:
    """POST a record's fields to test them before saving: `test(collection, request)` is the reply."""

    @operation(summary, body=body, response=response)
    async def post(self: CollectionHandler, project: str) -> None:
        request = self.body(body)
        self.reply(await self.call(lambda: test(self.records(project), request)))

    return post


def read_record(summary: str, response: type[BaseModel], read: Call = lambda record, query: record.info, *,
                query: type[BaseModel] | None = None) -> Method:
    """GET one record: `read(record, query)` is the reply, the record's `info` unless given;
    `query` is the model of the query string (parsed first: a wrong parameter is a 422 before a 404)."""

    @operation(summary, response=response, query=query)
    async def get(self: CollectionHandler, project: str, **path: str) -> None:
        arguments = self.query(query) if query is not None else None
        self.reply(await self.call(lambda: read(self.record(project, path), arguments)))

    return get


def edit_record(summary: str, body: type[BaseModel], response: type[BaseModel], edit: Call) -> Method:
    """PATCH one record: `edit(record, request)` changes it and returns it; the reply is its `info`."""

    @operation(summary, body=body, response=response)
    async def patch(self: CollectionHandler, project: str, **path: str) -> None:
        request = self.body(body)
        self.reply(await self.call(lambda: edit(self.record(project, path), request).info))
        self.saved()

    return patch


def delete_record(summary: str) -> Method:
    """DELETE one record: 204."""

    @operation(summary, status=204)
    async def delete(self: CollectionHandler, project: str, **path: str) -> None:
        await self.no_content(lambda: self.record(project, path).delete())

    return delete


def record_action(summary: str, response: type[BaseModel], act: Call, *, status: int = 200,
                  saves: bool = False) -> Method:
    """POST a verb to one record (test, pause, cancel, ...): `act(record)` is the reply. `saves`:
    `saved()` follows, as after an edit (a resumed schedule wakes the scheduler)."""

    @operation(summary, response=response, status=status)
    async def post(self: CollectionHandler, project: str, **path: str) -> None:
        self.reply(await self.call(lambda: act(self.record(project, path))), status=status)
        if saves:
            self.saved()

    return post
