"""Connectors (credentials + address of an external system) and datasources (a connector plus a
locator). Secrets are sealed before they reach the catalog and never leave the core in clear,
except to the connector kind that uses them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import pyarrow as pa
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import records, schema
from dataplane_jupyter.core.connectors import TestResult, get_kind
from dataplane_jupyter.core.connectors._files import FileConnector
from dataplane_jupyter.core.connectors.base import ConnectorKind, WriteResult
from dataplane_jupyter.core.errors import InUse, InvalidInput
from dataplane_jupyter.core.models import ConnectorTest, DatasourcePreview, DescribeConnector, DescribeDatasource
from dataplane_jupyter.core.sources.secrets import SecretBox, load_key

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project


def secret_box(project: "Project") -> SecretBox:
    """The box that seals this catalog's secrets."""
    return SecretBox(load_key(project.catalog.settings.home))


class Connector(records.RowHandle):
    """A handle on one connector. Its repr and description never contain a secret."""

    @property
    def info(self) -> DescribeConnector:
        """The public description (secret names only)."""
        values = dict(self._row._mapping)
        values["secrets_set"] = sorted(secret_box(self.project).open(values.pop("secrets")))
        return DescribeConnector.model_validate(values)

    kind = property(lambda self: self._row.kind)
    config = property(lambda self: dict(self._row.config))

    @property
    def kind_impl(self) -> ConnectorKind:
        """The connector kind that talks to the external system."""
        return get_kind(self.kind)

    def _secrets(self) -> dict[str, Any]:
        return secret_box(self.project).open(self._row.secrets)

    def __repr__(self) -> str:
        shown = [f"{k}={v!r}" for k, v in self.config.items()] + [f"{k}=***" for k in self.info.secrets_set]
        return f"<Connector {self.name!r} {self.kind} {' '.join(shown)}>"

    def test(self, *, timeout: float = 10, **overrides: Any) -> ConnectorTest:
        """Connect and log in; `.ok` and a message that names the cause of a failure.

        `overrides` are fields as a form holds them before saving: they replace the stored ones
        (a secret not given keeps its stored value, `None` for a plain field clears it)."""
        if overrides:  # stored secrets sent with other fields: managing the secrets
            self.project.require("owner", "test a connector with changed fields")
        config, secrets = self._merged(overrides)
        if overrides:
            self.kind_impl.validate(config, secrets)
        result: TestResult = self.kind_impl.test(config, secrets, timeout=timeout)
        return ConnectorTest(ok=result.ok, message=result.message)

    def _merged(self, fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The stored config and secrets with `fields` applied (see `update`)."""
        config, secrets = self.kind_impl.split(fields)
        cleared = [k for k, v in fields.items() if v is None]
        return (
            {k: v for k, v in {**self.config, **config}.items() if k not in cleared},
            {k: v for k, v in {**self._secrets(), **secrets}.items() if k not in cleared},
        )

    # What the rest of the core does through a connector: the secrets never leave this class.

    def test_locator(self, locator: dict[str, Any], *, timeout: float) -> TestResult:
        """Check that `locator` (a datasource's file or table) can be read."""
        return self.kind_impl.test_locator(self.config, self._secrets(), locator, timeout=timeout)

    def preview(self, locator: dict[str, Any], *, rows: int) -> pa.Table:
        """The first `rows` rows at `locator`."""
        return self.kind_impl.preview(self.config, self._secrets(), locator, rows=rows)

    def open_file(self, locator: dict[str, Any]) -> Any:
        """The file at `locator`, opened for reading (a context manager)."""
        return self.kind_impl.open_file(self.config, self._secrets(), locator)

    def iter_batches(self, locator: dict[str, Any]) -> Iterator[pa.RecordBatch]:
        """The rows of the table at `locator`, in Arrow batches."""
        return self.kind_impl.iter_batches(self.config, self._secrets(), locator)

    def filesystem(self, *, timeout: float) -> Any:
        """An fsspec filesystem logged in to the external system (file kinds only)."""
        kind = self.kind_impl
        if not isinstance(kind, FileConnector):
            raise InvalidInput(f"Connector {self.name!r} is {self.kind}: it holds no files.", field="connector")
        return kind.filesystem(self.config, self._secrets(), timeout=timeout)

    def test_destination(self, destination: dict[str, Any], *, timeout: float) -> TestResult:
        """Check that `destination` is writable (a probe is written next to it, then removed)."""
        return self.kind_impl.test_destination(self.config, self._secrets(), destination, timeout=timeout)

    def write(self, destination: dict[str, Any], batches: Iterator[pa.RecordBatch], **options: Any) -> WriteResult:
        """Write `batches` to `destination` (options: schema, mode, file_format)."""
        return self.kind_impl.write(self.config, self._secrets(), destination, batches, **options)

    def update(self, *, name: str | None = None, **fields: Any) -> "Connector":
        """Edit fields; a secret not given keeps its value, `None` for a plain field clears it."""
        new_config, new_secrets = self._merged(fields)
        self.kind_impl.validate(new_config, new_secrets)
        values: dict[str, Any] = {"config": new_config, "secrets": secret_box(self.project).seal(new_secrets)}
        if name is not None:
            values["name"] = name
        records.update(self.project.catalog.engine, schema.connectors, self.project, self.id, "Connector",
                       need="owner", **values)
        return self.project.connectors[self.id]

    def users(self) -> list[str]:
        """Datasources and exporters that use this connector, as "datasource 'x'" strings."""
        with self.project.catalog.engine.connect() as connection:
            found = [
                f"{what} {name!r}"
                for what, table in (("datasource", schema.datasources), ("exporter", schema.exporters))
                for name in connection.execute(sa.select(table.c.name).where(table.c.connector_id == self.id)).scalars()
            ]
        return found

    def delete(self) -> None:
        """Delete the connector; refused while datasources or exporters use it."""
        self.project.require("owner", "delete a connector")
        users = self.users()
        if users:
            raise InUse(f"Connector {self.name!r} is used by {', '.join(users)}: delete or change them first.")
        records.delete(self.project.catalog.engine, schema.connectors, self.id)


class Connectors(records.Collection[Connector]):
    """The connectors of one project: `project.connectors["wh"]`, `.create(...)`, `.list()`."""

    def __init__(self, project: "Project") -> None:
        self.project = project

    def create(self, name: str, kind: str, **fields: Any) -> Connector:
        """A new connector of `kind` (sql, ftp, sftp, s3, gcp) with that kind's fields."""
        implementation = get_kind(kind)
        config, secrets = implementation.split(fields)
        implementation.validate(config, secrets)
        record_id = records.insert(
            self.project.catalog.engine, schema.connectors, self.project, name, "Connector", need="owner",
            kind=kind, config=config, secrets=secret_box(self.project).seal(secrets),
        )
        return self[record_id]

    def test(self, kind: str, *, timeout: float = 10, **fields: Any) -> ConnectorTest:
        """Test fields before saving them as a connector (the form's "Test connector")."""
        implementation = get_kind(kind)
        config, secrets = implementation.split(fields)
        implementation.validate(config, secrets)
        result = implementation.test(config, secrets, timeout=timeout)
        return ConnectorTest(ok=result.ok, message=result.message)

    def list(self) -> list[Connector]:
        """By name."""
        query = (
            sa.select(schema.connectors)
            .where(schema.connectors.c.project_id == self.project.id)
            .order_by(schema.connectors.c.name)
        )
        with self.project.catalog.engine.connect() as connection:
            return [Connector(self.project, row) for row in connection.execute(query)]

    def __getitem__(self, key: str) -> Connector:
        row = records.find(
            self.project.catalog.engine, sa.select(schema.connectors), schema.connectors, self.project, key, "Connector"
        )
        return Connector(self.project, row)


def _datasource_query() -> sa.Select:
    d, c = schema.datasources, schema.connectors
    return sa.select(d, c.c.name.label("connector"), c.c.kind).select_from(d.join(c, d.c.connector_id == c.c.id))


class Datasource(records.RowHandle):
    """A handle on one datasource; its data stays remote until imported."""

    locator = property(lambda self: dict(self._row.locator))

    @property
    def info(self) -> DescribeDatasource:
        """The public description."""
        return DescribeDatasource.model_validate(self._row._mapping)

    @property
    def connector(self) -> Connector:
        """The connector it reads through."""
        return self.project.connectors[self._row.connector_id]

    def __repr__(self) -> str:
        return f"<Datasource {self.name!r} via {self._row.connector!r}: {self.connector.kind_impl.describe(self.locator)}>"

    def test(self, *, rows: int = 20, timeout: float = 15) -> DatasourcePreview:
        """Read the schema and the first rows; `.ok` false with the cause when it cannot."""
        return preview_locator(self.connector, self.locator, rows=rows, timeout=timeout)

    def preview(self, rows: int = 20) -> pa.Table:
        """The first rows as an Arrow table (raises with the cause when it cannot)."""
        return self.connector.preview(self.locator, rows=rows)

    def update(self, *, name: str | None = None, **locator: Any) -> "Datasource":
        """Change the name or the locator."""
        values: dict[str, Any] = {}
        if locator:
            self.connector.kind_impl.validate_locator(locator)
            values["locator"] = locator
        if name is not None:
            values["name"] = name
        records.update(self.project.catalog.engine, schema.datasources, self.project, self.id, "Datasource", **values)
        return self.project.datasources[self.id]

    def schedule(self, name: str | None = None, **timing: Any) -> Any:
        """Refresh this datasource on a schedule: each tick imports it into a new dataset snapshot.
        `cron=` (+ `timezone=`), `every=` seconds or `at=`; `retries=`, `retry_delay=`,
        `params={"dataset_name": "sales_{tick:%Y%m%d}"}` (see `project.schedules.create`)."""
        return self.project.schedules.create(name, datasource=self.id, **timing)

    def schedules(self) -> list[Any]:
        """The schedules that refresh this datasource."""
        return self.project.schedules.list(datasource=self.id)

    def delete(self) -> None:
        """Forget the datasource; datasets imported from it stay (its schedules are disabled at their next tick)."""
        self.project.require("editor", "delete a datasource")
        records.delete(self.project.catalog.engine, schema.datasources, self.id)


def preview_locator(connector: Connector, locator: dict[str, Any], *, rows: int, timeout: float) -> DatasourcePreview:
    """Test a locator through a connector: schema and first rows, or the cause of the failure."""
    connector.kind_impl.validate_locator(locator)
    check = connector.test_locator(locator, timeout=timeout)
    if not check.ok:
        return DatasourcePreview(ok=False, message=check.message)
    table = connector.preview(locator, rows=rows)
    return DatasourcePreview(
        ok=True,
        message=check.message,
        columns=[{"name": f.name, "type": str(f.type)} for f in table.schema],
        rows=[list(row.values()) for row in table.to_pylist()],
    )


class Datasources(records.Collection[Datasource]):
    """The datasources of one project."""

    def __init__(self, project: "Project") -> None:
        self.project = project

    def test(self, connector: str, *, rows: int = 20, timeout: float = 15, **locator: Any) -> DatasourcePreview:
        """Test a locator before saving it (the form's "Test datasource")."""
        locator = {k: v for k, v in locator.items() if v is not None}
        return preview_locator(self.project.connectors[connector], locator, rows=rows, timeout=timeout)

    def create(self, name: str, connector: str, **locator: Any) -> Datasource:
        """A datasource reading `locator` (table=, query=, path=, bucket=+path=, dataset=+table=)
        through the named connector."""
        owner = self.project.connectors[connector]
        locator = {k: v for k, v in locator.items() if v is not None}
        owner.kind_impl.validate_locator(locator)
        record_id = records.insert(
            self.project.catalog.engine, schema.datasources, self.project, name, "Datasource",
            connector_id=owner.id, locator=locator,
        )
        return self[record_id]

    def list(self) -> list[Datasource]:
        """By name."""
        query = _datasource_query().where(schema.datasources.c.project_id == self.project.id).order_by(schema.datasources.c.name)
        with self.project.catalog.engine.connect() as connection:
            return [Datasource(self.project, row) for row in connection.execute(query)]

    def __getitem__(self, key: str) -> Datasource:
        row = records.find(
            self.project.catalog.engine, _datasource_query(), schema.datasources, self.project, key, "Datasource"
        )
        return Datasource(self.project, row)
