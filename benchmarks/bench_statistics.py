"""Benchmark: CSV import + statistics of dataplane vs what a notebook user would run instead.

Each tool runs in its own subprocess, which reports its wall time and its own peak resident
memory (``ru_maxrss``), so one tool's memory never counts for another. Usage::

    .venv/bin/python benchmarks/bench_statistics.py                      # pandas only
    .venv/bin/python benchmarks/bench_statistics.py --ydata-python /tmp/ydata-venv/bin/python
    git archive <commit> dataplane_jupyter | tar -x -C /tmp/dp-before
    .venv/bin/python benchmarks/bench_statistics.py --before-root /tmp/dp-before

``--ydata-python`` names an interpreter with ``ydata-profiling`` installed (kept out of the
project's environment: it pins older numpy/pandas); without it, or when that interpreter
cannot import ``ydata_profiling``, the tool is skipped and the output says so.
``--before-root`` names a folder holding another version of ``dataplane_jupyter`` (e.g. the
commit before a change), measured in the same run as "dataplane (before)".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def child(tool: str, csv_path: str, workdir: str, root: str) -> dict[str, object]:
    """Run one tool on one file in this process; return time and peak memory."""
    start = time.perf_counter()
    if tool == "dataplane":
        sys.path.insert(0, root)
        from dataplane_jupyter.core.ingest import csv_to_parquet, detect_csv_format
        from dataplane_jupyter.core.stats import compute_statistics

        dest = os.path.join(workdir, "out.parquet")
        with open(csv_path, "rb") as f:
            fmt = detect_csv_format(f, source=csv_path)
            csv_to_parquet(f, dest, fmt, source=csv_path)
        imported = time.perf_counter()
        json.dumps(compute_statistics(dest))
    elif tool == "pandas":
        import pandas as pd

        frame = pd.read_csv(csv_path)
        imported = time.perf_counter()
        frame.describe(include="all")
        frame.corr(numeric_only=True)
    elif tool == "ydata":
        import pandas as pd
        from ydata_profiling import ProfileReport

        frame = pd.read_csv(csv_path)
        imported = time.perf_counter()
        ProfileReport(frame, minimal=False, progress_bar=False).get_description()
    else:
        raise SystemExit(f"unknown tool {tool}")
    end = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": end - start, "import_seconds": imported - start, "peak_mib": peak_kib / 1024}


def measure(python: str, tool: str, csv_path: Path, timeout: float,
            root: Path = ROOT) -> dict[str, object]:
    """One tool in a fresh subprocess; ``{"timeout": True}`` when it ran past ``timeout``."""
    with tempfile.TemporaryDirectory() as work:
        cmd = [python, __file__, "--child", tool, str(csv_path), work, str(root)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"timeout": True}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def cell(result: dict[str, object], key: str) -> str:
    if result.get("timeout"):
        return "timeout"
    if "error" in result:
        return "error"
    return f"{result[key]:.1f}"


def ratio(other: dict[str, object], ours: dict[str, object], key: str, timeout: float) -> str:
    if "error" in other or "error" in ours or ours.get("timeout"):
        return "n/a"
    if other.get("timeout"):
        # only the total time is known to exceed the timeout
        return f"> {timeout / float(ours[key]):.0f}x" if key == "seconds" else "n/a"
    return f"{float(other[key]) / float(ours[key]):.1f}x"


def ydata_available(python: str | None) -> bool:
    """True when ``python`` can import ydata_profiling; otherwise say why it is skipped."""
    if not python:
        print("ydata-profiling: skipped (no --ydata-python given)")
        return False
    try:
        done = subprocess.run([python, "-c", "import ydata_profiling"], capture_output=True,
                              timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"ydata-profiling: skipped ({python} cannot run: {exc})")
        return False
    if done.returncode != 0:
        print(f"ydata-profiling: skipped ({python} cannot import ydata_profiling)")
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--wide-rows", type=int, default=100_000)
    parser.add_argument("--wide-columns", type=int, default=300)
    parser.add_argument("--ydata-python", default=None)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--before-root", default=None,
                        help="folder with an older dataplane_jupyter to measure too")
    parser.add_argument("--child", nargs=4, metavar=("TOOL", "CSV", "WORKDIR", "ROOT"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    # (label, tool, interpreter, code root)
    tools = [("dataplane", "dataplane", sys.executable, ROOT)]
    if args.before_root:
        tools.append(("dataplane (before)", "dataplane", sys.executable,
                      Path(args.before_root).resolve()))
    tools.append(("pandas", "pandas", sys.executable, ROOT))
    if ydata_available(args.ydata_python):
        tools.append(("ydata-profiling", "ydata", args.ydata_python, ROOT))
    with tempfile.TemporaryDirectory(prefix="bench-stats-") as tmp:
        cases = [(f"{args.rows:,} rows x 20 mixed columns", Path(tmp) / "mixed.csv",
                  lambda p: generate_mixed(p, args.rows)),
                 (f"{args.wide_rows:,} rows x {args.wide_columns} numeric columns",
                  Path(tmp) / "wide.csv",
                  lambda p: generate_wide(p, args.wide_rows, args.wide_columns))]
        print("| case | CSV MB | tool | total s | of which read s | peak MiB | time vs dataplane"
              " | read vs dataplane | memory vs dataplane |")
        print("|---|---|---|---|---|---|---|---|---|")
        for label, path, make in cases:
            make(path)
            size = path.stat().st_size / 1e6
            results = {name: measure(py, tool, path, args.timeout, root)
                       for name, tool, py, root in tools}
            ours = results["dataplane"]
            for name, *_ in tools:
                r = results[name]
                print(f"| {label} | {size:.0f} | {name} | {cell(r, 'seconds')} | "
                      f"{cell(r, 'import_seconds')} | {cell(r, 'peak_mib')} | "
                      f"{ratio(r, ours, 'seconds', args.timeout)} | "
                      f"{ratio(r, ours, 'import_seconds', args.timeout)} | "
                      f"{ratio(r, ours, 'peak_mib', args.timeout)} |", flush=True)


if __name__ == "__main__":
    main()
