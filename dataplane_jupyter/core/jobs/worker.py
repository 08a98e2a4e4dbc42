"""Entry point of a detached job worker: `python -m dataplane_jupyter.core.jobs.worker JOB_ID`."""

from __future__ import annotations

import logging
import sys

from dataplane_jupyter.core.catalog.catalog import Catalog
from dataplane_jupyter.core.jobs.runner import run_job


def main(argv: list[str]) -> int:
    """Run one job of the catalog named by the DATAPLANE_* environment variables."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    job = run_job(Catalog(), argv[0])
    logging.info("job %s ended %s", job.id, job.status.value)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
