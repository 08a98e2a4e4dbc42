"""Retry a failed import on the same dataset record, with other CSV options.

`ds.retry(separator=";")` re-runs the import entry point that failed (`start_file_import` for a
file or upload, `start_datasource_import` for a datasource) on the dataset's own record: same
id, same name, same source, so a failed dataset can be fixed instead of taking its name. It
takes the CSV keywords of `Datasets.import_file`; options not given keep the value the failed
attempt was given (None: detect it).

An uploaded file stays staged while its dataset is failed, so that it can be retried; it goes
when a retry succeeds or the dataset is deleted.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import fsspec

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.datasets.imports import start_datasource_import, start_file_import
from dataplane_jupyter.core.errors import InvalidInput, InvalidState
from dataplane_jupyter.core.models import DatasetStatus

if TYPE_CHECKING:
    from dataplane_jupyter.core.datasets.datasets import Dataset, Datasets
    from dataplane_jupyter.core.jobs.store import Job

# keywords of `import_file` that are not options of how to read the file
_NOT_OPTIONS = {"self", "source", "name", "origin", "delete_source", "file_name"}


def retry_options(datasets: "type[Datasets] | Datasets") -> tuple[str, ...]:
    """The CSV keywords `retry` takes: those of `Datasets.import_file` (one source of truth)."""
    parameters = inspect.signature(datasets.import_file).parameters
    return tuple(name for name in parameters if name not in _NOT_OPTIONS)


def _last_import(ds: "Dataset") -> "Job":
    info = ds.info
    if info.status is not DatasetStatus.FAILED:
        raise InvalidState(f"Dataset {info.name!r} is {info.status_label!r}: only a failed import can be retried.")
    job = ds.catalog.jobs.get(info.job_id) if info.job_id else None
    if job is None or job.kind != "dataset.import":
        raise InvalidState(f"Dataset {info.name!r} has no import to retry; delete it and import the file again.")
    return job


def _is_file_import(job: "Job") -> bool:
    return job.function.endswith(":run_file_import")


def _source_exists(location: str) -> bool:
    fs, path = fsspec.core.url_to_fs(location)
    return bool(fs.exists(path))


def options_for_retry(ds: "Dataset") -> dict[str, Any]:
    """What a retry starts from: the options the failed attempt was given (None: detected),
    then what was detected where the import got that far (stored in the dataset's source)."""
    job = _last_import(ds)
    if not _is_file_import(job):
        return {}
    given = {key: job.params.get("options", {}).get(key) for key in retry_options(ds.project.datasets)}
    detected = (ds.info.source or {}).get("format") or {}
    return {key: given[key] if given[key] is not None else detected.get(key) for key in given}


def retry_import(ds: "Dataset", **options: Any) -> "Dataset":
    """Import the failed dataset again from its source, changing the given options."""

    allowed = retry_options(ds.project.datasets)
    for key in options:
        if key not in allowed:
            raise InvalidInput(f"retry() takes {', '.join(allowed)}; not {key!r}.", field=key)
    job = _last_import(ds)
    params = job.params
    if not _is_file_import(job):
        if any(value is not None for value in options.values()):
            given = ", ".join(k for k, v in options.items() if v is not None)
            raise InvalidInput(f"Dataset {ds.name!r} comes from a datasource: {given} only apply to CSV files.",
                               field=next(k for k, v in options.items() if v is not None))
    elif not _source_exists(params["location"]):
        raise InvalidState(f"The file of dataset {ds.name!r} ({ds.info.source.get('file')}) is no longer there: "
                           "delete the dataset and import the file again.")
    d = schema.datasets
    with ds.catalog.engine.begin() as connection:
        claimed = connection.execute(
            d.update()
            .where(d.c.id == ds.id, d.c.status == DatasetStatus.FAILED.value)
            .values(status=DatasetStatus.COPYING.value, error=None, rows=None, n_columns=None, size_bytes=None,
                    warnings=[])
        ).rowcount
    if not claimed:
        raise InvalidState(f"Dataset {ds.name!r} is already being imported again.")
    if _is_file_import(job):
        merged = {**params.get("options", {}), **options}  # a None given: detect it again
        start_file_import(ds.project, ds.id, params["location"], merged, delete_source=params.get("delete_source", False))
    else:
        start_datasource_import(ds.project, ds.id, params["datasource_id"])
    return ds.project.datasets.get(ds.id)


def remove_kept_upload(ds: "Dataset") -> None:
    """The staged upload a failed import kept for a retry (called when the dataset goes)."""
    info = ds.describe()
    job = ds.catalog.jobs.get(info.job_id) if info.job_id and info.status is DatasetStatus.FAILED else None
    if job is None or job.kind != "dataset.import" or not job.params.get("delete_source"):
        return
    fs, path = fsspec.core.url_to_fs(job.params["location"])
    if fs.exists(path):
        fs.rm(path)
