"""Pipeline runs: one execution of a pipeline version, persisted, run as one job.

    run = project.pipelines["weekly"].run(params={"out": {"exporter": "other"}})   # returns at once
    run.wait()                      # raises JobFailed (naming the step) unless it succeeded
    run.status, run.steps, run.outputs, run.log("scored"), run.retry(), run.cancel()
    project.pipelines.runs(pipeline="weekly", status=["failed"])    # find runs again
    project.pipelines.get_run(run_id)

A run records the effective steps (the version's, with the run's params applied), so a retry
or a later look shows exactly what ran. Its status moves queued → running → succeeded | failed |
cancelled; `on_run_end` (the job's end hook, also called when a killed worker is reaped) makes sure
a run never stays `running`, names the step that was running, and removes any output it had not
finished publishing.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.catalog.records import RunRecord, fields_from_docstring
from dataplane_jupyter.core.errors import InvalidState, JobFailed, NotFound
from dataplane_jupyter.core.exports.runs import ACTIVE as EXPORT_ACTIVE
from dataplane_jupyter.core.exports.runs import on_export_end
from dataplane_jupyter.core.exports.runs import run_query as export_query
from dataplane_jupyter.core.jobs.store import Job, JobStatus

from .checks import check_definition
from .definition import PipelineInvalid, apply_params, topological
from .models import DescribePipelineRun, DescribeRunStep

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog
    from dataplane_jupyter.core.catalog.project import Project

    from .collection import Pipeline

ACTIVE = ("queued", "running")
FINISHED = ("succeeded", "failed", "cancelled")
RUN_FUNCTION = "dataplane_jupyter.core.pipelines.execute:run_pipeline"
END_FUNCTION = f"{__name__}:on_run_end"


def run_query() -> sa.Select:
    """Runs with their pipeline's name and their job's progress."""
    r, p, j = schema.pipeline_runs, schema.pipelines, schema.jobs
    return sa.select(
        r, p.c.name.label("pipeline"), sa.func.coalesce(j.c.progress, 0.0).label("progress"),
    ).select_from(r.join(p, r.c.pipeline_id == p.c.id).outerjoin(j, r.c.job_id == j.c.id))


def step_rows(engine: sa.Engine, run_ids: list[str]) -> dict[str, list[sa.Row]]:
    """The step records of these runs, in definition order, with their dataset's name."""
    s, d = schema.pipeline_run_steps, schema.datasets
    query = (sa.select(s, d.c.name.label("dataset")).select_from(s.outerjoin(d, s.c.dataset_id == d.c.id))
             .where(s.c.run_id.in_(run_ids)).order_by(s.c.position))
    found: dict[str, list[sa.Row]] = {run_id: [] for run_id in run_ids}
    with engine.connect() as connection:
        for row in connection.execute(query):
            found[row.run_id].append(row)
    return found


def describe_step(row: sa.Row) -> DescribeRunStep:
    """The public record of a step row."""
    values = dict(row._mapping)
    values["notebook"] = bool(values.pop("notebook_path", None))
    return DescribeRunStep.model_validate(values)


def describe_run(row: sa.Row, steps: list[sa.Row]) -> DescribePipelineRun:
    """The public record of a run row from `run_query()` and its step rows."""
    values = dict(row._mapping)
    if values["status"] == "succeeded":
        values["progress"] = 1.0
    if values["started_at"] and values["finished_at"]:
        values["duration_seconds"] = (values["finished_at"] - values["started_at"]).total_seconds()
    values["steps"] = [describe_step(s) for s in steps]
    values["outputs"] = {s.name: s.dataset for s in steps if s.dataset_role == "output" and s.dataset}
    return DescribePipelineRun.model_validate(values)


def list_runs(project: "Project", query: sa.Select, *, limit: int = 200) -> list["PipelineRun"]:
    """Runs of the project that `query` (from `run_query()`) selects, newest first."""
    r = schema.pipeline_runs
    query = query.where(r.c.project_id == project.id).order_by(r.c.created_at.desc(), r.c.number.desc()).limit(limit)
    with project.catalog.engine.connect() as connection:
        rows = list(connection.execute(query))
    steps = step_rows(project.catalog.engine, [row.id for row in rows])
    return [PipelineRun(project, row.id, describe_run(row, steps[row.id])) for row in rows]


@fields_from_docstring
class PipelineRun(RunRecord[DescribePipelineRun]):
    """A handle on one run: `.status`, `.steps`, `.outputs`, `.error`, `.wait()`, `.cancel()`, `.retry()`,
    `.log(step)`, `.notebook(step)`; attributes re-read the catalog (`describe()` is the snapshot
    read last, without a query).

    Attributes:
        status: queued, running, succeeded, failed or cancelled.
        error: Why it failed or was cancelled (names the step).
        steps: Per step: name, status, rows_in, rows_out, seconds, message.
        outputs: Step name → output dataset name.
        number: 1, 2, 3... within the pipeline.
        version: The pipeline version it ran.
        params: The field overrides of this run.
        progress: 0–1.
    """

    def _load(self) -> DescribePipelineRun:
        query = run_query().where(schema.pipeline_runs.c.id == self.id,
                                  schema.pipeline_runs.c.project_id == self.project.id)
        with self.catalog.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            raise NotFound(f"No pipeline run with id {self.id!r} in project {self.project.name!r}.")
        return describe_run(row, step_rows(self.catalog.engine, [self.id])[self.id])

    def _done(self, info: DescribePipelineRun) -> bool:
        if info.status not in FINISHED:
            return False
        if info.status != "succeeded":
            raise JobFailed(f"Run {info.number} of pipeline {info.pipeline!r} {info.status}: {info.error}")
        return True

    def _waiting(self) -> str:
        return f"Run {self._info.number} of pipeline {self._info.pipeline!r} still {self._info.status}"

    pipeline_name = property(lambda self: self.info.pipeline, doc="The pipeline's name.")

    def step(self, name: str) -> DescribeRunStep:
        """One step's record."""
        for step in self.info.steps:
            if step.name == name:
                return step
        raise NotFound(f"Run {self.info.number} of pipeline {self.info.pipeline!r} has no step {name!r}.")

    def __repr__(self) -> str:
        info = self._info
        states = " ".join(f"{s.name}:{s.status}" for s in info.steps)
        return f"<PipelineRun {info.pipeline!r} #{info.number} {info.status} [{states}]>"

    def cancel(self) -> "PipelineRun":
        """Ask the run to stop at the next step boundary or progress report; what it had not
        published is removed."""
        self.project.require("editor", "cancel a pipeline run")
        info = self.info
        if info.status in FINISHED or info.job_id is None:
            raise InvalidState(f"Run {info.number} of pipeline {info.pipeline!r} already {info.status}; "
                               "nothing to cancel.")
        self.project.catalog.jobs.cancel(info.job_id)
        return self

    def retry(self) -> "PipelineRun":
        """A new run of the same version and params that reuses the results of the steps that
        succeeded here and starts again at the step that failed."""
        self.project.require("editor", "retry a pipeline run")
        info = self.info
        if info.status not in ("failed", "cancelled"):
            raise InvalidState(f"Run {info.number} of pipeline {info.pipeline!r} is {info.status}: only a failed "
                               "or cancelled run can be retried.")
        pipeline = self.project.pipelines[info.pipeline_id]
        with self.project.catalog.engine.connect() as connection:
            row = connection.execute(sa.select(schema.pipeline_runs).where(schema.pipeline_runs.c.id == self.id)).one()
        reuse = {}
        for step in step_rows(self.project.catalog.engine, [self.id])[self.id]:
            if step.status in ("succeeded", "reused") and _result_still_there(self.project, step):
                reuse[step.name] = step
        return start_run(pipeline, params=info.params, trigger="retry", schedule_id=info.schedule_id,
                         retry_of=self.id, steps=list(row.steps), version=info.version, base_dir=row.base_dir,
                         reuse=reuse)

    def log(self, step: str) -> str:
        """The log of one step (messages, the output of python steps, tracebacks)."""
        s = schema.pipeline_run_steps
        with self.project.catalog.engine.connect() as connection:
            text = connection.execute(sa.select(s.c.log).where(s.c.run_id == self.id, s.c.name == step)).scalar()
        if text is None:
            self.step(step)  # NotFound naming the step
        return text or ""

    def notebook(self, step: str) -> str:
        """The executed notebook of a notebook step (JSON text), kept with the run even when it failed."""
        s = schema.pipeline_run_steps
        with self.project.catalog.engine.connect() as connection:
            path = connection.execute(
                sa.select(s.c.notebook_path).where(s.c.run_id == self.id, s.c.name == step)).scalar()
        if not path:
            self.step(step)
            raise NotFound(f"Step {step!r} of run {self.info.number} kept no executed notebook.")
        with self.project.catalog.storage.open(path) as stream:
            return stream.read().decode("utf-8")

    def datasets(self) -> dict[str, Any]:
        """The datasets of the run by role: inputs (read), snapshots, intermediates, outputs."""
        found: dict[str, Any] = {"input": {}, "snapshot": {}, "intermediate": {}, "output": {}}
        for step in self.info.steps:
            if step.dataset_role and step.dataset:
                found.setdefault(step.dataset_role, {})[step.name] = step.dataset
        return found

    def export_runs(self) -> list[Any]:
        """The export runs this run did (through the exporters, so their history shows them too)."""

        query = export_query().where(schema.export_runs.c.pipeline_run_id == self.id)
        return self.project.exporters.runs(query)

    def lineage(self) -> dict[str, Any]:
        """run → input snapshots → outputs → export runs, by name."""
        datasets = self.datasets()
        return {
            "run": {"id": self.id, "pipeline": self.info.pipeline, "number": self.info.number,
                    "version": self.info.version, "status": self.info.status},
            "inputs": {**datasets["input"], **datasets["snapshot"]},
            "intermediates": datasets["intermediate"],
            "outputs": datasets["output"],
            "exports": [{"exporter": r.exporter, "dataset": r.dataset_name, "status": r.status,
                         "location": r.location} for r in self.export_runs()],
        }


def _result_still_there(project: "Project", step: sa.Row) -> bool:
    if step.kind == "export":
        return True
    if not step.result_path:
        return step.kind == "notebook"  # a notebook step may end without writing a result
    return project.catalog.storage.exists(step.result_path)


def _next_number(connection: sa.Connection, pipeline_id: str) -> int:
    p = schema.pipelines
    connection.execute(p.update().where(p.c.id == pipeline_id).values(runs_started=p.c.runs_started + 1))
    return int(connection.execute(sa.select(p.c.runs_started).where(p.c.id == pipeline_id)).scalar_one())


def start_run(
    pipeline: "Pipeline",
    params: dict[str, Any] | None = None,
    *,
    trigger: str = "manual",
    schedule_id: str | None = None,
    retry_of: str | None = None,
    steps: list[dict[str, Any]] | None = None,
    version: int | None = None,
    base_dir: str | None = None,
    reuse: dict[str, sa.Row] | None = None,
) -> PipelineRun:
    """Record a queued run of the pipeline's current version (with `params` applied) and start its
    job; returns at once. Refused, naming step and field, when the effective steps are not valid."""

    project = pipeline.project
    if steps is None:
        current = pipeline.current_version()
        steps, version, base_dir = apply_params(current.steps, params), current.version, current.base_dir
        problems = check_definition(project, steps, bind_sql=False)
        if problems:
            raise PipelineInvalid(problems, pipeline=pipeline.name)
    assert version is not None
    reuse = reuse or {}
    run_id = schema.new_id()
    with project.catalog.engine.begin() as connection:
        number = _next_number(connection, pipeline.id)
        connection.execute(schema.pipeline_runs.insert().values(
            id=run_id, project_id=project.id, pipeline_id=pipeline.id, number=number, version=version, steps=steps,
            params=params or {}, base_dir=base_dir, status="queued", trigger=trigger, schedule_id=schedule_id,
            retry_of=retry_of, published=False, created_by=project.catalog.user))
        for position, step in enumerate(steps):
            old = reuse.get(step["name"])
            values: dict[str, Any] = {"status": "pending", "message": "Waiting"}
            if old is not None:
                values = {
                    "status": "reused", "message": f"Reused from run {old.run_id[:8]}: {old.message}",
                    "rows_in": old.rows_in, "rows_out": old.rows_out, "result_path": old.result_path,
                    "dataset_id": old.dataset_id, "dataset_role": old.dataset_role,
                    "export_run_id": old.export_run_id, "notebook_path": old.notebook_path,
                    "reused_from": old.reused_from or old.run_id, "seconds": 0.0,
                }
            connection.execute(schema.pipeline_run_steps.insert().values(
                run_id=run_id, name=step["name"], position=position, kind=step["kind"], log="", **values))
    job = project.catalog.jobs.start(
        "pipeline.run", RUN_FUNCTION, on_end=END_FUNCTION, project_id=project.id, target=("pipeline_run", run_id),
        params={"run_id": run_id, "project_id": project.id},
    )
    update_run(project.catalog, run_id, job_id=job.id)
    return PipelineRun(project, run_id)


def update_run(catalog: "Catalog", run_id: str, *, only_from: tuple[str, ...] | None = None, **values: Any) -> bool:
    """Change a run record (only from the listed statuses, when given); True if it changed."""
    r = schema.pipeline_runs
    query = r.update().where(r.c.id == run_id)
    if only_from is not None:
        query = query.where(r.c.status.in_(only_from))
    with catalog.engine.begin() as connection:
        return bool(connection.execute(query.values(updated_at=schema.utcnow(), **values)).rowcount)


def update_step(catalog: "Catalog", run_id: str, name: str, *, only_from: tuple[str, ...] | None = None,
                **values: Any) -> bool:
    """Change one step record of a run."""
    s = schema.pipeline_run_steps
    query = s.update().where(s.c.run_id == run_id, s.c.name == name)
    if only_from is not None:
        query = query.where(s.c.status.in_(only_from))
    with catalog.engine.begin() as connection:
        return bool(connection.execute(query.values(**values)).rowcount)


def on_run_end(catalog: "Catalog", job: Job) -> None:
    """A failed or cancelled run job, even one whose worker was killed: the run and its steps say
    so (the running step named), nothing half-published stays, its exports are ended."""

    run_id = job.params["run_id"]
    cancelled = job.status is JobStatus.CANCELLED
    status = "cancelled" if cancelled else "failed"
    with catalog.engine.connect() as connection:
        run = connection.execute(sa.select(schema.pipeline_runs).where(schema.pipeline_runs.c.id == run_id)).first()
    if run is None:
        return
    steps = step_rows(catalog.engine, [run_id])[run_id]
    running = [s for s in steps if s.status == "running"]
    error = job.error or status
    if running and not error.startswith("Step "):
        error = f"Step {running[0].name!r} ({running[0].kind}) {'was cancelled' if cancelled else 'failed'}: {error}"
    now = job.finished_at or schema.utcnow()
    for step in running:
        update_step(catalog, run_id, step.name, only_from=("running",), status=status, message=job.error or status,
                    finished_at=now)
    for step in steps:
        if step.status == "pending":
            update_step(catalog, run_id, step.name, only_from=("pending",), status="skipped",
                        message=f"Not run: the run {status}")
    _remove_unpublished(catalog, run, step_rows(catalog.engine, [run_id])[run_id])
    shutil.rmtree(catalog.settings.home / "pipeline-work" / run_id, ignore_errors=True)  # a remote storage's local workspace
    for step in steps:
        if step.export_run_id and step.status != "reused":
            ended = replace(job, params={"run_id": step.export_run_id})
            with catalog.engine.connect() as connection:
                export_status = connection.execute(sa.select(schema.export_runs.c.status).where(
                    schema.export_runs.c.id == step.export_run_id)).scalar()
            if export_status in EXPORT_ACTIVE:
                on_export_end(catalog, ended)
    update_run(catalog, run_id, only_from=ACTIVE, status=status, error=error, finished_at=now)


def _remove_unpublished(catalog: "Catalog", run: sa.Row, steps: list[sa.Row]) -> None:
    """Delete the datasets this run created but did not finish: every output and intermediate
    unless the run got as far as publishing all of them, and snapshots that are not ready."""
    project = catalog.project_by_id(run.project_id)
    for step in steps:
        if not step.dataset_id or step.status == "reused" or step.dataset_role == "input":
            continue
        try:
            dataset = project.datasets.get(step.dataset_id)
        except NotFound:
            continue
        half = dataset.status != "ready"
        if half or (step.dataset_role in ("output", "intermediate") and not run.published):
            dataset.delete()
            update_step(catalog, run.id, step.name, dataset_id=None, result_path=None)


def order(steps: list[dict[str, Any]]) -> list[str]:
    """The order a run executes its steps in."""
    return topological(steps)
