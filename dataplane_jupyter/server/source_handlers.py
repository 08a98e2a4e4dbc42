"""REST handlers for connectors, datasources and importing a datasource as a dataset."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..core.connectors import available_kinds, get_kind
from ..core.models import (
    ConnectorTest,
    CreateConnector,
    CreateDatasource,
    DatasourcePreview,
    DescribeConnector,
    DescribeConnectorKind,
    DescribeDataset,
    DescribeDatasource,
    ImportDatasource,
    ListConnectorKindsResponse,
    ListConnectorsResponse,
    ListDatasourcesResponse,
    UpdateConnector,
    UpdateDatasource,
)
from .base import DataplaneHandler, operation


def _field(field: Any) -> dict[str, Any]:
    record = asdict(field)
    record["choices"] = [{"value": value, "label": label} for value, label in field.choices]
    return record


def describe_kinds() -> ListConnectorKindsResponse:
    """Every connector kind with its form fields; SQL first (what most connect to)."""
    kinds = []
    for name in sorted(available_kinds(), key=lambda kind: kind != "sql"):
        kind = get_kind(name)
        kinds.append(
            DescribeConnectorKind(
                kind=name,
                label=kind.label,
                fields=[_field(f) for f in kind.fields],
                locator_fields=[_field(f) for f in kind.locator_fields],
            )
        )
    return ListConnectorKindsResponse(kinds=kinds)


class ConnectorKindsHandler(DataplaneHandler):
    @operation("Connector kinds and their form fields", response=ListConnectorKindsResponse)
    async def get(self) -> None:
        self.reply(await self.call(describe_kinds))


class ConnectorsHandler(DataplaneHandler):
    @operation("List connectors (secrets never included)", response=ListConnectorsResponse)
    async def get(self, project: str) -> None:
        connectors = await self.call(lambda: [c.info for c in self.project(project).connectors.list()])
        self.reply(ListConnectorsResponse(connectors=connectors))

    @operation("Create a connector", body=CreateConnector, response=DescribeConnector, status=201)
    async def post(self, project: str) -> None:
        request = self.body(CreateConnector)
        create = lambda: self.project(project).connectors.create(request.name, request.kind, **request.fields).info  # noqa: E731
        self.reply(await self.call(create), status=201)


class TestNewConnectorHandler(DataplaneHandler):
    @operation("Test connector fields before saving them", body=CreateConnector, response=ConnectorTest)
    async def post(self, project: str) -> None:
        request = self.body(CreateConnector)
        self.reply(await self.call(lambda: self.project(project).connectors.test(request.kind, **request.fields)))


class ConnectorHandler(DataplaneHandler):
    @operation("Describe a connector (by id or name)", response=DescribeConnector)
    async def get(self, project: str, connector: str) -> None:
        self.reply(await self.call(lambda: self.project(project).connectors[connector].info))

    @operation("Edit a connector; secrets left out keep their value", body=UpdateConnector, response=DescribeConnector)
    async def patch(self, project: str, connector: str) -> None:
        request = self.body(UpdateConnector)
        edit = lambda: self.project(project).connectors[connector].update(name=request.name, **request.fields).info  # noqa: E731
        self.reply(await self.call(edit))

    @operation("Delete a connector (refused while datasources or exporters use it)", status=204)
    async def delete(self, project: str, connector: str) -> None:
        await self.no_content(lambda: self.project(project).connectors[connector].delete())


class TestConnectorHandler(DataplaneHandler):
    @operation("Test a saved connector", response=ConnectorTest)
    async def post(self, project: str, connector: str) -> None:
        self.reply(await self.call(lambda: self.project(project).connectors[connector].test()))


class DatasourcesHandler(DataplaneHandler):
    @operation("List datasources", response=ListDatasourcesResponse)
    async def get(self, project: str) -> None:
        found = await self.call(lambda: [d.info for d in self.project(project).datasources.list()])
        self.reply(ListDatasourcesResponse(datasources=found))

    @operation("Create a datasource", body=CreateDatasource, response=DescribeDatasource, status=201)
    async def post(self, project: str) -> None:
        request = self.body(CreateDatasource)
        create = lambda: self.project(project).datasources.create(request.name, request.connector, **request.locator).info  # noqa: E731
        self.reply(await self.call(create), status=201)


class TestNewDatasourceHandler(DataplaneHandler):
    @operation("Test a datasource before saving it: schema and first rows", body=CreateDatasource, response=DatasourcePreview)
    async def post(self, project: str) -> None:
        request = self.body(CreateDatasource)
        self.reply(await self.call(lambda: self.project(project).datasources.test(request.connector, **request.locator)))


class DatasourceHandler(DataplaneHandler):
    @operation("Describe a datasource", response=DescribeDatasource)
    async def get(self, project: str, datasource: str) -> None:
        self.reply(await self.call(lambda: self.project(project).datasources[datasource].info))

    @operation("Edit a datasource", body=UpdateDatasource, response=DescribeDatasource)
    async def patch(self, project: str, datasource: str) -> None:
        request = self.body(UpdateDatasource)
        edit = lambda: self.project(project).datasources[datasource].update(name=request.name, **(request.locator or {})).info  # noqa: E731
        self.reply(await self.call(edit))

    @operation("Delete a datasource (imported datasets stay)", status=204)
    async def delete(self, project: str, datasource: str) -> None:
        await self.no_content(lambda: self.project(project).datasources[datasource].delete())


class TestDatasourceHandler(DataplaneHandler):
    @operation("Test a saved datasource: schema and first rows", response=DatasourcePreview)
    async def post(self, project: str, datasource: str) -> None:
        self.reply(await self.call(lambda: self.project(project).datasources[datasource].test()))


class ImportDatasourceHandler(DataplaneHandler):
    @operation("Import a datasource as a new dataset (a job)", body=ImportDatasource, response=DescribeDataset, status=202)
    async def post(self, project: str) -> None:
        request = self.body(ImportDatasource)
        start = lambda: self.project(project).datasets.import_datasource(request.datasource, name=request.name).describe()  # noqa: E731
        self.reply(await self.call(start), status=202)
