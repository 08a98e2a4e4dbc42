"""Exporters and export runs over REST, through a real jupyter_server (jobs in worker processes)."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

import dataplane_jupyter as dp

from .rest import RUN_ENDS, wait_status


async def wait_run(api, run_id: str) -> dict:
    return await wait_status(api, f"projects/p/export-runs/{run_id}", RUN_ENDS)


@pytest.mark.team
async def test_exporter_lifecycle_export_history_and_errors(api, isolated_home, tmp_path):
    out = tmp_path / "out.db"
    sqlite3.connect(out).close()
    await api("POST", "projects", {"name": "p"})
    dp.Catalog(isolated_home).project("p").datasets.from_pandas(
        pd.DataFrame({"id": [1, 2, 3], "city": ["Paris", "Lyon", "Brest"]}), "sales").wait(timeout=60)
    code, _ = await api("POST", "projects/p/connectors", {"name": "lite", "kind": "sql",
                                                          "fields": {"dialect": "sqlite", "database": str(out)}})
    assert code == 201

    new = {"name": "out", "connector": "lite", "destination": {"table": "preds"}, "mode": "cancel"}
    code, tested = await api("POST", "projects/p/exporters/test", new)
    assert code == 200 and tested["ok"], tested
    code, body = await api("POST", "projects/p/exporters", {**new, "mode": "append"})
    assert code == 422 and body["field"] == "mode" and "timestamp, cancel, overwrite" in body["message"]
    code, body = await api("POST", "projects/p/exporters", {**new, "destination": {"query": "select 1"}})
    assert code == 422 and body["field"] == "query"
    code, created = await api("POST", "projects/p/exporters", new)
    assert code == 201 and created["kind"] == "sql" and created["connector"] == "lite"
    assert created["destination"] == {"table": "preds"} and created["last_run"] is None
    assert (await api("POST", "projects/p/exporters", new))[0] == 409
    code, tested = await api("POST", "projects/p/exporters/out/test")
    assert code == 200 and tested["ok"], tested

    code, run = await api("POST", "projects/p/datasets/sales/export", {"exporter": "out"})
    assert code == 202 and run["status"] in ("queued", "running", "succeeded") and run["dataset_name"] == "sales"
    done = await wait_run(api, run["id"])
    assert done["status"] == "succeeded" and done["rows"] == 3 and done["location"].endswith("#preds")
    assert done["duration_seconds"] is not None
    with sqlite3.connect(out) as con:
        assert con.execute("select city from preds order by id").fetchall() == [("Paris",), ("Lyon",), ("Brest",)]

    code, run = await api("POST", "projects/p/datasets/sales/export", {"exporter": "out"})
    cancelled = await wait_run(api, run["id"])
    assert cancelled["status"] == "cancelled" and "already exists" in cancelled["error"]

    code, history = await api("GET", "projects/p/exporters/out/runs")
    assert code == 200 and [r["status"] for r in history["runs"]] == ["cancelled", "succeeded"]
    code, exports = await api("GET", "projects/p/datasets/sales/exports")
    assert code == 200 and [r["id"] for r in exports["runs"]] == [r["id"] for r in history["runs"]]
    code, listed = await api("GET", "projects/p/exporters")
    assert code == 200 and listed["exporters"][0]["last_run"]["status"] == "cancelled"

    code, edited = await api("PATCH", "projects/p/exporters/out", {"mode": "overwrite"})
    assert code == 200 and edited["mode"] == "overwrite" and edited["destination"] == {"table": "preds"}
    code, shown = await api("GET", "projects/p/exporters/out")
    assert code == 200 and shown["mode"] == "overwrite"

    assert (await api("POST", "projects/p/datasets/nope/export", {"exporter": "out"}))[0] == 404
    assert (await api("POST", "projects/p/datasets/sales/export", {"exporter": "nope"}))[0] == 404
    assert (await api("POST", "projects/p/datasets/sales/export", {}))[0] == 422
    assert (await api("GET", "projects/p/export-runs/nope"))[0] == 404
    code, body = await api("POST", f"projects/p/export-runs/{run['id']}/cancel")
    assert code == 409 and "already cancelled" in body["message"]
    code, body = await api("DELETE", "projects/p/connectors/lite")
    assert code == 409 and "used by exporter 'out'" in body["message"]
    assert (await api("DELETE", "projects/p/exporters/out"))[0] == 204
    assert (await api("GET", "projects/p/exporters/out"))[0] == 404
    assert (await api("DELETE", "projects/p/connectors/lite"))[0] == 204
