"""REST handlers for pipelines, their versions and runs (start, list, cancel, retry, step logs,
executed notebooks)."""

from __future__ import annotations

from typing import Any

from ..core.models import FindRunsQuery, PipelineRunsQuery
from ..core.pipelines import parse_yaml
from ..core.pipelines.models import (
    CreatePipeline,
    DescribePipeline,
    DescribePipelineRun,
    DescribeProblem,
    DescribeRunStepLog,
    ListPipelineRunsResponse,
    ListPipelinesResponse,
    ListPipelineVersionsResponse,
    PipelineValidation,
    RunPipeline,
    UpdatePipeline,
    ValidatePipeline,
)
from . import crud
from .base import DataplaneHandler, operation


class PipelinesHandler(crud.CollectionHandler, collection="pipelines"):
    get = crud.list_records("List pipelines, each with its current steps and last run", ListPipelinesResponse)

    @operation("Create a pipeline (validated: 422 names the step and field)", body=CreatePipeline,
               response=DescribePipeline, status=201)
    async def post(self, project: str) -> None:
        r = self.body(CreatePipeline)
        base_dir = r.base_dir or self.settings.get("server_root_dir")
        steps, description = r.steps, r.description
        if r.yaml is not None:
            document = parse_yaml(r.yaml)
            steps, description = document.get("steps"), description or document.get("description") or ""
        create = lambda: self.records(project).create(  # noqa: E731
            r.name, steps, description=description, base_dir=base_dir).info
        self.reply(await self.call(create), status=201)


def validation(problems: list[Any]) -> PipelineValidation:
    """The reply of a check: valid when no step has a problem."""
    return PipelineValidation(valid=not problems, problems=[DescribeProblem(**p.to_dict()) for p in problems])


class ValidatePipelineHandler(crud.CollectionHandler, collection="pipelines"):
    post = crud.test_new_record("Check steps (a list, or a YAML document as a string) without saving them",
                                ValidatePipeline, PipelineValidation,
                                lambda pipelines, r: validation(pipelines.validate(r.steps)))


class PipelineHandler(crud.CollectionHandler, collection="pipelines"):
    get = crud.read_record("Describe a pipeline (by id or name)", DescribePipeline)
    delete = crud.delete_record("Delete a pipeline with its versions and runs (refused while it runs or a schedule uses it)")

    @operation("Rename or describe a pipeline, or save new steps (a new version)", body=UpdatePipeline,
               response=DescribePipeline)
    async def patch(self, project: str, pipeline: str) -> None:
        r = self.body(UpdatePipeline)
        steps = parse_yaml(r.yaml).get("steps") if r.yaml is not None else r.steps  # 422 before the lookup
        edit = lambda: self.records(project)[pipeline].update(  # noqa: E731
            steps=steps, name=r.name, description=r.description, base_dir=r.base_dir).info
        self.reply(await self.call(edit))


class PipelineVersionsHandler(DataplaneHandler):
    @operation("Every saved version of a pipeline's steps, newest first", response=ListPipelineVersionsResponse)
    async def get(self, project: str, pipeline: str) -> None:
        found = await self.call(lambda: self.project(project).pipelines[pipeline].versions())
        self.reply(ListPipelineVersionsResponse(versions=found))


class PipelineRunsHandler(DataplaneHandler):
    @operation("A pipeline's runs, newest first", response=ListPipelineRunsResponse, query=PipelineRunsQuery)
    async def get(self, project: str, pipeline: str) -> None:
        limit = self.query(PipelineRunsQuery).limit
        runs = await self.call(lambda: [r.info for r in self.project(project).pipelines[pipeline].runs(limit=limit)])
        self.reply(ListPipelineRunsResponse(runs=runs))

    @operation("Run the pipeline's current version now (a job; params override step fields)", body=RunPipeline,
               response=DescribePipelineRun, status=202)
    async def post(self, project: str, pipeline: str) -> None:
        r = self.body(RunPipeline)
        start = lambda: self.project(project).pipelines[pipeline].run(params=r.params).info  # noqa: E731
        self.reply(await self.call(start), status=202)


class ProjectPipelineRunsHandler(DataplaneHandler):
    @operation("Find pipeline runs of the project, newest first", response=ListPipelineRunsResponse,
               query=FindRunsQuery)
    async def get(self, project: str) -> None:
        q = self.query(FindRunsQuery)
        arguments = {"pipeline": q.pipeline, "status": list(q.status) or None, "schedule_id": q.schedule_id,
                     "trigger": q.trigger, "limit": q.limit}
        runs = await self.call(lambda: [r.info for r in self.project(project).pipelines.runs(**arguments)])
        self.reply(ListPipelineRunsResponse(runs=runs))


class PipelineRunHandler(crud.RunHandler, collection="pipelines"):
    get = crud.read_record("One run: status, per-step status, rows, seconds, messages and outputs", DescribePipelineRun)


class CancelPipelineRunHandler(crud.RunHandler, collection="pipelines"):
    post = crud.record_action("Ask a run to stop at the next step boundary", DescribePipelineRun,
                              lambda run: run.cancel().info)


class RetryPipelineRunHandler(crud.RunHandler, collection="pipelines"):
    post = crud.record_action("Retry a failed or cancelled run from the step that failed (a new run)",
                              DescribePipelineRun, lambda run: run.retry().info, status=202)


class PipelineRunStepLogHandler(DataplaneHandler):
    @operation("The log of one step of a run", response=DescribeRunStepLog)
    async def get(self, project: str, run: str, step: str) -> None:
        def read() -> DescribeRunStepLog:
            handle = self.project(project).pipelines.get_run(run)
            return DescribeRunStepLog(name=step, status=handle.step(step).status, log=handle.log(step))

        self.reply(await self.call(read))


class PipelineRunNotebookHandler(DataplaneHandler):
    @operation("The executed notebook of a notebook step (kept even when it failed)",
               content="application/x-ipynb+json")
    async def get(self, project: str, run: str, step: str) -> None:
        text = await self.call(lambda: self.project(project).pipelines.get_run(run).notebook(step))
        self.set_header("Content-Type", "application/x-ipynb+json")
        self.set_header("Content-Disposition", f'attachment; filename="{step}.ipynb"')
        self.finish(text)


