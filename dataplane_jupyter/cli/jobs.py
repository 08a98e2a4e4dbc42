"""`dataplane jobs list|show|cancel|wait`."""

from __future__ import annotations

import argparse

from ..core.errors import JobFailed
from ..core.jobs.handles import Jobs
from .common import catalog, project
from .output import Output
from .parser import Verb, add_verbs, arg, verbs

TABLE = ["id", "kind", "status", "progress", "message", "created_at"]


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `jobs` noun."""
    add_verbs(verbs(nouns, "jobs", "long work: imports, statistics, exports"), [
        Verb("list", list_jobs, "jobs of the project, newest first",
             [arg("--status", action="append", help="keep this status (repeatable)")]),
        Verb("show", show_job, "one job", ["id"]),
        Verb("cancel", cancel_job, "ask a job to stop", ["id"]),
        Verb("wait", wait_job, "follow a job until it ends", ["id"]),
    ])


def list_jobs(args: argparse.Namespace, out: Output) -> None:
    proj = project(args)
    proj.catalog.jobs.reap()
    out.result([job.to_dict() for job in proj.jobs(statuses=args.status)], table=TABLE)


def show_job(args: argparse.Namespace, out: Output) -> None:
    out.result(catalog(args).jobs.get(args.id).to_dict())


def cancel_job(args: argparse.Namespace, out: Output) -> None:
    out.result(catalog(args).jobs.cancel(args.id).to_dict())


def follow_job(jobs: Jobs, job_id: str, out: Output) -> None:
    """Show a job's progress until it ends."""

    def read() -> tuple[str, float, str, bool]:
        job = jobs.get(job_id)
        return job.status.value, job.progress, job.message, job.status.finished

    out.follow(read, jobs)


def wait_job(args: argparse.Namespace, out: Output) -> int:
    jobs = catalog(args).jobs
    follow_job(jobs, args.id, out)
    job = jobs.wait(args.id)
    out.result(job.to_dict())
    if job.status.value != "succeeded":
        raise JobFailed(f"Job {job.id} {job.status.value}: {job.error}")
    return 0
