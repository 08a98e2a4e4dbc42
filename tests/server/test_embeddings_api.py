"""Embeddings over REST, through a real jupyter_server (jobs in worker processes): compute, the
3-D map with a colour column, neighbours, a saved selection, and the refusals."""

from __future__ import annotations

import asyncio

import numpy as np
import pandas as pd
import pytest

import dataplane_jupyter as dp
from tests.core.test_embeddings import clusters

from .rest import RUN_ENDS, wait_ready, wait_status


async def wait_job(api, job_id: str) -> dict:
    return await wait_status(api, f"jobs/{job_id}", RUN_ENDS, tries=1200)


async def settled(api, dataset: str) -> dict:
    """The embeddings record once the job's clean-up (which follows its end) has run."""
    for _ in range(600):
        info = (await api("GET", f"projects/p/datasets/{dataset}"))[1]["embeddings"]
        if info["status"] != "computing":
            return info
        await asyncio.sleep(0.1)
    raise AssertionError("embeddings still computing")


def clustered_frame() -> pd.DataFrame:
    """Three far-apart clusters, plus a timestamp and a column with missing values that agree
    with them (so that the neighbours stay in their cluster)."""
    frame = clusters()
    group = frame["group"].str[1].astype(int)
    frame["when"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(group * 365, unit="D") + pd.to_timedelta(
        np.arange(len(frame)), unit="s")
    frame["score"] = np.where(group == 0, np.nan, 1.5 * group)
    return frame


async def test_compute_map_neighbours_and_selection(api, isolated_home):
    await api("POST", "projects", {"name": "p"})
    frame = clustered_frame()
    dp.Catalog(isolated_home).project("p").datasets.from_pandas(frame, "c").wait(timeout=120)
    code, body = await api("GET", "projects/p/datasets/c/embeddings")
    assert code == 409 and "has no embeddings yet" in body["message"]

    code, job = await api("POST", "projects/p/datasets/c/embeddings", {"method": "pca", "seed": 3})
    assert code == 202 and job["kind"] == "dataset.embeddings"
    assert (await wait_job(api, job["id"]))["status"] == "succeeded"

    code, shown = await api("GET", "projects/p/datasets/c/embeddings", params={"color": "group"})
    assert code == 200
    assert (shown["info"]["status"], shown["info"]["method"], shown["info"]["seed"]) == ("ready", "pca", 3)
    assert shown["rows"] == list(range(len(frame)))
    assert len(shown["x"]) == len(shown["y"]) == len(shown["z"]) == len(frame)
    assert shown["color"] == {"column": "group", "values": frame["group"].tolist()}
    code, shown = await api("GET", "projects/p/datasets/c/embeddings", params={"color": "score"})
    assert shown["color"]["values"] == [None if np.isnan(v) else v for v in frame["score"]]
    assert (await api("GET", "projects/p/datasets/c/embeddings"))[1]["color"] is None

    code, near = await api("GET", "projects/p/datasets/c/embeddings/neighbors", params={"row": "7"})
    assert code == 200 and near["row"] == 7 and len(near["neighbors"]) == 5
    assert {n["values"]["group"] for n in near["neighbors"]} == {frame.loc[7, "group"]}
    assert [n["distance"] for n in near["neighbors"]] == sorted(n["distance"] for n in near["neighbors"])
    first = near["neighbors"][0]
    assert first["values"]["when"].startswith(frame.loc[first["row"], "when"].strftime("%Y-%m-%dT%H:%M:%S"))
    score = frame.loc[first["row"], "score"]
    assert first["values"]["score"] == (None if np.isnan(score) else score)
    code, near = await api("GET", "projects/p/datasets/c/embeddings/neighbors", params={"row": "0", "k": "2"})
    assert code == 200 and len(near["neighbors"]) == 2

    code, picked = await api("POST", "projects/p/datasets/c/embeddings/selection", {"name": "picked", "rows": [9, 2, 5]})
    assert code == 201 and picked["origin"] == "pipeline_intermediate" and picked["source"]["selection_of"] == "c"
    assert (await wait_ready(api, "p", picked["id"]))["rows"] == 3
    code, sample = await api("GET", f"projects/p/datasets/{picked['id']}/sample")
    assert [row[0] for row in sample["data"]] == pytest.approx(frame.loc[[2, 5, 9], "a"].tolist())


async def test_refusals_name_the_field_or_the_state(api, isolated_home):
    await api("POST", "projects", {"name": "p"})
    project = dp.Catalog(isolated_home).project("p")
    project.datasets.from_pandas(clusters(), "c").wait(timeout=120)
    project.datasets.from_pandas(pd.DataFrame({"customer": [f"c{i}" for i in range(100)]}), "ids").wait(timeout=120)
    for body, field in (({"method": "magic"}, "method"), ({"sample_size": 1}, "sample_size"), ({"seed": -1}, "seed")):
        code, error = await api("POST", "projects/p/datasets/c/embeddings", body)
        assert code == 422 and error["field"] == field, error
    assert (await api("POST", "projects/p/datasets/nope/embeddings", {}))[0] == 404
    assert (await api("GET", "projects/nope/datasets/c/embeddings"))[0] == 404
    code, error = await api("GET", "projects/p/datasets/c/embeddings/neighbors", params={"row": "1"})
    assert code == 409 and "no embeddings yet" in error["message"]

    code, job = await api("POST", "projects/p/datasets/ids/embeddings", {})
    assert (await wait_job(api, job["id"]))["status"] == "failed"
    assert (await settled(api, "ids"))["status"] == "failed"
    code, error = await api("GET", "projects/p/datasets/ids/embeddings")
    assert code == 409 and "failed: " in error["message"] and "customer" in error["message"]

    code, job = await api("POST", "projects/p/datasets/c/embeddings", {"method": "pca"})
    await wait_job(api, job["id"])
    code, error = await api("GET", "projects/p/datasets/c/embeddings", params={"color": "nope"})
    assert code == 422 and error["field"] == "color" and "'nope'" in error["message"]
    neighbors = "projects/p/datasets/c/embeddings/neighbors"
    for params, field, text in (({}, "row", "required"), ({"row": "x"}, "row", "'x'"),
                                ({"row": "500"}, "row", "Row 500 is out of range"), ({"row": "1", "k": "0"}, "k", "k: Input should be greater than or equal to 1")):
        code, error = await api("GET", neighbors, params=params)
        assert code == 422 and error["field"] == field and text in error["message"], error
    selection = "projects/p/datasets/c/embeddings/selection"
    code, error = await api("POST", selection, {"name": "s", "rows": []})
    assert code == 422 and error["field"] == "rows" and "empty" in error["message"]
    code, error = await api("POST", selection, {"name": "s", "rows": [1, 999]})
    assert code == 422 and "Row 999 is out of range" in error["message"]
    code, error = await api("POST", selection, {"rows": [1]})
    assert code == 422 and error["field"] == "name"
    code, error = await api("POST", selection, {"name": "ids", "rows": [1]})
    assert code == 409 and "already has a dataset named 'ids'" in error["message"]
