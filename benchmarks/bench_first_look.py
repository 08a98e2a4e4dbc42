"""Benchmark: "first look" of a CSV import, the time from the start of the import (the upload
is on disk) until the dataset shows rows, columns, types and a sample with ``partial: true``,
and until it is ready, through the Python API (default executor: the job runs in a worker).

    .venv/bin/python benchmarks/bench_first_look.py FILE.csv [--repeat 3]

The dataset is polled every 20 ms (``ds.info`` and ``ds.statistics()``); figures are medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def once(path: str) -> dict[str, float]:
    from dataplane_jupyter import Catalog
    from dataplane_jupyter.core.errors import InvalidState

    with tempfile.TemporaryDirectory(prefix="bench-look-") as home:
        project = Catalog(home).project("bench")
        start = time.perf_counter()
        ds = project.datasets.import_file(path)
        first = None
        while True:
            status = ds.info.status.value
            if first is None and status != "failed":  # the first look shows while copying (#13)
                try:
                    stats = ds.statistics()
                    if stats.get("columns") and stats.get("rows") is not None:
                        first = time.perf_counter() - start
                except InvalidState:
                    pass
            if status in ("ready", "failed"):
                break
            time.sleep(0.02)
        ready = time.perf_counter() - start
        if status == "failed":
            raise SystemExit(f"import failed: {ds.info.error}")
    return {"first_look": first if first is not None else ready, "ready": ready}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.repeat):
        load = os.getloadavg()[0]
        run = once(args.csv)
        runs.append(run)
        print(f"first look {run['first_look']:.2f} s, ready {run['ready']:.2f} s (load {load:.1f})", flush=True)
    print(f"median: first look {statistics.median(r['first_look'] for r in runs):.2f} s, "
          f"ready {statistics.median(r['ready'] for r in runs):.2f} s")


if __name__ == "__main__":
    main()
