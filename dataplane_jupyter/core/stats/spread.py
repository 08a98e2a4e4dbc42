"""Statistics of a large stored dataset spread over a Dask cluster: the same algorithm per
partition, merged (DESIGN.md "same algorithm, partitions on Dask, merged").

A statistics job that runs on a Dask worker (``DATAPLANE_EXECUTOR=dask``) splits the dataset's
Parquet file into contiguous runs of row groups, one task per run; each task reads only its row
groups from the storage (local or an object store, through fsspec, in bounded batches) into a
:class:`~dataplane_jupyter.core.stats.accumulate.StatsAccumulator` and sends the accumulator
back. The job merges them in file order (so the sample is the file's first rows) and asks for the
result, which re-reads from the file only the figures whose exact state did not fit memory, as
on one machine. Small files (fewer rows than ``DATAPLANE_SPREAD_MIN_ROWS``, default 1,000,000,
or a single row group) are computed where the job runs, as they are without Dask.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow.parquet as pq

from dataplane_jupyter.core.catalog.storage import Storage
from dataplane_jupyter.core.ingest.model import Progress, noop_progress
from dataplane_jupyter.core.stats import aggregates
from dataplane_jupyter.core.stats.accumulate import NumberState, StatsAccumulator
from dataplane_jupyter.core.stats.compute import compute_statistics
from dataplane_jupyter.core.stats.sketches import unique_sorted

SPREAD_MIN_ROWS = 1_000_000
# a few tasks per worker, so that a slow or lost worker holds back a small share
TASKS_PER_WORKER = 2


def spread_min_rows() -> int:
    """Rows from which a statistics job on Dask spreads over the workers."""
    value = os.environ.get("DATAPLANE_SPREAD_MIN_ROWS")
    return int(value) if value else SPREAD_MIN_ROWS


def dataset_statistics(storage: Any, relative: str, *,
                       progress: Progress = noop_progress) -> tuple[dict[str, Any], dict[str, Any]]:
    """The statistics payload of a stored Parquet file and how it was computed
    (``{"partitions": n, "workers": k}`` when spread over the Dask cluster this job runs on, else
    ``{}``)."""
    path, fs = storage.path(relative), storage.filesystem()
    if _on_a_dask_worker():
        metadata = pq.ParquetFile(path, filesystem=fs).metadata
        if metadata.num_row_groups > 1 and metadata.num_rows >= spread_min_rows():
            return _spread(storage.url, relative, metadata, progress)
    return compute_statistics(path, filesystem=fs, progress=progress), {}


def _on_a_dask_worker() -> bool:
    """True in a task of a Dask worker (a job of the `dask` executor), not in other threads."""
    from distributed import get_worker

    try:
        get_worker()
    except ValueError:
        return False
    return True


def partitions(metadata: pq.FileMetaData, parts: int) -> list[list[int]]:
    """Contiguous runs of row groups with about the same number of rows each."""
    groups = metadata.num_row_groups
    parts = max(1, min(parts, groups))
    target = metadata.num_rows / parts
    runs: list[list[int]] = [[]]
    done = 0
    for group in range(groups):
        if runs[-1] and done >= target * len(runs) and len(runs) < parts:
            runs.append([])
        runs[-1].append(group)
        done += metadata.row_group(group).num_rows
    return runs


def accumulate_row_groups(storage_url: str, relative: str, row_groups: list[int],
                          sample_rows: int = 100) -> tuple[StatsAccumulator, str]:
    """Task on a worker: the accumulator of some row groups of the stored file (bounded batches),
    and the address of the worker that computed it."""
    from distributed import get_worker


    storage = Storage(storage_url)
    file = pq.ParquetFile(storage.path(relative), filesystem=storage.filesystem(), pre_buffer=False,
                          buffer_size=2 ** 20)
    acc = StatsAccumulator.for_parquet(file.metadata, sample_rows=sample_rows)
    _sketch_from_the_start(acc, file.metadata.num_rows)
    width = max(file.metadata.num_columns, 1)
    batch_rows = max(1024, min(262_144, 4_000_000 // width))
    try:
        for batch in file.iter_batches(batch_size=batch_rows, row_groups=row_groups, use_threads=True):
            acc.update(batch)
    finally:
        if acc._pool is not None:  # the threads stay here; the state travels
            acc._pool.shutdown()
            acc._pool = None
    hashes = acc.row_hashes
    if hashes is not None and hashes._folder is not None:
        # row hashes spilled to this worker's disk travel as one sorted array (8 bytes a row of
        # this partition); the merging worker spills them again to its own disk if need be
        hashes._pending = [_spilled(hashes)]
        hashes._pending_size = hashes._pending[0].size
        hashes.close()
    return acc, str(get_worker().address)


def _sketch_from_the_start(acc: StatsAccumulator, file_rows: int) -> None:
    """When the whole file's numeric values exceed what one machine keeps exactly, one machine
    ends with sketches for them: so does every partition, from its first row, instead of keeping
    up to that many values per partition (several partitions per worker would not fit its
    memory limit)."""

    numbers = [s for s in acc.states if isinstance(s, NumberState)]
    if numbers and file_rows * len(numbers) > aggregates.EXACT_LIMIT_VALUES:
        for state in numbers:
            state.to_sketch()
        acc.exact_numbers = False


def _spilled(hashes: Any) -> Any:
    import numpy as np


    parts = list(hashes._pending)
    for name in sorted(os.listdir(hashes._folder.name)):
        with open(os.path.join(hashes._folder.name, name), "rb") as src:
            parts.append(np.frombuffer(src.read(), np.uint64))
    return unique_sorted(np.concatenate(parts)) if parts else np.empty(0, np.uint64)


def _spread(storage_url: str, relative: str, metadata: pq.FileMetaData,
            progress: Progress) -> tuple[dict[str, Any], dict[str, Any]]:
    from distributed import as_completed, worker_client


    storage = Storage(storage_url)
    with worker_client(separate_thread=True) as client:  # this task waits without holding a worker thread
        workers = sorted(client.scheduler_info().get("workers", {})) or [None]
        runs = partitions(metadata, len(workers) * TASKS_PER_WORKER)
        # round robin over the workers (a preference: a busy or lost worker's share goes elsewhere)
        futures = [client.submit(accumulate_row_groups, storage_url, relative, run, pure=False,
                                 workers=[workers[i % len(workers)]] if workers[0] else None,
                                 allow_other_workers=True)
                   for i, run in enumerate(runs)]
        results: dict[int, tuple[StatsAccumulator, str]] = {}
        order = {future.key: index for index, future in enumerate(futures)}
        try:
            progress(0.0, f"computing column statistics on {len(runs)} partitions")
            for future in as_completed(futures):
                results[order[future.key]] = future.result()
                progress(0.9 * len(results) / len(runs),
                         f"computing column statistics: {len(results)} of {len(runs)} partitions")
        except BaseException:
            client.cancel(futures)
            raise
    accumulators = [results[i][0] for i in range(len(runs))]
    merged = accumulators[0]
    try:
        for other in accumulators[1:]:
            merged.merge(other)
            other.close()
        payload = merged.result(storage.path(relative), filesystem=storage.filesystem(),
                                progress=lambda f, m: progress(0.9 + 0.1 * f, m))
    finally:
        merged.close()
    progress(1.0, "statistics ready")
    return payload, {"partitions": len(runs), "workers": len({results[i][1] for i in range(len(runs))})}
