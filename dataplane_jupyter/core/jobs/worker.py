"""Entry point of a detached job worker: `python -m dataplane_jupyter.core.jobs.worker JOB_ID`.

The process started for a job is a small supervisor; the job runs in a child process it starts
and watches (core/jobs/child.py), so that whatever the job is doing (even deep inside DuckDB or pyarrow):

- it waits `queued`, in line, until one of the machine's DATAPLANE_MAX_JOBS slots is free;
- it is stopped within DATAPLANE_CANCEL_GRACE seconds (plus a poll) of a cancel request that
  it did not honour by itself, and ends `cancelled`;
- it is stopped as soon as it uses more than DATAPLANE_WORKER_MEMORY, and fails saying so
  (instead of taking the machine down);
- its temporary files (TMPDIR is `<home>/tmp/<job id>`) are removed however it ended;
- its peak memory is recorded on the job (`peak_memory`).

The child dies with the supervisor (Linux parent-death signal), so killing the recorded worker
pid stops the whole job. The supervisor does not import the catalog (every job kind's code):
every job starts sooner and its supervisor stays small.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time

import psutil

from dataplane_jupyter.core.catalog import db
from dataplane_jupyter.core.config import Settings
from dataplane_jupyter.core.errors import InvalidState
from dataplane_jupyter.core.jobs.leftovers import job_scratch
from dataplane_jupyter.core.jobs.runner import CANCELLED_THEN_ENDED, wait_for_slot
from dataplane_jupyter.core.jobs.slots import Slots
from dataplane_jupyter.core.jobs.store import Job, JobStatus, JobStore
from dataplane_jupyter.core.limits import Limits, human

log = logging.getLogger(__name__)

MEMORY_POLL = 0.1  # seconds between looks at the child's memory
RECORD_POLL = 0.5  # seconds between looks at the job record (cancel requests)
PARENT_ENV = "DATAPLANE_SUPERVISOR_PID"
CHILD = "dataplane_jupyter.core.jobs.child"


def main(argv: list[str]) -> int:
    """`JOB_ID`: supervise the job (its child process runs it)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    job = supervise(Supervisor(Settings.from_env()), argv[0])
    logging.info("job %s ended %s", job.id, job.status.value)
    return 0


class Supervisor:
    """What the supervisor uses of the catalog: the job records and the machine's slots, on the
    catalog's database, which the process that created the job has already migrated."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.limits = Limits.from_env()
        self.store = JobStore(db.open_engine(settings.catalog_url))
        self.slots = Slots(self.store.engine, self.limits.max_jobs)

    def end(self, job: Job, status: JobStatus, error: str) -> Job:
        """End the job unless someone ended it meanwhile (the first ending stands). Its target's
        `on_end` needs the whole catalog (0.7 s and 100 MiB to import), so a short process of the
        child module runs it: the supervisor of every job stays small for these rare endings."""
        try:
            ended = self.store.transition(job.id, status, error=error, message=error)
        except InvalidState:
            return self.store.get(job.id)
        if ended.on_end:
            subprocess.run([sys.executable, "-m", CHILD, "--on-end", job.id], stdin=subprocess.DEVNULL, check=False)
        return ended


def supervise(supervisor: Supervisor, job_id: str) -> Job:
    """Wait for a slot, run the job in a watched child process, and record how it ended."""
    store, slots = supervisor.store, supervisor.slots
    store.assign_worker(job_id, os.getpid())
    if not wait_for_slot(store, slots, job_id):
        return store.get(job_id)  # cancelled while queued
    scratch = job_scratch(supervisor.settings.home, job_id)
    try:
        scratch.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "TMPDIR": str(scratch), PARENT_ENV: str(os.getpid())}
        child = subprocess.Popen(
            [sys.executable, "-m", CHILD, job_id],
            env=env, stdin=subprocess.DEVNULL,
        )
        return _watch(supervisor, job_id, child)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        slots.release(job_id)


def _watch(supervisor: Supervisor, job_id: str, child: subprocess.Popen[bytes]) -> Job:
    store, limits = supervisor.store, supervisor.limits
    process = psutil.Process(child.pid)
    peak, recorded, cancel_seen, last_look = 0, 0, None, 0.0
    try:
        while child.poll() is None:
            used = _tree_memory(process)
            peak = max(peak, used)
            if used > limits.worker_memory:
                _kill(process, child)
                store.record_peak_memory(job_id, peak)
                job = store.get(job_id)
                return supervisor.end(job, JobStatus.FAILED, (
                    f"Stopped: the job used {human(used)} of memory, more than the {human(limits.worker_memory)} "
                    f"a worker may use (DATAPLANE_WORKER_MEMORY), while {job.message!r}. The input is too large "
                    "or too wide for this limit: raise the limit, or split the input."
                ))
            now = time.monotonic()
            if now - last_look >= RECORD_POLL:
                last_look = now
                if peak > recorded:  # followed live, and known before the job's end is
                    store.record_peak_memory(job_id, recorded := peak)
                job = store.get(job_id)
                if job.cancel_requested and not job.status.finished:
                    cancel_seen = cancel_seen or now
                    if now - cancel_seen >= limits.cancel_grace:
                        _kill(process, child)
                        store.record_peak_memory(job_id, peak)
                        return supervisor.end(store.get(job_id), JobStatus.CANCELLED, CANCELLED_THEN_ENDED)
            time.sleep(MEMORY_POLL)
    finally:
        store.record_peak_memory(job_id, peak)
    job = store.get(job_id)
    if job.status.finished:
        return job
    code = child.returncode
    how = f"was killed by signal {-code} ({_signal_name(-code)})" if code < 0 else f"exited with code {code}"
    return supervisor.end(job, JobStatus.FAILED, f"The worker process {how} while {job.message!r}.")


def _tree_memory(process: psutil.Process) -> int:
    """Resident memory of the process and its descendants (bytes)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def _kill(process: psutil.Process, child: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child and its descendants, and reap it."""
    try:
        members = [*process.children(recursive=True), process]
    except psutil.Error:
        members = [process]
    for member in members:
        try:
            member.kill()
        except psutil.Error:
            continue
    child.wait()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown signal"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
