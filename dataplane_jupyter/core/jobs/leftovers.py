"""Files that outlive the work they were for: the scratch folder of a killed worker, an upload
the browser gave up on. Each is removed at once where its owner can (the supervisor removes its
job's scratch folder, the upload handler its staged file), and otherwise here, on server start
and by the reaper.

Every worker process runs with its temporary folder (TMPDIR) set to `<home>/tmp/<job id>`, so
whatever DuckDB, pyarrow or the readers spill there is found by job id, whoever created it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from dataplane_jupyter.core.jobs.store import JobStatus

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog

#: An unreferenced staged upload untouched this long is abandoned (a live one is written to).
UPLOAD_IDLE_SECONDS = 600.0


def scratch_root(home: Path) -> Path:
    """Where the workers' temporary folders live."""
    return home / "tmp"


def job_scratch(home: Path, job_id: str) -> Path:
    """The temporary folder of one job's worker."""
    return scratch_root(home) / job_id


def uploads_folder(home: Path) -> Path:
    """Where uploads are staged until their import job takes them."""
    return home / "uploads"


def remove_leftovers(catalog: "Catalog", *, upload_idle: float = UPLOAD_IDLE_SECONDS) -> list[Path]:
    """Remove scratch folders of jobs that are no longer running and staged uploads that no
    unfinished job will read (untouched for `upload_idle` seconds); returns what was removed."""
    home = catalog.settings.home
    unfinished = catalog.jobs.list(statuses=[JobStatus.QUEUED.value, JobStatus.RUNNING.value], limit=100_000)
    running_ids = {job.id for job in unfinished}
    wanted_files = {str(job.params.get("location", "")) for job in unfinished}
    removed: list[Path] = []
    root = scratch_root(home)
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.name not in running_ids:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    staged = uploads_folder(home)
    now = time.time()
    for path in sorted(staged.iterdir()) if staged.is_dir() else []:
        try:
            idle = now - path.stat().st_mtime
        except FileNotFoundError:
            continue
        if str(path) not in wanted_files and str(path.absolute()) not in wanted_files and idle >= upload_idle:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed
