"""Datasets: immutable tabular snapshots we store as Parquet, with their statistics."""

from __future__ import annotations

import builtins
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import records, schema
from dataplane_jupyter.core.catalog.records import ImportedRecord, fields_from_docstring
from dataplane_jupyter.core.datasets.csv_cells import csv_batch, csv_schema
from dataplane_jupyter.core.datasets.imports import start_datasource_import, start_file_import, start_statistics
from dataplane_jupyter.core.datasets.paths import DATA_FILE, dataset_folder
from dataplane_jupyter.core.embeddings.embeddings import load_embeddings, neighbors, start_embeddings
from dataplane_jupyter.core.errors import InvalidChoice, InvalidInput, InvalidState, NotFound
from dataplane_jupyter.core.exports.runs import ExportRun, dataset_exports, start_export
from dataplane_jupyter.core.images.columns import DatasetColumn
from dataplane_jupyter.core.images.npy_files import check_files, start_npy_files_import
from dataplane_jupyter.core.images.previews import image_preview, tensor_view
from dataplane_jupyter.core.ingest.careful import ON_BAD_ROWS
from dataplane_jupyter.core.ingest.rejected import REJECTED_FILE, read_rejected
from dataplane_jupyter.core.models import STATUS_LABELS, DatasetLineage, DatasetOrigin, DatasetStatus, DescribeDataset
from dataplane_jupyter.core.pipelines.lineage import dataset_lineage

from .import_retry import remove_kept_upload, retry_import

if TYPE_CHECKING:
    import pandas as pd

    from dataplane_jupyter.core.catalog.project import Project
    from dataplane_jupyter.core.jobs.handles import JobHandle

DOWNLOAD_FORMATS = ("csv", "parquet")
WHAT = "Dataset"
# row groups are what readers fetch as a unit and what statistics spread over Dask workers
ROW_GROUP_ROWS = 131_072


class _Chunks:
    """A write-only binary file that keeps what is written until `take()` hands it over."""

    closed = False

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


def _describe_query() -> sa.Select:
    d, j = schema.datasets, schema.jobs
    return sa.select(
        d, sa.func.coalesce(j.c.progress, 0.0).label("progress"), j.c.message.label("job_message")
    ).select_from(d.outerjoin(j, d.c.job_id == j.c.id))


def _member(enum: type[DatasetOrigin] | type[DatasetStatus], value: str, field: str) -> str:
    """The enum value, or InvalidInput naming the field and the values it takes."""
    try:
        return enum(value).value
    except ValueError:
        raise InvalidChoice(
            f"{field} {value!r} is not one of {', '.join(m.value for m in enum)}.", field=field
        ) from None


def _location(source: str | os.PathLike[str], field: str) -> str:
    """A file to import: a URL as given, a local path made absolute (InvalidInput naming `field`
    when there is no such file)."""
    location = str(source)
    if "://" in location:
        return location
    path = Path(location).expanduser()
    if not path.is_file():
        raise InvalidInput(f"File {location!r} does not exist.", field=field)
    return str(path.absolute())


def _describe(row: sa.Row) -> DescribeDataset:
    values = dict(row._mapping)
    values["columns"] = values.pop("n_columns")
    status = DatasetStatus(values["status"])
    values["status_label"] = STATUS_LABELS[status]
    if status is DatasetStatus.READY:
        values["progress"] = 1.0
    return DescribeDataset.model_validate(values)


class Datasets(records.Collection["Dataset"]):
    """The datasets of one project: `project.datasets["sales"]`, `.list(...)`, `.import_file(...)`;
    `in` and `len()` ask the catalog directly (a project can hold many datasets)."""

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
        query = records.newest_first(_describe_query(), d, self.project, search)
        if origin:
            query = query.where(d.c.origin.in_([_member(DatasetOrigin, o, "origin") for o in origin]))
        if status:
            query = query.where(d.c.status.in_([_member(DatasetStatus, s, "status") for s in status]))
        with self.catalog.engine.connect() as connection:
            return [Dataset(self.project, _describe(row)) for row in connection.execute(query)]

    def __getitem__(self, key: str) -> "Dataset":
        """A dataset by id, or else by name (like every collection of a project)."""
        row = records.find(self.catalog.engine, _describe_query(), schema.datasets, self.project, key, WHAT)
        return Dataset(self.project, _describe(row))

    get = __getitem__

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            self[key]
        except NotFound:
            return False
        return True

    def __len__(self) -> int:
        with self.catalog.engine.connect() as connection:
            return connection.execute(
                sa.select(sa.func.count())
                .select_from(schema.datasets)
                .where(schema.datasets.c.project_id == self.project.id)
            ).scalar_one()

    def add_record(self, name: str, origin: DatasetOrigin, source: dict[str, Any], **values: Any) -> str:
        """A new dataset record in status `copying`, for a job to fill (an import, a pipeline
        step); returns its id. AlreadyExists when the name is taken."""
        return records.insert(
            self.catalog.engine, schema.datasets, self.project, name, WHAT,
            origin=origin.value, status=DatasetStatus.COPYING.value, source=source, **values,
        )

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
        escapechar: str | None = None,
        skip_lines: int | None = None,
        header_rows: int | None = None,
        on_bad_rows: str = "repair",
        origin: str = "upload",
        delete_source: bool = False,
        file_name: str | None = None,
    ) -> "Dataset":
        """Start importing a CSV file (local path or any fsspec URL); returns at once.

        The dataset is listed immediately with status `copying`; `.wait()` blocks until it is
        `ready` (or raises ImportFailed). Separator, decimal, encoding, quoting, header, escape
        character, the lines before the header (`skip_lines`) and the lines the header spans
        (`header_rows`: a group row above the names makes 2, joined into the column names) are
        detected unless given.
        Rows that do not parse the way the rest of the file does are repaired when the repair
        is unambiguous, else set aside in `ds.rejected_rows()` (`on_bad_rows="repair"`); `"skip"`
        sets them all aside unrepaired; `"error"` refuses the file naming their lines.
        `file_name` is the name shown in messages (for staged uploads).
        """
        self.project.require("editor", "import a dataset")
        if on_bad_rows not in ON_BAD_ROWS:
            raise InvalidInput(f"on_bad_rows must be one of {', '.join(ON_BAD_ROWS)}, got {on_bad_rows!r}.",
                               field="on_bad_rows")
        location = _location(source, "source")
        options = {
            "separator": separator,
            "decimal": decimal,
            "encoding": encoding,
            "quotechar": quotechar,
            "header": header,
            "escapechar": escapechar,
            "skip_lines": skip_lines,
            "header_rows": header_rows,
            "on_bad_rows": on_bad_rows,
        }
        file_name = file_name or Path(location.split("://")[-1]).name
        dataset_id = self.add_record(
            name or Path(file_name).stem.removesuffix(".csv"), DatasetOrigin(origin), {"file": file_name}
        )
        start_file_import(self.project, dataset_id, location, options, delete_source=delete_source)
        return self.get(dataset_id)

    def import_files(
        self,
        sources: Iterable[str | os.PathLike[str]],
        name: str | None = None,
        *,
        origin: str = "upload",
        delete_source: bool = False,
        file_names: "builtins.list[str] | None" = None,
    ) -> "Dataset":
        """Start importing several .npy files as one dataset, one tensor column per file (named
        after it); every file must hold the same number of examples (first dimension). Returns at
        once, like `import_file`."""
        self.project.require("editor", "import a dataset")

        locations = [_location(source, "sources") for source in sources]
        check_files(locations)
        names = file_names or [Path(loc.split("://")[-1]).name for loc in locations]
        if len(names) != len(locations):
            raise InvalidInput(f"{len(names)} file names for {len(locations)} files.", field="file_names")
        dataset_id = self.add_record(
            name or Path(names[0]).stem, DatasetOrigin(origin), {"file": " + ".join(names), "files": names}
        )
        start_npy_files_import(self.project, dataset_id, locations, names, delete_source=delete_source)
        return self.get(dataset_id)

    def import_datasource(self, datasource: str, name: str | None = None) -> "Dataset":
        """Start importing a datasource (a new snapshot each time); returns at once."""
        self.project.require("editor", "import a dataset")
        source = self.project.datasources[datasource]
        stamp = schema.utcnow().strftime("%Y-%m-%dT%H-%M-%S")
        dataset_id = self.add_record(
            name or f"{source.name}_{stamp}",
            DatasetOrigin.DATASOURCE,
            {"datasource": source.name, "connector": source.info.connector},
            datasource_id=source.id,
        )
        # the record as the job starts, read before it runs: a quick job (a small table, the
        # thread executor) can be past `copying` by the time a later read happens
        started = self.get(dataset_id).describe()
        job = start_datasource_import(self.project, dataset_id, source.id)
        return Dataset(self.project, started.model_copy(update={"job_id": job.id}))

    def from_pandas(
        self, frame: pd.DataFrame, name: str, *, origin: str = "pipeline_output"
    ) -> "Dataset":
        """Store a DataFrame as a new dataset and compute its statistics in the background."""
        return self.from_arrow(pa.Table.from_pandas(frame, preserve_index=False), name, origin=origin)

    def from_arrow(
        self, table: pa.Table, name: str, *, origin: str = "pipeline_output", source: dict[str, Any] | None = None
    ) -> "Dataset":
        """Store an Arrow table as a new dataset and compute its statistics in the background
        (`source`: what the record says the rows came from; default `{"in_memory": True}`)."""
        dataset_id = self.add_record(name, DatasetOrigin(origin), source or {"in_memory": True})
        folder = dataset_folder(self.project.id, dataset_id)
        try:
            with self.catalog.storage.open(f"{folder}/{DATA_FILE}", "wb") as out:
                pq.write_table(table, out, row_group_size=ROW_GROUP_ROWS)
        except BaseException:
            self[dataset_id].delete()
            raise
        start_statistics(self.project, dataset_id, table.num_rows, table.schema)
        return self.get(dataset_id)


@fields_from_docstring
class Dataset(ImportedRecord[DescribeDataset]):
    """A handle on one dataset; attributes read the catalog afresh, so they follow the import
    (`describe()` is the snapshot read last, without a query).

    Attributes:
        status: copying, computing_statistics, ready or failed.
        origin: upload, datasource, pipeline_output, pipeline_intermediate.
        rows: Number of rows (once copied).
        columns: Number of columns (once copied).
        warnings: Warnings of the import (file rules).
        error: Why the import failed, if it did.
    """

    _noun = "Dataset"

    def _load(self) -> DescribeDataset:
        return self.project.datasets.get(self._info.id).describe()

    def __repr__(self) -> str:
        info = self._info
        shape = f" {info.rows}×{info.columns}" if info.rows is not None else ""
        return f"<Dataset {info.name!r} {info.status.value}{shape}>"

    def lineage(self) -> DatasetLineage | None:
        """Where the dataset comes from when a pipeline run made it (a DatasetLineage: pipeline,
        version, run, step, the steps and input datasets it was computed from, its exports); None
        for a dataset no pipeline made."""

        return dataset_lineage(self.catalog, self._info.project_id, self._info.id)

    def describe_with_lineage(self) -> DescribeDataset:
        """The record read afresh, with its `lineage` (what the detail views show)."""
        return self.info.model_copy(update={"lineage": self.lineage()})

    def require_data(self) -> None:
        """Raises InvalidState until the data exists: once the copy is done (statistics may still be partial)."""
        info = self.info
        if info.status not in (DatasetStatus.READY, DatasetStatus.COMPUTING_STATISTICS):
            raise InvalidState(
                f"Dataset {info.name!r} is {STATUS_LABELS[info.status]!r}: its data is not available yet."
            )

    @property
    def folder(self) -> str:
        """Where the dataset's files are stored, relative to the storage root."""
        return dataset_folder(self._info.project_id, self._info.id)

    @property
    def data_path(self) -> str:
        """The dataset's Parquet file, relative to the storage root."""
        return f"{self.folder}/{DATA_FILE}"

    def statistics(self) -> dict[str, Any]:
        """The stored statistics: summary, columns, correlation, sample (see DESIGN.md).

        While the dataset is computing its statistics this gives the first figures read from
        the Parquet footer (rows, per-column missing/min/max) with `"partial": True`; while a
        CSV is still being copied, the first look read from its first bytes (names, provisional
        types, first rows, `rows` estimated from the file size: `"rows_estimated": True`).
        """
        payload = self._stored_statistics()
        if payload is None or not payload.get("partial") or self.info.status != DatasetStatus.COPYING:
            self.require_data()
        if payload is None:
            raise InvalidState(f"Dataset {self.name!r} has no statistics yet: they are being computed.")
        return payload

    def _stored_statistics(self) -> dict[str, Any] | None:
        with self.catalog.engine.connect() as connection:
            return connection.execute(
                sa.select(schema.dataset_statistics.c.payload).where(
                    schema.dataset_statistics.c.dataset_id == self.id
                )
            ).scalar_one_or_none()

    def column(self, name: str) -> dict[str, Any]:
        """The statistics of one column (drill-down)."""
        for column in self.statistics()["columns"]:
            if column["name"] == name:
                return column
        raise NotFound(f"Dataset {self.name!r} has no column {name!r}.")

    def rejected_rows(self, offset: int = 0, limit: int | None = None) -> pd.DataFrame:
        """The rows the import set aside, verbatim: `line` (first physical line in the file),
        `raw` (the text) and `reason`; also the footer or second table after the data
        (reason "after the table"). Empty when every row was imported."""
        return self.rejected_table(offset, limit).to_pandas()

    def rejected_table(self, offset: int = 0, limit: int | None = None) -> pa.Table:
        """:meth:`rejected_rows` as an Arrow table."""
        self.require_data()
        path = f"{self.folder}/{REJECTED_FILE}"
        if not self.catalog.storage.exists(path):
            return read_rejected(None)
        with self.catalog.storage.open_arrow(path) as stream:
            return read_rejected(stream, offset=offset, limit=limit)

    def to_arrow(self) -> pa.Table:
        """The whole dataset as an Arrow table."""
        self.require_data()
        with self.catalog.storage.open_arrow(self.data_path) as stream:
            return pq.read_table(stream)

    def to_pandas(self) -> pd.DataFrame:
        """The whole dataset as a pandas DataFrame."""
        return self.to_arrow().to_pandas()

    def sample(self, n: int = 20) -> pd.DataFrame:
        """The first `n` rows, without reading the rest of the file (while a CSV is still being
        copied: the rows of its first look, as read, when there are enough)."""
        if self.info.status == DatasetStatus.COPYING:
            look = (self._stored_statistics() or {}).get("sample")
            if look is not None and len(look["rows"]) >= n:
                import pandas

                return pandas.DataFrame(look["rows"][:n], columns=look["columns"])
        self.require_data()
        with self.catalog.storage.open_arrow(self.data_path) as stream:
            batches = pq.ParquetFile(stream).iter_batches(batch_size=max(1, n))
            first = next(batches, None)
        return (first.to_pandas() if first is not None else self.to_pandas()).head(n)

    def iter_batches(self, column: str | int | None = None, batch_size: int | None = None, *,
                     batch_rows: int = 65_536, **options: Any) -> Iterator[Any]:
        """With a column name: float32 arrays of `batch_size` (default 256) examples of an image,
        tensor or numeric column (see `to_numpy`; options: version, connector, max_parallel,
        timeout, threads). Without: the rows in Arrow record batches of `batch_rows` (bounded memory)."""
        if isinstance(column, str):

            self.require_data()
            return DatasetColumn(self, column).iter_arrays(batch_size or 256, **options)
        return self._record_batches(column if isinstance(column, int) else batch_rows)

    def _record_batches(self, batch_rows: int) -> Iterator[pa.RecordBatch]:
        self.require_data()
        with self.catalog.storage.open_arrow(self.data_path) as stream:
            yield from pq.ParquetFile(stream).iter_batches(batch_size=batch_rows)

    def to_numpy(self, column: str, **options: Any) -> Any:
        """One column as a float32 numpy array: images N×H×W×C in [0, 1] by the column's feature
        options (decoded in parallel; missing or unusable images are zeros, counted in an
        `ImageFillWarning`), tensors N×…, numbers N. Options: version (of the feature options),
        connector (for gs:// / s3:// URLs), max_parallel, timeout (per image, seconds), threads."""

        self.require_data()
        return DatasetColumn(self, column).to_numpy(**options)

    def feature_options(self, column: str) -> Any:
        """The Transformation / Color mode of an image column: the latest version set, else the
        defaults chosen from its statistics (`is_default`, `reasons`)."""

        self.require_data()
        return DatasetColumn(self, column).options()

    def set_feature_options(self, column: str, *, transformation: str | None = None, size: Any = None,
                            color_mode: str | None = None, fill: str | None = None) -> Any:
        """Store a new version of an image column's options (resize / crop / pad / none, W×H,
        grayscale / rgb / rgba, pad fill); nothing else is recomputed."""
        self.project.require("editor", "change feature options")

        self.require_data()
        return DatasetColumn(self, column).set_options(transformation=transformation, size=size,
                                                       color_mode=color_mode, fill=fill)

    def preview_images(self, column: str, rows: int = 6, offset: int = 0, **options: Any) -> Any:
        """Original vs transformed thumbnails of a few rows (options given here are tried, not saved)."""

        self.require_data()
        found = DatasetColumn(self, column)
        return image_preview(found, rows=rows, offset=offset, options=found.trial(**options))

    def tensor_view(self, column: str, row: int = 0, index: list[int] | None = None) -> Any:
        """One row of a tensor column drawn by its dimensions, with per-position mean and spread."""

        self.require_data()
        return tensor_view(DatasetColumn(self, column), row=row, index=index)

    def feature_options_history(self, column: str) -> list[Any]:
        """Every version of an image column's options, oldest first."""

        self.require_data()
        return DatasetColumn(self, column).history()

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
        batches = self._record_batches(65_536)
        first = next(batches, None)
        schema_ = first.schema if first is not None else self.to_arrow().schema
        csv = fmt == "csv"
        writer = pacsv.CSVWriter(out, csv_schema(schema_)) if csv else pq.ParquetWriter(out, schema_)
        with writer:
            for batch in [first, *batches] if first is not None else []:
                writer.write_batch(csv_batch(batch) if csv else batch)

    def iter_bytes(self, format: str = "csv", chunk_bytes: int = 1 << 20) -> Iterator[bytes]:
        """The dataset as a download, in chunks of about `chunk_bytes`, produced as they are
        sent: Parquet is the stored file read from the storage (local or an object store)
        without a local copy; CSV is written batch by batch (as :meth:`write_to`)."""
        fmt = format.lower()
        if fmt not in DOWNLOAD_FORMATS:
            raise InvalidInput(f"Download format {fmt!r} is not one of {DOWNLOAD_FORMATS}.", field="format")
        self.require_data()
        if fmt == "parquet":
            with self.catalog.storage.open(self.data_path) as stream:
                while chunk := stream.read(chunk_bytes):
                    yield chunk
            return
        sink = _Chunks()
        batches = self._record_batches(65_536)
        first = next(batches, None)
        schema_ = first.schema if first is not None else self.to_arrow().schema
        with pacsv.CSVWriter(sink, csv_schema(schema_)) as writer:
            for batch in [first, *batches] if first is not None else []:
                writer.write_batch(csv_batch(batch))
                if sink.size >= chunk_bytes:
                    yield sink.take()
        if sink.size:
            yield sink.take()

    def rename(self, new_name: str) -> "Dataset":
        """Give the dataset another name (unique in its project)."""
        records.update(self.catalog.engine, schema.datasets, self.project, self.id, WHAT, name=new_name)
        return self.refresh()

    def retry(self, **options: Any) -> "Dataset":
        """Import a failed dataset again from the same file or datasource, on the same record
        (name, id), with other options: the CSV keywords of `import_file` (separator, decimal,
        encoding, quotechar, header); those not given keep what the failed attempt used.
        Returns at once, like `import_file`; `.wait()` follows it."""
        self.project.require("editor", "retry an import")

        retried = retry_import(self, **options)
        self._info = retried._info
        return self

    def delete(self) -> None:
        """Remove the dataset and our stored files; sources are never touched. Its running
        import, statistics or embeddings job is cancelled first."""
        self.project.require("editor", "delete a dataset")

        info = self.info
        remove_kept_upload(self)
        for job_id in filter(None, (info.job_id, info.embeddings.get("job_id") if info.embeddings else None)):
            try:
                self.catalog.jobs.cancel(job_id)
            except (InvalidState, NotFound):
                pass  # already finished (or gone): nothing to stop
        with self.catalog.engine.begin() as connection:
            connection.execute(schema.datasets.delete().where(schema.datasets.c.id == self.id))
        self.catalog.storage.remove(self.folder)

    def compute_embeddings(self, **options: Any) -> "JobHandle":
        """Start computing a map of the rows (options: sample_size, seed, method); see
        `core.embeddings.embeddings.start_embeddings`."""
        self.project.require("editor", "compute embeddings")
        return start_embeddings(self, **options)

    def embeddings(self) -> pd.DataFrame:
        """One row per embedded dataset row: `row`, `x`, `y`, `z` (InvalidState before computed)."""
        return load_embeddings(self)

    def neighbors(self, row: int, k: int = 5) -> pd.DataFrame:
        """The `k` embedded rows nearest to `row`, with their values and a `distance` column."""
        return neighbors(self, row, k)

    def export(self, exporter: str) -> ExportRun:
        """Start exporting the dataset with the named exporter; returns the run at once (`.wait()`)."""
        self.project.require("editor", "export a dataset")
        return start_export(self.project, self, exporter)

    def exports(self) -> list[ExportRun]:
        """Every export of this dataset, newest first."""
        return dataset_exports(self)
