"""Starting, following and waiting for jobs: what `catalog.jobs` gives, and the handle users hold."""

from __future__ import annotations

import builtins
import time
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import access, schema
from dataplane_jupyter.core.config import default_user
from dataplane_jupyter.core.errors import InvalidState, JobFailed, NotFound
from dataplane_jupyter.core.jobs.runner import dispatch, end_job, reap_orphans
from dataplane_jupyter.core.jobs.store import Job, JobOptions, JobStatus, JobStore

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from dataplane_jupyter.core.catalog.catalog import Catalog

REAP_EVERY = 5.0  # seconds between looks for dead workers while someone waits
T = TypeVar("T")


class JobHandle:
    """A started job, as returned to users: `.status`, `.progress`, `.wait()`, `.cancel()`."""

    def __init__(self, jobs: "Jobs", job_id: str) -> None:
        self._jobs = jobs
        self.id = job_id

    @property
    def info(self) -> Job:
        """The current record."""
        return self._jobs.get(self.id)

    @property
    def jobs(self) -> "Jobs":
        """The catalog's jobs, this one among them."""
        return self._jobs

    status = property(lambda self: self.info.status.value, doc="queued, running, succeeded, failed or cancelled")
    progress = property(lambda self: self.info.progress, doc="0–1")
    message = property(lambda self: self.info.message, doc="What the job is doing")
    error = property(lambda self: self.info.error, doc="Why it failed or was cancelled")
    result = property(lambda self: self.info.result, doc="What it returned")

    def wait(self, timeout: float | None = None) -> "JobHandle":
        """Block until the job ends; raises JobFailed with the reason unless it succeeded."""
        job = self._jobs.wait(self.id, timeout=timeout)
        if job.status is not JobStatus.SUCCEEDED:
            raise JobFailed(f"Job {job.kind} {job.status.value}: {job.error}")
        return self

    def cancel(self) -> "JobHandle":
        """Ask the job to stop."""
        self._jobs.cancel(self.id)
        return self

    def __repr__(self) -> str:
        job = self.info
        return f"<Job {job.kind} {job.status.value} {job.progress:.0%} {job.message!r}>"


class Jobs:
    """Starting, reading, cancelling and waiting for the catalog's jobs."""

    def __init__(self, catalog: "Catalog") -> None:
        self.catalog = catalog
        self.store = JobStore(catalog.engine)

    def start(self, kind: str, function: str, **options: Unpack[JobOptions]) -> Job:
        """Record a job and start it in the background; returns at once. In shared mode the
        catalog's user must be an editor of the job's project."""
        if (project_id := options.get("project_id")) is not None:
            self._require(project_id, "editor", f"start a {kind} job")
        job = self.store.create(kind, function, created_by=self.catalog.user, **options)
        dispatch(self.catalog, job)
        return job

    def _require(self, project_id: str, need: str, action: str) -> None:
        """In shared mode: NotFound unless the user is a member of the project, PermissionDenied
        unless their role there is `need` or higher."""
        if not self.catalog.shared:
            return
        with self.catalog.engine.connect() as connection:
            role = access.role_of(connection, project_id, self.catalog.user)
            name = connection.execute(
                sa.select(schema.projects.c.name).where(schema.projects.c.id == project_id)).scalar()
        if role is None:
            raise NotFound(f"No project named {name!r}.")
        if not access.at_least(role, need):
            raise access.refusal(action, str(name), need, self.catalog.user, role)

    def get(self, job_id: str) -> Job:
        """One job by id (in shared mode only the jobs of the user's projects)."""
        job = self.store.get(job_id)
        if self.catalog.shared and job.project_id is not None:
            try:
                self._require(job.project_id, "viewer", "see a job")
            except NotFound:
                raise NotFound(f"No job with id {job_id!r}.") from None
        return job

    def handle(self, job_id: str) -> JobHandle:
        """A handle that follows the job."""
        return JobHandle(self, job_id)

    def list(self, **filters: Any) -> list[Job]:
        """Jobs, newest first (filters: project_id, statuses, target, limit)."""
        return self.store.list(**filters)

    def cancel(self, job_id: str) -> Job:
        """Ask a job to stop (see JobStore.request_cancel)."""
        project_id = self.get(job_id).project_id
        if project_id is not None:
            self._require(project_id, "editor", "cancel a job")
        job = self.store.request_cancel(job_id)
        if job.status is JobStatus.QUEUED:
            try:
                return end_job(self.catalog, job, JobStatus.CANCELLED, "Cancelled before it started.",
                               only_from=JobStatus.QUEUED)
            except InvalidState:
                return self.store.get(job_id)  # it started meanwhile: it stops at its next report
        return job

    def wait(self, job_id: str, timeout: float | None = None, poll: float = 0.2) -> Job:
        """Block until the job ends, failing it first if its worker died."""

        def finished() -> Job | None:
            job = self.get(job_id)
            return job if job.status.finished else None

        return self.wait_until(
            finished, timeout=timeout, poll=poll, waiting=lambda: f"Job {job_id} still {self.get(job_id).status.value}")

    def wait_until(
        self, done: Callable[[], T | None], *, timeout: float | None = None, poll: float = 0.2,
        waiting: Callable[[], str] = lambda: "Still waiting",
    ) -> T:
        """Call `done()` every `poll` seconds until it returns something other than None, and
        return that. Meanwhile the jobs whose worker died are failed every REAP_EVERY seconds, so
        a crashed worker cannot keep anyone waiting. After `timeout` seconds: TimeoutError
        starting with `waiting()`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        last_reap = time.monotonic()
        while (result := done()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"{waiting()} after {timeout} s.")
            if time.monotonic() - last_reap > REAP_EVERY:
                self.reap()
                last_reap = time.monotonic()
            time.sleep(poll)
        return result

    def reap(self) -> builtins.list[Job]:
        """Fail the jobs whose worker process died."""
        return reap_orphans(self.catalog)


def current_user() -> str:
    """Who works from this process when no catalog says otherwise: `DATAPLANE_USER`, the
    JupyterHub user, else the login name ("" if unknown). A catalog's own is `catalog.user`."""
    return default_user()
