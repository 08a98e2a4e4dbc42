"""Image feature options in a dataset's details (issue #17): the drill-down of an image column
shows the options, original vs transformed thumbnails redrawn live as the controls change, and
saves a version; a tensor column is drawn by its dimensions."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.archive_builders import image_bytes, make_zip

from .test_details import SLOW_MS, api_get, open_details, show_tab

pytestmark = pytest.mark.browser

PROJECT = "vision"


def striped(size: tuple[int, int]) -> bytes:
    width, height = size
    array = np.zeros((height, width, 3), np.uint8)
    array[:, : width // 2] = (220, 40, 40)
    array[:, width // 2:] = (40, 60, 220)
    out = io.BytesIO()
    Image.fromarray(array, "RGB").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def vision(dataplane_home: Path, tmp_path_factory: pytest.TempPathFactory, lab_server: Any) -> str:
    """An image dataset (80×40 PNGs, a 40×40 JPEG, an empty row), a tensor dataset, and an
    image folder (its id is returned)."""
    import dataplane_jupyter as dp

    files = tmp_path_factory.mktemp("vision")
    project = dp.Catalog(home=dataplane_home, executor="thread").project(PROJECT)
    entries = {"index.csv": "id,photo\n1,a.png\n2,b.png\n3,c.jpg\n4,\n",
               "a.png": striped((80, 40)), "b.png": striped((80, 40)),
               "c.jpg": image_bytes("JPEG", (40, 40), "RGB", (30, 160, 60))}
    project.datasets.import_file(make_zip(files / "photos.zip", entries), name="photos").wait(timeout=120)
    np.save(files / "pics.npy", np.random.default_rng(0).random((5, 12, 12, 3), dtype=np.float32))
    np.save(files / "curve.npy", np.sin(np.linspace(0, 6, 5 * 50, dtype=np.float32)).reshape(5, 50))
    project.datasets.import_files([files / "pics.npy", files / "curve.npy"], name="tensors").wait(timeout=120)
    folder = project.image_folders.import_zip(
        make_zip(files / "shapes.zip", {"a/1.png": striped((60, 30)), "b/2.png": striped((60, 30))}), name="shapes")
    return folder.wait(timeout=120).id


def natural_sizes(images: Any) -> list[list[int]]:
    return images.evaluate_all("nodes => nodes.map(n => [n.naturalWidth, n.naturalHeight])")


def test_changing_the_options_redraws_the_transformed_thumbnails(
        lab_page: Any, vision: str, artifacts_dir: Path) -> None:
    content = open_details(lab_page, PROJECT, "photos")
    show_tab(content, "Columns")
    content.locator('.jp-Dataplane-columnsTable tr[data-column="photo"]').click()
    features = content.locator('.jp-Dataplane-drillDown[data-column="photo"] .jp-Dataplane-features')
    expect(features.locator(".jp-Dataplane-featuresProvenance")).to_contain_text("Defaults chosen", timeout=SLOW_MS)
    expect(features.locator(".jp-Dataplane-featuresReasons")).to_contain_text("most common size: 80×40")
    transformed = features.locator("img.jp-Dataplane-transformed")
    expect(transformed).to_have_count(3, timeout=SLOW_MS)
    expect(features.locator('tr[data-row="3"]')).to_contain_text("zeros: no image (empty value)")
    assert natural_sizes(transformed) == [[80, 40]] * 3

    features.locator("select.jp-Dataplane-transformation").select_option("crop")
    features.locator("input.jp-Dataplane-width").fill("32")
    features.locator("input.jp-Dataplane-height").fill("32")
    features.locator("select.jp-Dataplane-colorMode").select_option("grayscale")
    expect(features).to_contain_text("Each example: 32×32×1 float32 in [0, 1] (preview of unsaved options)")
    lab_page.wait_for_function(
        """() => {
            const imgs = [...document.querySelectorAll('.jp-Dataplane-features img.jp-Dataplane-transformed')];
            return imgs.length === 3 && imgs.every(i => i.complete && i.naturalWidth === 32 && i.naturalHeight === 32);
        }""", timeout=SLOW_MS)
    features.locator(".jp-Dataplane-previewGrid").scroll_into_view_if_needed()
    lab_page.screenshot(path=str(artifacts_dir / "image-features.png"))

    features.locator("button.jp-Dataplane-saveOptions").click()
    expect(features.locator(".jp-Dataplane-featuresProvenance")).to_contain_text("Version 1", timeout=SLOW_MS)
    stored = api_get(lab_page, f"projects/{PROJECT}/datasets/photos/columns/photo/feature-options")
    options = json.loads(stored["body"])
    assert (options["version"], options["transformation"], options["size"], options["color_mode"]) == (1, "crop", [32, 32], "grayscale")


def test_tensor_columns_are_drawn_by_their_dimensions(lab_page: Any, vision: str, artifacts_dir: Path) -> None:
    content = open_details(lab_page, PROJECT, "tensors")
    show_tab(content, "Columns")
    content.locator('.jp-Dataplane-columnsTable tr[data-column="pics"]').click()
    view = content.locator('.jp-Dataplane-drillDown[data-column="pics"] .jp-Dataplane-tensorView')
    expect(view).to_have_attribute("data-view", "image", timeout=SLOW_MS)
    expect(view.locator(".jp-Dataplane-tensorImages img")).to_have_count(3)
    expect(view).to_contain_text("shape 12×12×3")
    content.locator('.jp-Dataplane-columnsTable tr[data-column="curve"]').click()
    line = content.locator('.jp-Dataplane-drillDown[data-column="curve"] .jp-Dataplane-tensorView')
    expect(line).to_have_attribute("data-view", "line", timeout=SLOW_MS)
    expect(line.locator(".js-plotly-plot")).to_be_visible(timeout=SLOW_MS)
    expect(line.locator(".js-plotly-plot")).to_contain_text("mean ± std")
    line.locator("input.jp-Dataplane-tensorRow").fill("3")
    expect(line.locator(".js-plotly-plot")).to_contain_text("row 3", timeout=SLOW_MS)
    line.scroll_into_view_if_needed()
    lab_page.screenshot(path=str(artifacts_dir / "tensor-view.png"))


def test_an_image_folder_has_its_feature_options_in_its_viewer(lab_page: Any, vision: str, artifacts_dir: Path) -> None:
    lab_page.evaluate("([id, project]) => window.jupyterapp.commands.execute('dataplane:open-image-folder', {id, project})",
                      [vision, PROJECT])
    viewer = lab_page.locator(".jp-Dataplane-imageFolderViewer")
    expect(viewer).to_be_visible(timeout=SLOW_MS)
    viewer.locator(".jp-Dataplane-folderFeatures summary").click()
    features = viewer.locator(".jp-Dataplane-features")
    expect(features.locator(".jp-Dataplane-featuresProvenance")).to_contain_text("Defaults chosen", timeout=SLOW_MS)
    expect(features.locator("select.jp-Dataplane-transformation")).to_have_value("none")
    features.locator("select.jp-Dataplane-transformation").select_option("pad")
    features.locator("input.jp-Dataplane-height").fill("60")
    lab_page.wait_for_function(
        """() => {
            const imgs = [...document.querySelectorAll('.jp-Dataplane-imageFolderViewer img.jp-Dataplane-transformed')];
            return imgs.length === 2 && imgs.every(i => i.complete && i.naturalWidth === 60 && i.naturalHeight === 60);
        }""", timeout=SLOW_MS)
    features.locator("input.jp-Dataplane-fill").wait_for()
    features.locator(".jp-Dataplane-previewGrid").scroll_into_view_if_needed()
    lab_page.screenshot(path=str(artifacts_dir / "image-folder-features.png"))
