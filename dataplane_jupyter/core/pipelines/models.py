"""Public records of pipelines and their runs (REST bodies and the OpenAPI document use them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from dataplane_jupyter.core.models import Name, ProjectRecord, Record

RUN_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
STEP_STATUSES = ("pending", "running", "succeeded", "failed", "cancelled", "skipped", "reused")


class DescribePipeline(ProjectRecord):
    """A pipeline: its current version's steps, and its last run."""

    description: str = ""
    version: int = Field(description="The current version (each edit of the steps makes a new one)")
    steps: list[dict[str, Any]] = Field(description="The current version's step objects")
    base_dir: str | None = Field(None, description="Folder that relative model, notebook and module paths start from")
    last_run: "DescribePipelineRun | None" = Field(None, description="The most recent run, if any")
    created_by: str = Field("", description="Who made it (the user who created it)")
    created_at: datetime
    updated_at: datetime


class ListPipelinesResponse(Record):
    """Body of `GET .../pipelines`: by name."""

    pipelines: list[DescribePipeline]


class DescribePipelineVersion(Record):
    """One saved version of a pipeline's steps."""

    version: int
    steps: list[dict[str, Any]]
    base_dir: str | None = None
    created_by: str = ""
    created_at: datetime


class ListPipelineVersionsResponse(Record):
    """Body of `GET .../pipelines/{pipeline}/versions`: newest first."""

    versions: list[DescribePipelineVersion]


class CreatePipeline(Record):
    """Body of `POST .../pipelines`."""

    name: Name
    steps: list[dict[str, Any]] | None = Field(None, description="Step objects: name, kind and the kind's fields")
    yaml: str | None = Field(None, description="Or the steps as a YAML document (a list, or {description, steps})")
    description: str = ""
    base_dir: str | None = Field(None, description="Folder relative paths start from (default: the server's root)")


class UpdatePipeline(Record):
    """Body of `PATCH .../pipelines/{pipeline}`: new steps make a new version."""

    name: Name | None = None
    steps: list[dict[str, Any]] | None = None
    yaml: str | None = Field(None, description="Or the new steps as a YAML document")
    description: str | None = None
    base_dir: str | None = None


class ValidatePipeline(Record):
    """Body of `POST .../pipelines/validate`: check steps without saving them."""

    steps: Any = Field(description="Step objects (or a YAML document as a string)")


class DescribeProblem(Record):
    """One problem of a definition: the step (index and name), the field, and the message."""

    index: int | None = None
    step: str | None = None
    field: str | None = None
    message: str


class PipelineValidation(Record):
    """Result of a validation: valid when `problems` is empty."""

    valid: bool
    problems: list[DescribeProblem]


class RunPipeline(Record):
    """Body of `POST .../pipelines/{pipeline}/runs`."""

    params: dict[str, dict[str, Any]] | None = Field(
        None, description="Field overrides for this run, by step name, e.g. {\"out\": {\"exporter\": \"other\"}}")


class DescribeRunStep(Record):
    """One step of a run: status, rows, timing, message and what it produced."""

    name: str
    kind: str
    position: int
    status: str = Field(description="pending, running, succeeded, failed, cancelled, skipped or reused")
    rows_in: int | None = None
    rows_out: int | None = None
    seconds: float | None = None
    message: str = ""
    dataset_id: str | None = Field(None, description="The dataset it stored (snapshot, intermediate or output)")
    dataset: str | None = Field(None, description="That dataset's name")
    dataset_role: str | None = Field(None, description="snapshot, intermediate or output")
    export_run_id: str | None = None
    notebook: bool = Field(False, description="True when the executed notebook is kept (GET .../notebook)")
    reused_from: str | None = Field(None, description="The run whose result this retry reused")
    started_at: datetime | None = None
    finished_at: datetime | None = None


class DescribeRunStepLog(Record):
    """Body of `GET .../runs/{run}/steps/{step}/log`."""

    name: str
    status: str
    log: str


class DescribePipelineRun(Record):
    """One execution of a pipeline version."""

    id: str
    project_id: str
    pipeline_id: str
    pipeline: str = Field(description="Pipeline name")
    number: int = Field(description="1 for the pipeline's first run, then 2, 3...")
    version: int = Field(description="The pipeline version it ran")
    status: str = Field(description="queued, running, succeeded, failed or cancelled")
    error: str | None = Field(None, description="Why it failed or was cancelled (names the step)")
    params: dict[str, Any] = Field(default_factory=dict)
    trigger: str = Field("manual", description="manual, retry or schedule")
    schedule_id: str | None = None
    retry_of: str | None = Field(None, description="The failed run this one retries")
    job_id: str | None = None
    progress: float = 0.0
    steps: list[DescribeRunStep] = Field(default_factory=list)
    outputs: dict[str, str] = Field(default_factory=dict, description="Step name → output dataset name")
    created_by: str = ""
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_seconds: float | None = None


class ListPipelineRunsResponse(Record):
    """Body of `GET .../pipelines/{pipeline}/runs` and `GET .../pipeline-runs`: newest first."""

    runs: list[DescribePipelineRun]


DescribePipeline.model_rebuild()
