"""What a schedule starts when it fires: a datasource refresh (an import into a new dataset
snapshot) or a pipeline run. A target finds its record, starts one run, and reads how a run
it started is going; the scheduler judges overlap and retries on that reading alone."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.errors import DataplaneError, InvalidInput
from dataplane_jupyter.core.models import DatasetStatus
from dataplane_jupyter.core.pipelines.definition import apply_params
from dataplane_jupyter.core.pipelines.runs import PipelineRun

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project

log = logging.getLogger("dataplane_jupyter.scheduler")

Outcome = Literal["running", "succeeded", "failed"]

DEFAULT_DATASET_NAME = "{datasource}_{tick:%Y-%m-%dT%H-%M-%SZ}"


@dataclass(frozen=True)
class Started:
    """A run a schedule started."""

    run_type: str
    run_id: str
    run_name: str | None = None


class _Target:
    """Finding the record a target names. A target of `type` "pipeline" finds it in the project's
    `pipelines`, rows of the catalog table `pipelines`; each tick makes a run of `run_type`."""

    type: str
    run_type: str

    @property
    def what(self) -> str:
        return self.type.capitalize()

    @property
    def table(self) -> sa.Table:
        return getattr(schema, f"{self.type}s")

    def find(self, project: "Project", key: str) -> tuple[str, str]:
        """The id and name of the record `key` (an id or a name) names."""
        record = getattr(project, f"{self.type}s")[key]
        return record.id, record.name

    def current_name(self, project: "Project", target_id: str) -> str | None:
        """The record's name now (None once it is deleted)."""
        with project.catalog.engine.connect() as connection:
            return connection.execute(
                sa.select(self.table.c.name).where(self.table.c.id == target_id, self.table.c.project_id == project.id)
            ).scalar()


class DatasourceTarget(_Target):
    """Refresh a datasource: each tick imports it into a new dataset snapshot.

    `params["dataset_name"]` names the snapshots: a format string with `{datasource}`, `{tick}`
    (the fire time, UTC datetime) and `{attempt}`; default "{datasource}_{tick:%Y-%m-%dT%H-%M-%SZ}"
    (a retry adds "_attempt2", ...).
    """

    type = "datasource"
    run_type = "dataset"

    def check_params(self, params: dict[str, Any], project: "Project | None" = None,
                     target_id: str | None = None) -> dict[str, Any]:
        unknown = sorted(set(params) - {"dataset_name"})
        if unknown:
            raise InvalidInput(
                f"params: {', '.join(unknown)} not understood by a datasource refresh (only dataset_name).",
                field=f"params.{unknown[0]}")
        if "dataset_name" in params:
            self.dataset_name(params, "sales", datetime(2027, 1, 4, 6, 0), 1)
        return params

    def dataset_name(self, params: dict[str, Any], datasource: str, tick: datetime, attempt: int) -> str:
        template = params.get("dataset_name") or DEFAULT_DATASET_NAME
        try:
            name = str(template).format(datasource=datasource, tick=tick, attempt=attempt)
        except (KeyError, IndexError, ValueError, AttributeError) as error:
            raise InvalidInput(
                f"params.dataset_name: {template!r} cannot be filled in ({type(error).__name__}: {error}); "
                "use {datasource}, {tick:%Y-%m-%d} and {attempt}.", field="params.dataset_name") from None
        if attempt > 1 and "{attempt" not in str(template):
            name = f"{name}_attempt{attempt}"
        return name

    def start(self, project: "Project", schedule: sa.Row, tick: datetime, attempt: int) -> Started:
        source = project.datasources[schedule.target_id]
        name = self.dataset_name(schedule.params or {}, source.name, tick, attempt)
        dataset = project.datasets.import_datasource(source.id, name=name)
        return Started(self.run_type, dataset.id, dataset.name)

    def outcome(self, project: "Project", run_id: str) -> tuple[Outcome, str | None]:
        with project.catalog.engine.connect() as connection:
            row = connection.execute(
                sa.select(schema.datasets.c.status, schema.datasets.c.error, schema.datasets.c.name)
                .where(schema.datasets.c.id == run_id)
            ).first()
        if row is None:
            return "failed", "The dataset this tick created was deleted."
        status = DatasetStatus(row.status)
        if status is DatasetStatus.READY:
            return "succeeded", f"Dataset {row.name!r} ready."
        if status is DatasetStatus.FAILED:
            return "failed", row.error or "The import failed."
        return "running", None

    def cancel(self, project: "Project", run_id: str) -> None:
        with project.catalog.engine.connect() as connection:
            job_id = connection.execute(
                sa.select(schema.datasets.c.job_id).where(schema.datasets.c.id == run_id)).scalar()
        if job_id:
            try:
                project.catalog.jobs.cancel(job_id)
            except DataplaneError as error:  # it ended meanwhile
                log.info("dataset %s: nothing to cancel (%s)", run_id, error)


class PipelineTarget(_Target):
    """Run a pipeline: each tick starts `pipeline.run(params=schedule.params)`; overlap and
    retries are judged on that run's status."""

    type = "pipeline"
    run_type = "pipeline_run"

    def check_params(self, params: dict[str, Any], project: "Project | None" = None,
                     target_id: str | None = None) -> dict[str, Any]:
        if project is not None and target_id is not None:
            apply_params(project.pipelines[target_id].current_version().steps, params)  # names step and field
        return params

    def start(self, project: "Project", schedule: sa.Row, tick: datetime, attempt: int) -> Started:
        pipeline = project.pipelines[schedule.target_id]
        run = pipeline.run(params=schedule.params or {}, trigger="schedule", schedule_id=schedule.id)
        return Started(self.run_type, run.id, f"{pipeline.name} run {run.number}")

    def outcome(self, project: "Project", run_id: str) -> tuple[Outcome, str | None]:
        r = schema.pipeline_runs
        with project.catalog.engine.connect() as connection:
            row = connection.execute(sa.select(r.c.status, r.c.error, r.c.number).where(r.c.id == run_id)).first()
        if row is None:
            return "failed", "The pipeline run this tick started was deleted (with its pipeline?)."
        if row.status == "succeeded":
            return "succeeded", f"Run {row.number} succeeded."
        if row.status in ("failed", "cancelled"):
            return "failed", row.error or f"Run {row.number} {row.status}."
        return "running", None

    def cancel(self, project: "Project", run_id: str) -> None:
        try:
            PipelineRun(project, run_id).cancel()
        except DataplaneError as error:  # it ended meanwhile
            log.info("pipeline run %s: nothing to cancel (%s)", run_id, error)


TARGETS: dict[str, Any] = {target.type: target for target in (DatasourceTarget(), PipelineTarget())}


def target(kind: str) -> Any:
    """The target implementation of `kind` (pipeline or datasource)."""
    try:
        return TARGETS[kind]
    except KeyError:
        raise InvalidInput(f"Schedules can target {' or '.join(sorted(TARGETS))}, not {kind!r}.", field="target") from None


def missing_target(project: "Project", schedule: sa.Row) -> str | None:
    """Why a schedule cannot fire because its pipeline or datasource is gone (None when it is there)."""
    implementation = target(schedule.target_type)
    if implementation.current_name(project, schedule.target_id) is None:
        return (f"{implementation.what} {schedule.target_name!r} was deleted: schedule {schedule.name!r} "
                "is disabled. Point a new schedule at another one, or delete this one.")
    return None
