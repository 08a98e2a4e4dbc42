"""Public records, named after what they describe; the REST API and the OpenAPI document use
them as they are, and the TypeScript types mirror them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue, WithJsonSchema, model_validator, with_config
from typing_extensions import NotRequired, TypedDict

from dataplane_jupyter.core.errors import find_hints

#: The rules of `core.records.check_name`, as a schema: 1–200 characters, at least one that is
#: not a space, no slash, backslash or control character, not `.` or `..`.
NAME_RULES: dict[str, Any] = {
    "minLength": 1,
    "maxLength": 200,
    "pattern": r"^[^/\\\x00-\x1f]*[^/\\\x00-\x1f\s][^/\\\x00-\x1f]*$",
    "not": {"pattern": r"^\s*\.{1,2}\s*$"},
}


def _not_dots(name: str) -> str:
    if name.strip() in (".", ".."):
        raise ValueError("'.' and '..' cannot be names")
    return name


#: A record name, validated where it arrives (REST bodies and query strings) and described in
#: the OpenAPI document by the same rules.
Name = Annotated[
    str,
    Field(min_length=1, max_length=200, pattern=NAME_RULES["pattern"], json_schema_extra={"not": NAME_RULES["not"]}),
    AfterValidator(_not_dots),
]


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

    model_config = ConfigDict(from_attributes=True, defer_build=True)  # built on first use: faster start-up
    #: True: fields the record was not given are left out of its JSON (see `Snapshot`).
    sparse: ClassVar[bool] = False



class ProjectRecord(Record):
    """What every named record of a project starts with."""

    id: str
    project_id: str
    name: str


class UsesConnector(ProjectRecord):
    """A record that reads or writes through a connector (a datasource, an exporter)."""

    connector_id: str
    connector: str = Field(description="Connector name")


class CreateWithConnector(Record):
    """What creating a record that uses a connector starts with."""

    name: Name
    connector: str = Field(description="Connector name or id")

class DescribeProject(Record):
    """A project: the scope of every other record."""

    id: str
    name: str
    description: str = ""
    created_by: str = ""
    role: Literal["viewer", "editor", "owner"] | None = Field(
        None, description="The current user's role in the project (None when not a member)")
    created_at: datetime
    updated_at: datetime


class CreateProject(Record):
    """Body of `POST /projects`."""

    name: Name = Field(description="Unique project name")
    description: str = ""


class EmbeddingsFeature(TypedDict):
    """A column the embeddings used, and how it was encoded."""

    name: str
    type: str
    encoding: str
    dimensions: int


class EmbeddingsSkipped(TypedDict):
    """A column the embeddings left out, and why."""

    name: str
    reason: str


@with_config(ConfigDict(extra="allow"))
class EmbeddingsRecord(TypedDict):
    """How a dataset's embeddings were computed: `status` with the job while `computing`, the
    figures once `ready`, the reason when `failed`. A plain dict in Python (`ds.info.embeddings`)."""

    status: Literal["computing", "ready", "failed"]
    run: NotRequired[str]
    job_id: NotRequired[str | None]
    method: NotRequired[str]
    requested_method: NotRequired[str]
    note: NotRequired[str | None]
    rows: NotRequired[int]
    sample_size: NotRequired[int]
    sampled: NotRequired[bool]
    seed: NotRequired[int]
    features: NotRequired[list[EmbeddingsFeature]]
    skipped: NotRequired[list[EmbeddingsSkipped]]
    dimensions: NotRequired[int]
    vector_dimensions: NotRequired[int]
    neighbors_space: NotRequired[str]
    explained_variance: NotRequired[list[float]]
    versions: NotRequired[dict[str, str]]
    started_at: NotRequired[str | None]
    computed_at: NotRequired[str | None]
    error: NotRequired[str | None]


class LineageInput(Record):
    """A dataset a pipeline step read, directly or through the steps in between."""

    step: str = Field(description="The read step (or kept step) of the run that gave it")
    kind: str = Field(description="That step's kind")
    role: str | None = Field(None, description="input (a dataset read as it is), snapshot (a fresh snapshot of a "
                                               "datasource), intermediate or output")
    dataset_id: str | None = Field(None, description="Null when the dataset was deleted since")
    dataset: str | None = Field(None, description="The dataset's name (null when it was deleted since)")
    datasource: str | None = Field(None, description="The datasource a `read` step snapshotted")


class LineageExport(Record):
    """An export the run made of this dataset."""

    export_run_id: str = Field(description="The export run (as in the exporter's history)")
    step: str = Field(description="The pipeline step that did this export")
    exporter: str | None = Field(None, description="The exporter's name (null when it was deleted since)")
    status: JobStatus = Field(description="queued, running, succeeded, failed or cancelled")
    location: str | None = Field(None, description="The file or table written (no credentials)")


class DatasetLineage(Record):
    """Where a dataset made by a pipeline run comes from: pipeline, version, run and step, the
    steps it was computed through and the datasets they started from."""

    pipeline_id: str
    pipeline: str = Field(description="The pipeline's name")
    version: int = Field(description="The pipeline version the run ran")
    run_id: str
    run_number: int = Field(description="1, 2, 3... within the pipeline")
    run_status: str
    step: str = Field(description="The step whose result this dataset is")
    step_kind: str
    role: str = Field(description="output, intermediate or snapshot")
    upstream_steps: list[str] = Field(default_factory=list,
                                      description="Every step it was computed through, in execution order")
    inputs: list[LineageInput] = Field(default_factory=list, description="The datasets those steps started from")
    exports: list[LineageExport] = Field(default_factory=list, description="Exports of it that the run made")
    reused_by: list[int] = Field(default_factory=list,
                                 description="Numbers of the later runs (retries) that reused this result")


class OptionHint(Record):
    """An import option a message suggests. The core words it as the Python keyword
    (`separator=";"`); each surface words it its own way (`--separator ";"` in the CLI, the
    form field's label in the sidebar) by replacing `text` in the message."""

    option: str = Field(description="The option's Python keyword, e.g. separator, header_rows, on_bad_rows")
    value: str | bool | int = Field(description="The suggested value")
    text: str = Field(description='The span of the message that suggests it, e.g. separator=";"')


def _with_hints(data: Any) -> Any:
    """Fill `hints` from the error and the warnings' messages (when not given)."""
    if not isinstance(data, dict) or data.get("hints"):
        return data
    messages = [data.get("error") or ""] + [str((w or {}).get("message", "")) for w in data.get("warnings") or []]
    return {**data, "hints": [hint for message in messages for hint in find_hints(message)]}


class DescribeDataset(ProjectRecord):
    """One dataset as the list and the detail page show it."""

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
    hints: list[OptionHint] = Field(
        default_factory=list, description="Import options the error or the warnings suggest, as data (see OptionHint)")
    job_id: str | None = None
    embeddings: EmbeddingsRecord | None = Field(
        None, description="How the embeddings were computed (method, sample size, status); null before"
    )
    lineage: DatasetLineage | None = Field(
        None, description="The pipeline run and step that made it, and from which inputs (given when one dataset is "
                          "described; null in lists and for datasets no pipeline made)"
    )
    created_by: str = Field("", description="Who made it (the user who created it)")
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _hints(cls, data: Any) -> Any:
        return _with_hints(data)


class ListDatasetsResponse(Record):
    """Body of `GET /projects/{project}/datasets`."""

    datasets: list[DescribeDataset]


class RejectedRow(Record):
    """A row an import did not take: where it was, its text verbatim, and why."""

    line: int = Field(description="First physical line of the row in the file (1-based)")
    raw: str = Field(description="The row's text as it was in the file")
    reason: str = Field(description='Why it was set aside, e.g. "4 fields, expected 3" or "after the table"')


#: One value of a dataset cell as JSON: text, number, boolean or null; a list or an object for
#: nested columns; times and dates as ISO 8601 text.
Cell = Annotated[
    JsonValue,
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "array", "items": {}},
                              {"type": "object", "additionalProperties": {}}, {"type": "null"}]}),
]


def _drop_defaults(schema: dict[str, Any]) -> None:
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


class Snapshot(Record):
    """Base of the statistics replies. They are sent as stored: a key the stored statistics do
    not have (partial statistics, an older payload) stays out of the reply rather than coming
    back as null (`sparse`: the REST layer dumps them with `exclude_unset`)."""

    sparse: ClassVar[bool] = True
    # so their schemas give no defaults either: a field that is not required may be absent
    model_config = ConfigDict(from_attributes=True, defer_build=True,
                              json_schema_extra=lambda schema: _drop_defaults(schema))


class DescribeHistogram(Snapshot):
    """Counts per bin; `edges` has one more entry than `counts` (ISO text for datetime columns)."""

    edges: list[float | str]
    counts: list[int]


class DescribeTopValue(Snapshot):
    """One of a column's most frequent values."""

    value: Cell
    count: int


class DescribeLengths(Snapshot):
    """Characters of a text column's values, bytes of a binary one's, items of a list's."""

    min: int | None
    max: int | None
    mean: float | None


class DescribeColumnStatistics(Snapshot):
    """Statistics of one column: an entry of `columns` in `GET .../statistics`, and the reply of
    `GET .../columns/{column}`. While statistics are partial only name, type, dtype, missing, min
    and max are known (read from the Parquet footer)."""

    name: str
    type: str = Field(description="numeric, categorical, text, datetime, boolean, binary, image or tensor")
    dtype: str | None = Field(None, description="Arrow type (partial statistics only)")
    count: int | None = Field(None, description="Values that are not missing")
    missing: int | None = Field(description="Missing values (null when the footer does not say)")
    missing_pct: float | None = None
    distinct: int | None = None
    distinct_exact: bool | None = None
    distinct_error: float | None = Field(
        None, description="Relative standard error of an approximate `distinct` (HyperLogLog); null when exact")
    quantiles_exact: bool | None = None
    quantiles_error: float | None = Field(
        None, description="Normalised rank error of approximate quantiles (KLL sketch, 99 %); null when exact")
    histogram_exact: bool | None = Field(None, description="False only for a histogram estimated from the quantiles sketch")
    mean: float | str | None = Field(None, description="ISO text for datetime columns, share of true for booleans")
    std: float | None = None
    std_seconds: float | None = Field(None, description="Standard deviation of a datetime column, in seconds")
    min: Cell = None
    max: Cell = None
    quantiles: dict[str, float | str | None] | None = Field(None, description="By quantile (\"0.25\", ...)")
    histogram: DescribeHistogram | None = None
    top: list[DescribeTopValue] | None = None
    text_length: DescribeLengths | None = None
    byte_length: DescribeLengths | None = None
    media: dict[str, Any] | None = Field(None, description="Image or tensor columns: formats, sizes, shapes, ...")
    warnings: list[str] = Field(default_factory=list, description="Plain-language warnings about the column")


class DescribeCorrelation(Snapshot):
    """Pearson correlation of the numeric columns (null where undefined)."""

    method: str
    columns: list[str]
    matrix: list[list[float | None]]
    numeric_columns: int | None = Field(None, description="All numeric columns, when the matrix covers only the first ones")


class DescribeStatisticsSummary(Snapshot):
    """Dataset-level figures of complete statistics."""

    rows: int
    columns: int
    size_bytes: int
    missing_cells: int
    missing_cells_pct: float
    duplicate_rows: int
    duplicate_rows_pct: float
    types: dict[str, int] = Field(description="Columns by type")


class DescribeStatisticsSample(Snapshot):
    """The first rows, as stored with the statistics."""

    columns: list[str]
    rows: list[list[Cell]]


class DescribeStatistics(Snapshot):
    """Body of `GET .../statistics`. With `partial: true` (statistics still computing) only rows,
    columns_count, size_bytes and the footer figures of each column are there."""

    rows: int
    columns_count: int
    size_bytes: int | None = None
    summary: DescribeStatisticsSummary | None = None
    columns: list[DescribeColumnStatistics]
    correlation: DescribeCorrelation | None = None
    sample: DescribeStatisticsSample | None = None
    partial: bool | None = None
    rows_estimated: bool | None = Field(
        None, description="True in the first look of a CSV still being copied: `rows` is estimated from the "
                          "file size (shown with ≈), the types are provisional and the sample is the text as read")


class DescribeSample(Record):
    """Body of `GET .../sample`: the first rows, as pandas' "split" orientation without index."""

    columns: list[str]
    data: list[list[Cell]]


class ListRejectedRowsResponse(Record):
    """Body of `GET /projects/{project}/datasets/{dataset}/rejected-rows`."""

    rows: list[RejectedRow]
    total: int = Field(description="How many rows were set aside in all")
    offset: int = 0


class ListProjectsResponse(Record):
    """Body of `GET /projects`."""

    projects: list[DescribeProject]


Role = Literal["viewer", "editor", "owner"]


class DescribeMember(Record):
    """A member of a project and their role: viewer (reads), editor (also creates, runs, imports,
    exports, deletes), owner (also manages members and connectors' secrets)."""

    user: str
    role: Role
    added_by: str = ""


class AddMember(Record):
    """Body of `POST /projects/{project}/members`: add a member, or give one another role."""

    user: str = Field(min_length=1, max_length=200)
    role: Role = "viewer"


class ListMembersResponse(Record):
    """Body of `GET /projects/{project}/members`."""

    members: list[DescribeMember]


class DescribeIdentity(Record):
    """Body of `GET /identity`: who the server takes the caller for, and the access mode."""

    user: str
    access: Literal["open", "members"]


class UpdateDataset(Record):
    """Body of `PATCH /projects/{project}/datasets/{dataset}`."""

    name: Name


class RetryImport(Record):
    """Body of `POST .../datasets/{dataset}/retry` and answer of its GET: how to read the file
    on the next attempt (the CSV keywords of `import_file`; null or absent: detect it). The GET
    gives what the failed attempt was given, else what it detected."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    separator: str | None = Field(None, description="Column separator, e.g. ';' or '\\t'")
    decimal: str | None = Field(None, description="Decimal mark: '.' or ','")
    encoding: str | None = Field(None, description="Text encoding, e.g. utf-8 or cp1252")
    quotechar: str | None = Field(None, description="Quote character, usually '\"'")
    header: bool | None = Field(None, description="Whether the first line names the columns")
    escapechar: str | None = Field(None, description="Escape character inside quoted fields, e.g. '\\'")
    skip_lines: int | None = Field(None, ge=0, description="Lines before the header to skip (a title or preamble)")
    header_rows: int | None = Field(
        None, ge=1, le=3, description="Lines the header spans (2: a group row above the names), joined into names")
    on_bad_rows: Literal["repair", "skip", "error"] | None = Field(
        None, description="repair (default), skip or error: what to do with rows that do not parse")


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
    peak_memory: int | None = Field(
        None, description="Most memory its worker process used, in bytes (jobs run in worker processes)")
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
    hints: list[OptionHint] = Field(default_factory=list, description="Import options the message suggests")


class DescribeConnector(ProjectRecord):
    """A connector as every interface shows it: secrets are never included, only which are set."""

    kind: str
    config: dict[str, Any] = Field(description="The non-secret fields (host, port, username, ...)")
    secrets_set: list[str] = Field(description="Names of the secret fields that hold a value")
    created_by: str = Field("", description="Who made it (the user who created it)")
    created_at: datetime
    updated_at: datetime


class CreateConnector(Record):
    """Body of `POST /projects/{project}/connectors`; secret fields are write-only."""

    name: Name
    kind: str = Field(description="sql, ftp, sftp, s3 or gcp")
    fields: dict[str, Any] = Field(default_factory=dict, description="Fields of the kind, secrets included")


class UpdateConnector(Record):
    """Body of `PATCH .../connectors/{connector}`: only the given fields change; a secret left out
    keeps its value."""

    name: Name | None = None
    fields: dict[str, Any] = Field(default_factory=dict)


class ListConnectorsResponse(Record):
    """Body of `GET /projects/{project}/connectors`."""

    connectors: list[DescribeConnector]


class ConnectorTest(Record):
    """The outcome of testing a connector: `message` names the cause when `ok` is false."""

    ok: bool
    message: str


class DescribeDatasource(UsesConnector):
    """A datasource: a connector plus a locator (table, query, path, bucket + key, dataset + table)."""

    kind: str
    locator: dict[str, Any]
    created_by: str = Field("", description="Who made it (the user who created it)")
    created_at: datetime
    updated_at: datetime


class CreateDatasource(CreateWithConnector):
    """Body of `POST /projects/{project}/datasources`."""

    locator: dict[str, Any] = Field(description="table/database, query, path, bucket+path or dataset+table")


class UpdateDatasource(Record):
    """Body of `PATCH .../datasources/{datasource}`."""

    name: Name | None = None
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
    name: Name | None = Field(None, description="Dataset name (default: datasource name + time)")


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
    created_by: str = Field("", description="Who made it (the user who created it)")
    created_at: datetime


class ListExportRunsResponse(Record):
    """Body of `GET .../exporters/{exporter}/runs` and `GET .../datasets/{dataset}/exports`: newest first."""

    runs: list[DescribeExportRun]


class DescribeExporter(UsesConnector):
    """An exporter: a connector, a destination and an overwrite mode, with its last export."""

    kind: str = Field(description="The connector's kind")
    destination: dict[str, Any] = Field(description="table/database, path, bucket+path or dataset+table")
    mode: str = Field(description="timestamp, cancel or overwrite")
    file_format: str = Field(description="csv or parquet (files only)")
    last_run: DescribeExportRun | None = Field(None, description="The most recent export, if any")
    created_by: str = Field("", description="Who made it (the user who created it)")
    created_at: datetime
    updated_at: datetime


class CreateExporter(CreateWithConnector):
    """Body of `POST /projects/{project}/exporters` (and of `.../exporters/test`)."""

    destination: dict[str, Any] = Field(description="table/database, path, bucket+path or dataset+table")
    mode: str = Field("timestamp", description="timestamp, cancel or overwrite")
    file_format: str = Field("csv", description="csv or parquet (files only)")


class UpdateExporter(Record):
    """Body of `PATCH .../exporters/{exporter}`: only the given fields change."""

    name: Name | None = None
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

    info: EmbeddingsRecord = Field(description="The dataset's embeddings record: status, method, sample_size, seed, rows, ...")
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

    name: Name = Field(description="Name of the new dataset")
    rows: list[int] = Field(description="Indexes of the rows in the dataset")


# -- query strings ------------------------------------------------------------------------------
# The REST handlers parse their query strings with these models (`DataplaneHandler.query`), and
# the OpenAPI document describes each parameter from the same field: types, enums, bounds and
# whether it is required cannot drift from what the server accepts.

JobStatusName = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class Query(BaseModel):
    """Base of the query-string models; unknown parameters are ignored."""

    model_config = ConfigDict(extra="ignore", defer_build=True)


class ListDatasetsQuery(Query):
    origin: list[DatasetOrigin] = Field(default_factory=list, description="Keep these origins (repeatable)")
    status: list[DatasetStatus] = Field(default_factory=list, description="Keep these statuses (repeatable)")
    search: str | None = Field(None, description="Case-insensitive part of the name")


class RejectedRowsQuery(Query):
    offset: int = Field(0, ge=0, le=2**62, description="First row to return")
    limit: int = Field(100, ge=1, le=10_000, description="Rows to return")


class SampleQuery(Query):
    n: int = Field(20, ge=1, le=1000, description="Number of rows")


class DownloadQuery(Query):
    format: Literal["csv", "parquet"] = Field("csv", description="File format")


class ListJobsQuery(Query):
    status: list[JobStatusName] = Field(default_factory=list, description="Keep these statuses (repeatable)")


class UploadQuery(Query):
    filename: str = Field(min_length=1, max_length=1000, pattern=r"\S",
                          description="Name of the uploaded file (its suffix tells how to read it); "
                                      "without it the upload is refused with 422")
    name: Name | None = Field(None, description="Record name (default: the file name without suffix)")


class UploadCsvQuery(UploadQuery):
    separator: str | None = Field(None, min_length=1, description="Column separator (auto-detected when absent)")
    decimal: str | None = Field(None, min_length=1, description="Decimal separator (auto-detected when absent)")
    encoding: str | None = Field(None, min_length=1, description="Text encoding (auto-detected when absent)")
    quotechar: str | None = Field(None, min_length=1, description="Quote character (auto-detected when absent)")
    header: bool | None = Field(None, description="Whether the first line names the columns (auto-detected when absent)")
    escapechar: str | None = Field(None, min_length=1,
                                   description="Escape character inside quoted fields, e.g. '\\' (auto-detected when absent)")
    skip_lines: int | None = Field(None, ge=0, le=10**6,
                                   description="Lines before the header to skip: a title or preamble (auto-detected when absent)")
    header_rows: int | None = Field(None, ge=1, le=3, description="Lines the header spans (2: a group row above the "
                                                                  "names), joined into names (auto-detected when absent)")
    on_bad_rows: Literal["repair", "skip", "error"] = Field(
        "repair", description="repair (a row when unambiguous, else set it aside), skip (set every bad row aside) "
                              "or error (refuse the file)")
    replace: bool = Field(False, description="true: first delete the dataset of that name, if there is one "
                                             "(default false: 409 when the name is taken)")


class SearchQuery(Query):
    search: str | None = Field(None, description="Case-insensitive part of the name")


class ListImagesQuery(Query):
    category: str | None = Field(None, description="Keep one category")
    offset: int = Field(0, ge=0, le=10**9, description="First image")
    limit: int = Field(100, ge=0, le=1000, description="Images per page")


class ImagePathQuery(Query):
    path: str = Field(min_length=1, description="Image path inside the folder")


class EmbeddingMapQuery(Query):
    color: str | None = Field(None, description="A column whose values for the embedded rows come along, to colour the map")


class NeighborsQuery(Query):
    row: int = Field(ge=0, le=2**62, description="Index of the row in the dataset")
    k: int = Field(5, ge=1, le=2**31, description="How many")


class PipelineRunsQuery(Query):
    limit: int = Field(50, ge=1, le=10_000, description="At most this many")


class FindRunsQuery(Query):
    pipeline: str | None = Field(None, description="Only this pipeline's runs (name or id)")
    status: list[JobStatusName] = Field(default_factory=list, description="Keep these statuses (repeatable, or comma-separated)")
    schedule_id: str | None = Field(None, description="Only the runs this schedule started")
    trigger: Literal["manual", "retry", "schedule"] | None = Field(None, description="How the runs started")
    limit: int = Field(200, ge=1, le=10_000, description="At most this many")


ScheduleTarget = Literal["pipeline", "datasource"]
ScheduleRunStatus = Literal["fired", "succeeded", "failed", "retried", "skipped_overlap", "skipped_missed"]


class DescribeScheduleRun(Record):
    """One tick of a schedule: fired (a run started), skipped, failed or retried, with the run it started."""

    id: str
    schedule_id: str
    tick: datetime = Field(description="The fire time this record is about (UTC)")
    attempt: int = Field(description="1 for the tick itself, 2… for its retries")
    status: ScheduleRunStatus = Field(
        description="fired (its run is still going), succeeded, failed, retried (failed; another attempt "
        "follows), skipped_overlap (the previous run still ran), skipped_missed (no scheduler was running)")
    run_type: str | None = Field(None, description="pipeline_run or dataset")
    run_id: str | None = Field(None, description="The pipeline run or dataset this tick started")
    run_name: str | None = Field(None, description="The dataset's name, for a datasource refresh")
    message: str | None = None
    scheduler: str | None = Field(None, description="Which scheduler fired it (host:pid, server or daemon)")
    fired_at: datetime
    finished_at: datetime | None = None


class DescribeSchedule(ProjectRecord):
    """A schedule: when it fires, what it starts, and how its last tick went."""

    target_type: ScheduleTarget
    target_id: str
    target_name: str = Field(description="The pipeline's or datasource's name")
    kind: Literal["cron", "every", "at"]
    cron: str | None = None
    timezone: str = "UTC"
    every: float | None = Field(None, description="Seconds between ticks")
    at: datetime | None = Field(None, description="The one fire time of a one-off schedule")
    description: str = Field(description='Human reading, e.g. "At 06:00, only on Monday (Europe/Paris)"')
    params: dict[str, Any] = Field(default_factory=dict, description="Passed to each run")
    enabled: bool
    disabled_reason: str | None = Field(None, description="Why the scheduler disabled it (e.g. its pipeline was deleted)")
    next_run: datetime | None = Field(None, description="Null while paused or once a one-off has fired")
    next_runs: list[datetime] = Field(
        default_factory=list, description="The next five fire times (UTC), `next_run` first; empty while paused")
    retries: int = Field(description="How many times a failed run is tried again")
    retry_delay: float = Field(description="Seconds before each retry")
    retry_at: datetime | None = Field(None, description="When a pending retry starts")
    last_status: ScheduleRunStatus | None = None
    last_fired_at: datetime | None = None
    created_by: str = ""
    created_at: datetime
    updated_at: datetime


class ListSchedulesResponse(Record):
    """Body of `GET /projects/{project}/schedules`."""

    schedules: list[DescribeSchedule]


class ListScheduleRunsResponse(Record):
    """Body of `GET .../schedules/{schedule}/runs`: newest first."""

    runs: list[DescribeScheduleRun]


class ScheduleTiming(Record):
    """When a schedule fires: exactly one of `cron` (with `timezone`), `every` or `at`."""

    cron: str | None = Field(None, description='Five fields, e.g. "0 6 * * MON"')
    timezone: str = Field("UTC", description="IANA zone the cron line and a naive `at` are read in")
    every: float | None = Field(None, description="Seconds between ticks (at least 1)")
    at: str | None = Field(None, description="ISO 8601 date-time of a one-off schedule")


class CreateSchedule(ScheduleTiming):
    """Body of `POST /projects/{project}/schedules`: a pipeline or a datasource to refresh."""

    name: str | None = Field(None, max_length=200, description="Unique in the project (default from the target)")
    pipeline: str | None = Field(None, description="Pipeline to run (name or id)")
    datasource: str | None = Field(None, description="Datasource to import into a new dataset (name or id)")
    params: dict[str, Any] = Field(default_factory=dict)
    retries: int = Field(0, ge=0, le=100)
    retry_delay: float = Field(60.0, ge=0)
    enabled: bool = True


class UpdateSchedule(Record):
    """Body of `PATCH .../schedules/{schedule}`: fields left out keep their value; timing fields
    replace the timing as a whole."""

    name: str | None = Field(None, max_length=200)
    cron: str | None = None
    timezone: str | None = None
    every: float | None = None
    at: str | None = None
    params: dict[str, Any] | None = None
    retries: int | None = Field(None, ge=0, le=100)
    retry_delay: float | None = Field(None, ge=0)


class SchedulePreview(Record):
    """What a timing means before saving it: a human reading and the next fire times."""

    description: str
    next_runs: list[datetime] = Field(description="The next fire times (UTC), first one first")
    local_next_runs: list[str] = Field(description="The same times in the schedule's zone, ISO 8601 with offset")


class DescribeScheduler(Record):
    """The scheduler running inside this Jupyter server."""

    running: bool
    name: str = Field(description="host:pid of the scheduler")
    ticking: bool = Field(description="True while a tick is being worked on")
    last_tick_at: datetime | None = None
    ticks: int = Field(description="Ticks worked on since the server started")
    fired: int = Field(description="Runs this scheduler started")


class ListSchedulesQuery(Query):
    pipeline: str | None = Field(None, description="Only this pipeline's schedules (name or id)")
    datasource: str | None = Field(None, description="Only this datasource's refresh schedules (name or id)")


class SchedulePreviewQuery(Query):
    count: int = Field(5, ge=1, le=50, description="How many fire times")


class ScheduleRunsQuery(Query):
    limit: int = Field(100, ge=1, le=10_000, description="At most this many")


class FeaturePreviewQuery(Query):
    rows: int = Field(6, ge=1, le=24, description="Rows shown")
    offset: int = Field(0, ge=0, le=10**12, description="First row")
    transformation: Literal["resize", "crop", "pad", "none"] | None = Field(
        None, description="Try this transformation instead of the stored one")
    size: str | None = Field(None, description="Try this size, WIDTHxHEIGHT")
    color_mode: Literal["grayscale", "rgb", "rgba"] | None = Field(None, description="Try this colour mode")
    fill: str | None = Field(None, description="Try this pad colour")


class TensorViewQuery(Query):
    row: int = Field(0, ge=0, le=10**12, description="Row")
    index: str | None = Field(None, description="Leading indices of the slice, comma-separated")


class UploadFilesQuery(Query):
    filename: list[str] = Field(description="Name of each file, in body order (repeat the parameter)")
    size: list[int] = Field(description="Bytes of each file, in body order (repeat the parameter)")
    name: Name | None = Field(None, description="Dataset name (default: the first file's name without suffix)")
