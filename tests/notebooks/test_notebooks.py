"""The demo notebooks run top to bottom with nbclient against a fresh DATAPLANE_HOME, in a kernel
that runs this venv's Python (a kernelspec written into a temporary JUPYTER_PATH)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import dataplane_jupyter as dp

from .notebook_runs import code_cells, figure, outputs, run_cleanly, widget_models


def test_getting_started(tmp_path: Path, kernel: str, isolated_home: Path):
    notebook = run_cleanly("getting-started.ipynb", tmp_path, kernel)
    code = code_cells(notebook)
    assert "application/vnd.jupyter.widget-view+json" in outputs(code[2])  # the dataset panel
    assert "('ready', 244, 7)" in outputs(code[3])
    heatmap, distributions = (figure(c) for c in code[7:9])
    assert heatmap["data"][0]["type"] == "heatmap" and heatmap["data"][0]["x"] == ["total_bill", "tip", "size"]
    assert len(distributions["data"]) == 7
    catalog = [str(m["state"].get("value", "")) for m in widget_models(notebook).values()]
    assert any('data-name="my_tips" data-status="ready"' in value for value in catalog)  # dp.panel() lists it
    assert "my_tips" in outputs(code[-1])  # %dataplane --project demo datasets list
    dataset = dp.Catalog(isolated_home).project("demo", create=False).datasets["my_tips"]
    assert dataset.status == "ready" and dataset.origin == "upload"
    assert (tmp_path / "tips.csv").exists()


def test_connectors_and_exporters(tmp_path: Path, kernel: str, isolated_home: Path):
    notebook = run_cleanly("connectors-and-exporters.ipynb", tmp_path, kernel)
    text = "\n".join(outputs(c) for c in code_cells(notebook))
    assert "ConnectorTest(ok=True" in text or "ok=True" in text
    assert "SQLite database file '/nowhere/missing.sqlite' does not exist" in text
    project = dp.Catalog(isolated_home).project("connectors-demo")
    assert project.datasets["europe_snapshot"].rows == 360
    assert project.datasets["life_2007"].rows == 142
    assert [d.name for d in project.datasources.list()] == ["europe", "life_2007"]


def test_image_folders(tmp_path: Path, kernel: str, isolated_home: Path):
    notebook = run_cleanly("image-folders.ipynb", tmp_path, kernel)
    code = code_cells(notebook)
    assert "(24, {'circles': 12, 'squares': 12})" in outputs(code[2])
    assert "README.txt" in outputs(code[3])
    assert "image/png" in outputs(code[5]) or "image/jpeg" in outputs(code[5])
    assert "24" in outputs(code[6])
    folder = dp.Catalog(isolated_home).project("images-demo").image_folders["shapes"]
    assert folder.status == "ready" and folder.n_images == 24


def test_pipelines(tmp_path: Path, kernel: str, isolated_home: Path):
    notebook = run_cleanly("pipelines.ipynb", tmp_path, kernel)
    code = code_cells(notebook)
    text = "\n".join(outputs(c) for c in code)
    assert "step 'dinner', field 'query': the query reads table 'tip', which is unknown" in outputs(code[2])
    assert "adding rates to 176 rows" in outputs(code[7])
    assert "Step 'scored' (predict) failed: model file 'models/missing.joblib' does not exist" in outputs(code[9])
    assert "proba_1" in text
    project = dp.Catalog(isolated_home).project("pipelines-demo")
    runs = project.pipelines["generous_tippers"].runs()
    assert [(r.number, r.status) for r in runs] == [(2, "failed"), (1, "succeeded")]
    assert [s.rows_out for s in runs[1].steps] == [244, 176, 176, 176, 176]
    assert {d.name for d in project.datasets.list(origin=["pipeline_output"])} == {
        "generous_tippers_scored_run1", "dinner_only_dinner_run1"}
    with sqlite3.connect(tmp_path / "restaurant.sqlite") as db:
        assert db.execute("select count(*) from scored_tips").fetchone() == (176,)
