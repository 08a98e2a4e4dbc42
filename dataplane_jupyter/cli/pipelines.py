"""`dataplane pipelines create|edit|validate|list|show|versions|run|runs|run-show|log|cancel|retry|delete`.

    dataplane pipelines create weekly -f weekly.yaml      # relative paths start from the file's folder
    dataplane pipelines run weekly --wait --param out.exporter=other
    dataplane pipelines runs weekly
    dataplane pipelines retry RUN_ID --wait

`--wait` follows the run step by step and exits 1 unless it succeeds (the step that failed is named).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..core.errors import InvalidInput
from ..core.pipelines import PipelineRun, load_yaml
from ..core.pipelines.runs import FINISHED
from .common import project
from .output import Output
from .parser import Verb, add_verbs, arg, verbs

TABLE = ["name", "version", "steps", "last_run", "last_status", "updated_at"]
RUNS = ["id", "pipeline", "number", "version", "status", "trigger", "started_at", "duration_seconds", "error"]
STEPS = ["name", "kind", "status", "rows_in", "rows_out", "seconds", "dataset", "message"]
MARKS = {"pending": "·", "running": "…", "succeeded": "✓", "reused": "↺", "failed": "✗", "cancelled": "✗",
         "skipped": "-"}


RUN = arg("run_id", metavar="RUN", help="a run id (see `pipelines runs NAME`)")


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `pipelines` noun."""
    wait = arg("--wait", action="store_true", help="follow the run step by step; exit 1 unless it succeeds")
    add_verbs(verbs(nouns, "pipelines", "DAGs of read/sql/python/notebook/predict/export steps and their runs"), [
        Verb("create", create_pipeline, "create a pipeline from a YAML file: NAME -f steps.yaml", [
            "name", arg("-f", "--file", required=True, help="YAML: a list of steps, or {description, steps}")]),
        Verb("edit", edit_pipeline, "save new steps (a new version): NAME -f steps.yaml", [
            "name", arg("-f", "--file", help="YAML with the new steps"), arg("--rename"), arg("--description")]),
        Verb("validate", validate_pipeline, "check a YAML file without saving it; exit 1 listing every problem",
             [arg("-f", "--file", required=True)]),
        Verb("list", list_pipelines, "list pipelines with their last run", []),
        Verb("show", show_pipeline, "one pipeline: its current steps and last run"),
        Verb("versions", pipeline_versions, "every saved version of its steps"),
        Verb("run", run_pipeline, "run it now: NAME [--wait] [--param STEP.FIELD=VALUE ...]", [
            "name", wait, arg("--param", action="append", default=[], metavar="STEP.FIELD=VALUE",
                              help="override a step field for this run (repeatable)")]),
        Verb("runs", pipeline_runs, "its runs, newest first", ["name", arg("--limit", type=int, default=20)]),
        Verb("run-show", show_run, "one run with its steps: RUN", [RUN]),
        Verb("log", step_log, "the log of one step of a run: RUN STEP", [RUN, "step"]),
        Verb("cancel", cancel_run, "ask a run to stop at the next step boundary: RUN", [RUN]),
        Verb("retry", retry_run, "retry a failed run from the step that failed: RUN [--wait]", [RUN, wait]),
        Verb("delete", delete_pipeline, "delete it with its versions and runs (its datasets stay)"),
    ])


def parse_params(pairs: list[str]) -> dict[str, dict[str, Any]]:
    """`["out.exporter=other", "big.query=select 1"]` → {"out": {"exporter": "other"}, ...}; values are YAML."""
    import yaml

    params: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        step, dot, field = key.partition(".")
        if not equals or not dot or not step or not field:
            raise InvalidInput(f"--param {pair!r} is not STEP.FIELD=VALUE", field="param")
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            parsed = value
        params.setdefault(step, {})[field] = value if parsed is None and value else parsed
    return params


def create_pipeline(args: argparse.Namespace, out: Output) -> None:
    document, folder = load_yaml(args.file)
    created = project(args).pipelines.create(args.name, document.get("steps"),
                                             description=document.get("description") or "", base_dir=folder)
    out.result(created.info)


def edit_pipeline(args: argparse.Namespace, out: Output) -> None:
    pipeline = project(args).pipelines[args.name]
    steps, folder = None, None
    if args.file:
        document, folder = load_yaml(args.file)
        steps = document.get("steps")
    out.result(pipeline.update(steps=steps, base_dir=folder, name=args.rename, description=args.description).info)


def validate_pipeline(args: argparse.Namespace, out: Output) -> int:
    document, _ = load_yaml(args.file)
    problems = project(args).pipelines.validate(document.get("steps"))
    if out.json_mode:
        out.result({"valid": not problems, "problems": [p.to_dict() for p in problems]})
    elif not problems:
        out.message(f"{args.file}: valid")
    for problem in problems if not out.json_mode else []:
        print(f"{args.file}: {problem}", file=sys.stderr)
    return 1 if problems else 0


def list_pipelines(args: argparse.Namespace, out: Output) -> None:
    infos = [p.info for p in project(args).pipelines.list()]
    if out.json_mode:
        out.result(infos)
        return
    rows = [{**i.model_dump(mode="json"), "steps": " → ".join(s["name"] for s in i.steps),
             "last_run": i.last_run.number if i.last_run else None,
             "last_status": i.last_run.status if i.last_run else None} for i in infos]
    out.result(rows, table=TABLE)


def show_pipeline(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).pipelines[args.name].info)


def pipeline_versions(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).pipelines[args.name].versions())


def pipeline_runs(args: argparse.Namespace, out: Output) -> None:
    out.result([r.info for r in project(args).pipelines[args.name].runs(limit=args.limit)], table=RUNS)


def show_run(args: argparse.Namespace, out: Output) -> None:
    info = project(args).pipelines.get_run(args.run_id).info
    if out.json_mode:
        out.result(info)
        return
    summary = info.model_dump(mode="json", exclude={"steps"})
    out.result({k: summary[k] for k in ("id", "pipeline", "number", "version", "status", "error", "outputs")})
    out.result(info.steps, table=STEPS)


def step_log(args: argparse.Namespace, out: Output) -> None:
    text = project(args).pipelines.get_run(args.run_id).log(args.step)
    out.result({"log": text} if out.json_mode else text)


def follow_run(run: PipelineRun, out: Output) -> None:
    """Show the run's progress, one mark per step, until it ends."""
    jobs = run.project.catalog.jobs

    def read() -> tuple[str, float, str, bool]:
        info = run.info
        job = jobs.get(info.job_id) if info.job_id else None
        marks = " ".join(f"{MARKS.get(s.status, '?')}{s.name}" for s in info.steps)
        message = f"{marks} | {job.message if job else ''}"
        return info.status, info.progress, message, info.status in FINISHED

    out.follow(read, jobs)


def _finish(run: PipelineRun, args: argparse.Namespace, out: Output) -> int:
    if not args.wait:
        out.result(run.info)
        return 0
    follow_run(run, out)
    info = run.info
    if out.json_mode:
        out.result(info)
    else:
        out.result(info.steps, table=STEPS)
    if info.status != "succeeded":
        print(f"error: run {info.number} of pipeline {info.pipeline!r} {info.status}: {info.error}", file=sys.stderr)
        return 1
    return 0


def run_pipeline(args: argparse.Namespace, out: Output) -> int:
    run = project(args).pipelines[args.name].run(params=parse_params(args.param) or None)
    return _finish(run, args, out)


def cancel_run(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).pipelines.get_run(args.run_id).cancel().info)


def retry_run(args: argparse.Namespace, out: Output) -> int:
    return _finish(project(args).pipelines.get_run(args.run_id).retry(), args, out)


def delete_pipeline(args: argparse.Namespace, out: Output) -> None:
    project(args).pipelines[args.name].delete()
    out.result({"deleted": args.name})
