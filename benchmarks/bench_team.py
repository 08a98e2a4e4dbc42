"""Team deployment figures (issue #18), through the product path.

storage: a 1,000,000-row x 20-column CSV imported with statistics (`import_file(...).wait()`,
  default `process` executor) into local storage (the default) and into an S3 bucket (the S3
  test server of the suite, moto, on 127.0.0.1), then a 20-row sample and a CSV download
  streamed from the storage (`Dataset.iter_bytes`, what the server sends).
dask: the statistics of a 10,000,000-row x 12-column dataset (stored by `from_arrow`, row groups
  of 131,072 rows) computed by the statistics job on one machine (`thread` executor, no Dask),
  on a Dask LocalCluster of one worker process and of two, each worker with a memory limit
  smaller than the dataset in memory; the figures are compared with the one-machine ones.

    .venv/bin/python benchmarks/bench_team.py storage --rows 1000000
    .venv/bin/python benchmarks/bench_team.py dask --rows 10000000 --memory-limit 768MiB
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def load() -> float:
    return os.getloadavg()[0]


def storage_bench(args: argparse.Namespace) -> list[dict[str, Any]]:
    import dataplane_jupyter as dp
    from benchmarks.bench_statistics import generate_mixed
    from tests.servers import s3

    work = Path(tempfile.mkdtemp(prefix="bench-team-"))
    csv = work / "mixed.csv"
    generate_mixed(csv, args.rows)
    server = s3.start()
    results = []
    try:
        os.environ.update({"AWS_ACCESS_KEY_ID": server.admin.access_key_id,
                           "AWS_SECRET_ACCESS_KEY": server.admin.secret_access_key,
                           "AWS_DEFAULT_REGION": server.region, "AWS_ENDPOINT_URL": server.endpoint_url,
                           "AWS_EC2_METADATA_DISABLED": "true"})
        server.client().create_bucket(Bucket="bench", CreateBucketConfiguration={"LocationConstraint": server.region})
        order = ["local", "s3"]
        for round_ in range(args.repeat):
            for where in order if round_ % 2 == 0 else order[::-1]:
                home = work / f"home-{where}-{round_}"
                url = f"s3://bench/{where}-{round_}" if where == "s3" else None
                catalog = dp.Catalog(home, storage_url=url, executor="process")
                project = catalog.project("p")
                start_load, cpu0, t0 = load(), cpu_seconds(), time.perf_counter()
                ds = project.datasets.import_file(csv, name="mixed").wait(timeout=args.timeout)
                imported = time.perf_counter() - t0
                cpu = cpu_seconds() - cpu0
                t1 = time.perf_counter()
                ds.sample(20)
                sample = time.perf_counter() - t1
                t2 = time.perf_counter()
                size = sum(len(chunk) for chunk in ds.iter_bytes("csv"))
                download = time.perf_counter() - t2
                results.append({"storage": where, "round": round_, "rows": ds.rows, "import_stats_s": round(imported, 1),
                                "cpu_s": round(cpu, 1), "sample_s": round(sample, 2),
                                "csv_download_s": round(download, 1), "csv_mb": round(size / 1e6, 1),
                                "parquet_mb": round(catalog.storage.size(ds._folder) / 1e6, 1),
                                "load": [round(start_load, 1), round(load(), 1)]})
                print(json.dumps(results[-1]), flush=True)
    finally:
        server.stop()
    return results


def mixed_table(rows: int, seed: int = 3) -> Any:
    """rows x 12: 6 float, 2 int, 2 categorical, 1 boolean, 1 short text (1,000 values)."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    parts = []
    chunk = 1_000_000
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        base = rng.normal(size=n)
        cols: dict[str, Any] = {f"f{i}": np.round(base * (i + 1) + rng.normal(size=n), 4) for i in range(6)}
        cols["i0"] = rng.integers(0, 1000, n)
        cols["i1"] = rng.integers(0, 10 ** 9, n)
        cols["c0"] = pa.array(np.char.add("level_", rng.integers(0, 5, n).astype(str)))
        cols["c1"] = pa.array(np.char.add("level_", rng.integers(0, 300, n).astype(str)))
        cols["flag"] = rng.random(n) < 0.3
        cols["note"] = pa.array(np.char.add("customer said item ", rng.integers(0, 1000, n).astype(str)))
        parts.append(pa.table(cols))
    return pa.concat_tables(parts)


class PeakWorkerMemory:
    """Highest resident memory of any worker process, polled every 0.5 s through the scheduler."""

    def __init__(self, address: str) -> None:
        from distributed import Client

        self.client = Client(address, set_as_default=False)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                info = self.client.scheduler_info()["workers"]
                self.peak = max([self.peak, *(w["metrics"]["memory"] for w in info.values())])
            except Exception:  # noqa: BLE001, S110 - a worker restarting: poll again
                pass
            self._stop.wait(0.5)

    def __enter__(self) -> "PeakWorkerMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.client.close()


def dask_bench(args: argparse.Namespace) -> list[dict[str, Any]]:
    from distributed import LocalCluster

    import dataplane_jupyter as dp
    from tests.core.test_dask_executor import assert_same_statistics

    work = Path(tempfile.mkdtemp(prefix="bench-team-dask-"))
    table = mixed_table(args.rows)
    in_memory = table.nbytes
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    results: list[dict[str, Any]] = []
    reference = None
    for setup in ["one machine", "1 worker", "2 workers"]:
        home = work / setup.replace(" ", "-")
        cluster = None
        if setup == "one machine":
            catalog = dp.Catalog(home, executor="thread")
        else:
            cluster = LocalCluster(n_workers=int(setup[0]), threads_per_worker=2, processes=True, host="127.0.0.1",
                                   memory_limit=args.memory_limit, dashboard_address=":0", silence_logs=40)
            catalog = dp.Catalog(home, executor="dask", dask_address=cluster.scheduler_address)
        try:
            project = catalog.project("p")
            start_load, cpu0 = load(), cpu_seconds()
            monitor = PeakWorkerMemory(cluster.scheduler_address) if cluster else None
            if monitor:
                monitor.__enter__()
            t0 = time.perf_counter()
            ds = project.datasets.from_arrow(table, "big", origin="upload")
            stored = time.perf_counter() - t0
            ds.wait(timeout=args.timeout)
            total = time.perf_counter() - t0
            if monitor:
                monitor.__exit__()
            job = catalog.jobs.get(ds.info.job_id)
            stats = ds.statistics()
            stats.pop("partial")
            same = "reference"
            if reference is None:
                reference = stats
            else:
                try:
                    assert_same_statistics(stats, reference)
                    same = "identical (floats to 1e-9)"
                except AssertionError as error:
                    same = f"differs: {str(error)[:160]}"
            results.append({
                "setup": setup, "rows": ds.rows, "statistics_s": round(total - stored, 1), "store_s": round(stored, 1),
                "cpu_s_this_process_tree": round(cpu_seconds() - cpu0, 1),
                "spread": {k: v for k, v in (job.result or {}).items() if k in ("partitions", "workers")},
                "worker_memory_limit": args.memory_limit if cluster else None,
                "peak_worker_rss_mib": round(monitor.peak / 2 ** 20) if monitor else None,
                "dataset_in_memory_mib": round(in_memory / 2 ** 20),
                "parquet_mib": round(catalog.storage.size(ds._folder) / 2 ** 20),
                "figures": same, "load": [round(start_load, 1), round(load(), 1)],
            })
            print(json.dumps(results[-1]), flush=True)
        finally:
            if cluster is not None:
                cluster.close(timeout=60)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["storage", "dask"])
    parser.add_argument("--rows", type=int)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--memory-limit", default="768MiB")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    if args.what == "storage":
        args.rows = args.rows or 1_000_000
        results = storage_bench(args)
    else:
        args.rows = args.rows or 10_000_000
        results = dask_bench(args)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
