"""The issue's pipeline on real servers: a PostgreSQL datasource → sql → predict (a scikit-learn
model trained here) → export to SFTP and to S3, read back from the servers; params switch the
exporter for one run; the exporters' history shows the pipeline run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import sqlalchemy as sa
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import dataplane_jupyter as dp
from tests.connectors.test_files import s3_target, sftp_target
from tests.connectors.test_sql import postgres_target


def customers(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"customer": np.arange(n), "tenure": rng.integers(1, 60, n).astype(float),
                         "spend": rng.normal(50, 20, n).round(2), "active": rng.integers(0, 2, n)})


def test_postgres_to_sql_to_predict_to_sftp_and_s3(catalog: dp.Catalog, postgres_server: Any, sftp_server: Any,
                                                   s3_server: Any, unique: str, tmp_path: Path) -> None:
    pg = postgres_target(postgres_server, unique)
    engine = sa.create_engine(postgres_server.url(pg.config["database"]))
    rows = customers(500, 1)
    rows.to_sql("customers", engine, index=False)
    engine.dispose()
    training = customers(300, 2)
    model = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=20, random_state=0))
    model.fit(training[["tenure", "spend"]], (training["tenure"] > 30).astype(int))
    joblib.dump(model, tmp_path / "churn.joblib")

    project = catalog.project("p")
    project.connectors.create("wh", kind="sql", **pg.config, **pg.secrets)
    project.datasources.create("weekly", connector="wh", table="customers")
    sftp = sftp_target(sftp_server, unique, {"password": sftp_server.password})
    project.connectors.create("files", kind="sftp", **sftp.config, **sftp.secrets)
    project.exporters.create("to_sftp", connector="files", path=f"/{unique}/scores.csv", mode="overwrite")
    s3 = s3_target(s3_server, unique)
    project.connectors.create("bucket", kind="s3", **s3.config, **s3.secrets)
    project.exporters.create("to_s3", connector="bucket", bucket=unique, path="scores/", mode="overwrite",
                             file_format="parquet")

    pipe = project.pipelines.create("scoring", base_dir=tmp_path, steps=[
        {"name": "weekly", "kind": "read", "datasource": "weekly"},
        {"name": "active", "kind": "sql", "query": "select customer, tenure, spend from weekly where active = 1"},
        {"name": "scored", "kind": "predict", "input": "active", "model": "churn.joblib", "batch_rows": 64},
        {"name": "out", "kind": "export", "input": "scored", "exporter": "to_sftp"},
    ])
    run = pipe.run().wait(timeout=240)

    expected = rows[rows["active"] == 1].sort_values("customer").reset_index(drop=True)
    predicted = model.predict(expected[["tenure", "spend"]])
    written = pacsv.read_csv(sftp_server.root / unique / "scores.csv").to_pandas().sort_values("customer")
    assert list(written["customer"]) == list(expected["customer"])
    assert list(written["prediction"]) == list(predicted)
    assert {"proba_0", "proba_1"} <= set(written.columns)
    steps = {s.name: s for s in run.steps}
    assert steps["weekly"].rows_out == 500 and steps["weekly"].dataset_role == "snapshot"
    assert steps["active"].rows_out == steps["out"].rows_out == len(expected)
    snapshot = project.datasets[steps["weekly"].dataset]
    assert snapshot.origin == "datasource" and snapshot.status == "ready" and snapshot.rows == 500
    output = project.datasets[run.outputs["scored"]]
    assert output.origin == "pipeline_output" and output.statistics()["summary"]["rows"] == len(expected)
    history = project.exporters["to_sftp"].history()
    assert [(h.status, h.pipeline_run_id, h.dataset_name) for h in history] == [("succeeded", run.id, output.name)]
    assert run.lineage()["exports"][0]["location"].endswith(f"/{unique}/scores.csv")

    again = pipe.run(params={"out": {"exporter": "to_s3"}}).wait(timeout=240)
    body = s3_server.client().get_object(Bucket=unique, Key=f"scores/{again.outputs['scored']}.parquet")["Body"]
    table = pq.read_table(pa.BufferReader(body.read())).to_pandas().sort_values("customer")
    assert list(table["prediction"]) == list(predicted)
    assert again.step("weekly").dataset != steps["weekly"].dataset  # a fresh snapshot at every run
    assert [h.pipeline_run_id for h in project.exporters["to_s3"].history()] == [again.id]
