"""Datasets: immutable tabular snapshots we store as Parquet, with their statistics."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.catalog.names import check_name
from dataplane_jupyter.core.catalog.records import RecordWithJob
from dataplane_jupyter.core.datasets.csv_cells import csv_batch, csv_schema
from dataplane_jupyter.core.datasets.imports import start_datasource_import, start_file_import, start_statistics
from dataplane_jupyter.core.datasets.paths import DATA_FILE, dataset_folder
from dataplane_jupyter.core.embeddings.embeddings import load_embeddings, neighbors, start_embeddings
from dataplane_jupyter.core.errors import AlreadyExists, ImportFailed, InvalidInput, InvalidState, NotFound
from dataplane_jupyter.core.exports.runs import ExportRun, dataset_exports, start_export
from dataplane_jupyter.core.models import STATUS_LABELS, DatasetOrigin, DatasetStatus, DescribeDataset

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project
    from dataplane_jupyter.core.jobs.handles import JobHandle

DOWNLOAD_FORMATS = ("csv", "parquet")


def _describe_query() -> sa.Select:
    d, j = schema.datasets, schema.jobs
    return sa.select(
        d, sa.func.coalesce(j.c.progress, 0.0).label("progress"), j.c.message.label("job_message")
    ).select_from(d.outerjoin(j, d.c.job_id == j.c.id))


def _describe(row: sa.Row) -> DescribeDataset:
    values = dict(row._mapping)
    values["columns"] = values.pop("n_columns")
    status = DatasetStatus(values["status"])
    values["status_label"] = STATUS_LABELS[status]
    if status is DatasetStatus.READY:
        values["progress"] = 1.0
    return DescribeDataset.model_validate(values)


class Datasets:
    """The datasets of one project: `project.datasets["sales"]`, `.list(...)`, `.import_file(...)`."""

    def __init__(self, project: "Project") -> None:
        self.project = project
        self.catalog = project.catalog

    def list(
        self,
        origin: Iterable[str] | None = None,
        search: str | None = None,
        status: Iterable[str] | None = None,
    ) -> list["Dataset"]:
        """Newest first; `origin` and `status` keep the listed values, `search` matches names."""
        d = schema.datasets
        query = _describe_query().where(d.c.project_id == self.project.id).order_by(d.c.created_at.desc())
        if origin:
            query = query.where(d.c.origin.in_([DatasetOrigin(o).value for o in origin]))
        if status:
            query = query.where(d.c.status.in_([DatasetStatus(s).value for s in status]))
        if search:
            query = query.where(sa.func.lower(d.c.name).contains(search.lower(), autoescape=True))
        with self.catalog.engine.connect() as connection:
            return [Dataset(self.project, _describe(row)) for row in connection.execute(query)]

    def get(self, dataset_id: str) -> "Dataset":
        """A dataset by id."""
        return self._one(schema.datasets.c.id == dataset_id, f"id {dataset_id!r}")

    def __getitem__(self, name: str) -> "Dataset":
        return self._one(schema.datasets.c.name == name, f"name {name!r}")

    def _one(self, condition: sa.ColumnElement[bool], label: str) -> "Dataset":
        query = _describe_query().where(schema.datasets.c.project_id == self.project.id, condition)
        with self.catalog.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            raise NotFound(f"No dataset with {label} in project {self.project.name!r}.")
        return Dataset(self.project, _describe(row))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(ds.name == name for ds in self.list(search=name))

    def __iter__(self) -> Iterator["Dataset"]:
        return iter(self.list())

    def __len__(self) -> int:
        with self.catalog.engine.connect() as connection:
            return connection.execute(
                sa.select(sa.func.count())
                .select_from(schema.datasets)
                .where(schema.datasets.c.project_id == self.project.id)
            ).scalar_one()

    def _create(self, name: str, origin: DatasetOrigin, source: dict[str, Any], **values: Any) -> str:
        name = check_name(name, "Dataset")
        dataset_id = schema.new_id()
        with self.catalog.engine.begin() as connection:
            taken = connection.execute(
                sa.select(schema.datasets.c.id).where(
                    schema.datasets.c.project_id == self.project.id, schema.datasets.c.name == name
                )
            ).first()
            if taken:
                raise AlreadyExists(
                    f"Project {self.project.name!r} already has a dataset named {name!r}.", field="name"
                )
            connection.execute(
                schema.datasets.insert().values(
                    id=dataset_id,
                    project_id=self.project.id,
                    name=name,
                    origin=origin.value,
                    status=DatasetStatus.COPYING.value,
                    source=source,
                    **values,
                )
            )
        return dataset_id

    def import_file(
        self,
        source: str | os.PathLike[str],
        name: str | None = None,
        *,
        separator: str | None = None,
        decimal: str | None = None,
        encoding: str | None = None,
        quotechar: str | None = None,
        header: bool | None = None,
        origin: str = "upload",
        delete_source: bool = False,
        file_name: str | None = None,
    ) -> "Dataset":
        """Start importing a CSV file (local path or any fsspec URL); returns at once.

        The dataset is listed immediately with status `copying`; `.wait()` blocks until it is
        `ready` (or raises ImportFailed). Separator, decimal, encoding, quoting and header are
        detected unless given. `file_name` is the name shown in messages (for staged uploads).
        """
        location = str(source)
        if "://" not in location:
            path = Path(location).expanduser()
            if not path.is_file():
                raise InvalidInput(f"File {location!r} does not exist.", field="source")
            location = str(path.absolute())
        options = {
            "separator": separator,
            "decimal": decimal,
            "encoding": encoding,
            "quotechar": quotechar,
            "header": header,
        }
        file_name = file_name or Path(location.split("://")[-1]).name
        dataset_id = self._create(
            name or Path(file_name).stem.removesuffix(".csv"), DatasetOrigin(origin), {"file": file_name}
        )
        start_file_import(self.project, dataset_id, location, options, delete_source=delete_source)
        return self.get(dataset_id)

    def import_datasource(self, datasource: str, name: str | None = None) -> "Dataset":
        """Start importing a datasource (a new snapshot each time); returns at once."""
        source = self.project.datasources[datasource]
        stamp = schema.utcnow().strftime("%Y-%m-%dT%H-%M-%S")
        dataset_id = self._create(
            name or f"{source.name}_{stamp}",
            DatasetOrigin.DATASOURCE,
            {"datasource": source.name, "connector": source.info.connector},
            datasource_id=source.id,
        )
        start_datasource_import(self.project, dataset_id, source.id)
        return self.get(dataset_id)

    def from_pandas(
        self, frame: pd.DataFrame, name: str, *, origin: str = "pipeline_output"
    ) -> "Dataset":
        """Store a DataFrame as a new dataset and compute its statistics in the background."""
        return self.from_arrow(pa.Table.from_pandas(frame, preserve_index=False), name, origin=origin)

    def from_arrow(self, table: pa.Table, name: str, *, origin: str = "pipeline_output") -> "Dataset":
        """Store an Arrow table as a new dataset and compute its statistics in the background."""
        dataset_id = self._create(name, DatasetOrigin(origin), {"in_memory": True})
        folder = dataset_folder(self.project.id, dataset_id)
        with self.catalog.storage.open(f"{folder}/{DATA_FILE}", "wb") as out:
            pq.write_table(table, out)
        start_statistics(self.project, dataset_id, table.num_rows, table.schema)
        return self.get(dataset_id)


class Dataset(RecordWithJob[DescribeDataset]):
    """A handle on one dataset; attributes read the catalog afresh, so they follow the import
    (`describe()` is the snapshot read last, without a query)."""

    _noun = "Dataset"

    def __init__(self, project: "Project", info: DescribeDataset) -> None:
        self.project = project
        self.catalog = project.catalog
        self._info = info

    def _load(self) -> DescribeDataset:
        return self.project.datasets.get(self._info.id).describe()

    def _done(self, info: DescribeDataset) -> bool:
        if info.status is DatasetStatus.FAILED:
            raise ImportFailed(f"Dataset {info.name!r} failed: {info.error}")
        return info.status is DatasetStatus.READY

    id = property(lambda self: self._info.id, doc="The dataset's identifier.")
    name = property(lambda self: self.info.name, doc="The dataset's name.")
    status = property(lambda self: self.info.status.value, doc="copying, computing_statistics, ready or failed.")
    origin = property(lambda self: self.info.origin.value, doc="upload, datasource, pipeline_output, pipeline_intermediate.")
    rows = property(lambda self: self.info.rows, doc="Number of rows (once copied).")
    columns = property(lambda self: self.info.columns, doc="Number of columns (once copied).")
    warnings = property(lambda self: self.info.warnings, doc="Warnings of the import (file rules).")
    error = property(lambda self: self.info.error, doc="Why the import failed, if it did.")

    def __repr__(self) -> str:
        info = self._info
        shape = f" {info.rows}×{info.columns}" if info.rows is not None else ""
        return f"<Dataset {info.name!r} {info.status.value}{shape}>"

    def _require_data(self) -> None:
        """Data and statistics exist once the copy is done (statistics may still be partial)."""
        info = self.info
        if info.status not in (DatasetStatus.READY, DatasetStatus.COMPUTING_STATISTICS):
            raise InvalidState(
                f"Dataset {info.name!r} is {STATUS_LABELS[info.status]!r}: its data is not available yet."
            )

    @property
    def _folder(self) -> str:
        return dataset_folder(self._info.project_id, self._info.id)

    @property
    def _data_path(self) -> str:
        return f"{self._folder}/{DATA_FILE}"

    def statistics(self) -> dict[str, Any]:
        """The stored statistics: summary, columns, correlation, sample (see DESIGN.md).

        While the dataset is computing its statistics this gives the first figures read from
        the Parquet footer (rows, per-column missing/min/max) with `"partial": True`.
        """
        self._require_data()
        with self.catalog.engine.connect() as connection:
            payload = connection.execute(
                sa.select(schema.dataset_statistics.c.payload).where(
                    schema.dataset_statistics.c.dataset_id == self.id
                )
            ).scalar_one_or_none()
        if payload is None:
            raise InvalidState(f"Dataset {self.name!r} has no statistics yet: they are being computed.")
        return payload

    def column(self, name: str) -> dict[str, Any]:
        """The statistics of one column (drill-down)."""
        for column in self.statistics()["columns"]:
            if column["name"] == name:
                return column
        raise NotFound(f"Dataset {self.name!r} has no column {name!r}.")

    def to_arrow(self) -> pa.Table:
        """The whole dataset as an Arrow table."""
        self._require_data()
        with self.catalog.storage.open(self._data_path) as stream:
            return pq.read_table(stream)

    def to_pandas(self) -> pd.DataFrame:
        """The whole dataset as a pandas DataFrame."""
        return self.to_arrow().to_pandas()

    def sample(self, n: int = 20) -> pd.DataFrame:
        """The first `n` rows, without reading the rest of the file."""
        self._require_data()
        with self.catalog.storage.open(self._data_path) as stream:
            batches = pq.ParquetFile(stream).iter_batches(batch_size=max(1, n))
            first = next(batches, None)
        return (first.to_pandas() if first is not None else self.to_pandas()).head(n)

    def iter_batches(self, batch_rows: int = 65_536) -> Iterator[pa.RecordBatch]:
        """The rows in Arrow batches (bounded memory)."""
        self._require_data()
        with self.catalog.storage.open(self._data_path) as stream:
            yield from pq.ParquetFile(stream).iter_batches(batch_size=batch_rows)

    def download(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """Write the dataset to a local file as CSV or Parquet (by `format` or the suffix)."""
        target = Path(path)
        fmt = (format or target.suffix.lstrip(".") or "csv").lower()
        if fmt not in DOWNLOAD_FORMATS:
            raise InvalidInput(f"Download format {fmt!r} is not one of {DOWNLOAD_FORMATS}.", field="format")
        with open(target, "wb") as out:
            self.write_to(out, fmt)
        return target

    def write_to(self, out: Any, fmt: str) -> None:
        """Stream the dataset into a binary file object as CSV or Parquet (in CSV, binary
        cells are base64 and list/struct/map cells JSON text)."""
        batches = self.iter_batches()
        first = next(batches, None)
        schema_ = first.schema if first is not None else self.to_arrow().schema
        csv = fmt == "csv"
        writer = pacsv.CSVWriter(out, csv_schema(schema_)) if csv else pq.ParquetWriter(out, schema_)
        with writer:
            for batch in [first, *batches] if first is not None else []:
                writer.write_batch(csv_batch(batch) if csv else batch)

    def rename(self, new_name: str) -> "Dataset":
        """Give the dataset another name (unique in its project)."""
        new_name = check_name(new_name, "Dataset")
        with self.catalog.engine.begin() as connection:
            taken = connection.execute(
                sa.select(schema.datasets.c.id).where(
                    schema.datasets.c.project_id == self.project.id,
                    schema.datasets.c.name == new_name,
                    schema.datasets.c.id != self.id,
                )
            ).first()
            if taken:
                raise AlreadyExists(
                    f"Project {self.project.name!r} already has a dataset named {new_name!r}.", field="name"
                )
            connection.execute(
                schema.datasets.update().where(schema.datasets.c.id == self.id).values(name=new_name)
            )
        self._info = self.info
        return self

    def retry(self, **options: Any) -> "Dataset":
        """Import a failed dataset again from the same file or datasource, on the same record
        (name, id), with other options: the CSV keywords of `import_file` (separator, decimal,
        encoding, quotechar, header); those not given keep what the failed attempt used.
        Returns at once, like `import_file`; `.wait()` follows it."""
        from .import_retry import retry_import

        retried = retry_import(self, **options)
        self._info = retried._info
        return self

    def delete(self) -> None:
        """Remove the dataset and our stored files; sources are never touched. Its running
        import, statistics or embeddings job is cancelled first."""
        from .import_retry import remove_kept_upload

        info = self.info
        remove_kept_upload(self)
        for job_id in filter(None, (info.job_id, (info.embeddings or {}).get("job_id"))):
            try:
                self.catalog.jobs.cancel(job_id)
            except (InvalidState, NotFound):
                pass  # already finished (or gone): nothing to stop
        with self.catalog.engine.begin() as connection:
            connection.execute(schema.datasets.delete().where(schema.datasets.c.id == self.id))
        self.catalog.storage.remove(self._folder)

    def compute_embeddings(self, **options: Any) -> "JobHandle":
        """Start computing a map of the rows (options: sample_size, seed, method); see
        `core.embeddings.embeddings.start_embeddings`."""
        return start_embeddings(self, **options)

    def embeddings(self) -> pd.DataFrame:
        """One row per embedded dataset row: `row`, `x`, `y`, `z` (InvalidState before computed)."""
        return load_embeddings(self)

    def neighbors(self, row: int, k: int = 5) -> pd.DataFrame:
        """The `k` embedded rows nearest to `row`, with their values and a `distance` column."""
        return neighbors(self, row, k)

    def export(self, exporter: str) -> ExportRun:
        """Start exporting the dataset with the named exporter; returns the run at once (`.wait()`)."""
        return start_export(self.project, self, exporter)

    def exports(self) -> list[ExportRun]:
        """Every export of this dataset, newest first."""
        return dataset_exports(self)
