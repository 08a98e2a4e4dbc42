"""Running jobs: in a detached worker process (default) or a thread, and cleaning up after
workers that died.

A job's work is a plain function `fn(ctx: JobContext) -> dict | None` named by its dotted path
("package.module:function") in the job record, so a fresh worker process can find it. An
optional `on_end(catalog, job)` function, also named in the record, runs once the job is failed
or cancelled, wherever that happens (in the worker, or in the reaper after a crash), so that
the job's target (a dataset, an export run) never stays half-done.
"""

from __future__ import annotations

import importlib
import logging
import os
import subprocess
import sys
import threading
import time
import traceback
from typing import TYPE_CHECKING, Any, Callable

from dataplane_jupyter.core.config import Settings
from dataplane_jupyter.core.errors import DataplaneError, InvalidState
from dataplane_jupyter.core.jobs.leftovers import remove_leftovers
from dataplane_jupyter.core.jobs.slots import Slots
from dataplane_jupyter.core.jobs.store import INTERRUPTED, Job, JobStatus, JobStore

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog

log = logging.getLogger(__name__)

CANCELLED = "Cancelled at the user's request."
CANCELLED_THEN_ENDED = "Cancelled at the user's request (its worker process was stopped before it finished)."
WORKER_DIED = ("Interrupted: the Dask worker running this job died before it finished (killed, out of memory, "
               "or its machine stopped). Start it again.")

JobFunction = Callable[["JobContext"], "dict[str, Any] | None"]


class JobCancelled(Exception):
    """Raised inside a job when its cancellation was requested."""


def resolve(path: str) -> Callable[..., Any]:
    """The function named "package.module:function"."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


class JobContext:
    """What a job function gets: the catalog, its parameters, and a way to report progress."""

    def __init__(self, catalog: "Catalog", job: Job, min_interval: float = 0.2) -> None:
        self.catalog = catalog
        self.job = job
        self.params = job.params
        self._min_interval = min_interval
        self._last_report = 0.0

    def progress(self, fraction: float, message: str, *, force: bool = False) -> None:
        """Record progress (throttled); raises JobCancelled when cancellation was requested."""
        now = time.monotonic()
        if not force and now - self._last_report < self._min_interval:
            return
        self._last_report = now
        if self.catalog.jobs.store.report(self.job.id, fraction, message):
            raise JobCancelled()


def run_job(catalog: "Catalog", job_id: str) -> Job:
    """Wait for a free slot (DATAPLANE_MAX_JOBS), then run the job here and record how it ended."""

    catalog.jobs.store.assign_worker(job_id, os.getpid())
    slots = Slots(catalog.engine)
    if not wait_for_slot(catalog.jobs.store, slots, job_id):
        return catalog.jobs.store.get(job_id)  # cancelled while queued
    try:
        return execute_job(catalog, job_id)
    finally:
        slots.release(job_id)


def wait_for_slot(store: JobStore, slots: Slots, job_id: str) -> bool:
    """Block while the job is queued and every slot is taken (its message says its place in
    line); False when it stopped being queued meanwhile (cancelled)."""
    return bool(slots.wait(
        job_id, note=lambda message: store.note_queued(job_id, message),
        still_wanted=lambda: store.get(job_id).status is JobStatus.QUEUED,
    ))


def execute_job(catalog: "Catalog", job_id: str) -> Job:
    """Claim a queued job, run its function in this thread (as the user who started it), and
    record how it ended."""
    store = catalog.jobs.store
    try:
        job = store.transition(job_id, JobStatus.RUNNING, message="Started")
    except DataplaneError:
        return store.get(job_id)  # cancelled while queued, or claimed by someone else
    catalog = catalog.as_user(job.created_by)
    try:
        result = resolve(job.function)(JobContext(catalog, job))
    except JobCancelled:
        return end_unless_ended(catalog, job, JobStatus.CANCELLED, CANCELLED)
    except DataplaneError as error:
        return end_unless_ended(catalog, job, JobStatus.FAILED, error.message)
    except Exception as error:  # noqa: BLE001 - a job must end recorded, whatever broke
        log.error("job %s (%s) crashed:\n%s", job.id, job.kind, traceback.format_exc())
        return end_unless_ended(catalog, job, JobStatus.FAILED, f"Unexpected error: {type(error).__name__}: {error}")
    return store.transition(job_id, JobStatus.SUCCEEDED, result=result or {}, message="Done")


def end_unless_ended(catalog: "Catalog", job: Job, status: JobStatus, error: str) -> Job:
    """End a job unless someone ended it meanwhile (the job itself, a cancel, a reaper that
    took its worker for dead): the first ending stands, its `on_end` has run."""
    try:
        return end_job(catalog, job, status, error)
    except InvalidState:
        return catalog.jobs.store.get(job.id)


def end_job(catalog: "Catalog", job: Job, status: JobStatus, error: str, *, only_from: JobStatus | None = None) -> Job:
    """Fail or cancel a job with a message, then let its target clean up (`on_end`).
    InvalidState when the job already ended (or, with `only_from`, is no longer in that
    status). `on_end` runs as the user who started the job."""
    ended = catalog.jobs.store.transition(job.id, status, only_from=only_from, error=error, message=error)
    run_on_end(catalog, ended)
    return ended


def run_on_end(catalog: "Catalog", ended: Job) -> None:
    """Let the target of an ended job clean up (`on_end`), as the user who started the job."""
    if not ended.on_end:
        return
    try:
        resolve(ended.on_end)(catalog.as_user(ended.created_by), ended)
    except Exception:  # noqa: BLE001 - the job's own outcome is already recorded
        log.error("on_end of job %s failed:\n%s", ended.id, traceback.format_exc())


def reap_orphans(catalog: "Catalog") -> list[Job]:
    """End every unfinished job whose worker process died (server restart, crash, kill), then
    remove what such workers and aborted uploads left behind."""

    reaped = []
    for job in catalog.jobs.store.orphans():
        try:
            if job.cancel_requested:  # it was asked to stop, and stopped: the user got what they asked
                reaped.append(end_job(catalog, job, JobStatus.CANCELLED, CANCELLED_THEN_ENDED))
            else:
                reaped.append(end_job(catalog, job, JobStatus.FAILED, INTERRUPTED.format(pid=job.worker_pid)))
        except DataplaneError:
            continue  # it finished between the check and now
    remove_leftovers(catalog)
    return reaped


def dispatch(catalog: "Catalog", job: Job) -> None:
    """Start running a queued job without waiting for it."""
    if catalog.settings.executor == "thread":
        threading.Thread(target=run_job, args=(catalog, job.id), name=f"job-{job.id}", daemon=True).start()
        return
    if catalog.settings.executor == "dask":
        _submit_to_dask(catalog, job)
        return
    logs = catalog.settings.home / "logs" / "jobs"
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{job.id}.log", "ab") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "dataplane_jupyter.core.jobs.worker", job.id],
            env={**os.environ, **catalog.settings.as_env()},
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the job outlives the kernel or server that started it
        )
    catalog.jobs.store.assign_worker(job.id, process.pid)
    _reap_child_later(process)


def _submit_to_dask(catalog: "Catalog", job: Job) -> None:
    """Hand the job to the Dask cluster; it runs there even if this process goes away."""
    from distributed import Client, fire_and_forget

    with Client(catalog.settings.dask_address, set_as_default=False, timeout=30) as client:
        fire_and_forget(client.submit(run_in_dask_worker, type(catalog), catalog.settings, job.id, pure=False, key=f"dataplane-job-{job.id}"))


def run_in_dask_worker(catalog_class: "type[Catalog]", settings: Settings, job_id: str) -> str:
    """Task body on a Dask worker: open the same catalog and run the job (the class travels by
    reference, so this module needs no import of the catalog, which imports it).

    Dask runs a task again on another worker when the worker running it died. A job found
    `running` here was therefore started by a worker that died mid-job: it ends failed (or
    cancelled, when that was asked) with the reason and its target cleaned up, instead of
    staying `running` for ever; a job found finished is left alone. The check does not need
    the dead worker's host, so it holds on a cluster of several machines."""
    catalog = catalog_class(
        settings.home, catalog_url=settings.catalog_url, storage_url=settings.storage_url,
        executor="thread", dask_address=settings.dask_address,  # jobs a job starts stay on this worker
        user=settings.user, access=settings.access,  # the starter's, in the starter's access mode
    )
    try:
        job = catalog.jobs.store.get(job_id)
        if job.status.finished:
            return job.status.value
        if job.status is JobStatus.RUNNING:
            ended = CANCELLED_THEN_ENDED if job.cancel_requested else WORKER_DIED
            status = JobStatus.CANCELLED if job.cancel_requested else JobStatus.FAILED
            try:
                return end_job(catalog, job, status, ended).status.value
            except DataplaneError:  # ended meanwhile (the reaper of its host got there first)
                return catalog.jobs.store.get(job_id).status.value
        return run_job(catalog, job_id).status.value
    finally:
        catalog.engine.dispose()  # a worker runs many jobs: no idle connections left per catalog


def _reap_child_later(process: subprocess.Popen[bytes]) -> None:
    """Collect the worker's exit status so it never lingers as a zombie of the starter."""
    threading.Thread(target=process.wait, name=f"wait-{process.pid}", daemon=True).start()


