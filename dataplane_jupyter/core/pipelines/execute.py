"""Executing a pipeline run: the job function `run_pipeline` and one function per step kind.

The run works in three phases, so that a failure never leaves half an output visible:

1. every non-export step, in dependency order, writes its result as Parquet in the run's work
   folder (`read` of a datasource stores a fresh snapshot dataset, as an import does); with a
   remote storage (S3…) the sql, python and predict steps read their inputs from the bucket and
   write their results there, streamed through the storage's fsspec filesystem;
2. the results that are kept (`keep: true` → `pipeline_intermediate`, last steps →
   `pipeline_output`) become datasets with statistics; only then is the run marked published;
3. export steps write through their exporters (the exporter's history shows each export).

Between steps, and at every progress report inside one, a cancellation request stops the run;
`runs.on_run_end` then marks the step, skips the rest and removes what was not published.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import logging
import shutil
import sys
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.datasets.imports import on_import_end, run_datasource_import, run_statistics
from dataplane_jupyter.core.datasets.paths import DATA_FILE, dataset_folder
from dataplane_jupyter.core.errors import (
    AlreadyExists,
    DataplaneError,
    InvalidInput,
    InvalidState,
    NotFound,
)
from dataplane_jupyter.core.exports.runs import on_export_end, run_export
from dataplane_jupyter.core.jobs.runner import JobCancelled, JobContext, resolve
from dataplane_jupyter.core.jobs.store import JobStatus
from dataplane_jupyter.core.limits import Limits, env_number
from dataplane_jupyter.core.models import DatasetOrigin, DatasetStatus

from .definition import as_list, duckdb_message, roles, step_inputs, topological
from .runs import step_rows, update_run, update_step

log = logging.getLogger(__name__)

PREDICT_BATCH_ROWS = 100_000
WATCH_EVERY = 0.5  # seconds between cancellation checks while DuckDB or a notebook works
STEP_REPORT_EVERY = 0.5  # seconds between progress reports of one step


def run_folder(project_id: str, run_id: str) -> str:
    """Where a run keeps its step results and executed notebooks, relative to the storage root."""
    return f"projects/{project_id}/pipeline_runs/{run_id}"


class StepLog:
    """The log of one step: timestamped lines, stored with the step."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, message: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        for line in str(message).rstrip("\n").splitlines() or [""]:
            self.lines.append(f"{stamp} {line}")

    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Outcome:
    """What a step produced."""

    result_path: str | None = None
    rows_in: int | None = None
    rows_out: int | None = None
    message: str = ""
    dataset_id: str | None = None
    dataset_role: str | None = None
    export_run_id: str | None = None
    notebook_path: str | None = None


@dataclass
class Run:
    """Everything the step functions need about the run."""

    ctx: JobContext
    row: sa.Row
    pipeline: str
    steps: dict[str, dict[str, Any]]
    results: dict[str, str | None] = field(default_factory=dict)
    rows: dict[str, int | None] = field(default_factory=dict)
    datasets: dict[str, str | None] = field(default_factory=dict)
    fractions: dict[str, float] = field(default_factory=dict)
    where: str = ""  # "Dask worker tcp://...", when a step runs as a task of its own
    _reported: dict[str, float] = field(default_factory=dict)

    @property
    def catalog(self) -> Any:
        return self.ctx.catalog

    @property
    def project(self) -> Any:
        return self.ctx.catalog.project_by_id(self.row.project_id)

    @property
    def folder(self) -> str:
        return run_folder(self.row.project_id, self.row.id)

    @property
    def remote(self) -> bool:
        """True when the dataset storage is not a local folder (an object store)."""
        fs = self.catalog.storage.filesystem()
        return "file" not in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))

    @property
    def scratch(self) -> Path:
        """With a remote storage: the run's local workspace on the machine running it."""
        return self.catalog.settings.home / "pipeline-work" / self.row.id

    def path(self, relative: str) -> Path:
        """A local path of a stored file, for a notebook step (its code wants a path; the sql,
        python and predict steps read and write the storage itself, see `location`). With a
        remote storage (S3…), a path in the run's local workspace: a stored file is streamed
        there once; a result written there is uploaded when the step succeeds (`_keep_result`)."""
        if not self.remote:
            return Path(self.catalog.storage.path(relative))
        local = self.scratch / relative
        if not local.exists() and self.catalog.storage.exists(relative) and not self.catalog.storage.fs.isdir(
                self.catalog.storage.path(relative)):
            local.parent.mkdir(parents=True, exist_ok=True)
            partial = local.with_name(local.name + ".part")
            self.catalog.storage.fs.get_file(self.catalog.storage.path(relative), str(partial))
            partial.replace(local)
        return local

    def location(self, relative: str) -> str:
        """Where DuckDB and pyarrow find a stored file: its local path, or with a remote storage
        its URL (``s3://bucket/…``), read and written through the storage's fsspec filesystem
        (registered with DuckDB by `duckdb_connection`) in ranges, never copied whole."""
        full = self.catalog.storage.path(relative)
        if not self.remote:
            return full
        fs = self.catalog.storage.fs
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        return full if "://" in full else f"{protocol}://{full}"

    def result(self, name: str, consumer: str) -> str:
        """The storage-relative Parquet file of an upstream step's result."""
        relative = self.results.get(name)
        if not relative:
            raise InvalidState(f"step {name!r} produced no result for {consumer!r} to read (a notebook step "
                               "gives one by writing a DataFrame to `dataplane_output`)")
        return relative

    def local(self, value: str, what: str, field_name: str) -> Path:
        """A user path (model, notebook) made absolute against the run's base folder."""
        path = Path(str(value)).expanduser()
        if not path.is_absolute():
            path = Path(self.row.base_dir or ".") / path
        if not path.is_file():
            raise InvalidInput(f"{what} {str(value)!r} does not exist (looked at {path})", field=field_name)
        return path

    def input(self, name: str, consumer: str) -> Path:
        """A local Parquet file of an upstream step's result (for a notebook, whose code wants a
        path; with a remote storage it is streamed to the run's workspace once)."""
        return self.path(self.result(name, consumer))

    def progress(self, step: str, fraction: float, message: str, *, force: bool = False) -> None:
        """Report progress of the step (on its record, and the run's on the job); raises
        JobCancelled when the run was asked to stop."""
        fraction = max(0.0, min(1.0, fraction))
        self.fractions[step] = fraction
        now = time.monotonic()
        if not force and now - self._reported.get(step, 0.0) < STEP_REPORT_EVERY:
            return
        self._reported[step] = now
        update_step(self.catalog, self.row.id, step, only_from=("running",), message=message[:500])
        self.ctx.progress(self.overall(), f"{step}: {message}", force=True)

    def overall(self) -> float:
        """The run's progress: the mean of its steps' progress."""
        return sum(self.fractions.get(name, 0.0) for name in self.steps) / max(len(self.steps), 1)

    def apply(self, name: str, ended: dict[str, Any]) -> None:
        """Take in what a step that succeeded produced (`step_task`'s answer)."""
        self.results[name], self.rows[name] = ended["result_path"], ended["rows_out"]
        if ended["dataset_id"]:
            self.datasets[name] = ended["dataset_id"]
        self.fractions[name] = 1.0

    def state(self) -> dict[str, Any]:
        """What a step needs to know about the steps done before it (sent along to a Dask task)."""
        return {"results": dict(self.results), "rows": dict(self.rows), "datasets": dict(self.datasets),
                "fractions": dict(self.fractions)}


def run_pipeline(ctx: JobContext) -> dict[str, Any]:
    """Job: execute a run's steps (see the module docstring)."""
    catalog = ctx.catalog
    run_id = ctx.params["run_id"]
    with catalog.engine.connect() as connection:
        status = connection.execute(sa.select(schema.pipeline_runs.c.status)
                                    .where(schema.pipeline_runs.c.id == run_id)).scalar_one()
    if status != "queued" or not update_run(catalog, run_id, only_from=("queued",), status="running",
                                            started_at=schema.utcnow()):
        return {"skipped": "the run had already ended"}
    run = load_run(ctx)
    records = {s.name: s for s in step_rows(catalog.engine, [run_id])[run_id]}
    for name, record in records.items():
        if record.status == "reused":
            run.results[name], run.rows[name], run.datasets[name] = record.result_path, record.rows_out, record.dataset_id
            run.fractions[name] = 1.0
    kept = roles(list(run.row.steps))
    # 1. compute, independent branches at the same time
    run_steps(run, [n for n, s in run.steps.items() if s["kind"] != "export" and records[n].status != "reused"])
    for name, step in run.steps.items():  # 2. publish
        role = kept[name]
        if role == "intermediate" and step["kind"] == "read":
            continue  # already a dataset: the one read, or the datasource's snapshot
        if role and not (records[name].status == "reused" and records[name].dataset_id and
                         records[name].dataset_role in ("output", "intermediate")):
            run.progress(name, 0.99, f"storing the result as a pipeline {role} dataset", force=True)
            _publish(run, name, role)
    update_run(catalog, run_id, published=True)
    # 3. export, every exporter at the same time
    run_steps(run, [n for n, s in run.steps.items() if s["kind"] == "export" and records[n].status != "reused"])
    update_run(catalog, run_id, only_from=("running",), status="succeeded", error=None, finished_at=schema.utcnow())
    outputs = {s.name: s.dataset for s in step_rows(catalog.engine, [run_id])[run_id] if s.dataset_role == "output"}
    catalog.storage.remove(f"{run.folder}/work")
    catalog.storage.remove(f"{run.folder}/duckdb")
    if run.remote:
        shutil.rmtree(run.scratch, ignore_errors=True)
    return {"outputs": outputs}


def load_run(ctx: JobContext) -> Run:
    """The run of this job, its steps in execution order."""
    with ctx.catalog.engine.connect() as connection:
        row = connection.execute(sa.select(schema.pipeline_runs)
                                 .where(schema.pipeline_runs.c.id == ctx.params["run_id"])).one()
        pipeline = connection.execute(
            sa.select(schema.pipelines.c.name).where(schema.pipelines.c.id == row.pipeline_id)).scalar_one()
    steps = {s["name"]: s for s in row.steps}
    return Run(ctx, row, pipeline, {name: steps[name] for name in topological(list(row.steps))})


# -- scheduling ---------------------------------------------------------------------------------
# Steps whose inputs are ready run at the same time: in threads of the run's worker, or, when the
# run itself runs on a Dask cluster, each step as its own task on the cluster. Failure semantics
# are Airflow's default trigger rule (all_success) and Dagster's: a failed step skips the steps
# downstream of it while the independent branches carry on to the end (so a retry reuses them);
# the run then fails naming the first step that failed. A cancellation stops starting steps; the
# running ones stop at their next progress report.
STEP_THREADS = 4  # default of DATAPLANE_PIPELINE_STEPS: steps of one run at a time in its worker


def parallel_steps() -> int:
    """How many steps of one run may run at once in its worker (DATAPLANE_PIPELINE_STEPS); they
    share the worker's memory, so each SQL step gets that share of DuckDB's memory limit."""

    return int(env_number("DATAPLANE_PIPELINE_STEPS", STEP_THREADS))


def run_steps(run: Run, names: list[str]) -> None:
    """Execute these steps (in execution order) as soon as their inputs among them are done;
    raises JobCancelled or the first step's failure once every started step has ended."""
    if not names:
        return
    order = list(run.steps)
    deps = {n: [d for d in step_inputs(run.steps[n], order) if d in names and d != n] for n in names}
    waiting, done, failed = list(names), set(), []  # type: list[str], set[str], list[DataplaneError]
    cancelled = False
    with _pool(run, len(names)) as pool:
        while True:
            if not cancelled and waiting:
                try:  # a step boundary: stop here when the run was asked to
                    run.ctx.progress(run.overall(), "scheduling steps", force=True)
                except JobCancelled:
                    cancelled = True
            for name in list(waiting):
                if cancelled:
                    break
                if all(d in done for d in deps[name]):
                    waiting.remove(name)
                    pool.submit(name)
            if not pool.running:
                break
            for name, ended in pool.next_ended():
                if ended["status"] == "succeeded":
                    done.add(name)
                    run.apply(name, ended)
                elif ended["status"] == "cancelled":
                    cancelled = True
                else:
                    failed.append(_StepFailed(name, run.steps[name]["kind"], ended["error"]))
                    _skip_downstream(run, name, waiting, deps)
    if cancelled:
        raise JobCancelled()
    if failed:
        raise failed[0]


def _skip_downstream(run: Run, failed: str, waiting: list[str], deps: dict[str, list[str]]) -> None:
    """Take the steps that need a failed step out of the queue, marked skipped."""
    blocked = {failed}
    for name in list(waiting):  # execution order: inputs come first
        culprit = next((d for d in deps[name] if d in blocked), None)
        if culprit is not None:
            blocked.add(name)
            waiting.remove(name)
            update_step(run.catalog, run.row.id, name, only_from=("pending",), status="skipped",
                        message=f"Not run: step {failed!r} failed")


class _Pool:
    """Steps running at the same time; `next_ended()` blocks until one or more end."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.running: dict[Any, str] = {}

    def submit(self, name: str) -> None:
        raise NotImplementedError

    def next_ended(self) -> list[tuple[str, dict[str, Any]]]:
        raise NotImplementedError


class _ThreadPool(_Pool):
    def __init__(self, run: Run, size: int) -> None:
        super().__init__(run)
        self.executor = ThreadPoolExecutor(max_workers=max(1, min(size, parallel_steps())),
                                           thread_name_prefix=f"run-{run.row.id[:8]}")

    def submit(self, name: str) -> None:
        self.running[self.executor.submit(step_task, self.run, name)] = name

    def next_ended(self) -> list[tuple[str, dict[str, Any]]]:
        finished, _ = futures_wait(list(self.running), return_when=FIRST_COMPLETED)
        return [(self.running.pop(f), f.result()) for f in finished]

    def close(self) -> None:
        self.executor.shutdown(wait=True)


class _DaskPool(_Pool):
    """Each step a task on the cluster the run itself runs on; the run's task leaves the worker's
    thread pool while it waits (`worker_client`), so the steps get its thread."""

    def __init__(self, run: Run) -> None:
        from distributed import worker_client

        super().__init__(run)
        self._context = worker_client()
        self.client = self._context.__enter__()

    def submit(self, name: str) -> None:
        catalog, state = self.run.catalog, self.run.state()
        future = self.client.submit(run_step_on_dask, type(catalog), catalog.settings, self.run.ctx.job.id, name,
                                    state, pure=False, key=f"dataplane-step-{self.run.row.id}-{name}")
        self.running[future] = name

    def next_ended(self) -> list[tuple[str, dict[str, Any]]]:
        from distributed import wait

        finished = wait(list(self.running), return_when="FIRST_COMPLETED").done
        ended = []
        for future in finished:
            name = self.running.pop(future)
            try:
                ended.append((name, future.result()))
            except Exception as error:  # noqa: BLE001 - a worker lost, or a result that does not travel
                message = f"the Dask task of the step ended: {type(error).__name__}: {error}"
                update_step(self.run.catalog, self.run.row.id, name, only_from=("running", "pending"),
                            status="failed", message=message, finished_at=schema.utcnow())
                ended.append((name, {"status": "failed", "error": message}))
        return ended

    def close(self) -> None:
        self._context.__exit__(None, None, None)


@contextlib.contextmanager
def _pool(run: Run, size: int) -> Iterator[_Pool]:
    pool: _ThreadPool | _DaskPool = _DaskPool(run) if _on_dask_worker() else _ThreadPool(run, size)
    try:
        yield pool
    finally:
        pool.close()


def _on_dask_worker() -> bool:
    """True inside a task on a Dask worker (the `dask` executor runs the run's job there)."""
    if "distributed" not in sys.modules:
        return False
    from distributed import get_worker

    try:
        get_worker()
    except ValueError:
        return False
    return True


def step_task(run: Run, name: str) -> dict[str, Any]:
    """Run one step; what became of it as plain data (it may travel back from a Dask worker)."""
    try:
        outcome = _execute(run, name, run.steps[name])
    except JobCancelled:
        return {"status": "cancelled"}
    except _StepFailed as error:
        return {"status": "failed", "error": error.step_message}
    return {"status": "succeeded", "result_path": outcome.result_path, "rows_out": outcome.rows_out,
            "dataset_id": outcome.dataset_id}


_DASK_CATALOGS: dict[Any, Any] = {}
_DASK_CATALOGS_LOCK = threading.Lock()


def run_step_on_dask(catalog_class: Any, settings: Any, job_id: str, name: str, state: dict[str, Any]) -> dict[str, Any]:
    """Task body of one step on a Dask worker: the run's catalog (opened once per worker), the
    job for progress and cancellation, and the results of the steps done so far."""
    from distributed import get_worker

    key = (str(settings.home), settings.catalog_url, settings.storage_url)
    with _DASK_CATALOGS_LOCK:
        catalog = _DASK_CATALOGS.get(key)
        if catalog is None:
            catalog = _DASK_CATALOGS[key] = catalog_class(
                settings.home, catalog_url=settings.catalog_url, storage_url=settings.storage_url, executor="thread")
    run = load_run(JobContext(catalog, catalog.jobs.store.get(job_id)))
    for field_name in ("results", "rows", "datasets", "fractions"):
        getattr(run, field_name).update(state[field_name])
    run.where = f"Dask worker {get_worker().address}"
    return step_task(run, name)


def _execute(run: Run, name: str, step: dict[str, Any]) -> Outcome:
    """Run one step, recording its status, rows, time, message and log whatever happens."""
    catalog, run_id = run.catalog, run.row.id
    log_ = StepLog()
    log_(f"{step['kind']} step {name!r} started" + (f" on {run.where}" if run.where else ""))
    update_step(catalog, run_id, name, status="running", started_at=schema.utcnow(), message="Running", log=log_.text())
    started = time.monotonic()

    def fail(status: str, message: str) -> None:
        update_step(catalog, run_id, name, only_from=("running",), status=status, message=message,
                    seconds=round(time.monotonic() - started, 3), log=log_.text(), finished_at=schema.utcnow())

    try:
        run.progress(name, 0.0, "starting", force=True)
        with _captured_output() as captured:
            try:
                outcome = STEP_KINDS[step["kind"]](run, name, step, log_)
            finally:
                if captured.getvalue():
                    log_(captured.getvalue())
    except JobCancelled:
        log_("cancelled at the user's request")
        fail("cancelled", "Cancelled at the user's request.")
        raise
    except DataplaneError as error:
        log_(f"failed: {error.message}")
        fail("failed", error.message)
        raise _StepFailed(name, step["kind"], error.message) from None
    except Exception as error:  # noqa: BLE001 - the user's code or model may raise anything
        log_(traceback.format_exc())
        message = f"{type(error).__name__}: {error}"
        fail("failed", message)
        raise _StepFailed(name, step["kind"], message) from None
    seconds = round(time.monotonic() - started, 3)
    _keep_result(run, outcome.result_path)
    log_(f"done in {seconds:.2f} s: {outcome.message}")
    values = {k: v for k, v in vars(outcome).items() if v is not None}
    update_step(catalog, run_id, name, only_from=("running",), status="succeeded", seconds=seconds, log=log_.text(),
                finished_at=schema.utcnow(), **values)
    return outcome


# -- output of steps running side by side ---------------------------------------------------------
class _ThreadOutput(io.TextIOBase):
    """sys.stdout/sys.stderr while steps run: what a step's thread prints goes to that step's
    buffer (redirect_stdout would mix the output of steps running at the same time)."""

    def __init__(self, fallback: Any) -> None:
        self.fallback = fallback
        self.buffers: dict[int, io.StringIO] = {}

    def write(self, text: str) -> int:
        buffer = self.buffers.get(threading.get_ident())
        return (buffer or self.fallback).write(text)

    def flush(self) -> None:
        if threading.get_ident() not in self.buffers:
            self.fallback.flush()


_OUTPUT_LOCK = threading.Lock()
_OUTPUT_USERS = 0


@contextlib.contextmanager
def _captured_output() -> Iterator[io.StringIO]:
    """Capture what this thread prints (and its subprocess-free children print) while the body runs."""
    global _OUTPUT_USERS
    buffer = io.StringIO()
    with _OUTPUT_LOCK:
        if _OUTPUT_USERS == 0:
            sys.stdout, sys.stderr = _ThreadOutput(sys.stdout), _ThreadOutput(sys.stderr)
        _OUTPUT_USERS += 1
        streams = (sys.stdout, sys.stderr)
        for stream in streams:
            if isinstance(stream, _ThreadOutput):
                stream.buffers[threading.get_ident()] = buffer
    try:
        yield buffer
    finally:
        with _OUTPUT_LOCK:
            for stream in streams:
                if isinstance(stream, _ThreadOutput):
                    stream.buffers.pop(threading.get_ident(), None)
            _OUTPUT_USERS -= 1
            if _OUTPUT_USERS == 0:
                for name in ("stdout", "stderr"):
                    stream = getattr(sys, name)
                    if isinstance(stream, _ThreadOutput):
                        setattr(sys, name, stream.fallback)


class _StepFailed(DataplaneError):
    def __init__(self, name: str, kind: str, message: str) -> None:
        super().__init__(f"Step {name!r} ({kind}) failed: {message}", field=name)
        self.step_message = message


def parquet_rows(path: Path) -> int:
    return int(pq.ParquetFile(path).metadata.num_rows)


def _keep_result(run: Run, relative: str | None) -> None:
    """With a remote storage, upload a step's result from the run's workspace to the storage
    (where a retry finds it, and publishing moves it)."""
    if relative and run.remote and relative.startswith(f"{run.folder}/work/"):
        local = run.scratch / relative
        if local.exists():
            run.catalog.storage.writable_path(relative)
            run.catalog.storage.fs.put_file(str(local), run.catalog.storage.path(relative))


def _work_result(run: Run, name: str) -> str:
    """The storage-relative file a step writes its result to (in the bucket itself with a
    remote storage: written there in parts, no local copy)."""
    relative = f"{run.folder}/work/{name}.parquet"
    run.catalog.storage.writable_path(relative)
    return relative


def _stored_rows(run: Run, relative: str) -> int:
    """Rows of a stored Parquet file, from its footer."""
    with run.catalog.storage.open(relative) as stream:
        return int(pq.ParquetFile(stream).metadata.num_rows)


def duckdb_connection(run: Run, spill: Path, memory: int) -> Any:
    """A DuckDB connection for a step: spills to a local folder, installs and loads no extension
    (httpfs included); with a remote storage, its fsspec filesystem is registered so that
    `read_parquet('s3://…')` and `COPY … TO 's3://…'` stream through it."""
    import duckdb

    spill.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(config={"temp_directory": str(spill), "threads": 2,
                                        "memory_limit": f"{max(memory, 64 << 20)}B",
                                        "autoinstall_known_extensions": False,
                                        "autoload_known_extensions": False})
    if run.remote:
        connection.register_filesystem(run.catalog.storage.fs)
    return connection


def work_folder(run: Run, name: str) -> tuple[str, Path]:
    relative = f"{run.folder}/work/{name}.parquet"
    local = run.path(relative)
    local.parent.mkdir(parents=True, exist_ok=True)
    return relative, local


def rows_in(run: Run, name: str, step: dict[str, Any]) -> int | None:
    counts = [run.rows.get(n) for n in step_inputs(step, list(run.steps))]
    return sum(c for c in counts if c is not None) if counts else None


# -- read ---------------------------------------------------------------------------------------
def _read(run: Run, name: str, step: dict[str, Any], log_: StepLog) -> Outcome:
    project = run.project
    if step.get("dataset"):
        key = str(step["dataset"])
        try:
            dataset = project.datasets[key]
        except NotFound:
            dataset = project.datasets.get(key)
        dataset._require_data()
        log_(f"reading dataset {dataset.name!r} ({dataset.rows:,} rows)")
        relative = f"{dataset_folder(project.id, dataset.id)}/{DATA_FILE}"
        return Outcome(relative, rows_out=dataset.rows, message=f"Dataset {dataset.name!r}: {dataset.rows:,} rows",
                       dataset_id=dataset.id, dataset_role="input")
    return _snapshot(run, name, str(step["datasource"]), log_)


def _snapshot(run: Run, name: str, key: str, log_: StepLog) -> Outcome:
    """A fresh snapshot of the datasource, stored as a dataset as an import would."""

    project = run.project
    source = project.datasources[key]
    stamp = schema.utcnow().strftime("%Y-%m-%dT%H-%M-%S")
    origin = {"datasource": source.name, "connector": source.info.connector, "pipeline": run.pipeline,
              "pipeline_run_id": run.row.id, "run_number": run.row.number, "step": name}
    dataset_id = _create_dataset(project, f"{source.name}_{stamp}", DatasetOrigin.DATASOURCE, origin,
                                 datasource_id=source.id)
    update_step(run.catalog, run.row.id, name, dataset_id=dataset_id, dataset_role="snapshot")
    log_(f"snapshot of datasource {source.name!r} into dataset {dataset_id}")
    params = {"dataset_id": dataset_id, "project_id": project.id, "datasource_id": source.id}
    job = replace(run.ctx.job, kind="dataset.import", params=params)
    try:
        run_datasource_import(_SubContext(run, name, job))
    except BaseException as error:
        message = error.message if isinstance(error, DataplaneError) else f"{type(error).__name__}: {error}"
        on_import_end(run.catalog, replace(job, error=message))
        raise
    dataset = project.datasets.get(dataset_id)
    relative = f"{dataset_folder(project.id, dataset_id)}/{DATA_FILE}"
    return Outcome(relative, rows_out=dataset.rows, dataset_id=dataset_id, dataset_role="snapshot",
                   message=f"Snapshot {dataset.name!r} of datasource {source.name!r}: {dataset.rows:,} rows")


class _SubContext(JobContext):
    """A job context for work done inside the run (an import, statistics, an export): same job,
    its own params; progress lands on the run's step."""

    def __init__(self, run: Run, step: str, job: Any) -> None:
        super().__init__(run.catalog, job)
        self._run, self._step = run, step

    def progress(self, fraction: float, message: str, *, force: bool = False) -> None:
        self._run.progress(self._step, fraction, message, force=force)


def _create_dataset(project: Any, name: str, origin: DatasetOrigin, source: dict[str, Any], **values: Any) -> str:
    candidate = name
    for attempt in range(2, 100):
        try:
            return project.datasets.add_record(candidate, origin, source, **values)
        except AlreadyExists:
            candidate = f"{name}_{attempt}"
    raise AlreadyExists(f"Project {project.name!r} already has datasets named {name!r} and {name!r}_2..99.",
                        field="name")


# -- sql ----------------------------------------------------------------------------------------
def _sql(run: Run, name: str, step: dict[str, Any], log_: StepLog) -> Outcome:
    import duckdb

    inputs = step_inputs(step, list(run.steps))
    relative = _work_result(run, name)

    share = Limits.from_env().duckdb_memory // parallel_steps()  # steps running side by side share the worker
    spill = run.scratch / "duckdb" / name if run.remote else Path(run.catalog.storage.path(f"{run.folder}/duckdb"))
    connection = duckdb_connection(run, spill, share)
    try:
        for other in inputs:
            location = run.location(run.result(other, name))
            if run.remote:
                log_(f"{other}: streamed from {location}")
            path = location.replace("'", "''")
            connection.execute(f'CREATE VIEW "{other}" AS SELECT * FROM read_parquet(\'{path}\')')
        query = str(step["query"]).strip().rstrip(";")
        log_(f"query over {', '.join(inputs) or 'no step'}:\n{query}")
        target = run.location(relative).replace("'", "''")
        with _watch(run, name, "running the query", connection.interrupt):
            try:
                connection.execute(f"COPY ({query}) TO '{target}' (FORMAT PARQUET)")
            except duckdb.InterruptException:
                raise JobCancelled() from None
            except duckdb.Error as error:
                raise InvalidInput(f"DuckDB: {duckdb_message(error)}", field="query") from None
    finally:
        connection.close()
    rows = _stored_rows(run, relative)
    return Outcome(relative, rows_in=rows_in(run, name, step), rows_out=rows, message=f"{rows:,} rows")


@contextlib.contextmanager
def _watch(run: Run, name: str, message: str, stop: Callable[[], None]) -> Iterator[threading.Event]:
    """While the body runs, look for a cancellation request every WATCH_EVERY seconds and call `stop`."""
    cancelled, done = threading.Event(), threading.Event()
    store, job_id = run.catalog.jobs.store, run.ctx.job.id

    def watch() -> None:
        while not done.wait(WATCH_EVERY):
            try:
                if store.report(job_id, _current(run), f"{name}: {message}"):
                    cancelled.set()
                    stop()
                    return
            except Exception:  # noqa: BLE001 - a watcher never breaks the step
                log.warning("watching run %s failed", run.row.id, exc_info=True)

    thread = threading.Thread(target=watch, name=f"watch-{name}", daemon=True)
    thread.start()
    try:
        yield cancelled
    finally:
        done.set()
        thread.join()
    if cancelled.is_set():
        raise JobCancelled()


def _current(run: Run) -> float:
    return float(run.catalog.jobs.store.get(run.ctx.job.id).progress)


# -- python -------------------------------------------------------------------------------------
_IMPORT_LOCK = threading.Lock()


def _import_function(run: Run, spec: str) -> Callable[..., Any]:
    module_name, _, function_name = spec.partition(":")
    base = run.row.base_dir
    if base and base not in sys.path:
        sys.path.insert(0, base)
    try:
        with _IMPORT_LOCK:  # two steps of a run may load the same module at the same time
            if module_name in sys.modules:
                module = importlib.reload(sys.modules[module_name])
            else:
                module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        raise InvalidInput(f"cannot import module {module_name!r} ({error}); it is looked for in {base} and on "
                           "the Python path", field="function") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise InvalidInput(f"module {module_name!r} has no function {function_name!r}", field="function")
    return function


def _wants_arrow(function: Callable[..., Any]) -> list[bool]:
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return []
    hints: dict[str, Any] = {}
    with contextlib.suppress(Exception):
        import typing

        hints = typing.get_type_hints(function)
    found = []
    for parameter in parameters:
        hint = hints.get(parameter.name, parameter.annotation)
        found.append(hint is pa.Table or (isinstance(hint, str) and hint.split(".")[-1] == "Table"
                                          and ("pa." in hint or "pyarrow" in hint)))
    return found


def _python(run: Run, name: str, step: dict[str, Any], log_: StepLog) -> Outcome:
    import pandas as pd

    function = _import_function(run, str(step["function"]))
    inputs = as_list(step.get("input"))
    arrow = _wants_arrow(function)
    args = []
    for position, other in enumerate(inputs):
        table = pq.read_table(run.catalog.storage.path(run.result(other, name)), filesystem=run.catalog.storage.fs)
        args.append(table if position < len(arrow) and arrow[position] else table.to_pandas())
    log_(f"calling {step['function']}({', '.join(inputs)})")
    run.progress(name, 0.1, f"calling {step['function']}", force=True)
    result = function(*args, **(step.get("args") or {}))
    if isinstance(result, pd.DataFrame):
        table = pa.Table.from_pandas(result, preserve_index=False)
    elif isinstance(result, pa.Table):
        table = result
    else:
        raise InvalidInput(f"{step['function']} returned {type(result).__name__}, not a pandas DataFrame or a "
                           "pyarrow Table", field="function")
    relative = _work_result(run, name)
    with run.catalog.storage.open(relative, "wb") as stream:
        pq.write_table(table, stream)
    return Outcome(relative, rows_in=rows_in(run, name, step), rows_out=table.num_rows,
                   message=f"{table.num_rows:,} rows, {table.num_columns} columns")


# -- notebook -----------------------------------------------------------------------------------
NOTEBOOK_RUNNER = "dataplane_jupyter.pipeline_notebooks:run_notebook_step"


def _notebook(run: Run, name: str, step: dict[str, Any], log_: StepLog) -> Outcome:
    """Executed by nbclient, which is Jupyter code: it lives outside the core and is found by name."""

    return resolve(NOTEBOOK_RUNNER)(run, name, step, log_)


# -- predict ------------------------------------------------------------------------------------
def _load_model(path: Path) -> Any:
    if path.suffix.lower() == ".onnx":
        return OnnxModel(path)
    import joblib

    try:
        return joblib.load(path)
    except Exception as error:  # noqa: BLE001 - any unpickling problem is the file's
        raise InvalidInput(f"cannot load model {path.name}: {type(error).__name__}: {error}", field="model") from None


_ONNX_TYPES = {"tensor(float)": "float32", "tensor(double)": "float64", "tensor(int64)": "int64",
               "tensor(int32)": "int32", "tensor(string)": "object", "tensor(bool)": "bool"}


class OnnxModel:
    """An ONNX model (e.g. a scikit-learn model converted by skl2onnx) run by onnxruntime.

    Its inputs are either one 2-D tensor (the feature columns in order: the step's `features`,
    else every input column) or one tensor per feature column, named after it. The first output
    is the prediction; a second one (skl2onnx's probabilities, as a map per row or a matrix) gives
    the `proba_<class>` columns.
    """

    def __init__(self, path: Path) -> None:
        try:
            import onnxruntime
        except ImportError:
            raise InvalidInput(f"{path.name}: ONNX models need onnxruntime (pip install "
                               "'dataplane_jupyter[onnx]')", field="model") from None
        try:
            self.session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        except Exception as error:  # noqa: BLE001 - any problem of the file is the file's
            raise InvalidInput(f"cannot load ONNX model {path.name}: {error}", field="model") from None
        self.name = path.name
        self.inputs = self.session.get_inputs()
        self.outputs = [o.name for o in self.session.get_outputs()]
        self.feature_names_in_ = [i.name for i in self.inputs] if len(self.inputs) > 1 else None
        width = self.inputs[0].shape[1] if len(self.inputs) == 1 and len(self.inputs[0].shape) == 2 else None
        self.n_features = width if isinstance(width, int) else None

    def check(self, features: list[str]) -> None:
        """InvalidInput when the model takes another number of feature columns."""
        if self.n_features is not None and len(features) != self.n_features:
            raise InvalidInput(f"ONNX model {self.name} takes {self.n_features} feature column(s) in its input "
                               f"{self.inputs[0].name!r}, the step gives {len(features)} "
                               f"({', '.join(map(repr, features))}); set `features` to the columns it was trained on",
                               field="features")

    def score(self, frame: Any) -> tuple[Any, dict[str, Any]]:
        """The predictions of these feature rows, and their probability columns by class."""
        import numpy as np

        if len(self.inputs) == 1:
            kind = _ONNX_TYPES.get(self.inputs[0].type, "float32")
            feed = {self.inputs[0].name: frame.to_numpy(dtype=kind)}
        else:
            feed = {i.name: frame[[i.name]].to_numpy(dtype=_ONNX_TYPES.get(i.type, "float32")) for i in self.inputs}
        found = self.session.run(None, feed)
        matrix = np.asarray(found[0]).reshape(len(frame), -1)
        prediction: Any = matrix[:, 0] if matrix.shape[1] == 1 else list(matrix)
        probabilities: dict[str, Any] = {}
        if len(found) > 1:
            second = found[1]
            if isinstance(second, list) and second and isinstance(second[0], dict):  # ZipMap: a map per row
                for label in second[0]:
                    probabilities[f"proba_{label}"] = np.array([row[label] for row in second])
            else:
                table = np.asarray(second).reshape(len(frame), -1)
                for index in range(table.shape[1]):
                    probabilities[f"proba_{index}"] = table[:, index]
        return prediction, probabilities


def _predict(run: Run, name: str, step: dict[str, Any], log_: StepLog) -> Outcome:
    model = _load_model(run.local(str(step["model"]), "model file", "model"))
    onnx = isinstance(model, OnnxModel)
    if not onnx and not hasattr(model, "predict"):
        raise InvalidInput(f"{step['model']} holds a {type(model).__name__}, which has no predict()", field="model")
    with contextlib.ExitStack() as files:  # read and written in batches, remote or local
        source = pq.ParquetFile(files.enter_context(run.catalog.storage.open(run.result(str(step["input"]), name))))
        return _predict_batches(run, name, step, log_, model, source, files)


def _predict_batches(run: Run, name: str, step: dict[str, Any], log_: StepLog, model: Any,
                     source: pq.ParquetFile, files: contextlib.ExitStack) -> Outcome:
    onnx = isinstance(model, OnnxModel)
    columns = source.schema_arrow.names
    trained_on = getattr(model, "feature_names_in_", None)
    features = [str(c) for c in (step.get("features") or (list(trained_on) if trained_on is not None else columns))]
    missing = [c for c in features if c not in columns]
    if missing:
        raise InvalidInput(f"input {step['input']!r} lacks the feature column(s) {', '.join(map(repr, missing))} "
                           f"the model needs (it has: {', '.join(map(repr, columns))})", field="input")
    if onnx:
        model.check(features)
    target = str(step.get("prediction_column") or "prediction")
    proba = onnx or (hasattr(model, "predict_proba") and hasattr(model, "classes_"))
    described = f"ONNX model {model.name} (onnxruntime)" if onnx else f"model {type(model).__name__}"
    log_(f"{described} on {len(features)} feature(s); probabilities: {'when it gives them' if onnx else 'yes' if proba else 'no'}")
    relative = _work_result(run, name)
    out = files.enter_context(run.catalog.storage.open(relative, "wb"))
    total, done, writer = source.metadata.num_rows, 0, None
    try:
        for batch in source.iter_batches(batch_size=int(step.get("batch_rows") or PREDICT_BATCH_ROWS)):
            frame = batch.to_pandas()
            features_frame = frame[features]
            if onnx:
                frame[target], probability_columns = model.score(features_frame)
                for column, values in probability_columns.items():
                    frame[column] = values
            else:
                frame[target] = model.predict(features_frame)
                if proba:
                    probabilities = model.predict_proba(features_frame)
                    for index, label in enumerate(model.classes_):
                        frame[f"proba_{label}"] = probabilities[:, index]
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(out, table.schema)
            writer.write_table(table.cast(writer.schema))
            done += batch.num_rows
            run.progress(name, done / max(total, 1), f"predicted {done:,} of {total:,} rows")
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        raise InvalidInput(f"input {step['input']!r} has no rows to predict", field="input")
    return Outcome(relative, rows_in=total, rows_out=done, message=f"{done:,} rows predicted")


# -- export -------------------------------------------------------------------------------------
def _export(run: Run, name: str, step: dict[str, Any], log_: StepLog) -> Outcome:

    project = run.project
    exporter = project.exporters[str(step["exporter"])]
    source = str(step["input"])
    dataset_id = run.datasets.get(source)
    if not dataset_id:
        raise InvalidState(f"step {source!r} stored no dataset to export")
    dataset = project.datasets.get(dataset_id)
    export_id = schema.new_id()
    with run.catalog.engine.begin() as connection:
        connection.execute(schema.export_runs.insert().values(
            id=export_id, exporter_id=exporter.id, dataset_id=dataset.id, dataset_name=dataset.name, status="queued",
            job_id=run.ctx.job.id, pipeline_run_id=run.row.id, created_by=run.catalog.user))
    update_step(run.catalog, run.row.id, name, export_run_id=export_id)
    mode = step.get("mode") or exporter.mode
    log_(f"exporting dataset {dataset.name!r} with exporter {exporter.name!r} (mode {mode})")
    params = {"run_id": export_id, "project_id": project.id, "exporter_id": exporter.id, "dataset_id": dataset.id,
              "mode": mode}
    job = replace(run.ctx.job, kind="dataset.export", params=params)
    try:
        result = run_export(_SubContext(run, name, job))
    except BaseException as error:
        message = error.message if isinstance(error, DataplaneError) else f"{type(error).__name__}: {error}"
        status = JobStatus.CANCELLED if isinstance(error, JobCancelled) else JobStatus.FAILED
        on_export_end(run.catalog, replace(job, status=status, error=message))
        raise
    if "cancelled" in result:
        raise InvalidState(f"nothing written: {result['cancelled']}")
    log_(f"wrote {result['rows']:,} rows to {result['location']}")
    return Outcome(rows_in=dataset.rows, rows_out=result["rows"], export_run_id=export_id,
                   message=f"{result['rows']:,} rows to {result['location']}")


# -- publishing ---------------------------------------------------------------------------------
def _publish(run: Run, name: str, role: str) -> None:
    """Store a step's result as a dataset (origin pipeline_output or pipeline_intermediate) with statistics."""

    relative = run.results.get(name)
    if not relative:
        return  # a notebook step that wrote nothing
    project = run.project
    origin = DatasetOrigin.PIPELINE_OUTPUT if role == "output" else DatasetOrigin.PIPELINE_INTERMEDIATE
    source = {"pipeline": run.pipeline, "pipeline_run_id": run.row.id, "run_number": run.row.number, "step": name}
    dataset_id = _create_dataset(project, f"{run.pipeline}_{name}_run{run.row.number}", origin, source)
    update_step(run.catalog, run.row.id, name, dataset_id=dataset_id, dataset_role=role)
    target = f"{dataset_folder(project.id, dataset_id)}/{DATA_FILE}"
    storage = run.catalog.storage
    storage.writable_path(target)
    if relative.startswith(f"{run.folder}/work/"):
        storage.fs.mv(storage.path(relative), storage.path(target))
    else:  # a dataset read as it is, or a result reused from an earlier run: copy
        storage.fs.copy(storage.path(relative), storage.path(target))
    with storage.open_arrow(target) as stream:  # the footer only, local or remote
        metadata = pq.ParquetFile(stream).metadata
    arrow_schema = metadata.schema.to_arrow_schema()
    with run.catalog.engine.begin() as connection:
        connection.execute(schema.datasets.update().where(schema.datasets.c.id == dataset_id).values(
            status=DatasetStatus.COMPUTING_STATISTICS.value, rows=int(metadata.num_rows),
            n_columns=len(arrow_schema), schema=[{"name": f.name, "type": None, "dtype": str(f.type)}
                                                 for f in arrow_schema]))
    params = {"dataset_id": dataset_id, "project_id": project.id}
    run_statistics(_SubContext(run, name, replace(run.ctx.job, kind="dataset.statistics", params=params)))
    run.results[name] = target
    run.datasets[name] = dataset_id
    update_step(run.catalog, run.row.id, name, result_path=target)


STEP_KINDS: dict[str, Callable[[Run, str, dict[str, Any], StepLog], Outcome]] = {
    "read": _read,
    "sql": _sql,
    "python": _python,
    "notebook": _notebook,
    "predict": _predict,
    "export": _export,
}
