"""The REST API through a real server: statuses, JSON errors, projects, datasets, jobs."""

from __future__ import annotations

import pandas as pd

from dataplane_jupyter import Catalog


async def test_projects_roundtrip(api):
    assert await api("GET", "projects") == (200, {"projects": []})
    code, created = await api("POST", "projects", {"name": "churn", "description": "d"})
    assert code == 201 and created["name"] == "churn"
    code, listed = await api("GET", "projects")
    assert [p["name"] for p in listed["projects"]] == ["churn"]
    assert (await api("GET", "projects/churn"))[1]["description"] == "d"
    assert (await api("DELETE", "projects/churn"))[0] == 204
    assert (await api("GET", "projects/churn"))[0] == 404


async def test_domain_errors_map_to_statuses_with_a_message(api):
    await api("POST", "projects", {"name": "p"})
    code, body = await api("POST", "projects", {"name": "p"})
    assert code == 409 and body["message"] == "A project named 'p' already exists."
    code, body = await api("POST", "projects", {"name": "a/b"})
    assert code == 422 and body["field"] == "name"
    code, body = await api("POST", "projects", {"description": "no name"})
    assert code == 422 and body["field"] == "name"
    code, body = await api("POST", "projects", raw=b"{not json")
    assert code == 422 and "message" in body
    code, body = await api("GET", "projects/nope/datasets")
    assert code == 404 and body["message"] == "No project named 'nope'."
    code, body = await api("GET", "jobs/unknown")
    assert code == 404
    code, body = await api("GET", "projects/p/datasets", params={"origin": "martian"})
    assert code == 422 and body["field"] == "origin"
    code, body = await api("GET", "projects/p/datasets/x/sample", params={"n": "-3"})
    assert code == 422 and body["field"] == "n"


async def test_dataset_list_filters_rename_and_delete(api, isolated_home):
    project = Catalog(isolated_home, executor="thread").project("p")
    frame = pd.DataFrame({"a": [1, 2, 3]})
    project.datasets.from_arrow(__import__("pyarrow").Table.from_pandas(frame), "sales_2024", origin="upload")
    project.datasets.from_arrow(__import__("pyarrow").Table.from_pandas(frame), "weekly", origin="datasource")
    code, body = await api("GET", "projects/p/datasets", params=[("origin", "upload")])
    assert code == 200 and [d["name"] for d in body["datasets"]] == ["sales_2024"]
    code, body = await api("GET", "projects/p/datasets", params=[("origin", "upload"), ("origin", "datasource")])
    assert sorted(d["name"] for d in body["datasets"]) == ["sales_2024", "weekly"]
    code, body = await api("GET", "projects/p/datasets", params={"search": "SAL"})
    assert [d["name"] for d in body["datasets"]] == ["sales_2024"]
    dataset_id = body["datasets"][0]["id"]
    code, body = await api("PATCH", f"projects/p/datasets/{dataset_id}", {"name": "weekly"})
    assert code == 409
    code, body = await api("PATCH", f"projects/p/datasets/{dataset_id}", {"name": "sales"})
    assert code == 200 and body["name"] == "sales"
    assert (await api("GET", "projects/p/datasets/sales"))[1]["id"] == dataset_id
    assert (await api("DELETE", f"projects/p/datasets/{dataset_id}"))[0] == 204
    assert (await api("GET", f"projects/p/datasets/{dataset_id}"))[0] == 404


async def test_jobs_can_be_read_and_cancelled(api, isolated_home):
    catalog = Catalog(isolated_home, executor="thread")
    project = catalog.project("p")
    job = catalog.jobs.store.create("t", "tests.core.job_functions:steps", project_id=project.id)
    code, body = await api("GET", "projects/p/jobs")
    assert code == 200 and [j["id"] for j in body["jobs"]] == [job.id]
    assert "function" not in body["jobs"][0] and "params" not in body["jobs"][0]
    code, body = await api("POST", f"jobs/{job.id}/cancel")
    assert code == 200 and body["status"] == "cancelled"
    code, body = await api("POST", f"jobs/{job.id}/cancel")
    assert code == 409 and "already cancelled" in body["message"]
