"""Exporters (a connector + a destination + an overwrite mode) and the collection that holds them.

    project.exporters.create("out", connector="wh", table="preds", mode="timestamp")
    run = project.datasets["sales"].export("out"); run.wait(); run.status, run.location
    project.exporters["out"].history()

An export is a job (`core.exports.runs`); its record, the export run, keeps the status, the rows and
the location actually written, so the exporter list can show each exporter's last export.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import records, schema
from dataplane_jupyter.core.connectors.base import ConnectorKind, check_file_format, check_mode
from dataplane_jupyter.core.errors import InUse, InvalidInput, NotFound
from dataplane_jupyter.core.exports.runs import ACTIVE, ExportRun, describe_run, run_query, start_export
from dataplane_jupyter.core.models import ConnectorTest, DescribeExporter

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project
    from dataplane_jupyter.core.datasets.datasets import Dataset
    from dataplane_jupyter.core.sources.sources import Connector


def _exporter_query() -> sa.Select:
    x, c = schema.exporters, schema.connectors
    return sa.select(x, c.c.name.label("connector"), c.c.kind).select_from(x.join(c, x.c.connector_id == c.c.id))


def _clean(destination: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in destination.items() if v is not None and v != ""}


def check_exporter(kind: ConnectorKind, destination: dict[str, Any], mode: str, file_format: str) -> None:
    """Raise InvalidInput naming the field at fault: the destination, the mode or the file format."""
    check_mode(mode)
    check_file_format(file_format)
    kind.validate_destination(destination)
    if file_format != "csv" and kind.shape(destination) == "table":
        raise InvalidInput(f"file_format {file_format!r} only applies to files; this exporter writes "
                           f"{kind.describe(destination)}", field="file_format")


class Exporter(records.RowHandle):
    """A handle on one exporter: `.history()`, `.last_run`, `.test()`, `.run(dataset)`, `.update()`, `.delete()`."""

    mode = property(lambda self: self._row.mode, doc="timestamp, cancel or overwrite.")
    file_format = property(lambda self: self._row.file_format, doc="csv or parquet (files only).")
    destination = property(lambda self: dict(self._row.destination), doc="Where it writes (locator fields).")

    @property
    def connector(self) -> "Connector":
        """The connector it writes through."""
        return self.project.connectors[self._row.connector_id]

    @property
    def info(self) -> DescribeExporter:
        """The public description, with the last export."""
        last = self.last_run
        return DescribeExporter.model_validate({**self._row._mapping, "last_run": last.info if last else None})

    def __repr__(self) -> str:
        return (f"<Exporter {self.name!r} via {self._row.connector!r}: "
                f"{self.connector.kind_impl.describe(self.destination)}, mode {self.mode}>")

    def destination_for(self, dataset_name: str) -> dict[str, Any]:
        """The destination of an export of `dataset_name`: a path ending in "/" is a folder, and the
        file is named after the dataset."""
        destination = self.destination
        path = str(destination.get("path") or "")
        if path.endswith("/"):
            destination["path"] = f"{path}{dataset_name}.{self.file_format}"
        return destination

    def history(self, limit: int = 200) -> list[ExportRun]:
        """Every export this exporter did, newest first."""
        query = run_query().where(schema.export_runs.c.exporter_id == self.id)
        return self.project.exporters.runs(query, limit=limit)

    @property
    def last_run(self) -> ExportRun | None:
        """The most recent export, or None."""
        found = self.history(limit=1)
        return found[0] if found else None

    def run(self, dataset: str) -> ExportRun:
        """Export the dataset named `dataset` (or with that id); returns at once (see ExportRun.wait)."""
        self.project.require("editor", "export a dataset")
        return start_export(self.project, self.project.exporters.dataset(dataset), self.id)

    def test(self, *, timeout: float = 20) -> ConnectorTest:
        """Check that the destination is writable (a probe is written next to it, then removed)."""
        self.project.require("editor", "test an exporter")  # it writes to the destination
        result = self.connector.test_destination(self.destination, timeout=timeout)
        return ConnectorTest(ok=result.ok, message=result.message)

    def update(self, *, name: str | None = None, connector: str | None = None, mode: str | None = None,
               file_format: str | None = None, destination: dict[str, Any] | None = None,
               **fields: Any) -> "Exporter":
        """Change the name, connector, mode, file format or destination fields (`None` clears a field)."""
        owner = self.project.connectors[connector] if connector is not None else self.connector
        kept = self.destination if owner.kind == self._row.kind else {}  # another kind has other fields
        new = _clean({**kept, **(destination or {}), **fields})
        mode, file_format = mode or self.mode, file_format or self.file_format
        check_exporter(owner.kind_impl, new, mode, file_format)
        values: dict[str, Any] = {"connector_id": owner.id, "destination": new, "mode": mode, "file_format": file_format}
        if name is not None:
            values["name"] = name
        records.update(self.project.catalog.engine, schema.exporters, self.project, self.id, "Exporter", **values)
        return self.project.exporters[self.id]

    def delete(self) -> None:
        """Delete the exporter and its history; refused while one of its exports runs."""
        self.project.require("editor", "delete an exporter")
        running = [info for info in (run.describe() for run in self.history(limit=20)) if info.status in ACTIVE]
        if running:
            raise InUse(f"Exporter {self.name!r} is exporting dataset {running[0].dataset_name!r} now: "
                        "wait for it or cancel it first.")
        records.delete(self.project.catalog.engine, schema.exporters, self.id)


class Exporters(records.Collection[Exporter]):
    """The exporters of one project: `project.exporters["out"]`, `.create(...)`, `.list()`, `.test(...)`."""

    def __init__(self, project: "Project") -> None:
        self.project = project

    def create(self, name: str, connector: str, *, mode: str = "timestamp", file_format: str = "csv",
               destination: dict[str, Any] | None = None, **fields: Any) -> Exporter:
        """A new exporter writing through `connector` to table=/database= (SQL), path= (FTP, SFTP),
        bucket=+path= (S3, GCS) or dataset=+table= (BigQuery); `mode` is timestamp, cancel or overwrite."""
        owner = self.project.connectors[connector]
        where = _clean({**(destination or {}), **fields})
        check_exporter(owner.kind_impl, where, mode, file_format)
        record_id = records.insert(
            self.project.catalog.engine, schema.exporters, self.project, name, "Exporter",
            connector_id=owner.id, destination=where, mode=mode, file_format=file_format,
        )
        return self[record_id]

    def test(self, connector: str, *, timeout: float = 20, destination: dict[str, Any] | None = None,
             **fields: Any) -> ConnectorTest:
        """Check that a destination is writable before saving it as an exporter."""
        self.project.require("editor", "test an exporter")  # it writes to the destination
        owner = self.project.connectors[connector]
        where = _clean({**(destination or {}), **fields})
        result = owner.test_destination(where, timeout=timeout)
        return ConnectorTest(ok=result.ok, message=result.message)

    def list(self) -> list[Exporter]:
        """By name."""
        query = _exporter_query().where(schema.exporters.c.project_id == self.project.id).order_by(schema.exporters.c.name)
        with self.project.catalog.engine.connect() as connection:
            return [Exporter(self.project, row) for row in connection.execute(query)]

    def __getitem__(self, key: str) -> Exporter:
        row = records.find(self.project.catalog.engine, _exporter_query(), schema.exporters, self.project, key, "Exporter")
        return Exporter(self.project, row)

    # -- export runs ------------------------------------------------------------------------
    def get_run(self, run_id: str) -> ExportRun:
        """One export run of this project by id."""
        return ExportRun(self.project, run_id)

    def runs(self, query: sa.Select | None = None, *, limit: int = 200) -> builtins.list[ExportRun]:
        """Export runs of this project (all, or those `query` selects), newest first."""
        query = (query if query is not None else run_query()).where(schema.exporters.c.project_id == self.project.id)
        query = query.order_by(schema.export_runs.c.created_at.desc()).limit(limit)
        with self.project.catalog.engine.connect() as connection:
            return [ExportRun(self.project, row.id, describe_run(row)) for row in connection.execute(query)]

    def dataset(self, key: str) -> "Dataset":
        """The dataset an export names (id or name); image folders are refused plainly."""
        try:
            return self.project.datasets[key]
        except NotFound:
            folders = schema.image_folders
            with self.project.catalog.engine.connect() as connection:
                folder = connection.execute(sa.select(folders.c.id).where(
                    folders.c.project_id == self.project.id, folders.c.name == key)).first()
            if folder is not None:
                raise InvalidInput(f"{key!r} is an image folder: image folders cannot be exported, only datasets.",
                                   field="dataset") from None
            raise
