"""Several .npy files as one dataset (spec 002: "if your examples have several features, you
can upload several npy files"): one feature per file, named after it, all with the same number
of examples along the first dimension (a mismatch is refused naming both files and sizes).

A separate entry point into the import job; reading the arrays is the npy import's own
(`zip_import.import_npy_files`, as for a zip holding only .npy files).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import fsspec

from dataplane_jupyter.core.catalog.storage import remove_staged_source
from dataplane_jupyter.core.datasets.imports import DatasetImport, on_import_end, start_import_job
from dataplane_jupyter.core.datasets.npy import MAGIC
from dataplane_jupyter.core.datasets.zip_import import import_npy_files
from dataplane_jupyter.core.errors import InvalidInput

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog
    from dataplane_jupyter.core.catalog.project import Project
    from dataplane_jupyter.core.jobs import Job
    from dataplane_jupyter.core.jobs.runner import JobContext

MAX_FILES = 100


def start_npy_files_import(project: "Project", dataset_id: str, locations: list[str], file_names: list[str],
                           *, delete_source: bool) -> "Job":
    """Start the dataset import job over several .npy files."""

    return start_import_job(
        project, dataset_id, "dataset.import", f"{__name__}:run_npy_files_import",
        {"locations": locations, "files": file_names, "delete_source": delete_source},
        on_end=f"{__name__}:on_npy_files_import_end",
    )


def run_npy_files_import(ctx: "JobContext") -> dict[str, Any]:
    """Job: check every file is an .npy array, then write one tensor column per file."""

    locations, names = ctx.params["locations"], ctx.params["files"]
    source = " + ".join(names)
    ctx.progress(0.0, f"Reading {source}", force=True)
    with contextlib.ExitStack() as stack:
        opened = []
        for location, name in zip(locations, names):
            stream = stack.enter_context(fsspec.open(location, "rb"))
            if stream.read(len(MAGIC)) != MAGIC:
                raise InvalidInput(f"{name} is not an .npy file: several files make one dataset only when each is an .npy array.")
            stream.seek(0)
            opened.append((name, stream))
        result = import_npy_files(DatasetImport(ctx), opened, source)
    remove_staged_source(ctx.params)
    return result


def on_npy_files_import_end(catalog: "Catalog", job: "Job") -> None:
    """Failed or cancelled: the dataset is `failed` with the reason; staged uploads are removed."""

    on_import_end(catalog, _without_source(job))
    remove_staged_source(job.params)


def _without_source(job: "Job") -> Any:
    from dataclasses import replace

    return replace(job, params={**job.params, "delete_source": False})


def check_files(sources: list[str]) -> None:
    """At least one file, at most MAX_FILES, no file twice."""
    if not sources:
        raise InvalidInput("Give at least one file.", field="sources")
    if len(sources) > MAX_FILES:
        raise InvalidInput(f"{len(sources)} files is more than the {MAX_FILES} one dataset may combine.", field="sources")
    seen: set[str] = set()
    for source in sources:
        if source in seen:
            raise InvalidInput(f"{source} is given twice.", field="sources")
        seen.add(source)
