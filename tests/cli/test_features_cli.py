"""`dataplane datasets features|import-files` and `dataplane image-folders features`, run as a
user would (a real subprocess, jobs in worker processes)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from tests.archive_builders import image_bytes, make_zip


def dataplane(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dataplane_jupyter.cli", *args], capture_output=True, text=True, check=check, timeout=120
    )


def test_show_and_set_feature_options_of_an_image_column(isolated_home, tmp_path):
    archive = make_zip(tmp_path / "photos.zip", {"index.csv": "photo\na.png\nb.png\n",
                                                 "a.png": image_bytes("PNG", (40, 20)), "b.png": image_bytes("PNG", (30, 30))})
    dataplane("datasets", "import", str(archive), "--wait")
    shown = dataplane("datasets", "features", "photos", "--column", "photo").stdout
    assert "is_default: True" in shown and "defaults chosen from the column's statistics:" in shown
    made = json.loads(dataplane("--json", "datasets", "features", "photos", "--column", "photo", "--transformation",
                                "crop", "--size", "224x224", "--color", "rgb").stdout)
    assert (made["version"], made["transformation"], made["size"], made["color_mode"]) == (1, "crop", [224, 224], "rgb")
    history = json.loads(dataplane("--json", "datasets", "features", "photos", "--column", "photo", "--history").stdout)
    assert [v["version"] for v in history] == [1]
    refused = dataplane("datasets", "features", "photos", "--column", "photo", "--transformation", "none", check=False)
    assert refused.returncode != 0 and "2 sizes were found" in refused.stderr
    bad = dataplane("datasets", "features", "photos", "--column", "photo", "--size", "huge", check=False)
    assert bad.returncode != 0 and "size 'huge' is not WIDTHxHEIGHT" in bad.stderr


def test_import_files_and_folder_features(isolated_home, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((3, 2, 2), np.float32))
    np.save(tmp_path / "y.npy", np.ones((3,), np.float32))
    made = json.loads(dataplane("--json", "datasets", "import-files", str(tmp_path / "x.npy"), str(tmp_path / "y.npy"),
                                "--name", "xy", "--wait").stdout)
    assert (made["status"], made["rows"], made["columns"]) == ("ready", 3, 2)
    archive = make_zip(tmp_path / "pets.zip", {"cats/1.png": image_bytes("PNG", (16, 16))})
    dataplane("image-folders", "import", str(archive), "--wait")
    made = json.loads(dataplane("--json", "image-folders", "features", "pets", "--transformation", "pad",
                                "--size", "32x32", "--fill", "#ffffff").stdout)
    assert (made["transformation"], made["fill"], made["version"]) == ("pad", "#ffffff", 1)
