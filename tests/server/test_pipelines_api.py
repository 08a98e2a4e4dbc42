"""Pipelines over REST, through a real jupyter_server (runs in worker processes)."""

from __future__ import annotations

import asyncio

import pandas as pd

import dataplane_jupyter as dp

from .rest import RUN_ENDS, wait_status


async def wait_run(api, run_id: str) -> dict:
    return await wait_status(api, f"projects/p/pipeline-runs/{run_id}", RUN_ENDS, tries=1200)


STEPS = [
    {"name": "sales", "kind": "read", "dataset": "sales"},
    {"name": "big", "kind": "sql", "query": "select city from sales where amount > 1"},
]


async def test_pipeline_lifecycle_runs_logs_retry_and_errors(api, isolated_home, tmp_path):
    await api("POST", "projects", {"name": "p"})
    dp.Catalog(isolated_home).project("p").datasets.from_pandas(
        pd.DataFrame({"city": ["Paris", "Lyon", "Brest"], "amount": [1.0, 2.0, 3.0]}), "sales").wait(timeout=60)

    code, body = await api("POST", "projects/p/pipelines", {"name": "w", "steps": [
        *STEPS, {"name": "x", "kind": "sql", "query": "select nope from sales"}]})
    assert code == 422 and body["field"] == "steps[2].query"
    assert "step 'x', field 'query': DuckDB cannot bind the query" in body["message"]
    code, checked = await api("POST", "projects/p/pipelines/validate", {"steps": "- {name: a, kind: sql}\n"})
    assert code == 200 and not checked["valid"]
    assert checked["problems"] == [{"index": 0, "step": "a", "field": "query",
                                    "message": "step 'a', field 'query': sql steps need 'query'"}]
    code, checked = await api("POST", "projects/p/pipelines/validate", {"steps": STEPS})
    assert (code, checked) == (200, {"valid": True, "problems": []})

    code, body = await api("POST", "projects/p/pipelines", {"name": "y", "yaml": "steps:\n - name: a\n  kind: x\n"})
    assert code == 422 and "line 3, column 3: not valid YAML" in body["message"]
    code, created = await api("POST", "projects/p/pipelines", {"name": "y", "yaml": "- {name: a, kind: read, dataset: sales}\n"})
    assert code == 201 and created["steps"] == [{"name": "a", "kind": "read", "dataset": "sales"}]
    assert (await api("DELETE", "projects/p/pipelines/y"))[0] == 204
    code, created = await api("POST", "projects/p/pipelines", {"name": "w", "steps": STEPS})
    assert code == 201 and created["version"] == 1 and created["steps"] == STEPS and created["last_run"] is None
    assert (await api("POST", "projects/p/pipelines", {"name": "w", "steps": STEPS}))[0] == 409
    code, edited = await api("PATCH", "projects/p/pipelines/w", {"steps": [
        STEPS[0], {"name": "big", "kind": "sql", "query": "select city from sales where amount > 2"}]})
    assert code == 200 and edited["version"] == 2
    code, versions = await api("GET", "projects/p/pipelines/w/versions")
    assert [v["version"] for v in versions["versions"]] == [2, 1]

    code, run = await api("POST", "projects/p/pipelines/w/runs", {})
    assert code == 202 and run["status"] in ("queued", "running", "succeeded") and run["number"] == 1
    done = await wait_run(api, run["id"])
    assert done["status"] == "succeeded" and done["version"] == 2 and done["outputs"] == {"big": "w_big_run1"}
    assert [(s["name"], s["status"], s["rows_out"]) for s in done["steps"]] == [("sales", "succeeded", 3),
                                                                              ("big", "succeeded", 1)]
    code, log = await api("GET", f"projects/p/pipeline-runs/{run['id']}/steps/big/log")
    assert code == 200 and "select city from sales where amount > 2" in log["log"]
    assert (await api("GET", f"projects/p/pipeline-runs/{run['id']}/steps/nope/log"))[0] == 404
    assert (await api("GET", f"projects/p/pipeline-runs/{run['id']}/steps/big/notebook"))[0] == 404
    code, body = await api("POST", f"projects/p/pipeline-runs/{run['id']}/retry")
    assert code == 409 and "only a failed or cancelled run can be retried" in body["message"]
    assert (await api("POST", f"projects/p/pipeline-runs/{run['id']}/cancel"))[0] == 409

    code, run = await api("POST", "projects/p/pipelines/w/runs",
                          {"params": {"big": {"query": "select city from sales where amount > 9"}}})
    second = await wait_run(api, run["id"])
    assert second["params"] == {"big": {"query": "select city from sales where amount > 9"}}
    code, body = await api("POST", "projects/p/pipelines/w/runs", {"params": {"nope": {"x": 1}}})
    assert code == 422 and "params name step 'nope'" in body["message"]

    code, listed = await api("GET", "projects/p/pipeline-runs", params={"pipeline": "w", "status": "succeeded"})
    assert [r["number"] for r in listed["runs"]] == [2, 1]
    code, listed = await api("GET", "projects/p/pipelines/w/runs", params={"limit": "1"})
    assert [r["number"] for r in listed["runs"]] == [2]
    code, pipelines = await api("GET", "projects/p/pipelines")
    assert [p["name"] for p in pipelines["pipelines"]] == ["w"] and pipelines["pipelines"][0]["last_run"]["number"] == 2
    code, datasets = await api("GET", "projects/p/datasets", params={"origin": "pipeline_output"})
    assert code == 200 and {"w_big_run1", "w_big_run2"} <= {d["name"] for d in datasets["datasets"]}
    assert {d["lineage"] is None for d in datasets["datasets"]} == {True}  # only one dataset's description has it
    code, output = await api("GET", "projects/p/datasets/w_big_run1")
    assert code == 200
    lineage = output["lineage"]
    assert (lineage["pipeline"], lineage["version"], lineage["run_id"], lineage["run_number"], lineage["step"],
            lineage["step_kind"], lineage["role"]) == ("w", 2, done["id"], 1, "big", "sql", "output")
    assert lineage["upstream_steps"] == ["sales"]
    assert [(i["step"], i["role"], i["dataset"]) for i in lineage["inputs"]] == [("sales", "input", "sales")]
    code, plain = await api("GET", "projects/p/datasets/sales")
    assert code == 200 and plain["lineage"] is None

    assert (await api("DELETE", "projects/p/pipelines/w"))[0] == 204
    assert (await api("GET", "projects/p/pipelines/w"))[0] == 404


async def test_cancel_a_running_run_then_retry_it_over_rest(api, isolated_home, tmp_path):
    await api("POST", "projects", {"name": "p"})
    dp.Catalog(isolated_home).project("p").datasets.from_pandas(
        pd.DataFrame({"city": ["Paris", "Lyon", "Brest"], "amount": [1.0, 2.0, 3.0]}), "sales").wait(timeout=60)
    (tmp_path / "holding.py").write_text(
        "import time\nfrom pathlib import Path\n"
        f"def hold(frame):\n    Path({str(tmp_path / 'started')!r}).touch()\n"
        f"    while not Path({str(tmp_path / 'release')!r}).exists():\n        time.sleep(0.05)\n    return frame\n")
    code, _ = await api("POST", "projects/p/pipelines", {"name": "h", "base_dir": str(tmp_path), "steps": [
        STEPS[0], {"name": "held", "kind": "python", "function": "holding:hold", "input": "sales"},
        {"name": "big", "kind": "sql", "query": "select city from held where amount > 1"}]})
    assert code == 201
    code, run = await api("POST", "projects/p/pipelines/h/runs", {})
    assert code == 202
    for _ in range(1200):
        if (tmp_path / "started").exists():
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the held step never started")
    code, asked = await api("POST", f"projects/p/pipeline-runs/{run['id']}/cancel")
    assert code == 200 and asked["id"] == run["id"]
    (tmp_path / "release").touch()
    cancelled = await wait_run(api, run["id"])
    assert cancelled["status"] == "cancelled"
    assert [(s["name"], s["status"]) for s in cancelled["steps"]] == [
        ("sales", "succeeded"), ("held", "succeeded"), ("big", "skipped")]

    code, retried = await api("POST", f"projects/p/pipeline-runs/{run['id']}/retry")
    assert code == 202 and retried["number"] == 2 and retried["retry_of"] == run["id"]
    done = await wait_run(api, retried["id"])
    assert done["status"] == "succeeded" and done["outputs"] == {"big": "h_big_run2"}
    assert [(s["name"], s["status"]) for s in done["steps"]] == [
        ("sales", "reused"), ("held", "reused"), ("big", "succeeded")]
