"""Image folders in a real JupyterLab: upload a zip through the sidebar (file picker and drag
and drop), follow the import to ready (or to a failure that names the file), open the
thumbnail grid, filter a category, look at a full image, download, rename and delete."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from .lab import APP_START_TIMEOUT_MS, ready_dialog
from .sidebar import UI_TIMEOUT_MS, open_sidebar

pytestmark = pytest.mark.browser


def unfold(panel: Any) -> None:
    """Open the empty Image folders section the way a user does, by its title.

    The sidebar folds a section once it says it is empty (`[data-dataplane-empty]`), whenever
    that happens; wait for that fold, so that the click opens it rather than racing it."""
    title = panel.locator('h3[aria-label="Image folders Section"]')
    expect(panel.locator(f"{SECTION} [data-dataplane-empty]")).to_have_count(1, timeout=UI_TIMEOUT_MS)
    expect(title).to_have_attribute("aria-expanded", "false", timeout=UI_TIMEOUT_MS)
    title.click()  # a section the user unfolds stays as the user set it
    expect(title).to_have_attribute("aria-expanded", "true", timeout=UI_TIMEOUT_MS)


SECTION = ".jp-Dataplane-imageFolders"
IMPORT_TIMEOUT_MS = 120_000

# Category folder → (size, colour) of each image; the zip's common top folder "pets" is not a
# category.
IMAGES = {
    "cats": [((64, 48), (220, 60, 60)), ((48, 64), (240, 140, 40)), ((300, 200), (200, 200, 40))],
    "dogs": [((40, 40), (40, 90, 220)), ((80, 30), (40, 180, 90))],
}


def pets_zip(path: Path) -> tuple[Path, dict[str, tuple[int, int]]]:
    """A zip of generated PNGs under pets/<category>/; returns it and each image's size."""
    sizes = {}
    with zipfile.ZipFile(path, "w") as archive:
        for category, images in IMAGES.items():
            for index, (size, colour) in enumerate(images):
                out = io.BytesIO()
                Image.new("RGB", size, colour).save(out, "PNG")
                name = f"pets/{category}/{category[:-1]}_{index}.png"
                archive.writestr(name, out.getvalue())
                sizes[name] = size
    return path, sizes


def folder_row(page: Any, name: str) -> Any:
    return page.locator(f'{SECTION} .jp-Dataplane-imageFolder[data-name="{name}"]')


def confirm_dialog(page: Any, value: str | None = None) -> None:
    """Fill the open dialog's text field (when given) and press its accept button."""
    dialog = ready_dialog(page)
    expect(dialog).to_be_visible(timeout=UI_TIMEOUT_MS)
    if value is not None:
        dialog.locator("input").fill(value)
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    expect(dialog).to_have_count(0, timeout=UI_TIMEOUT_MS)


def folder_action(page: Any, name: str, label: str) -> None:
    """Pick an entry of the folder's "…" menu."""
    folder_row(page, name).locator(".jp-Dataplane-imageFolderActions").click()
    menu = page.locator(".lm-Menu.jp-Dataplane-imageFolderMenu")
    expect(menu).to_be_visible(timeout=UI_TIMEOUT_MS)
    menu.locator(".lm-Menu-item", has_text=label).click()


def expect_thumbnails_loaded(page: Any, count: int) -> None:
    """`count` thumbnails shown, each a decoded image (fetched with the page's credentials)."""
    expect(page.locator(".jp-Dataplane-thumbnail")).to_have_count(count, timeout=UI_TIMEOUT_MS)
    page.wait_for_function(
        """(count) => {
            const images = [...document.querySelectorAll('.jp-Dataplane-thumbnail img')];
            return images.length === count && images.every(i => i.complete && i.naturalWidth > 0);
        }""",
        arg=count,
        timeout=UI_TIMEOUT_MS,
    )


def drop_file(page: Any, selector: str, name: str, data: bytes) -> None:
    """Drag a file from the desktop onto an element, as the browser reports it."""
    page.evaluate(
        """([selector, name, encoded]) => {
            const bytes = Uint8Array.from(atob(encoded), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: 'application/zip' }));
            const target = document.querySelector(selector);
            for (const type of ['dragenter', 'dragover', 'drop']) {
                target.dispatchEvent(new DragEvent(type, {
                    dataTransfer: transfer, bubbles: true, cancelable: true
                }));
            }
        }""",
        [selector, name, base64.b64encode(data).decode()],
    )


def test_upload_browse_download_rename_delete(lab_page: Any, artifacts_dir: Path, tmp_path: Path) -> None:
    page = lab_page
    archive, sizes = pets_zip(tmp_path / "pets.zip")
    panel = open_sidebar(page, UI_TIMEOUT_MS)
    section = panel.locator(SECTION)
    expect(panel.locator(".jp-Dataplane-uploadZip")).to_be_visible()

    # The section's title bar holds the upload button whatever the list shows.
    with page.expect_file_chooser(timeout=UI_TIMEOUT_MS) as chooser:
        panel.locator(".jp-Dataplane-uploadZip").click()
    chooser.value.set_files(str(archive))
    expect(page.locator(".jp-Dialog input")).to_have_value("pets", timeout=UI_TIMEOUT_MS)
    confirm_dialog(page)

    row = folder_row(page, "pets")
    expect(row).to_have_attribute("data-status", "ready", timeout=IMPORT_TIMEOUT_MS)
    expect(row.locator(".jp-Dataplane-imageCount")).to_have_text("5 images")
    expect(row.locator('.jp-Dataplane-category[data-category="cats"]')).to_have_text("cats 3")
    expect(row.locator('.jp-Dataplane-category[data-category="dogs"]')).to_have_text("dogs 2")
    expect(page.locator(".Toastify__toast", has_text="Image folder pets is ready: 5 images")).to_be_visible(
        timeout=UI_TIMEOUT_MS
    )
    page.screenshot(path=str(artifacts_dir / "image-folders-sidebar-ready.png"))

    # A name already taken is asked again before the zip is sent.
    with page.expect_file_chooser(timeout=UI_TIMEOUT_MS) as chooser:
        panel.locator(".jp-Dataplane-uploadZip").click()
    chooser.value.set_files(str(archive))
    expect(page.locator(".jp-Dialog input")).to_have_value("pets", timeout=UI_TIMEOUT_MS)
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
    expect(page.locator(".jp-Dialog")).to_contain_text(
        "An image folder named pets already exists in default", timeout=UI_TIMEOUT_MS
    )
    page.screenshot(path=str(artifacts_dir / "image-folders-name-taken.png"))
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-reject").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0, timeout=UI_TIMEOUT_MS)
    expect(section.locator(".jp-Dataplane-imageFolder")).to_have_count(1)

    row.locator(".jp-Dataplane-itemName").click()
    viewer = page.locator(".jp-Dataplane-imageFolderViewer")
    expect(viewer).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator(".lm-DockPanel .lm-TabBar-tab.lm-mod-current")).to_contain_text("pets")
    expect_thumbnails_loaded(page, 5)
    expect(viewer.locator(".jp-Dataplane-imageGridCount")).to_have_text("5 of 5 images")
    page.screenshot(path=str(artifacts_dir / "image-folders-grid.png"))

    viewer.locator(".jp-Dataplane-categorySelect select").select_option("dogs")
    expect_thumbnails_loaded(page, 2)
    paths = viewer.locator(".jp-Dataplane-thumbnail").evaluate_all(
        "items => items.map(item => item.dataset.path)"
    )
    assert paths == ["pets/dogs/dog_0.png", "pets/dogs/dog_1.png"]
    page.screenshot(path=str(artifacts_dir / "image-folders-grid-dogs.png"))

    viewer.locator('.jp-Dataplane-thumbnail[data-path="pets/dogs/dog_1.png"] button').click()
    full = viewer.locator(".jp-Dataplane-fullImage img")
    expect(full).to_be_visible(timeout=UI_TIMEOUT_MS)
    page.wait_for_function(
        "() => document.querySelector('.jp-Dataplane-fullImage img')?.naturalWidth > 0",
        timeout=UI_TIMEOUT_MS,
    )
    assert full.evaluate("img => [img.naturalWidth, img.naturalHeight]") == list(sizes["pets/dogs/dog_1.png"])
    expect(viewer.locator(".jp-Dataplane-fullImage figcaption")).to_contain_text("80 × 30")
    page.screenshot(path=str(artifacts_dir / "image-folders-full-image.png"))
    page.keyboard.press("Escape")
    expect(viewer.locator(".jp-Dataplane-fullImage")).to_have_count(0, timeout=UI_TIMEOUT_MS)

    with page.expect_download(timeout=UI_TIMEOUT_MS) as download:
        folder_action(page, "pets", "Download as zip")
    saved = tmp_path / "downloaded.zip"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "pets.zip"
    assert sorted(zipfile.ZipFile(saved).namelist()) == sorted(sizes)

    folder_action(page, "pets", "Rename")
    confirm_dialog(page, "pets-renamed")
    expect(folder_row(page, "pets-renamed")).to_have_attribute("data-status", "ready", timeout=UI_TIMEOUT_MS)
    expect(page.locator(".lm-DockPanel .lm-TabBar-tab.lm-mod-current")).to_contain_text(
        "pets-renamed", timeout=UI_TIMEOUT_MS
    )

    # The open viewer comes back with the page.
    page.reload(wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=APP_START_TIMEOUT_MS)
    page.evaluate("() => window.jupyterapp.restored.then(() => true)")
    expect(viewer).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(page.locator(".lm-DockPanel .lm-TabBar-tab.lm-mod-current")).to_contain_text("pets-renamed")
    expect_thumbnails_loaded(page, 5)
    panel = open_sidebar(page, UI_TIMEOUT_MS)

    # The section follows the sidebar's project picker.
    picker = panel.locator(".jp-Dataplane-projectSelect select")
    picker.select_option("churn")
    expect(section.locator(".jp-Dataplane-imageFolder")).to_have_count(0, timeout=UI_TIMEOUT_MS)
    unfold(panel)  # an empty section folds to its title bar
    expect(section.locator(".jp-Dataplane-uploadButton")).to_be_visible(timeout=UI_TIMEOUT_MS)
    picker.select_option("default")
    expect(folder_row(page, "pets-renamed")).to_be_visible(timeout=UI_TIMEOUT_MS)

    folder_action(page, "pets-renamed", "Delete")
    expect(page.locator(".jp-Dialog")).to_contain_text("5 images", timeout=UI_TIMEOUT_MS)
    confirm_dialog(page)
    expect(folder_row(page, "pets-renamed")).to_have_count(0, timeout=UI_TIMEOUT_MS)
    expect(viewer).to_have_count(0, timeout=UI_TIMEOUT_MS)
    assert page.page_errors == []


def test_dropped_zip_without_images_fails_with_the_file_named(lab_page: Any, artifacts_dir: Path) -> None:
    page = lab_page
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "no images here")
    panel = open_sidebar(page, UI_TIMEOUT_MS)
    expect(panel.locator(".jp-Dataplane-uploadZip")).to_be_visible()  # folded or not, the drop target is there

    drop_file(page, SECTION, "notes.zip", out.getvalue())
    confirm_dialog(page, "notes-folder")
    row = folder_row(page, "notes-folder")
    expect(row).to_have_attribute("data-status", "failed", timeout=IMPORT_TIMEOUT_MS)
    message = "notes.zip holds no jpg, png or gif image"
    expect(row.locator(".jp-Dataplane-itemError")).to_contain_text(message)
    expect(row.locator(".jp-Dataplane-itemName")).to_be_disabled()
    toast = page.locator(".Toastify__toast", has_text="Image folder notes-folder could not be imported")
    expect(toast).to_be_visible(timeout=UI_TIMEOUT_MS)
    toast.get_by_role("button", name="Show details").click()
    expect(page.locator(".jp-Dialog")).to_contain_text(message, timeout=UI_TIMEOUT_MS)
    page.screenshot(path=str(artifacts_dir / "image-folders-failed-upload.png"))
    page.locator(".jp-Dialog .jp-Dialog-button").last.click()

    folder_action(page, "notes-folder", "Delete")
    confirm_dialog(page)
    expect(row).to_have_count(0, timeout=UI_TIMEOUT_MS)
    assert page.page_errors == []


def noise_zip(path: Path, images: int, side: int) -> Path:
    """A zip of PNGs of random pixels (they do not compress), in ten categories shapes/c0..c9/."""
    import numpy as np

    rng = np.random.default_rng(8)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for index in range(images):
            out = io.BytesIO()
            pixels = rng.integers(0, 255, (side, side, 3), dtype=np.uint8)
            Image.fromarray(pixels, "RGB").save(out, "PNG")
            archive.writestr(f"shapes/c{index % 10}/{index}.png", out.getvalue())
    return path


def test_upload_and_copy_show_their_progress(lab_page: Any, artifacts_dir: Path, tmp_path: Path) -> None:
    page = lab_page
    archive = noise_zip(tmp_path / "noise.zip", images=40, side=160)
    panel = open_sidebar(page, UI_TIMEOUT_MS)
    section = panel.locator(SECTION)
    unfold(panel)  # empty at first, so folded to its title bar
    expect(section).to_be_visible()
    # A slow link, so that the upload lasts long enough to be watched (~3 s for the ~3 MB zip).
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 1_000_000},
    )

    # An empty list offers the upload button in the section itself.
    with page.expect_file_chooser(timeout=UI_TIMEOUT_MS) as chooser:
        section.locator(".jp-Dataplane-uploadButton").click()
    chooser.value.set_files(str(archive))
    confirm_dialog(page)

    uploading = section.locator('.jp-Dataplane-imageFolderUpload[data-name="noise"]')
    expect(uploading).to_contain_text("Uploading", timeout=UI_TIMEOUT_MS)
    page.wait_for_function(
        """() => {
            const bar = document.querySelector('.jp-Dataplane-imageFolderUpload [role=progressbar]');
            const value = Number(bar?.getAttribute('aria-valuenow'));
            return value > 0 && value < 100;
        }""",
        timeout=UI_TIMEOUT_MS,
    )
    page.screenshot(path=str(artifacts_dir / "image-folders-uploading.png"))
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )

    row = folder_row(page, "noise")
    expect(row).to_have_attribute("data-status", "ready", timeout=IMPORT_TIMEOUT_MS)
    expect(uploading).to_have_count(0)
    expect(row.locator(".jp-Dataplane-imageCount")).to_have_text("40 images")
    expect(row.locator(".jp-Dataplane-status")).to_have_text("Ready")
    # Ten categories: eight chips, the other two counted.
    expect(row.locator(".jp-Dataplane-category")).to_have_count(8)
    expect(row.locator(".jp-Dataplane-categoryMore")).to_have_text("+2 more")
    page.screenshot(path=str(artifacts_dir / "image-folders-many-categories.png"))

    folder_action(page, "noise", "Delete")
    confirm_dialog(page)
    expect(row).to_have_count(0, timeout=UI_TIMEOUT_MS)
    assert page.page_errors == []
