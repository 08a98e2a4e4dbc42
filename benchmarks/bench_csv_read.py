"""Benchmark: the CSV reader alone (CSV -> typed Parquet), ours against the bare readers.

Each reader runs in its own subprocess (wall time and its own peak RSS), interleaved, several
rounds; the table gives medians. Readers:

- **dataplane**: ``detect_csv_format`` + ``csv_to_parquet`` (detection, every type rule,
  bad-row handling, typed Parquet);
- **duckdb**: ``COPY (SELECT * FROM read_csv(FILE)) TO 'out.parquet'`` (its own sniffer);
- **pyarrow**: ``pyarrow.csv.open_csv`` streamed into a ``ParquetWriter``;
- **pandas**: ``read_csv`` + ``to_parquet``.

Usage::

    .venv/bin/python benchmarks/bench_csv_read.py --rows 1000000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("dataplane", "duckdb", "pyarrow", "pandas")


def child(tool: str, csv_path: str, out: str) -> dict[str, float]:
    start = time.perf_counter()
    if tool == "dataplane":
        sys.path.insert(0, str(ROOT))
        from dataplane_jupyter.core.ingest import csv_to_parquet, detect_csv_format

        with open(csv_path, "rb") as f:
            fmt = detect_csv_format(f, source="bench.csv")
            csv_to_parquet(f, out, fmt, source="bench.csv")
    elif tool == "duckdb":
        import duckdb

        duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_path}')) TO '{out}' (FORMAT parquet)")
    elif tool == "pyarrow":
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        reader = pacsv.open_csv(csv_path, read_options=pacsv.ReadOptions(block_size=8 << 20))
        with pq.ParquetWriter(out, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
    elif tool == "pandas":
        import pandas as pd

        pd.read_csv(csv_path).to_parquet(out)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--csv", default=None, help="use this CSV instead of generating one")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "CSV", "OUT"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_statistics import generate_mixed

    with tempfile.TemporaryDirectory(prefix="bench-csv-read-") as tmp:
        path = Path(args.csv) if args.csv else Path(tmp) / "mixed.csv"
        if not args.csv:
            generate_mixed(path, args.rows)
        tools = args.tools.split(",")
        runs: dict[str, list[dict[str, float]]] = {t: [] for t in tools}
        for _ in range(args.rounds):
            for tool in tools:
                out = Path(tmp) / f"{tool}.parquet"
                done = subprocess.run([sys.executable, __file__, "--child", tool, str(path), str(out)],
                                      capture_output=True, text=True, check=True)
                runs[tool].append(json.loads(done.stdout.strip().splitlines()[-1]))
                out.unlink(missing_ok=True)
        mb = path.stat().st_size / 1e6
        ours = statistics.median(r["seconds"] for r in runs[tools[0]])
        print(f"{path.name}: {mb:,.0f} MB, {args.rounds} rounds, medians")
        print("| tool | seconds | peak MiB | time vs first |")
        print("|---|---|---|---|")
        for tool in tools:
            s = statistics.median(r["seconds"] for r in runs[tool])
            m = statistics.median(r["peak_mib"] for r in runs[tool])
            print(f"| {tool} | {s:.2f} | {m:,.0f} | {s / ours:.2f}x |")


if __name__ == "__main__":
    main()
