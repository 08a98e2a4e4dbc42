"""Persisted jobs: one record per piece of long work, and the one owner of its status changes.

Every status change goes through `JobStore.transition`, a conditional UPDATE that only succeeds
from a legal previous status, so the Jupyter server, kernels and worker processes that share a
catalog can never move a job backwards or finish it twice.
"""

from __future__ import annotations

import builtins
import socket
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

import psutil
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.errors import InvalidState, NotFound
from dataplane_jupyter.core.models import TERMINAL, JobStatus

if TYPE_CHECKING:
    from typing_extensions import Unpack

class JobOptions(TypedDict, total=False):
    """What a new job may be given beside its kind and function (all optional): the function
    run when it ends, its project, the record it works for (type, id) and its parameters."""

    on_end: str | None
    project_id: str | None
    target: tuple[str, str] | None
    params: dict[str, Any] | None


LEGAL_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.RUNNING: frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}

INTERRUPTED = (
    "Interrupted: the worker process running this job (pid {pid}) ended before it finished, "
    "most likely because the server or the machine restarted. Start it again."
)


@dataclass(frozen=True)
class Job:
    """A snapshot of one job record."""

    id: str
    project_id: str | None
    kind: str
    function: str
    on_end: str | None
    target_type: str | None
    target_id: str | None
    status: JobStatus
    progress: float
    message: str
    error: str | None
    params: dict[str, Any]
    result: dict[str, Any] | None
    created_by: str
    worker_host: str | None
    worker_pid: int | None
    worker_started: float | None
    cancel_requested: bool
    peak_memory: int | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def from_row(cls, row: sa.Row) -> "Job":
        values = dict(row._mapping)
        values["status"] = JobStatus(values["status"])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready public fields (no worker internals, no params: they may name files)."""
        data = asdict(self)
        for key in ("function", "on_end", "params", "worker_host", "worker_pid", "worker_started"):
            data.pop(key)
        data["status"] = self.status.value
        for key in ("created_at", "updated_at", "started_at", "finished_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def process_started(pid: int) -> float | None:
    """The start time of a live process, None when it is gone (pids get reused; times do not).
    A zombie (dead, not yet waited for by its parent) is gone: it runs nothing any more."""
    try:
        process = psutil.Process(pid)
        return None if process.status() == psutil.STATUS_ZOMBIE else process.create_time()
    except psutil.Error:
        return None


class JobStore:
    """Reads and writes job records; owns the legal status transitions."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.host = socket.gethostname()

    def create(
        self,
        kind: str,
        function: str,
        *,
        created_by: str = "",
        **options: Unpack[JobOptions],
    ) -> Job:
        """Record a new `queued` job."""
        if unknown := sorted(set(options) - JobOptions.__optional_keys__):
            raise TypeError(f"unexpected keyword argument {unknown[0]!r}")
        target = options.get("target")
        job_id = schema.new_id()
        with self.engine.begin() as connection:
            connection.execute(
                schema.jobs.insert().values(
                    id=job_id,
                    project_id=options.get("project_id"),
                    kind=kind,
                    function=function,
                    on_end=options.get("on_end"),
                    target_type=target[0] if target else None,
                    target_id=target[1] if target else None,
                    status=JobStatus.QUEUED.value,
                    params=options.get("params") or {},
                    created_by=created_by,
                    message="Queued",
                )
            )
        return self.get(job_id)

    def get(self, job_id: str) -> Job:
        """The job with this id, or NotFound."""
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(schema.jobs).where(schema.jobs.c.id == job_id)
            ).first()
        if row is None:
            raise NotFound(f"No job with id {job_id!r}.")
        return Job.from_row(row)

    def list(
        self,
        *,
        project_id: str | None = None,
        statuses: builtins.list[str] | None = None,
        target: tuple[str, str] | None = None,
        limit: int = 200,
    ) -> builtins.list[Job]:
        """Newest first."""
        query = sa.select(schema.jobs).order_by(schema.jobs.c.created_at.desc()).limit(limit)
        if project_id is not None:
            query = query.where(schema.jobs.c.project_id == project_id)
        if statuses:
            query = query.where(schema.jobs.c.status.in_(statuses))
        if target is not None:
            query = query.where(
                schema.jobs.c.target_type == target[0], schema.jobs.c.target_id == target[1]
            )
        with self.engine.connect() as connection:
            return [Job.from_row(row) for row in connection.execute(query)]

    def transition(self, job_id: str, to: JobStatus, *, only_from: JobStatus | None = None, **values: Any) -> Job:
        """Move a job to `to` if that is legal from its current status (and that status is
        `only_from`, when given), else InvalidState."""
        allowed_from = [s.value for s, targets in LEGAL_TRANSITIONS.items()
                        if to in targets and (only_from is None or s is only_from)]
        now = schema.utcnow()
        stamps: dict[str, Any] = {"started_at": now} if to is JobStatus.RUNNING else {}
        if to in TERMINAL:
            stamps = {"finished_at": now, "progress": 1.0 if to is JobStatus.SUCCEEDED else None}
            stamps = {k: v for k, v in stamps.items() if v is not None}
        with self.engine.begin() as connection:
            updated = connection.execute(
                schema.jobs.update()
                .where(schema.jobs.c.id == job_id, schema.jobs.c.status.in_(allowed_from))
                .values(status=to.value, updated_at=now, **stamps, **values)
            ).rowcount
        job = self.get(job_id)
        if not updated:
            raise InvalidState(
                f"Job {job_id} is {job.status.value}; it cannot become {to.value}."
            )
        return job

    def assign_worker(self, job_id: str, pid: int) -> None:
        """Remember which process will run the job, so a dead one can be detected."""
        with self.engine.begin() as connection:
            connection.execute(
                schema.jobs.update()
                .where(schema.jobs.c.id == job_id)
                .values(worker_host=self.host, worker_pid=pid, worker_started=process_started(pid))
            )

    def report(self, job_id: str, progress: float, message: str) -> bool:
        """Store progress; returns True when someone asked to cancel the job."""
        with self.engine.begin() as connection:
            connection.execute(
                schema.jobs.update()
                .where(schema.jobs.c.id == job_id, schema.jobs.c.status == JobStatus.RUNNING.value)
                .values(progress=max(0.0, min(1.0, progress)), message=message)
            )
            flag = connection.execute(
                sa.select(schema.jobs.c.cancel_requested).where(schema.jobs.c.id == job_id)
            ).scalar_one()
        return bool(flag)

    def note_queued(self, job_id: str, message: str) -> None:
        """Say why a queued job waits (its place in line)."""
        with self.engine.begin() as connection:
            connection.execute(
                schema.jobs.update()
                .where(schema.jobs.c.id == job_id, schema.jobs.c.status == JobStatus.QUEUED.value)
                .values(message=message)
            )

    def record_peak_memory(self, job_id: str, peak: int) -> None:
        """Remember the most memory the job's worker process used (bytes)."""
        with self.engine.begin() as connection:
            connection.execute(schema.jobs.update().where(schema.jobs.c.id == job_id).values(peak_memory=peak))

    def request_cancel(self, job_id: str) -> Job:
        """Ask a job to stop. A queued job is cancelled at once; a running one stops at its next
        progress report."""
        job = self.get(job_id)
        if job.status.finished:
            raise InvalidState(f"Job {job_id} already {job.status.value}; nothing to cancel.")
        with self.engine.begin() as connection:
            connection.execute(
                schema.jobs.update()
                .where(schema.jobs.c.id == job_id)
                .values(cancel_requested=True, message="Cancelling…")
            )
        return self.get(job_id)

    def orphans(self) -> builtins.list[Job]:
        """Unfinished jobs of this host whose worker process is gone."""
        unfinished = self.list(statuses=[JobStatus.QUEUED.value, JobStatus.RUNNING.value], limit=10_000)
        return [job for job in unfinished if self._worker_is_gone(job)]

    def _worker_is_gone(self, job: Job) -> bool:
        if job.worker_pid is None or job.worker_host != self.host:
            return False
        started = process_started(job.worker_pid)
        return started is None or (
            job.worker_started is not None and abs(started - job.worker_started) > 1.0
        )

