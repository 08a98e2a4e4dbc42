"""Public records, named after what they describe; the REST API and the OpenAPI document use
them as they are, and the TypeScript types mirror them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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


class DescribeJob(Record):
    """A job's public state."""

    id: str
    project_id: str | None
    kind: str
    target_type: str | None
    target_id: str | None
    status: str = Field(description="queued, running, succeeded, failed or cancelled")
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
