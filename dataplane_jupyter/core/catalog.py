"""The catalog: projects and everything scoped to them, shared by every process that opens it.

    catalog = Catalog(home="/tmp/dp")          # or Catalog() for $DATAPLANE_HOME / ~/.dataplane
    project = catalog.project("churn")         # created on first use
"""

from __future__ import annotations

import getpass
import os
import time
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import sqlalchemy as sa

from . import db, schema
from .config import Settings
from .errors import AlreadyExists, InvalidState, JobFailed, NotFound
from .jobs import Job, JobStatus, JobStore
from .models import DescribeProject
from .records import check_name, unique_name
from .storage import Storage

if TYPE_CHECKING:
    from .project import Project

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

    def start(
        self,
        kind: str,
        function: str,
        *,
        on_end: str | None = None,
        project_id: str | None = None,
        target: tuple[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Job:
        """Record a job and start it in the background; returns at once."""
        from .runner import dispatch

        job = self.store.create(
            kind,
            function,
            on_end=on_end,
            project_id=project_id,
            target=target,
            params=params,
            created_by=_who(),
        )
        dispatch(self.catalog, job)
        return job

    def get(self, job_id: str) -> Job:
        """One job by id."""
        return self.store.get(job_id)

    def handle(self, job_id: str) -> JobHandle:
        """A handle that follows the job."""
        return JobHandle(self, job_id)

    def list(self, **filters: Any) -> list[Job]:
        """Jobs, newest first (filters: project_id, statuses, target, limit)."""
        return self.store.list(**filters)

    def cancel(self, job_id: str) -> Job:
        """Ask a job to stop (see JobStore.request_cancel)."""
        from .runner import end_job

        job = self.store.request_cancel(job_id)
        if job.status is JobStatus.QUEUED:
            try:
                return end_job(self.catalog, job, JobStatus.CANCELLED, "Cancelled before it started.")
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

    def reap(self) -> list[Job]:
        """Fail the jobs whose worker process died."""
        from .runner import reap_orphans

        return reap_orphans(self.catalog)


def _who() -> str:
    try:
        return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is no reason to refuse work
        return ""


class Catalog:
    """One metadata store plus one storage root; open it from any process."""

    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        *,
        catalog_url: str | None = None,
        storage_url: str | None = None,
        executor: str | None = None,
        dask_address: str | None = None,
    ) -> None:
        self.settings = Settings.from_env(
            home, catalog_url=catalog_url, storage_url=storage_url, executor=executor, dask_address=dask_address
        )
        self.settings.home.mkdir(parents=True, exist_ok=True)
        self.engine = db.open_engine(self.settings.catalog_url)
        db.migrate(self.engine, lock_dir=self.settings.home)
        self.storage = Storage(self.settings.storage_url)
        self.jobs = Jobs(self)

    def __repr__(self) -> str:
        return f"Catalog(home={str(self.settings.home)!r})"

    def projects(self) -> list[DescribeProject]:
        """Every project, by name."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(schema.projects).order_by(schema.projects.c.name))
            return [DescribeProject.model_validate(row._mapping) for row in rows]

    def create_project(self, name: str, description: str = "") -> "Project":
        """A new project; AlreadyExists if the name is taken."""
        name = check_name(name, "Project")
        taken = f"A project named {name!r} already exists."
        with unique_name(taken), self.engine.begin() as connection:
            exists = connection.execute(
                sa.select(schema.projects.c.id).where(schema.projects.c.name == name)
            ).first()
            if exists:
                raise AlreadyExists(taken, field="name")
            connection.execute(schema.projects.insert().values(name=name, description=description))
        return self.project(name, create=False)

    def project(self, name: str = "default", *, create: bool = True) -> "Project":
        """The project with this name, created on first use unless `create=False`."""
        from .project import Project

        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(schema.projects).where(schema.projects.c.name == name)
            ).first()
        if row is None:
            if not create:
                raise NotFound(f"No project named {name!r}.")
            try:
                return self.create_project(name)
            except AlreadyExists:
                return self.project(name, create=False)  # another process created it just now
        return Project(self, DescribeProject.model_validate(row._mapping))

    def project_by_id(self, project_id: str) -> "Project":
        """The project with this id (NotFound otherwise)."""
        from .project import Project

        with self.engine.connect() as connection:
            row = connection.execute(sa.select(schema.projects).where(schema.projects.c.id == project_id)).first()
        if row is None:
            raise NotFound(f"No project with id {project_id!r}.")
        return Project(self, DescribeProject.model_validate(row._mapping))

    def delete_project(self, name: str) -> None:
        """Delete a project with everything it holds, our stored files included."""
        project = self.project(name, create=False)
        for dataset in project.datasets.list():
            dataset.delete()
        for folder in project.image_folders.list():
            folder.delete()
        with self.engine.begin() as connection:
            connection.execute(schema.projects.delete().where(schema.projects.c.id == project.id))


def project(name: str = "default", **catalog_options: Any) -> "Project":
    """`dp.project("churn")`: a project of the default catalog (or of `Catalog(**options)`)."""
    return Catalog(**catalog_options).project(name)

