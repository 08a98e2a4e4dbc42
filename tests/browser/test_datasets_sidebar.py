"""The datasets section in a real JupyterLab: upload (file picker and drag-and-drop), live
status, filters, and every per-dataset action, against the real server extension.

These tests run their own JupyterLab over their own data home, so that the datasets they add
and remove never change what the other browser tests see.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .lab import lab_fixtures, ready_dialog
from .sidebar import (
    DATASETS,
    JOB_TIMEOUT_MS,
    UI_TIMEOUT_MS,
    action,
    expect_status,
    open_sidebar,
    row,
    upload,
)

pytestmark = pytest.mark.browser

# The uploaded table: 200 rows of a few typed columns.
HEADER = ["city", "day", "temperature", "rain"]
ROWS = [[f"city {i % 7}", f"2026-03-{i % 28 + 1:02d}", f"{10 + i * 0.25:.2f}", str(i % 2 == 0).lower()] for i in range(200)]


def seed_datasets_home(home: Path, files: Path) -> None:
    """An uploaded dataset, "sales", and a pipeline output, "predictions"."""
    import pandas as pd

    import dataplane_jupyter as dp

    project = dp.Catalog(home=home).project("default")
    (files / "sales.csv").write_text("region,units\nnorth,3\nsouth,5\n")
    project.datasets.import_file(files / "sales.csv", name="sales").wait(timeout=120)
    frame = pd.DataFrame({"id": [1, 2, 3], "score": [0.1, 0.7, 0.4]})
    project.datasets.from_pandas(frame, "predictions").wait(timeout=120)


# JupyterLab over its own data home; `page` keeps a screenshot when a test fails.
datasets_lab, page = lab_fixtures("datasets", seed_datasets_home, timeout_ms=UI_TIMEOUT_MS)


@pytest.fixture
def measurements_csv(tmp_path: Path) -> Path:
    path = tmp_path / "measurements.csv"
    path.write_text("\n".join(",".join(row) for row in [HEADER, *ROWS]) + "\n")
    return path


def shot(page: Any, artifacts_dir: Path, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"datasets-{name}.png"))


def expect_ready(page: Any, name: str) -> Any:
    """The dataset is listed and reaches "Ready to be used"."""
    item = expect_status(page, name, "ready")
    expect(item.locator(".jp-Dataplane-status")).to_have_text("Ready to be used")
    return item


def menu_action(page: Any, name: str, label: str) -> None:
    """Open the dataset's "more" menu and pick an item."""
    action(page, name, "more").click()
    page.locator(".lm-Menu .lm-Menu-item", has_text=label).click()


def test_upload_rename_download_notebook_delete(
    page: Any, measurements_csv: Path, artifacts_dir: Path
) -> None:
    open_sidebar(page)
    upload(page, measurements_csv)
    item = row(page, "measurements")
    expect(item).to_be_visible()
    shot(page, artifacts_dir, "01-uploaded")
    item = expect_ready(page, "measurements")
    expect(item).to_contain_text(f"{len(ROWS)} × {len(HEADER)}")
    expect(item.locator(".jp-Dataplane-itemOrigin")).to_have_text("Upload")
    shot(page, artifacts_dir, "02-ready")

    menu_action(page, "measurements", "Rename…")
    dialog = ready_dialog(page)
    expect(dialog).to_contain_text("Rename “measurements”")
    shot(page, artifacts_dir, "03-rename-dialog")
    dialog.locator("input").fill("measurements_v2")
    dialog.locator(".jp-mod-accept").click()
    expect(row(page, "measurements_v2")).to_be_visible()
    expect(row(page, "measurements")).to_have_count(0)

    with page.expect_download() as download_info:
        action(page, "measurements_v2", "download").click()
    download = download_info.value
    assert download.suggested_filename == "measurements_v2.csv"
    lines = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    assert lines[0] == HEADER
    assert len(lines) == len(ROWS) + 1
    assert [lines[1][0], lines[1][1]] == ROWS[0][:2]
    assert float(lines[-1][2]) == float(ROWS[-1][2])

    with page.expect_download() as download_info:
        menu_action(page, "measurements_v2", "Download as Parquet")
    parquet = Path(download_info.value.path()).read_bytes()
    assert parquet[:4] == b"PAR1" and parquet[-4:] == b"PAR1"
    shot(page, artifacts_dir, "04-downloaded")

    code = 'dp.project("default").datasets["measurements_v2"].to_pandas()'
    action(page, "measurements_v2", "notebook").click()
    cells = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")
    expect(cells).to_have_count(1)
    expect(cells.nth(0).locator(".cm-content")).to_contain_text(code)
    expect(cells.nth(0).locator(".cm-content")).to_contain_text("import dataplane_jupyter as dp")
    # With that notebook active, the code goes into a new cell below the active one.
    action(page, "measurements_v2", "notebook").click()
    expect(cells).to_have_count(2)
    expect(cells.nth(1).locator(".cm-content")).to_contain_text(code)
    shot(page, artifacts_dir, "05-notebook")

    # The same menu on a right click.
    row(page, "measurements_v2").click(button="right")
    page.locator(".lm-Menu .lm-Menu-item", has_text="Delete…").click()
    dialog = ready_dialog(page)
    expect(dialog).to_contain_text("Delete “measurements_v2”")
    shot(page, artifacts_dir, "06-delete-dialog")
    dialog.locator(".jp-mod-accept").click()
    expect(row(page, "measurements_v2")).to_have_count(0)
    expect(row(page, "sales")).to_be_visible()
    shot(page, artifacts_dir, "07-deleted")
    assert page.page_errors == []


def test_upload_progress_is_shown(page: Any, tmp_path: Path, artifacts_dir: Path) -> None:
    """A slow upload (the browser's upload throttled to 256 KiB/s) shows its progress."""
    big = tmp_path / "slow_upload.csv"
    big.write_text("n,text\n" + "".join(f"{i},{'x' * 90}\n" for i in range(12_000)))  # ~1.1 MB
    open_sidebar(page)
    expect(row(page, "sales")).to_be_visible()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 256 * 1024},
    )
    upload(page, big)
    uploading = page.locator(f'{DATASETS} .jp-Dataplane-upload[data-name="slow_upload.csv"]')
    expect(uploading).to_be_visible()
    expect(uploading.locator(".jp-Dataplane-status")).to_contain_text("Uploading")
    expect(uploading.get_by_role("progressbar")).not_to_have_attribute("aria-valuenow", "0")
    shot(page, artifacts_dir, "15-upload-progress")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    expect(uploading).to_have_count(0, timeout=JOB_TIMEOUT_MS)
    expect_ready(page, "slow_upload")
    assert page.page_errors == []


def test_drop_files_to_upload(page: Any, artifacts_dir: Path) -> None:
    open_sidebar(page)
    section = page.locator(DATASETS)
    expect(section.locator(".jp-Dataplane-dataset").first).to_be_visible()
    data_transfer = page.evaluate_handle(
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(['x,y\\n1,2\\n3,4\\n5,6\\n'], 'dropped.csv', {type: 'text/csv'}));
            return transfer;
        }"""
    )
    section.dispatch_event("dragenter", {"dataTransfer": data_transfer})
    expect(section).to_have_class(class_pattern("jp-mod-dropTarget"))
    expect(section.locator(".jp-Dataplane-dropHint")).to_be_visible()
    shot(page, artifacts_dir, "08-drag-over")
    section.dispatch_event("drop", {"dataTransfer": data_transfer})
    expect(section).not_to_have_class(class_pattern("jp-mod-dropTarget"))
    item = expect_ready(page, "dropped")
    expect(item).to_contain_text("3 × 2")
    shot(page, artifacts_dir, "09-dropped-ready")
    assert page.page_errors == []


def test_search_and_origin_filters_query_the_server(page: Any, artifacts_dir: Path) -> None:
    open_sidebar(page)
    expect(row(page, "sales")).to_be_visible()
    expect(row(page, "predictions")).to_be_visible()
    with page.expect_request(lambda r: "/datasets?" in r.url and "search=sal" in r.url):
        page.locator(f"{DATASETS} .jp-Dataplane-search input").fill("sal")
    expect(row(page, "predictions")).to_have_count(0)
    expect(row(page, "sales")).to_be_visible()
    shot(page, artifacts_dir, "10-search")

    page.locator(f"{DATASETS} .jp-Dataplane-search input").fill("")
    pipeline = page.locator(f'{DATASETS} .jp-Dataplane-originToggle[data-origin="pipeline_output"]')
    with page.expect_request(lambda r: "origin=pipeline_output" in r.url):
        pipeline.click()
    expect(pipeline).to_have_attribute("aria-pressed", "true")
    expect(row(page, "sales")).to_have_count(0)
    expect(row(page, "predictions")).to_be_visible()
    shot(page, artifacts_dir, "11-origin-filter")

    page.locator(f'{DATASETS} .jp-Dataplane-originToggle[data-origin="datasource"]').click()
    pipeline.click()
    expect(page.locator(f"{DATASETS} .jp-Dataplane-empty")).to_have_text("No dataset matches these filters.")
    assert page.page_errors == []


def test_failed_import_is_notified_with_the_server_message(
    page: Any, tmp_path: Path, artifacts_dir: Path
) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b\n1,2\n3\n4,5,6,7\n")
    open_sidebar(page)
    strict = page.locator(f"{DATASETS} .jp-Dataplane-strictUploads input")
    strict.check()
    upload(page, ragged)
    strict.uncheck()
    item = expect_status(page, "ragged", "failed")
    expect(item.locator(".jp-Dataplane-itemError")).to_contain_text("ragged.csv: line 3")
    toast = page.locator(".Toastify__toast", has_text="Importing “ragged” failed")
    expect(toast).to_be_visible()
    shot(page, artifacts_dir, "12-import-failed")
    toast.get_by_role("button", name="Show details").click()
    expect(page.locator(".jp-Dialog")).to_contain_text(
        "ragged.csv: line 3 has 1 fields, expected 2; line 4 has 4 fields, expected 2. To import the file with "
        "such rows repaired or set aside: untick “Strict: refuse files with bad rows”")
    shot(page, artifacts_dir, "13-import-failed-details")
    page.locator(".jp-Dialog").get_by_role("button", name="Close").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    assert page.page_errors == []


def test_bad_rows_are_set_aside_and_shown_verbatim_in_the_details(
    page: Any, tmp_path: Path, artifacts_dir: Path
) -> None:
    messy = tmp_path / "messy.csv"
    messy.write_text("id,name,score\n" + "".join(f"{i},name {i},{i / 4}\n" for i in range(40))
                     + '41,"unclosed,9,8,7\n' + "42,fine,1.5\n")
    open_sidebar(page)
    upload(page, messy)
    expect_status(page, "messy", "ready")
    action(page, "messy", "details").click()
    details = page.locator(".jp-Dataplane-details:visible")
    expect(details.locator(".jp-Dataplane-warnings")).to_contain_text(
        "1 row set aside: lines 42 (a quote that is not closed); see the rejected rows")
    # every setting the import detected is reported (issue #14), each one a field of the retry form
    expect(details.locator("td[data-field='format']")).to_have_text(
        "separator “,”, decimal “.”, encoding utf-8, quote “\"”, header of 1 line")
    details.locator('.jp-Dataplane-tab[data-tab="Rejected rows"]').click()
    expect(details.locator('.jp-Dataplane-tab[data-tab="Rejected rows"]')).to_have_text("Rejected rows (1)")
    table = details.locator(".jp-Dataplane-rejectedTable")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody td").nth(0)).to_have_text("42")
    expect(table.locator("tbody td").nth(1)).to_have_text("a quote that is not closed")
    expect(table.locator(".jp-Dataplane-raw")).to_have_text('41,"unclosed,9,8,7')
    shot(page, artifacts_dir, "15-rejected-rows")
    assert page.page_errors == []


def test_palette_commands(page: Any) -> None:
    labels = page.evaluate(
        """() => ['dataplane:upload-dataset', 'dataplane:refresh', 'dataplane:open-dataset-in-notebook']
            .map(id => window.jupyterapp.commands.label(id, {isPalette: true}))"""
    )
    assert labels == [
        "Upload a File as a Dataset…",
        "Refresh Data Panel",
        "Open Selected Dataset in a Notebook",
    ]
    open_sidebar(page)
    expect(row(page, "sales")).to_be_visible()
    enabled = "() => window.jupyterapp.commands.isEnabled('dataplane:open-dataset-in-notebook')"
    assert page.evaluate(enabled) is False
    row(page, "sales").click()
    expect(row(page, "sales")).to_have_class(class_pattern("jp-mod-selected"))
    assert page.evaluate(enabled) is True


def test_details_action_opens_the_details_tab(page: Any, artifacts_dir: Path) -> None:
    """Needs the details tab's command (`dataplane:open-dataset-details`, another plugin)."""
    open_sidebar(page)
    action(page, "sales", "details").click()
    details = page.locator(".jp-Dataplane-details:visible")
    expect(details.locator(".jp-Dataplane-detailsTitle")).to_have_text("sales")
    shot(page, artifacts_dir, "14-details")
    assert page.page_errors == []


def test_embeddings_action_computes_then_explores(page: Any, tmp_path: Path, artifacts_dir: Path) -> None:
    """A ready row's embeddings button: "Compute embeddings", disabled with the progress while
    they compute, then "Explore embeddings", which opens the details on the embeddings map."""
    source = tmp_path / "embeddable.csv"
    source.write_text("\n".join(",".join(line) for line in [HEADER, *ROWS]) + "\n")
    open_sidebar(page)
    upload(page, source)
    expect_ready(page, "embeddable")
    button = action(page, "embeddable", "embeddings")
    expect(button).to_have_attribute("title", "Compute embeddings")
    expect(button).to_have_attribute("data-embeddings", "none")

    # PCA of 200 rows may end before a poll sees it running: the list answers "computing"
    # (as the server does while the job runs) until the test lets the real answer through.
    holding = {"on": True}

    def hold_computing(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        for dataset in body["datasets"]:
            if holding["on"] and dataset["name"] == "embeddable" and dataset["embeddings"]:
                dataset["embeddings"]["status"] = "computing"
        route.fulfill(response=response, json=body)

    datasets_list = re.compile(r".*/dataplane/api/v1/projects/default/datasets(\?.*)?$")
    page.route(datasets_list, hold_computing)
    button.click()
    expect(page.locator(".Toastify__toast", has_text="Computing the embeddings of “embeddable”")).to_be_visible()
    item = row(page, "embeddable")
    expect(item.locator(".jp-Dataplane-itemEmbeddings")).to_contain_text("Computing embeddings")
    button = action(page, "embeddable", "embeddings")
    expect(button).to_have_attribute("data-embeddings", "computing")
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button).to_have_attribute("title", re.compile(r"^Embeddings… \d+%$"))
    shot(page, artifacts_dir, "16-embeddings-computing")
    holding["on"] = False
    page.unroute(datasets_list, hold_computing)

    expect(button).to_have_attribute("data-embeddings", "ready", timeout=JOB_TIMEOUT_MS)
    expect(button).to_have_attribute("title", "Explore embeddings")
    expect(item.locator(".jp-Dataplane-itemEmbeddings")).to_have_count(0)
    expect(page.locator(".Toastify__toast", has_text="The embeddings of “embeddable” are ready")).to_be_visible()
    shot(page, artifacts_dir, "17-embeddings-ready")

    action(page, "embeddable", "embeddings").click()
    details = page.locator(".jp-Dataplane-details:visible")
    expect(details.locator(".jp-Dataplane-detailsTitle")).to_have_text("embeddable")
    expect(details.locator('.jp-Dataplane-tab[aria-selected="true"]')).to_have_text("Embeddings")
    plot = details.locator(".jp-Dataplane-embeddingsPlot .js-plotly-plot")
    expect(plot).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(plot.locator(".scatterlayer .point")).to_have_count(len(ROWS), timeout=JOB_TIMEOUT_MS)
    shot(page, artifacts_dir, "18-embeddings-explore")

    # With the details tab open on another tab, the button brings it back to the map.
    details.locator('.jp-Dataplane-tab[data-tab="General"]').click()
    expect(plot).to_have_count(0)
    action(page, "embeddable", "embeddings").click()
    expect(details.locator('.jp-Dataplane-tab[aria-selected="true"]')).to_have_text("Embeddings")
    expect(plot).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(page.locator(".jp-Dataplane-detailsTitle", has_text="embeddable")).to_have_count(1)

    assert page.page_errors == []


def class_pattern(css_class: str) -> Any:
    """A pattern matching a class attribute that contains `css_class`."""
    return re.compile(rf"(^|\s){re.escape(css_class)}(\s|$)")


def test_datasets_section_gets_more_room(page: Any) -> None:
    """The datasets list gets twice another section's height, also when the layout restored
    at start-up already shows the panel (the tests above leave it open)."""
    open_sidebar(page)
    expect(row(page, "sales")).to_be_visible()
    heights = """() => {
        const panel = [...window.jupyterapp.shell.widgets('left')].find(w => w.id === 'dataplane-sidebar');
        return panel.content.widgets.map(w => [w.title.label, w.node.getBoundingClientRect().height]);
    }"""
    page.wait_for_function(f"() => ({heights})()[0][1] > 0")
    sections = dict(page.evaluate(heights))
    others = [height for label, height in sections.items() if label != "Datasets"]
    assert others, sections
    assert sections["Datasets"] > 1.5 * max(others), sections
