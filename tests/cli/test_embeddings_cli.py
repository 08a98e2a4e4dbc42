"""`dataplane datasets embeddings|neighbors|save-selection` run as a user would (a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

import dataplane_jupyter as dp
from tests.core.test_embeddings import clusters


def dataplane(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dataplane_jupyter.cli", "--project", "p", *args],
                          capture_output=True, text=True, timeout=300)


def test_compute_show_neighbours_and_save_a_selection(isolated_home):
    frame = clusters()
    dp.Catalog(isolated_home).project("p").datasets.from_pandas(frame, "c").wait(timeout=120)
    shown = dataplane("datasets", "embeddings", "show", "c")
    assert shown.returncode == 0 and shown.stdout.strip() == "status: not computed"

    computed = dataplane("--json", "datasets", "embeddings", "compute", "c", "--method", "pca", "--seed", "4", "--wait")
    assert computed.returncode == 0, computed.stderr
    record = json.loads(computed.stdout)
    assert (record["status"], record["method"], record["seed"], record["sample_size"]) == ("ready", "pca", 4, 120)
    assert "% running" in computed.stderr and "100% succeeded: Done" in computed.stderr  # progress on the terminal
    shown = dataplane("datasets", "embeddings", "show", "c")
    assert "status: ready" in shown.stdout and "method: pca" in shown.stdout and "sample_size: 120" in shown.stdout
    assert json.loads(dataplane("--json", "datasets", "embeddings", "show", "c").stdout) == record

    near = dataplane("datasets", "neighbors", "c", "7", "-k", "3")
    lines = near.stdout.splitlines()
    assert near.returncode == 0 and lines[0].split() == ["ROW", "DISTANCE", "A", "B", "C", "D", "GROUP"]
    assert len(lines) == 4 and {line.split()[-1] for line in lines[1:]} == {frame.loc[7, "group"]}
    found = json.loads(dataplane("--json", "datasets", "neighbors", "c", "7").stdout)
    assert found["row"] == 7 and len(found["neighbors"]) == 5
    assert [n["row"] for n in found["neighbors"][:3]] == [int(line.split()[0]) for line in lines[1:]]

    saved = dataplane("--json", "datasets", "save-selection", "c", "--rows", "9, 2,5", "--as", "picked", "--wait")
    assert saved.returncode == 0, saved.stderr
    picked = json.loads(saved.stdout)
    assert (picked["origin"], picked["status"], picked["rows"]) == ("pipeline_intermediate", "ready", 3)


def test_refusals_exit_1_with_the_message(isolated_home):
    project = dp.Catalog(isolated_home).project("p")
    project.datasets.from_pandas(clusters(), "c").wait(timeout=120)
    project.datasets.from_pandas(pd.DataFrame({"customer": [f"c{i}" for i in range(100)]}), "ids").wait(timeout=120)
    bad = dataplane("datasets", "embeddings", "compute", "c", "--method", "magic")
    assert bad.returncode == 1 and "error: method 'magic' is not one of auto, pca, umap, tsne." in bad.stderr
    early = dataplane("datasets", "neighbors", "c", "1")
    assert early.returncode == 1 and "has no embeddings yet" in early.stderr
    failed = dataplane("datasets", "embeddings", "compute", "ids", "--wait")
    assert failed.returncode == 1 and "no column that can be embedded: customer" in failed.stderr
    rows = dataplane("datasets", "save-selection", "c", "--rows", "1,x", "--as", "s")
    assert rows.returncode == 1 and "--rows: 'x' is not a row number" in rows.stderr
    outside = dataplane("datasets", "save-selection", "c", "--rows", "1,500", "--as", "s")
    assert outside.returncode == 1 and "Row 500 is out of range" in outside.stderr
