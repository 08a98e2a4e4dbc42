"""Benchmark: CSV import + full statistics in dataplane vs what a user would run instead.

One run measures, side by side and interleaved (round r runs the tools in a rotated order):

- **dataplane**: the product path a new user takes, ``dataplane --json datasets import FILE
  --wait`` (fresh data home, the default executor: the job runs in a worker process), until the
  dataset is ready with its statistics;
- **pandas**: ``read_csv`` + ``describe(include="all")`` + ``corr(numeric_only=True)`` +
  ``value_counts()`` of every non-numeric column + a 20-bin ``np.histogram`` and the 5/25/50/
  75/95 % quantiles of every numeric column;
- **polars**: ``pl.scan_csv(FILE).sink_parquet(OUT)``, the bare streaming import (no
  statistics at all);
- **ydata-profiling** (``--ydata-python``, an interpreter where it is installed; once, with the
  timeout): ``read_csv`` + ``ProfileReport(minimal=False).get_description()``; skipped, and
  said so, when that interpreter cannot import it;
- **dataplane (before)** (``--before-root``): another checkout of ``dataplane_jupyter`` through
  the same CLI.

Each run is its own process tree; wall time is measured from start to exit and the peak memory
is the highest sum of the resident memory of the process and all its descendants (the import
worker included), polled every 50 ms with psutil. Figures are medians over ``--repeat`` rounds.
The machine load (1-minute load average) is printed for every run, and the CPU seconds of the
whole tree (``RUSAGE_CHILDREN``), steadier than wall time on a busy machine. Usage::

    .venv/bin/python benchmarks/bench_statistics.py                  # 1M x 20 and 100k x 300
    .venv/bin/python benchmarks/bench_statistics.py --large          # + 10M x 20 (2.4 GB CSV)
    .venv/bin/python benchmarks/bench_statistics.py --ydata-python /tmp/ydata-venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95]


def generate_mixed(path: Path, rows: int, seed: int = 0) -> None:
    """rows x 20 columns: 8 float, 4 int, 4 categorical, 2 dates, 1 boolean, 1 short text."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    chunk = 200_000
    with open(path, "w") as out:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            base = rng.normal(size=n)
            cols = {f"f{i}": np.round(base * (i + 1) + rng.normal(size=n), 4) for i in range(8)}
            cols.update({f"i{i}": rng.integers(0, 10 ** (i + 2), n) for i in range(4)})
            for i, levels in enumerate((5, 40, 300, 1500)):
                cols[f"c{i}"] = np.char.add("level_", rng.integers(0, levels, n).astype(str))
            days = rng.integers(0, 3650, n)
            cols["d0"] = (np.datetime64("2015-01-01") + days).astype(str)
            cols["d1"] = (np.datetime64("2015-01-01T00:00:00") + days * 86400
                          + rng.integers(0, 86400, n)).astype(str)
            cols["flag"] = np.where(rng.random(n) < 0.3, "true", "false")
            cols["note"] = np.char.add("customer said item ", rng.integers(0, 50_000, n).astype(str))
            frame = pd.DataFrame(cols)
            frame.loc[rng.random(n) < 0.02, "f0"] = np.nan
            frame.to_csv(out, index=False, header=start == 0)


def generate_wide(path: Path, rows: int, columns: int, seed: int = 1) -> None:
    """rows x columns float columns sharing a few latent factors (so correlations are real)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    chunk = 20_000
    mix = rng.normal(size=(5, columns))
    with open(path, "w") as out:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            values = rng.normal(size=(n, 5)) @ mix + rng.normal(size=(n, columns))
            frame = pd.DataFrame(np.round(values, 4), columns=[f"x{i}" for i in range(columns)])
            frame.to_csv(out, index=False, header=start == 0)


# ---------------------------------------------------------------- the tools, in child processes

def child(tool: str, csv_path: str, workdir: str) -> None:
    """Run one alternative tool on one file in this process."""
    if tool == "pandas":
        import numpy as np
        import pandas as pd

        frame = pd.read_csv(csv_path)
        frame.describe(include="all")
        frame.corr(numeric_only=True)
        numeric = frame.select_dtypes("number")
        for name in frame.columns.difference(numeric.columns):
            frame[name].value_counts()
        for name in numeric.columns:
            np.histogram(numeric[name].dropna(), bins=20)
        numeric.quantile(QUANTILES)
    elif tool == "polars":
        import polars as pl

        pl.scan_csv(csv_path).sink_parquet(os.path.join(workdir, "out.parquet"))
    elif tool == "ydata":
        import pandas as pd
        from ydata_profiling import ProfileReport

        frame = pd.read_csv(csv_path)
        ProfileReport(frame, minimal=False, progress_bar=False).get_description()
    else:
        raise SystemExit(f"unknown tool {tool}")


def command(tool: str, csv_path: Path, workdir: str, python: str, root: Path) -> list[str]:
    if tool == "dataplane":
        return [python, "-m", "dataplane_jupyter.cli", "--home", os.path.join(workdir, "home"),
                "--json", "datasets", "import", str(csv_path), "--wait"]
    return [python, __file__, "--child", tool, str(csv_path), workdir]


def tree_rss(process: "psutil.Process") -> int:  # noqa: F821 (imported where measured)
    import psutil

    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def measure(tool: str, csv_path: Path, timeout: float, python: str, root: Path) -> dict[str, object]:
    """One run in a fresh process tree: seconds, peak MiB of the tree, load before it."""
    import resource

    import psutil  # the parent only: the children may run in another venv (ydata-profiling)

    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory(prefix="bench-run-") as work:
        env = {**os.environ, "PYTHONPATH": str(root)}
        start = time.perf_counter()
        # cwd: `python -m` puts the working directory first on sys.path, before PYTHONPATH; run
        # from a checkout, it would measure that checkout instead of `root`
        process = psutil.Popen(command(tool, csv_path, work, python, root), env=env, cwd=work,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss(process))
            if time.perf_counter() - start > timeout:
                for p in [*process.children(recursive=True), process]:
                    try:
                        p.kill()
                    except psutil.NoSuchProcess:
                        pass
                process.wait()
                return {"timeout": True, "load": load}
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        out, err = process.communicate()
    if process.returncode != 0:
        tail = (err or out).decode(errors="replace").strip().splitlines()[-3:]
        return {"error": " / ".join(tail), "load": load}
    if tool == "dataplane":
        try:
            info = json.loads(out.decode())
        except ValueError:
            return {"error": f"unexpected output: {out.decode()[-200:]!r}", "load": load}
        if not isinstance(info, dict) or info.get("status") != "ready":
            return {"error": f"status {info.get('status')}: {info.get('error')}", "load": load}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the tree's CPU, workers included
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak / 2 ** 20, "load": load}


def ydata_available(python: str | None) -> bool:
    """True when ``python`` can import ydata_profiling; otherwise say why it is skipped."""
    if not python:
        print("ydata-profiling: skipped (no --ydata-python given)")
        return False
    try:
        done = subprocess.run([python, "-c", "import ydata_profiling"], capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"ydata-profiling: skipped ({python} cannot run: {exc})")
        return False
    if done.returncode != 0:
        print(f"ydata-profiling: skipped ({python} cannot import ydata_profiling)")
        return False
    return True


# ---------------------------------------------------------------- report

def summarise(runs: list[dict[str, object]], timeout: float) -> dict[str, object]:
    good = [r for r in runs if "seconds" in r]
    if not good:
        bad = runs[0] if runs else {}
        return {"text": f"> {timeout:.0f} (killed)" if bad.get("timeout") else f"error: {bad.get('error')}"}
    return {"seconds": statistics.median(float(r["seconds"]) for r in good),
            "peak_mib": statistics.median(float(r["peak_mib"]) for r in good),
            "max_peak_mib": max(float(r["peak_mib"]) for r in good),
            "cpu_seconds": statistics.median(float(r.get("cpu_seconds", "nan")) for r in good),
            "all": [round(float(r["seconds"]), 1) for r in runs if "seconds" in r],
            "loads": [round(float(r["load"]), 1) for r in runs]}


def ratio(a: dict[str, object], b: dict[str, object], key: str = "seconds") -> str:
    if key not in a or key not in b:
        return "n/a"
    return f"{float(a[key]) / float(b[key]):.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--wide-rows", type=int, default=100_000)
    parser.add_argument("--wide-columns", type=int, default=300)
    parser.add_argument("--large", action="store_true", help="also 10,000,000 rows x 20 columns")
    parser.add_argument("--only-large", action="store_true", help="only the 10,000,000-row case")
    parser.add_argument("--skip-wide", action="store_true", help="leave out the 100k x 300 case")
    parser.add_argument("--large-rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (medians are reported)")
    parser.add_argument("--ydata-python", default=None)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--before-root", default=None,
                        help="folder with an older dataplane_jupyter, measured as 'dataplane (before)'")
    parser.add_argument("--data-dir", default=None, help="keep the generated CSV files here")
    parser.add_argument("--json-out", default=None, help="write every run here")
    parser.add_argument("--tools", default=None,
                        help="comma-separated subset: dataplane,pandas,polars,before,ydata")
    parser.add_argument("--generate-only", action="store_true", help="write the CSV files and stop")
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "CSV", "WORKDIR"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    # (label, tool, interpreter, code root, rounds)
    tools = [("dataplane", "dataplane", sys.executable, ROOT, args.repeat),
             ("pandas", "pandas", sys.executable, ROOT, args.repeat),
             ("polars sink_parquet", "polars", sys.executable, ROOT, args.repeat)]
    if args.before_root:
        tools.append(("dataplane (before)", "dataplane", sys.executable,
                      Path(args.before_root).resolve(), args.repeat))
    if ydata_available(args.ydata_python):
        tools.append(("ydata-profiling", "ydata", args.ydata_python, ROOT, 1))
    import psutil

    if args.tools:
        keep = set(args.tools.split(","))
        tools = [t for t in tools if ("before" if t[0] == "dataplane (before)" else t[1]) in keep]
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"load average at start {os.getloadavg()}")
    data = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="bench-stats-"))
    data.mkdir(parents=True, exist_ok=True)
    cases = [(f"{args.rows:,} rows x 20 mixed", data / f"mixed-{args.rows}.csv",
              lambda p: generate_mixed(p, args.rows)),
             (f"{args.wide_rows:,} rows x {args.wide_columns} numeric",
              data / f"wide-{args.wide_rows}-{args.wide_columns}.csv",
              lambda p: generate_wide(p, args.wide_rows, args.wide_columns))]
    if args.only_large:
        cases = []
    elif args.skip_wide:
        cases = cases[:1]
    if args.large or args.only_large:
        cases.append((f"{args.large_rows:,} rows x 20 mixed", data / f"mixed-{args.large_rows}.csv",
                      lambda p: generate_mixed(p, args.large_rows)))
    everything: dict[str, dict[str, list[dict[str, object]]]] = {}
    table = ["| case | CSV MB | tool | median s | runs s | CPU s (median) | peak MiB (median / max) |"
             " load during runs | dataplane time vs this | dataplane CPU vs this | this peak vs dataplane |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for label, path, make in cases:
        if not path.exists():
            make(path)
        if args.generate_only:
            continue
        size = path.stat().st_size / 1e6
        runs: dict[str, list[dict[str, object]]] = {name: [] for name, *_ in tools}
        for r in range(args.repeat):
            order = tools[r % len(tools):] + tools[:r % len(tools)]
            for name, tool, python, root, rounds in order:
                if r >= rounds:
                    continue
                result = measure(tool, path, args.timeout, python, root)
                runs[name].append(result)
                print(f"  {label} | round {r + 1} | {name}: {json.dumps(result)}", flush=True)
        everything[label] = runs
        summary = {name: summarise(results, args.timeout) for name, results in runs.items()}
        ours = summary.get("dataplane", {})
        for name, *_ in tools:
            s = summary[name]
            if "seconds" not in s:
                table.append(f"| {label} | {size:.0f} | {name} | {s['text']} | | | | | | | |")
                continue
            table.append(
                f"| {label} | {size:.0f} | {name} | {s['seconds']:.1f} | {s['all']} | "
                f"{s['cpu_seconds']:.1f} | {s['peak_mib']:,.0f} / {s['max_peak_mib']:,.0f} | {s['loads']} | "
                f"{ratio(ours, s)} | {ratio(ours, s, 'cpu_seconds')} | {ratio(s, ours, 'peak_mib')} |")
    print("\n".join(table))
    print("'dataplane time vs this' = dataplane's median time / this tool's (below 1: dataplane is faster);"
          " 'this peak vs dataplane' = this tool's median peak memory / dataplane's.")
    print(f"load average at end {os.getloadavg()}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(everything, indent=1))


if __name__ == "__main__":
    main()
