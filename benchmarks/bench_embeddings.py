"""Benchmark: dataplane's embeddings job vs what a notebook user would run instead.

Each run happens in its own subprocess, which reports its wall time and its own peak resident
memory (``ru_maxrss``; Linux keeps the parent's figure across fork + exec, so the data is
generated in a subprocess too and the parent stays small). dataplane runs its real job (``start_embeddings(...).wait()``, thread
executor so the job runs inside the measured process) on a dataset already imported in a
catalog; the alternatives read the same Parquet file with pandas. Usage::

    .venv/bin/python benchmarks/bench_embeddings.py                 # 100k and 1M rows
    .venv/bin/python benchmarks/bench_embeddings.py --rows 100000 --timeout 300
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = 50_000

# (tool, label) in the order of the table; "ours" rows first, the alternatives after.
TOOLS = [
    ("dp-pca", f"dataplane, PCA map, default sample ({SAMPLE:,} rows)"),
    ("dp-pca-all", "dataplane, PCA map, all rows"),
    ("dp-umap", f"dataplane, UMAP map, default sample ({SAMPLE:,} rows)"),
    ("pandas-pca", "pandas + scikit-learn PCA, all rows"),
    ("pandas-umap-sample", f"pandas + umap-learn, {SAMPLE:,}-row sample"),
    ("pandas-umap", "pandas + umap-learn, all rows"),
]
BASELINE = {"dp-pca": "dp-pca", "dp-pca-all": "dp-pca-all", "dp-umap": "dp-umap", "pandas-pca": "dp-pca-all",
            "pandas-umap-sample": "dp-umap", "pandas-umap": "dp-umap"}


def generate(path: Path, rows: int, seed: int = 0) -> None:
    """rows x 13 columns: 10 correlated numeric (2 % missing in two), 3 categorical (5/50/500 levels)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    chunk, writer = 250_000, None
    mix = rng.normal(size=(4, 10))
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        latent = rng.normal(size=(n, 4))
        values = latent @ mix + rng.normal(scale=0.5, size=(n, 10))
        columns = {f"x{i}": values[:, i] for i in range(10)}
        for i in (0, 1):
            columns[f"x{i}"][rng.random(n) < 0.02] = np.nan
        for i, levels in enumerate((5, 50, 500)):
            codes = np.clip((latent[:, i] * levels / 4 + levels / 2).astype(int), 0, levels - 1)
            columns[f"c{i}"] = np.char.add("level_", codes.astype(str))
        table = pa.table(columns)
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    writer.close()


def prepare_catalog(home: Path, parquet: Path) -> None:
    """Import the file as a ready dataset named "bench" (not timed)."""
    import pyarrow.parquet as pq

    sys.path.insert(0, str(ROOT))
    from dataplane_jupyter import Catalog

    Catalog(home, executor="thread").project("bench").datasets.from_arrow(
        pq.read_table(parquet), "bench").wait(timeout=3_600)


def child(tool: str, parquet: str, home: str) -> dict[str, object]:
    """Run one tool in this process; return time and peak memory."""
    start = time.perf_counter()
    if tool.startswith("dp-"):
        sys.path.insert(0, str(ROOT))
        from dataplane_jupyter import Catalog

        ds = Catalog(home, executor="thread").project("bench").datasets["bench"]
        options = {"dp-pca": {"method": "pca"}, "dp-pca-all": {"method": "pca", "sample_size": ds.rows},
                   "dp-umap": {"method": "umap"}}[tool]
        ds.compute_embeddings(**options).wait(timeout=None)
        points = len(ds.embeddings())
    else:
        points = _pandas(tool, parquet)
    end = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": end - start, "peak_mib": peak_kib / 1024, "points": points}


def _pandas(tool: str, parquet: str) -> int:
    """What a notebook user writes: read everything, one-hot, impute, scale, project."""
    import pandas as pd
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    frame = pd.read_parquet(parquet)
    if tool == "pandas-umap-sample":
        frame = frame.sample(n=min(SAMPLE, len(frame)), random_state=0)
    numeric = frame.select_dtypes("number")
    features = pd.concat([numeric.fillna(numeric.mean()), pd.get_dummies(frame.select_dtypes(exclude="number"))], axis=1)
    scaled = StandardScaler().fit_transform(features.to_numpy(dtype="float32"))
    if tool == "pandas-pca":
        return len(PCA(n_components=3, random_state=0).fit_transform(scaled))
    import umap

    return len(umap.UMAP(n_components=3, random_state=0).fit_transform(scaled))


def measure(tool: str, parquet: Path, home: Path, timeout: float) -> dict[str, object]:
    """One tool in a fresh subprocess; ``{"timeout": True}`` when it ran past ``timeout``."""
    cmd = [sys.executable, __file__, "--child", tool, str(parquet), str(home)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    if done.returncode < 0:
        return {"error": f"killed by signal {-done.returncode}"}  # -9: the kernel's out-of-memory killer
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def cell(result: dict[str, object], key: str, timeout: float) -> str:
    if result.get("timeout"):
        return f"> {timeout:.0f}" if key == "seconds" else "n/a"
    if "error" in result:
        return str(result["error"]) if key == "seconds" else "error"
    return f"{float(result[key]):,.1f}"


def ratio(other: dict[str, object], ours: dict[str, object], key: str, timeout: float) -> str:
    if "error" in other or "error" in ours or ours.get("timeout"):
        return "n/a"
    if other.get("timeout"):
        return f"> {timeout / float(ours[key]):.1f}x" if key == "seconds" else "n/a"
    return f"{float(other[key]) / float(ours[key]):.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--tools", nargs="+", default=[t for t, _ in TOOLS], help="a subset of runs (baselines first)")
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "PARQUET", "HOME"))
    parser.add_argument("--prepare", nargs=3, metavar=("ROWS", "PARQUET", "HOME"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    if args.prepare:
        generate(Path(args.prepare[1]), int(args.prepare[0]))
        prepare_catalog(Path(args.prepare[2]), Path(args.prepare[1]))
        return
    import importlib.util

    tools = [(t, label) for t, label in TOOLS
             if t in args.tools and ("umap" not in t or importlib.util.find_spec("umap"))]
    print("| rows | run | seconds | peak MiB | points | time vs dataplane | memory vs dataplane |")
    print("|---|---|---|---|---|---|---|")
    for rows in args.rows:
        with tempfile.TemporaryDirectory(prefix="bench-emb-") as tmp:
            parquet, home = Path(tmp) / "data.parquet", Path(tmp) / "home"
            subprocess.run([sys.executable, __file__, "--prepare", str(rows), str(parquet), str(home)], check=True)
            results: dict[str, dict[str, object]] = {}
            for tool, label in tools:
                results[tool] = r = measure(tool, parquet, home, args.timeout)
                ours = results.get(BASELINE[tool], {"error": "baseline not run"})
                versus = ("(baseline)", "(baseline)") if BASELINE[tool] == tool else (
                    ratio(r, ours, "seconds", args.timeout), ratio(r, ours, "peak_mib", args.timeout))
                print(f"| {rows:,} | {label} | {cell(r, 'seconds', args.timeout)} | {cell(r, 'peak_mib', args.timeout)} | "
                      f"{r.get('points', 'n/a')} | {versus[0]} | {versus[1]} |", flush=True)


if __name__ == "__main__":
    main()
