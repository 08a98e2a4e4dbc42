"""Public records, named after what they describe; the REST API and the OpenAPI document use
them as they are, and the TypeScript types mirror them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class JobStatus(str, Enum):
    """The life of a job, and of the records that follow one (export runs): queued → running →
    succeeded | failed | cancelled."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        """True for the three terminal statuses."""
        return self in TERMINAL


TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})


class DatasetStatus(str, Enum):
    """The platform's three steps, plus failure."""

    COPYING = "copying"
    COMPUTING_STATISTICS = "computing_statistics"
    READY = "ready"
    FAILED = "failed"


STATUS_LABELS = {
    DatasetStatus.COPYING: "Copy on going",
    DatasetStatus.COMPUTING_STATISTICS: "Dataset Statistics pending",
    DatasetStatus.READY: "Ready to be used",
    DatasetStatus.FAILED: "Failed",
}


class DatasetOrigin(str, Enum):
    """Where a dataset came from (the list's origin filter)."""

    UPLOAD = "upload"
    DATASOURCE = "datasource"
    PIPELINE_OUTPUT = "pipeline_output"
    PIPELINE_INTERMEDIATE = "pipeline_intermediate"


class Record(BaseModel):
    """Base of every public record."""

    model_config = ConfigDict(from_attributes=True)


class DescribeProject(Record):
    """A project: the scope of every other record."""

    id: str
    name: str
    description: str = ""
    created_at: datetime
    updated_at: datetime


class CreateProject(Record):
    """Body of `POST /projects`."""

    name: str = Field(min_length=1, max_length=200, description="Unique project name")
    description: str = ""


class DescribeDataset(Record):
    """One dataset as the list and the detail page show it."""

    id: str
    project_id: str
    name: str
    origin: DatasetOrigin
    status: DatasetStatus
    status_label: str = Field(description="The platform wording of the status")
    error: str | None = None
    progress: float = Field(0.0, description="0–1 progress of the current step")
    rows: int | None = None
    columns: int | None = Field(None, description="Number of columns")
    size_bytes: int | None = None
    source: dict[str, Any] = Field(default_factory=dict, description="File name or datasource")
    datasource_id: str | None = None
    warnings: list[dict[str, Any]] = Field(default_factory=list)
    job_id: str | None = None
    embeddings: dict[str, Any] | None = Field(
        None, description="How the embeddings were computed (method, sample size, status); null before"
    )
    created_at: datetime
    updated_at: datetime


class ListDatasetsResponse(Record):
    """Body of `GET /projects/{project}/datasets`."""

    datasets: list[DescribeDataset]


class ListProjectsResponse(Record):
    """Body of `GET /projects`."""

    projects: list[DescribeProject]


class UpdateDataset(Record):
    """Body of `PATCH /projects/{project}/datasets/{dataset}`."""

    name: str = Field(min_length=1, max_length=200)


class RetryImport(Record):
    """Body of `POST .../datasets/{dataset}/retry` and answer of its GET: how to read the file
    on the next attempt (the CSV keywords of `import_file`; null or absent: detect it). The GET
    gives what the failed attempt was given, else what it detected."""

    model_config = ConfigDict(extra="forbid")

    separator: str | None = Field(None, description="Column separator, e.g. ';' or '\\t'")
    decimal: str | None = Field(None, description="Decimal mark: '.' or ','")
    encoding: str | None = Field(None, description="Text encoding, e.g. utf-8 or cp1252")
    quotechar: str | None = Field(None, description="Quote character, usually '\"'")
    header: bool | None = Field(None, description="Whether the first line names the columns")


class DescribeJob(Record):
    """A job's public state."""

    id: str
    project_id: str | None
    kind: str
    target_type: str | None
    target_id: str | None
    status: JobStatus = Field(description="queued, running, succeeded, failed or cancelled")
    progress: float
    message: str
    error: str | None
    result: dict[str, Any] | None
    created_by: str
    cancel_requested: bool
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ListJobsResponse(Record):
    """Body of `GET /projects/{project}/jobs`."""

    jobs: list[DescribeJob]


class ErrorResponse(Record):
    """Body of every 4xx/5xx response."""

    message: str
    field: str | None = None


class DescribeConnector(Record):
    """A connector as every interface shows it: secrets are never included, only which are set."""

    id: str
    project_id: str
    name: str
    kind: str
    config: dict[str, Any] = Field(description="The non-secret fields (host, port, username, ...)")
    secrets_set: list[str] = Field(description="Names of the secret fields that hold a value")
    created_at: datetime
    updated_at: datetime


class CreateConnector(Record):
    """Body of `POST /projects/{project}/connectors`; secret fields are write-only."""

    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description="sql, ftp, sftp, s3 or gcp")
    fields: dict[str, Any] = Field(default_factory=dict, description="Fields of the kind, secrets included")


class UpdateConnector(Record):
    """Body of `PATCH .../connectors/{connector}`: only the given fields change; a secret left out
    keeps its value."""

    name: str | None = Field(None, min_length=1, max_length=200)
    fields: dict[str, Any] = Field(default_factory=dict)


class ListConnectorsResponse(Record):
    """Body of `GET /projects/{project}/connectors`."""

    connectors: list[DescribeConnector]


class ConnectorTest(Record):
    """The outcome of testing a connector: `message` names the cause when `ok` is false."""

    ok: bool
    message: str


class DescribeDatasource(Record):
    """A datasource: a connector plus a locator (table, query, path, bucket + key, dataset + table)."""

    id: str
    project_id: str
    name: str
    connector_id: str
    connector: str = Field(description="Connector name")
    kind: str
    locator: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class CreateDatasource(Record):
    """Body of `POST /projects/{project}/datasources`."""

    name: str = Field(min_length=1, max_length=200)
    connector: str = Field(description="Connector name or id")
    locator: dict[str, Any] = Field(description="table/database, query, path, bucket+path or dataset+table")


class UpdateDatasource(Record):
    """Body of `PATCH .../datasources/{datasource}`."""

    name: str | None = Field(None, min_length=1, max_length=200)
    locator: dict[str, Any] | None = None


class ListDatasourcesResponse(Record):
    """Body of `GET /projects/{project}/datasources`."""

    datasources: list[DescribeDatasource]


class DatasourcePreview(Record):
    """The outcome of testing a datasource: its schema and first rows when `ok`."""

    ok: bool
    message: str
    columns: list[dict[str, str]] = Field(default_factory=list, description="name and Arrow type")
    rows: list[list[Any]] = Field(default_factory=list)


class ImportDatasource(Record):
    """Body of `POST /projects/{project}/datasets/from-datasource`."""

    datasource: str = Field(description="Datasource name or id")
    name: str | None = Field(None, description="Dataset name (default: datasource name + time)")


class DescribeChoice(Record):
    """One value a form field offers (e.g. a SQL dialect, its label saying whether its driver
    is installed)."""

    value: str
    label: str


class DescribeField(Record):
    """One form field of a connector kind or of its datasource locator."""

    name: str
    secret: bool = False
    required: bool = False
    description: str = ""
    kind: str = "str"
    choices: list[DescribeChoice] = Field(
        default_factory=list, description="Values a form offers in a dropdown; others stay accepted"
    )


class DescribeConnectorKind(Record):
    """What a form needs to create a connector of this kind and its datasources."""

    kind: str
    label: str
    fields: list[DescribeField]
    locator_fields: list[DescribeField]


class ListConnectorKindsResponse(Record):
    """Body of `GET /connector-kinds`."""

    kinds: list[DescribeConnectorKind]


class DescribeExportRun(Record):
    """One use of an exporter on a dataset: status, what was written where, and how long it took."""

    id: str
    exporter_id: str
    exporter: str = Field(description="Exporter name")
    dataset_id: str | None = Field(None, description="Null once the dataset is deleted")
    dataset_name: str
    job_id: str | None = None
    status: JobStatus = Field(description="queued, running, succeeded, failed or cancelled")
    location: str | None = Field(None, description="The file or table actually written (no credentials)")
    rows: int | None = Field(None, description="Rows written")
    error: str | None = Field(None, description="Why it failed or was cancelled")
    progress: float = Field(0.0, description="0–1 while running")
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_seconds: float | None = Field(None, description="From start to end, once finished")
    pipeline_run_id: str | None = Field(None, description="The pipeline run that did this export, if one did")
    created_at: datetime


class ListExportRunsResponse(Record):
    """Body of `GET .../exporters/{exporter}/runs` and `GET .../datasets/{dataset}/exports`: newest first."""

    runs: list[DescribeExportRun]


class DescribeExporter(Record):
    """An exporter: a connector, a destination and an overwrite mode, with its last export."""

    id: str
    project_id: str
    name: str
    connector_id: str
    connector: str = Field(description="Connector name")
    kind: str = Field(description="The connector's kind")
    destination: dict[str, Any] = Field(description="table/database, path, bucket+path or dataset+table")
    mode: str = Field(description="timestamp, cancel or overwrite")
    file_format: str = Field(description="csv or parquet (files only)")
    last_run: DescribeExportRun | None = Field(None, description="The most recent export, if any")
    created_at: datetime
    updated_at: datetime


class CreateExporter(Record):
    """Body of `POST /projects/{project}/exporters` (and of `.../exporters/test`)."""

    name: str = Field(min_length=1, max_length=200)
    connector: str = Field(description="Connector name or id")
    destination: dict[str, Any] = Field(description="table/database, path, bucket+path or dataset+table")
    mode: str = Field("timestamp", description="timestamp, cancel or overwrite")
    file_format: str = Field("csv", description="csv or parquet (files only)")


class UpdateExporter(Record):
    """Body of `PATCH .../exporters/{exporter}`: only the given fields change."""

    name: str | None = Field(None, min_length=1, max_length=200)
    connector: str | None = None
    destination: dict[str, Any] | None = None
    mode: str | None = None
    file_format: str | None = None


class ListExportersResponse(Record):
    """Body of `GET /projects/{project}/exporters`."""

    exporters: list[DescribeExporter]


class ExportDataset(Record):
    """Body of `POST .../datasets/{dataset}/export`."""

    exporter: str = Field(description="Exporter name or id")


class ComputeEmbeddings(Record):
    """Body of `POST .../datasets/{dataset}/embeddings`: how to compute the map of the rows."""

    sample_size: int = Field(50_000, ge=2, description="At most this many rows are embedded (a seeded sample)")
    seed: int = Field(0, ge=0, lt=2**32, description="Seed of the sample and of the projection")
    method: Literal["auto", "pca", "umap", "tsne"] = Field(
        "auto", description="Projection to 3-D; auto is UMAP when installed and worth it, else PCA"
    )


class EmbeddingsColor(Record):
    """One dataset column's values for the embedded rows, to colour the map."""

    column: str
    values: list[str | int | float | None] = Field(
        description="One per embedded row, in the order of `rows`; null when missing, text unless a number"
    )


class DescribeEmbeddings(Record):
    """Body of `GET .../datasets/{dataset}/embeddings`: the 3-D map, one entry per embedded row."""

    info: dict[str, Any] = Field(description="The dataset's embeddings record: status, method, sample_size, seed, rows, ...")
    rows: list[int] = Field(description="Index in the dataset of each embedded row, ascending")
    x: list[float]
    y: list[float]
    z: list[float]
    color: EmbeddingsColor | None = Field(None, description="The `color` column's values, when asked for")


class DescribeNeighbor(Record):
    """One of a row's nearest neighbours."""

    row: int = Field(description="Index of the neighbour in the dataset")
    distance: float = Field(description="Euclidean, in the PCA space of the row vectors")
    values: dict[str, Any] = Field(description="The neighbour's values by column (missing as null, times as ISO text)")


class ListNeighborsResponse(Record):
    """Body of `GET .../embeddings/neighbors`: nearest first."""

    row: int
    neighbors: list[DescribeNeighbor]


class SaveSelection(Record):
    """Body of `POST .../embeddings/selection`: a new dataset holding these rows."""

    name: str = Field(min_length=1, max_length=200, description="Name of the new dataset")
    rows: list[int] = Field(description="Indexes of the rows in the dataset")
