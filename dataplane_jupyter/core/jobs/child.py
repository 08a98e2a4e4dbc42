"""A job's own process, started and watched by its supervisor (core/jobs/worker.py), which
imports none of this: both entry points need the whole catalog (every job kind's code).

- `python -m dataplane_jupyter.core.jobs.child JOB_ID` runs the job; it dies with its
  supervisor (Linux parent-death signal), so killing the recorded worker pid stops the job.
- `python -m dataplane_jupyter.core.jobs.child --on-end JOB_ID` runs the `on_end` of a job its
  supervisor ended (killed for memory, cancelled past the grace period, a crashed child).
"""

from __future__ import annotations

import logging
import os
import signal
import sys

from dataplane_jupyter.core.catalog.catalog import Catalog
from dataplane_jupyter.core.jobs.runner import execute_job, run_on_end
from dataplane_jupyter.core.jobs.worker import PARENT_ENV


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if argv[:1] == ["--on-end"]:
        catalog = Catalog()
        run_on_end(catalog, catalog.jobs.store.get(argv[1]))
        return 0
    _die_with_parent()
    job = execute_job(Catalog(), argv[0])
    logging.info("job %s ended %s", job.id, job.status.value)
    return 0


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its supervisor dies (elsewhere: nothing)."""
    parent = os.environ.get(PARENT_ENV)
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent and os.getppid() != int(parent):  # the supervisor died before prctl took effect
        os._exit(1)



if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
