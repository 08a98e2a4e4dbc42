"""Feature options and tensor views in the notebook panels (issue #17), built without a kernel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dataplane_jupyter.widgets.dataset import DatasetPanel, figure_of
from dataplane_jupyter.widgets.features import ImageFeaturesPanel, TensorViewPanel
from tests.archive_builders import image_bytes, make_zip


@pytest.fixture
def project(catalog):
    return catalog.project("w")


@pytest.fixture
def photos(project, tmp_path: Path):
    entries = {"index.csv": "photo\na.png\nb.png\nc.jpg\n", "a.png": image_bytes("PNG", (40, 20)),
               "b.png": image_bytes("PNG", (40, 20)), "c.jpg": image_bytes("JPEG", (30, 30))}
    return project.datasets.import_file(make_zip(tmp_path / "photos.zip", entries), name="photos").wait(timeout=60)


def test_the_image_drill_down_shows_options_and_redraws_thumbnails(photos):
    columns = DatasetPanel(photos).columns_tab
    columns.select.value = "photo"
    [panel] = columns.media.children
    assert isinstance(panel, ImageFeaturesPanel)
    assert "Defaults chosen from the column's statistics" in panel.provenance.value
    assert panel.preview.value.count('class="dp-transformed"') == 3
    panel.transformation.value = "crop"
    panel.width.value, panel.height.value = 16, 16
    panel.color_mode.value = "grayscale"
    assert "Each example: 16×16×1 float32" in panel.shape.value
    assert photos.feature_options("photo").is_default  # tried, not saved
    panel.save.click()
    stored = photos.feature_options("photo")
    assert (stored.version, stored.transformation, tuple(stored.size), stored.color_mode) == (1, "crop", (16, 16), "grayscale")
    assert "Version 1" in panel.provenance.value


def test_none_with_several_sizes_shows_the_refusal(photos):
    panel = ImageFeaturesPanel(photos, "photo")
    panel.transformation.value = "none"
    assert "2 sizes were found" in panel.preview.value


def test_tensor_view_panel_draws_by_dimension(project, tmp_path: Path):
    np.save(tmp_path / "curve.npy", np.arange(4 * 6, dtype=np.float32).reshape(4, 6))
    np.save(tmp_path / "cube.npy", np.zeros((4, 2, 3, 5), np.float32))
    ds = project.datasets.import_files([tmp_path / "curve.npy", tmp_path / "cube.npy"], name="t").wait(timeout=60)
    line = TensorViewPanel(ds, "curve")
    assert line.view.view == "line" and figure_of(line.figure)["data"][-1]["y"] == [0, 1, 2, 3, 4, 5]
    line.row.value = 2
    assert figure_of(line.figure)["data"][-1]["y"] == [12, 13, 14, 15, 16, 17]
    cube = TensorViewPanel(ds, "cube")
    assert cube.view.view == "heatmap" and len(cube.slices.children) == 1  # 2×3×5: 5 channels is no image
    cube.slices.children[0].value = 1
    assert cube.view.index == [1] and len(figure_of(cube.figure)["data"]) == 3
    columns = DatasetPanel(ds).columns_tab
    columns.select.value = "cube"
    assert isinstance(columns.media.children[0], TensorViewPanel)
