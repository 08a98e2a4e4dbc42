"""Benchmark: a pipeline (PostgreSQL datasource → sql → predict → export to PostgreSQL) against the
same work written by hand with pandas + scikit-learn + SQLAlchemy.

The script starts its own throwaway PostgreSQL (tests/servers/postgres.py), loads a seeded table of
`--rows` rows, trains a scikit-learn model, then runs each tool in its own subprocess, which reports
its wall time and its own peak resident memory (``ru_maxrss``). dataplane runs the real run job
(thread executor, so the job runs inside the measured process): a fresh snapshot of the table is
imported as a dataset with statistics, the SQL runs in DuckDB over Parquet, the model predicts in
batches, the output is stored as a dataset with statistics, and the exporter writes it with COPY.
The hand-written versions read the whole table with ``pd.read_sql_table``, filter in pandas,
predict, and write with ``DataFrame.to_sql`` (default, then ``method="multi", chunksize=5_000``: PostgreSQL takes at most 65,535 parameters a statement).
Usage::

    .venv/bin/python benchmarks/bench_pipelines.py                  # 1,000,000 rows
    .venv/bin/python benchmarks/bench_pipelines.py --rows 100000
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
sys.path.insert(0, str(ROOT))

QUERY = "select customer, tenure, spend, visits, region from weekly where active = 1 and spend > 0"
FEATURES = ["tenure", "spend", "visits"]
TOOLS = [
    ("dataplane", "dataplane pipeline (snapshot + statistics, DuckDB SQL, batched predict, output + statistics, COPY export)"),
    ("pandas", "pandas read_sql_table + scikit-learn + to_sql (default)"),
    ("pandas-multi", "pandas read_sql_table + scikit-learn + to_sql(method='multi', chunksize=5_000)"),
]


def frame(rows: int, seed: int = 0):  # type: ignore[no-untyped-def]
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "customer": np.arange(rows, dtype="int64"),
        "tenure": rng.integers(1, 72, rows).astype("float64"),
        "spend": rng.normal(60, 30, rows).round(2),
        "visits": rng.poisson(4, rows).astype("int64"),
        "region": rng.choice(["north", "south", "east", "west", "centre"], rows),
        "active": rng.integers(0, 2, rows).astype("int64"),
    })


def load(url: str, rows: int, model_path: str) -> None:
    """Subprocess: write the table with COPY and train the model on a separate sample."""
    import io

    import joblib
    import psycopg
    import sqlalchemy as sa
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    data = frame(rows)
    engine = sa.create_engine(url)
    data.head(0).to_sql("customers", engine, index=False, if_exists="replace")
    engine.dispose()
    buffer = io.StringIO()
    data.to_csv(buffer, index=False, header=False)
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        with conn.cursor().copy("COPY customers FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
    training = frame(50_000, seed=1)
    model = make_pipeline(StandardScaler(), LogisticRegression())
    model.fit(training[FEATURES], (training["tenure"] * 2 + training["visits"] * 5 > 90).astype(int))
    joblib.dump(model, model_path)


def run_dataplane(url: str, model_path: str, work: Path) -> dict:
    import sqlalchemy as sa

    import dataplane_jupyter as dp

    address = sa.engine.make_url(url)
    catalog = dp.Catalog(work / "home", executor="thread")
    project = catalog.project("bench")
    project.connectors.create("pg", kind="sql", dialect="postgresql", host=address.host, port=address.port,
                              username=address.username, password=address.password, database=address.database)
    project.datasources.create("weekly", connector="pg", table="customers")
    project.exporters.create("scores", connector="pg", table="scores_dp", mode="overwrite")
    pipe = project.pipelines.create("scoring", base_dir=Path(model_path).parent, steps=[
        {"name": "weekly", "kind": "read", "datasource": "weekly"},
        {"name": "active", "kind": "sql", "query": QUERY},
        {"name": "scored", "kind": "predict", "input": "active", "model": Path(model_path).name, "features": FEATURES},
        {"name": "out", "kind": "export", "input": "scored", "exporter": "scores"},
    ])
    start = time.monotonic()
    run = pipe.run().wait()
    seconds = time.monotonic() - start
    return {"seconds": seconds, "rows": run.step("out").rows_out,
            "steps": {s.name: s.seconds for s in run.steps}}


def run_pandas(url: str, model_path: str, multi: bool) -> dict:
    import joblib
    import pandas as pd
    import sqlalchemy as sa

    start = time.monotonic()
    engine = sa.create_engine(url)
    weekly = pd.read_sql_table("customers", engine)
    active = weekly.loc[(weekly["active"] == 1) & (weekly["spend"] > 0),
                        ["customer", "tenure", "spend", "visits", "region"]]
    model = joblib.load(model_path)
    scored = active.assign(prediction=model.predict(active[FEATURES]))
    probabilities = model.predict_proba(active[FEATURES])
    for index, label in enumerate(model.classes_):
        scored[f"proba_{label}"] = probabilities[:, index]
    options = {"method": "multi", "chunksize": 5_000} if multi else {}
    scored.to_sql("scores_pd", engine, if_exists="replace", index=False, **options)
    engine.dispose()
    return {"seconds": time.monotonic() - start, "rows": len(scored)}


def child(args: argparse.Namespace) -> None:
    if args.tool == "load":
        load(args.url, args.rows, args.model)
        return
    if args.tool == "dataplane":
        result = run_dataplane(args.url, args.model, Path(args.work))
    else:
        result = run_pandas(args.url, args.model, multi=args.tool == "pandas-multi")
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--tool", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tool:
        child(args)
        return
    from tests.servers import postgres

    server = postgres.start()
    try:
        server.create_database("bench")
        url = server.url("bench")
        with tempfile.TemporaryDirectory(prefix="bench-pipelines-") as folder:
            work = Path(folder)
            model = str(work / "model.joblib")
            base = [sys.executable, __file__, "--url", url, "--model", model, "--rows", str(args.rows)]
            subprocess.run([*base, "--tool", "load"], check=True, timeout=args.timeout)
            print(f"{args.rows:,} rows in PostgreSQL; model trained", file=sys.stderr)
            results = {}
            for tool, label in TOOLS:
                out = subprocess.run([*base, "--tool", tool, "--work", str(work / tool)], capture_output=True,
                                     text=True, timeout=args.timeout, cwd=ROOT)
                if out.returncode != 0:
                    raise SystemExit(f"{tool} failed:\n{out.stderr[-3000:]}")
                results[tool] = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"{label}: {results[tool]}", file=sys.stderr)
    finally:
        server.stop()
    ours = results["dataplane"]
    print(f"\n{args.rows:,} rows; query keeps {ours['rows']:,}\n")
    print("| tool | rows exported | seconds | peak MiB | time vs dataplane | memory vs dataplane |")
    print("|---|---|---|---|---|---|")
    for tool, label in TOOLS:
        r = results[tool]
        print(f"| {label} | {r['rows']:,} | {r['seconds']:.1f} | {r['peak_mib']:,.0f} | "
              f"{r['seconds'] / ours['seconds']:.2f}x | {r['peak_mib'] / ours['peak_mib']:.2f}x |")
    print("\ndataplane per step (s): " + ", ".join(f"{k} {v:.1f}" for k, v in ours["steps"].items()))


if __name__ == "__main__":
    main()
