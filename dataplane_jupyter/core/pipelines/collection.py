"""Pipelines of a project: named, versioned step lists, validated on save.

    pipe = project.pipelines.create("weekly", steps=[...])     # PipelineInvalid naming step and field
    pipe.update(steps=[...])                                    # version 2
    project.pipelines["weekly"].run(params=...)                 # see core.pipelines.runs
    project.pipelines.from_yaml("weekly.yaml")                  # create, or a new version
"""

from __future__ import annotations

import builtins
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import records, schema
from dataplane_jupyter.core.errors import InUse, InvalidInput, NotFound
from dataplane_jupyter.core.pipelines.execute import run_folder

from .checks import check_definition
from .definition import PipelineInvalid, Problem, consumers, normalise, roles
from .models import DescribePipeline, DescribePipelineVersion
from .runs import ACTIVE, PipelineRun, list_runs, run_query, start_run

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project


def _base_dir(base_dir: str | os.PathLike[str] | None) -> str:
    return str(Path(base_dir).expanduser().absolute()) if base_dir else os.getcwd()


def parse_yaml(text: str, *, source: str = "") -> dict[str, Any]:
    """A YAML pipeline document: a list of steps, or {name, description, steps}. Syntax errors
    name the line and column (and `source`, the file)."""
    import yaml

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        prefix = f"{source}: " if source else ""
        raise InvalidInput(f"{prefix}{where}not valid YAML: {getattr(exc, 'problem', None) or exc}",
                           field="steps") from None
    if isinstance(document, list):
        document = {"steps": document}
    if not isinstance(document, dict):
        raise InvalidInput("A pipeline YAML document is a list of steps or an object with 'steps'.", field="steps")
    return document


def load_yaml(path: str | os.PathLike[str]) -> tuple[dict[str, Any], str]:
    """The YAML pipeline document of a file, and the folder it is in (relative paths start there)."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise InvalidInput(f"File {str(path)!r} does not exist.", field="path")
    return parse_yaml(file.read_text(encoding="utf-8"), source=str(file)), str(file.absolute().parent)


class Pipeline(records.RowHandle):
    """A handle on one pipeline: `.steps`, `.version`, `.run(params)`, `.runs()`, `.update(steps=...)`,
    `.versions()`, `.delete()`."""

    version = property(lambda self: self._row.version, doc="The current version number.")
    description = property(lambda self: self._row.description)

    def current_version(self) -> DescribePipelineVersion:
        """The current version's steps and base folder."""
        return self.get_version(self.version)

    @property
    def steps(self) -> list[dict[str, Any]]:
        """The current version's step objects."""
        return self.current_version().steps

    def get_version(self, version: int) -> DescribePipelineVersion:
        """One saved version."""
        v = schema.pipeline_versions
        with self.project.catalog.engine.connect() as connection:
            row = connection.execute(sa.select(v).where(v.c.pipeline_id == self.id, v.c.version == version)).first()
        if row is None:
            raise NotFound(f"Pipeline {self.name!r} has no version {version}.")
        return DescribePipelineVersion.model_validate(row._mapping)

    def versions(self) -> list[DescribePipelineVersion]:
        """Every saved version, newest first."""
        v = schema.pipeline_versions
        with self.project.catalog.engine.connect() as connection:
            rows = connection.execute(sa.select(v).where(v.c.pipeline_id == self.id).order_by(v.c.version.desc()))
            return [DescribePipelineVersion.model_validate(row._mapping) for row in rows]

    @property
    def info(self) -> DescribePipeline:
        """The public description, with the current steps and the last run."""
        current = self.current_version()
        last = self.last_run
        return DescribePipeline.model_validate({
            **self._row._mapping, "steps": current.steps, "base_dir": current.base_dir,
            "last_run": last.info if last else None})

    def dag(self) -> dict[str, Any]:
        """Nodes (name, kind, role) and edges (from, to) of the current version, for drawing."""
        steps = self.steps
        kept = roles(steps)
        readers = consumers(steps)
        return {
            "nodes": [{"name": s["name"], "kind": s["kind"], "role": kept[s["name"]]} for s in steps],
            "edges": [{"from": name, "to": reader} for name, found in readers.items() for reader in found],
        }

    def __repr__(self) -> str:
        return f"<Pipeline {self.name!r} v{self.version}: {' → '.join(s['name'] for s in self.steps)}>"

    def run(self, params: dict[str, Any] | None = None, *, trigger: str = "manual",
            schedule_id: str | None = None) -> PipelineRun:
        """Start a run of the current version; returns at once (`.wait()`). `params` override step
        fields for this run: {"out": {"exporter": "other"}}."""
        self.project.require("editor", "run a pipeline")
        return start_run(self, params, trigger=trigger, schedule_id=schedule_id)

    def schedule(self, name: str | None = None, **timing: Any) -> Any:
        """Run this pipeline on a schedule: `cron=` (+ `timezone=`), `every=` seconds or `at=`;
        `params=` are passed to each run; `retries=`, `retry_delay=` (see `project.schedules.create`)."""
        return self.project.schedules.create(name, pipeline=self.id, **timing)

    def schedules(self) -> list[Any]:
        """The schedules that run this pipeline."""
        return self.project.schedules.list(pipeline=self.id)

    def runs(self, *, status: list[str] | None = None, limit: int = 50) -> list[PipelineRun]:
        """This pipeline's runs, newest first."""
        return self.project.pipelines.runs(pipeline=self.id, status=status, limit=limit)

    @property
    def last_run(self) -> PipelineRun | None:
        """The most recent run, or None."""
        found = self.runs(limit=1)
        return found[0] if found else None

    def update(self, *, steps: Any = None, name: str | None = None, description: str | None = None,
               base_dir: str | os.PathLike[str] | None = None) -> "Pipeline":
        """Rename, describe, or save new steps (validated; a new version)."""
        self.project.require("editor", "change a pipeline")
        engine = self.project.catalog.engine
        values: dict[str, Any] = {}
        if name is not None:
            values["name"] = name
        if description is not None:
            values["description"] = description
        if steps is not None or base_dir is not None:
            new_steps = self.project.pipelines.checked(steps if steps is not None else self.steps, name or self.name)
            folder = _base_dir(base_dir) if base_dir is not None else self.current_version().base_dir
            version = self.version + 1
            with engine.begin() as connection:
                connection.execute(schema.pipeline_versions.insert().values(
                    id=schema.new_id(), pipeline_id=self.id, version=version, steps=new_steps, base_dir=folder,
                    created_by=self.project.catalog.user))
            values["version"] = version
        if values:
            records.update(engine, schema.pipelines, self.project, self.id, "Pipeline", **values)
        fresh = self.project.pipelines[self.id]
        self._row = fresh._row  # this handle runs the new version too
        return fresh

    def delete(self) -> None:
        """Delete the pipeline, its versions and runs (their datasets stay); refused while it runs
        or while a schedule uses it."""
        self.project.require("editor", "delete a pipeline")
        active = self.runs(status=list(ACTIVE), limit=1)
        if active:
            raise InUse(f"Pipeline {self.name!r} is running (run {active[0].number}): wait for it or cancel it first.")

        runs = self.runs(limit=100_000)
        schedules = schema.schedules
        users = (sa.select(schedules.c.name).where(schedules.c.target_type == "pipeline",
                                                    schedules.c.target_id == self.id))
        with self.project.catalog.engine.begin() as connection:
            # one statement: a schedule saved by someone else in the meantime keeps the pipeline
            deleted = connection.execute(schema.pipelines.delete().where(
                schema.pipelines.c.id == self.id, ~users.exists())).rowcount
            if not deleted:
                names = sorted(connection.execute(users).scalars())
                if not names:
                    raise NotFound(f"No pipeline named {self.name!r} in project {self.project.name!r}.")
        if not deleted:
            listed = ", ".join(repr(n) for n in names)
            raise InUse(f"Pipeline {self.name!r} is used by schedule{'s' if len(names) > 1 else ''} {listed}: "
                        "delete the schedule first.", field="pipeline")
        for run in runs:  # work files kept for retries, executed notebooks
            self.project.catalog.storage.remove(run_folder(self.project.id, run.id))


class Pipelines(records.Collection[Pipeline]):
    """The pipelines of one project: `project.pipelines["weekly"]`, `.create(...)`, `.list()`, `.runs(...)`."""

    def __init__(self, project: "Project") -> None:
        self.project = project

    def validate(self, steps: Any) -> list[Problem]:
        """Every problem of a definition (empty when it is valid); nothing is saved. `steps` may
        also be the text of a YAML document."""
        if isinstance(steps, str):
            try:
                steps = parse_yaml(steps).get("steps")
            except InvalidInput as error:
                return [Problem(None, None, "steps", error.message)]
        try:
            steps = normalise(steps)
        except PipelineInvalid as invalid:
            return invalid.problems
        return check_definition(self.project, steps)

    def checked(self, steps: Any, name: str | None = None) -> list[dict[str, Any]]:
        """The steps as plain dicts, or PipelineInvalid listing every problem."""
        try:
            steps = normalise(steps)
        except PipelineInvalid as invalid:
            raise PipelineInvalid(invalid.problems, pipeline=name) from None
        problems = check_definition(self.project, steps)
        if problems:
            raise PipelineInvalid(problems, pipeline=name)
        return steps

    def create(self, name: str, steps: Any, *, description: str = "",
               base_dir: str | os.PathLike[str] | None = None) -> Pipeline:
        """A new pipeline (version 1). Relative model, notebook and module paths start from
        `base_dir` (default: the current folder, e.g. the notebook's)."""
        steps = self.checked(steps, name)
        engine = self.project.catalog.engine
        pipeline_id = records.insert(engine, schema.pipelines, self.project, name, "Pipeline",
                                     description=description, version=1, runs_started=0)
        with engine.begin() as connection:
            connection.execute(schema.pipeline_versions.insert().values(
                id=schema.new_id(), pipeline_id=pipeline_id, version=1, steps=steps, base_dir=_base_dir(base_dir),
                created_by=self.project.catalog.user))
        return self[pipeline_id]

    def from_yaml(self, path: str | os.PathLike[str], name: str | None = None) -> Pipeline:
        """Create a pipeline from a YAML file (list of steps, or {name, description, steps}), or save
        a new version if it exists. Relative paths start from the file's folder."""
        document, folder = load_yaml(path)
        name = name or document.get("name") or Path(str(path)).stem
        if not name:
            raise InvalidInput("The YAML document names no pipeline: add 'name:' or pass name=.", field="name")
        if name in self:
            return self[name].update(steps=document.get("steps"), description=document.get("description"),
                                     base_dir=folder)
        return self.create(name, document.get("steps"), description=document.get("description") or "",
                           base_dir=folder)

    def list(self) -> list[Pipeline]:
        """By name."""
        p = schema.pipelines
        query = sa.select(p).where(p.c.project_id == self.project.id).order_by(p.c.name)
        with self.project.catalog.engine.connect() as connection:
            return [Pipeline(self.project, row) for row in connection.execute(query)]

    def __getitem__(self, key: str) -> Pipeline:
        row = records.find(self.project.catalog.engine, sa.select(schema.pipelines), schema.pipelines,
                           self.project, key, "Pipeline")
        return Pipeline(self.project, row)

    # -- runs -------------------------------------------------------------------------------
    def runs(self, *, pipeline: str | None = None, status: builtins.list[str] | None = None,
             schedule_id: str | None = None, trigger: str | None = None, limit: int = 200) -> builtins.list[PipelineRun]:
        """Runs of this project, newest first; filter by pipeline (name or id), status, schedule or trigger."""
        r = schema.pipeline_runs
        query = run_query()
        if pipeline is not None:
            query = query.where(r.c.pipeline_id == self[pipeline].id)
        if status:
            query = query.where(r.c.status.in_(list(status)))
        if schedule_id is not None:
            query = query.where(r.c.schedule_id == schedule_id)
        if trigger is not None:
            query = query.where(r.c.trigger == trigger)
        return list_runs(self.project, query, limit=limit)

    def get_run(self, run_id: str) -> PipelineRun:
        """One run of this project by id."""
        run = PipelineRun(self.project, run_id)
        run.info  # noqa: B018 - NotFound for an unknown id
        return run
