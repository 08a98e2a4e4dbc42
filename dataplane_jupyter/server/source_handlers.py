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
from . import crud
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


class ConnectorsHandler(crud.CollectionHandler, collection="connectors"):
    get = crud.list_records("List connectors (secrets never included)", ListConnectorsResponse)
    post = crud.create_record("Create a connector", CreateConnector, DescribeConnector,
                              lambda connectors, r: connectors.create(r.name, r.kind, **r.fields))


class TestNewConnectorHandler(crud.CollectionHandler, collection="connectors"):
    post = crud.test_new_record("Test connector fields before saving them", CreateConnector, ConnectorTest,
                                lambda connectors, r: connectors.test(r.kind, **r.fields))


class ConnectorHandler(crud.CollectionHandler, collection="connectors"):
    get = crud.read_record("Describe a connector (by id or name)", DescribeConnector)
    patch = crud.edit_record("Edit a connector; secrets left out keep their value", UpdateConnector, DescribeConnector,
                             lambda connector, r: connector.update(name=r.name, **r.fields))
    delete = crud.delete_record("Delete a connector (refused while datasources or exporters use it)")


class TestConnectorHandler(crud.CollectionHandler, collection="connectors"):
    post = crud.record_action("Test a saved connector", ConnectorTest, lambda connector: connector.test())


class DatasourcesHandler(crud.CollectionHandler, collection="datasources"):
    get = crud.list_records("List datasources", ListDatasourcesResponse)
    post = crud.create_record("Create a datasource", CreateDatasource, DescribeDatasource,
                              lambda datasources, r: datasources.create(r.name, r.connector, **r.locator))


class TestNewDatasourceHandler(crud.CollectionHandler, collection="datasources"):
    post = crud.test_new_record("Test a datasource before saving it: schema and first rows", CreateDatasource,
                                DatasourcePreview, lambda datasources, r: datasources.test(r.connector, **r.locator))


class DatasourceHandler(crud.CollectionHandler, collection="datasources"):
    get = crud.read_record("Describe a datasource", DescribeDatasource)
    patch = crud.edit_record("Edit a datasource", UpdateDatasource, DescribeDatasource,
                             lambda datasource, r: datasource.update(name=r.name, **(r.locator or {})))
    delete = crud.delete_record("Delete a datasource (imported datasets stay)")


class TestDatasourceHandler(crud.CollectionHandler, collection="datasources"):
    post = crud.record_action("Test a saved datasource: schema and first rows", DatasourcePreview,
                              lambda datasource: datasource.test())


class ImportDatasourceHandler(DataplaneHandler):
    @operation("Import a datasource as a new dataset (a job)", body=ImportDatasource, response=DescribeDataset, status=202)
    async def post(self, project: str) -> None:
        request = self.body(ImportDatasource)
        start = lambda: self.project(project).datasets.import_datasource(request.datasource, name=request.name).describe()  # noqa: E731
        self.reply(await self.call(start), status=202)
