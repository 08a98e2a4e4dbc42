"""What a new user meets in the sidebar (issue #20): a failed import fixed by a retry with other
options, a replaced upload, actions that cannot work hidden, the picked project kept across a
reload, and the sidebar at 1400×900 with a dozen datasets.

Its own JupyterLab over its own data home, so the datasets it changes are its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .lab import lab_fixtures, ready_dialog
from .sidebar import DATASETS, JOB_TIMEOUT_MS, UI_TIMEOUT_MS, expect_status, hover_row, menu_labels, open_sidebar, row, upload

pytestmark = pytest.mark.browser

LATIN1 = "city;population\nZürich;421878\nGenève;203856\nMünchen;1512491\n".encode("cp1252")
NAMES = [
    "customer_churn_features_2026_q3", "sales", "iris", "tips", "gapminder", "wind", "stocks",
    "predictions_random_forest_v2", "events", "returns_by_region",
]


def seed_first_hour_home(home: Path, files: Path) -> None:
    """Project "default" with 10 ready datasets and 2 failed imports; project "demo" with one."""
    import pandas as pd

    import dataplane_jupyter as dp

    catalog = dp.Catalog(home=home, executor="thread")
    project = catalog.project("default")
    for i, name in enumerate(NAMES):
        frame = pd.DataFrame({"year": [1952 + 5 * k for k in range(12)], "value": [k * 1.5 + i for k in range(12)]})
        project.datasets.from_pandas(frame, name, origin="upload" if i % 2 else "pipeline_output").wait(timeout=120)
    for name in ("cities", "ragged_cities"):
        path = files / f"{name}.csv"
        path.write_bytes(LATIN1)
        with pytest.raises(dp.ImportFailed):
            project.datasets.import_file(path, name=name, encoding="utf-8", separator=",").wait(timeout=120)
    countries = [f"Country {k:03d}" for k in range(142)]
    gapminder = pd.DataFrame({
        "country": [c for c in countries for _ in range(12)],
        "year": [1952 + 5 * k for _ in countries for k in range(12)],
        "lifeExp": [40.0 + (i % 12) * 2.5 + (i % 7) for i in range(142 * 12)],
        "pop": [1_000_000 + 37_513 * i for i in range(142 * 12)],
        "day": pd.to_datetime(["2024-02-16"] * (142 * 12)),
    })
    project.datasets["gapminder"].delete()
    project.datasets.from_pandas(gapminder, "gapminder", origin="upload").wait(timeout=120)
    demo = catalog.project("demo")
    demo.datasets.from_pandas(pd.DataFrame({"a": [1, 2]}), "demo_only").wait(timeout=120)


first_hour_lab, page = lab_fixtures("first-hour", seed_first_hour_home, timeout_ms=UI_TIMEOUT_MS)


def test_sidebar_with_twelve_datasets_at_1400x900(page: Any, artifacts_dir: Path) -> None:
    open_sidebar(page)
    expect(page.locator(f"{DATASETS} .jp-Dataplane-dataset")).to_have_count(12)
    # the empty sections fold to their title bars (also while they load), so the datasets get the room
    for label in ("Connectors", "Datasources", "Exporters", "Pipelines", "Image folders"):
        expect(page.locator(f'h3[aria-label="{label} Section"]')).to_have_attribute("aria-expanded", "false")
    visible = page.locator(f"{DATASETS} .jp-Dataplane-dataset").evaluate_all(
        """rows => { const list = rows[0].closest('.lm-Widget').getBoundingClientRect();
                    return rows.filter(r => r.getBoundingClientRect().bottom <= list.bottom).length; }""")
    assert visible >= 8, visible
    # origins read in full on every row ("Upload", not "Upl…"); a long name keeps its full text
    # in a tooltip, also while the row's action icons show on hover
    cut = page.locator(f"{DATASETS} .jp-Dataplane-itemOrigin").evaluate_all(
        "spans => spans.filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.textContent)")
    assert cut == [], cut
    long_name = row(page, NAMES[0])
    long_name.hover()
    expect(long_name.locator(".jp-Dataplane-itemName")).to_have_attribute("title", NAMES[0])
    shown = long_name.locator(".jp-Dataplane-itemName").evaluate("n => n.clientWidth / n.scrollWidth")
    assert shown >= 0.5, f"only {shown:.0%} of the name shows beside the hover icons"
    page.mouse.move(700, 450)
    page.screenshot(path=str(artifacts_dir / "first-hour-sidebar-12-datasets.png"))
    assert page.page_errors == []


def test_a_download_that_cannot_work_is_a_message_not_silence(page: Any) -> None:
    """Download is not offered on a failed import; asked for anyway (the palette, a stale list),
    it says why instead of the browser failing the 409 silently (issue #20, item 9)."""
    open_sidebar(page)
    expect(row(page, "cities")).to_have_attribute("data-status", "failed")
    page.evaluate("""() => window.jupyterapp.commands.execute('dataplane:download-dataset',
                                                              {project: 'default', dataset: 'cities', format: 'csv'})""")
    toast = page.locator(".Toastify__toast", has_text="Cannot download “cities”")
    expect(toast).to_be_visible()
    toast.get_by_role("button", name="Show details").click()
    expect(page.locator(".jp-Dialog")).to_contain_text("Its import failed, so it holds no data")
    page.locator(".jp-Dialog").get_by_role("button", name="Close").click()
    assert page.page_errors == []


def test_a_failed_import_offers_retry_not_download_and_the_retry_fixes_it(page: Any, artifacts_dir: Path) -> None:
    open_sidebar(page)
    item = hover_row(page, "cities")
    expect(item).to_have_attribute("data-status", "failed")
    expect(item.locator(".jp-Dataplane-action-download")).to_have_count(0)
    expect(item.locator(".jp-Dataplane-action-notebook")).to_have_count(0)
    ready = hover_row(page, "sales")
    expect(ready.locator(".jp-Dataplane-action-download")).to_have_count(1)

    labels = menu_labels(page, "cities")
    assert labels[0] == "Open Details"
    assert "Retry Import…" in labels
    assert not any(label.startswith("Download") for label in labels) and "Open in a Notebook" not in labels
    page.keyboard.press("Escape")

    hover_row(page, "cities").locator(".jp-Dataplane-action-retry").click()
    dialog = ready_dialog(page)
    expect(dialog).to_contain_text("Retry the import of “cities”")
    expect(dialog.locator("input[name='encoding']")).to_have_value("utf-8")  # what the failed attempt used
    expect(dialog.locator("input[name='separator']")).to_have_value(",")
    expect(dialog.locator(".jp-Dataplane-retryReason")).to_contain_text("cities.csv")
    # every setting the import detects can be overridden here (issue #14), labelled as the hints name them
    for field, label in (("quotechar", "Quote character"), ("escapechar", "Escape character"),
                         ("skip_lines", "Lines before the header"), ("header_rows", "Header lines")):
        expect(dialog.locator(f"label:has(input[name='{field}'])")).to_contain_text(label)
    expect(dialog.locator("select[name='header']")).to_have_value("detect")
    strict = dialog.locator("input[name='on_bad_rows']")
    expect(strict).not_to_be_checked()
    expect(dialog.locator("label:has(input[name='on_bad_rows'])")).to_contain_text("Strict: refuse files with bad rows")
    page.screenshot(path=str(artifacts_dir / "first-hour-retry-form.png"))
    dialog.locator("input[name='encoding']").fill("cp1252")
    dialog.locator("input[name='separator']").fill(";")
    expect(dialog.locator("input[name='encoding']")).to_have_value("cp1252")
    expect(dialog.locator("input[name='separator']")).to_have_value(";")
    dialog.get_by_role("button", name="Retry").click()
    expect(dialog).to_have_count(0)
    expect(expect_status(page, "cities", "ready").locator(".jp-Dataplane-itemShape")).to_have_text("3 × 2")
    assert page.page_errors == []


def test_an_upload_of_a_taken_name_asks_before_replacing(page: Any, tmp_path: Path) -> None:
    open_sidebar(page)
    failed_id = row(page, "ragged_cities").get_attribute("data-status")
    assert failed_id == "failed"
    replacement = tmp_path / "ragged_cities.csv"
    replacement.write_text("city,population\nBern,134794\n")
    upload(page, replacement)
    dialog = ready_dialog(page)
    expect(dialog).to_contain_text("Replace dataset “ragged_cities”?")
    expect(dialog).to_contain_text("a failed import")
    dialog.get_by_role("button", name="Cancel").click()
    expect(row(page, "ragged_cities")).to_have_attribute("data-status", "failed")
    upload(page, replacement)
    page.locator(".jp-Dialog").get_by_role("button", name="Replace").click()
    expect(expect_status(page, "ragged_cities", "ready").locator(".jp-Dataplane-itemShape")).to_have_text("1 × 2")
    assert page.page_errors == []


def test_the_picked_project_stays_across_a_reload(page: Any) -> None:
    panel = open_sidebar(page)
    panel.locator(".jp-Dataplane-projectSelect select").select_option("demo")
    expect(row(page, "demo_only")).to_be_visible()
    page.reload(wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp !== undefined")
    page.evaluate("() => window.jupyterapp.restored.then(() => true)")
    panel = open_sidebar(page)
    expect(row(page, "demo_only")).to_be_visible()
    expect(panel.locator(".jp-Dataplane-projectSelect select")).to_have_value("demo")


def test_details_tab_reads_right(page: Any, artifacts_dir: Path) -> None:
    open_sidebar(page)
    widget_id = page.evaluate(
        """async () => (await window.jupyterapp.commands.execute(
            'dataplane:open-dataset-details', {project: 'default', dataset: 'gapminder'})).id"""
    )
    content = page.locator(f"#{widget_id} .jp-Dataplane-details")
    expect(content.locator(".jp-Dataplane-distributions .js-plotly-plot")).to_be_visible(timeout=JOB_TIMEOUT_MS)
    heatmap = content.locator(".jp-Dataplane-heatmap .js-plotly-plot")
    expect(heatmap).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(content.locator(".jp-Dataplane-distributions")).to_contain_text("142 levels, each 0.7 %")
    # No blank band between the heading and the first row of charts: the first chart titles sit
    # right under "Feature distributions" (it was ~80 px).
    heading = content.locator(".jp-Dataplane-distributions h3").bounding_box()
    titles = content.locator(".jp-Dataplane-distributions g.annotation")
    first_title = min((titles.nth(k).bounding_box() for k in range(titles.count())), key=lambda box: box["y"])
    gap = first_title["y"] - (heading["y"] + heading["height"])
    assert 0 <= gap <= 30, f"{gap:.0f} px between the heading and the first chart titles"
    page.screenshot(path=str(artifacts_dir / "first-hour-details-general.png"))
    content.locator('.jp-Dataplane-tab[data-tab="Columns"]').click()
    year = content.locator('.jp-Dataplane-columnsTable tr[data-column="year"]')
    expect(year.locator("td").nth(5)).to_have_text("1952")  # min, not "1,952"
    expect(year.locator("td").nth(4)).to_have_text("1979.5")
    expect(year.locator("td").nth(5)).to_have_css("text-align", "right")
    content.locator(".jp-Dataplane-columnsList input").fill("life")
    expect(content.locator(".jp-Dataplane-columnsTable tbody tr")).to_have_count(1)
    expect(content.locator(".jp-Dataplane-detailsColumns")).to_contain_text("lifeExp")
    expect(content.locator(".jp-Dataplane-detailsColumns")).to_contain_text("distinct values")
    page.screenshot(path=str(artifacts_dir / "first-hour-details-columns.png"))
    content.locator('.jp-Dataplane-tab[data-tab="Sample"]').click()
    sample = content.locator(".jp-Dataplane-sampleTable")
    expect(sample).to_contain_text("2024-02-16")
    expect(sample).not_to_contain_text("T00:00:00")
    # Every row asked for (20 by default) is laid out in full: none hidden under a box that
    # scrolls on its own, with blank page below it.
    expect(sample.locator("tbody tr")).to_have_count(20)
    expect(sample.locator("tbody tr").last.locator("td").first).to_have_text("19")
    box = content.locator(".jp-Dataplane-sampleScroll")
    clipped = box.evaluate("node => node.scrollHeight - node.clientHeight")
    assert clipped <= 1, f"{clipped} px of the sample hidden in its box"
    last = sample.locator("tbody tr").last.bounding_box()
    outer = box.bounding_box()
    assert last["y"] + last["height"] <= outer["y"] + outer["height"] + 1
    page.screenshot(path=str(artifacts_dir / "first-hour-details-sample.png"))
    content.locator(".jp-Dataplane-sampleRows input").fill("60")
    content.locator(".jp-Dataplane-detailsSample button[type=submit]").click()
    expect(sample.locator("tbody tr")).to_have_count(60)
    assert box.evaluate("node => node.scrollHeight - node.clientHeight") <= 1
    sample.locator("tbody tr").last.scroll_into_view_if_needed()
    expect(sample.locator("tbody tr").last).to_be_in_viewport()
    page.screenshot(path=str(artifacts_dir / "first-hour-details-sample-60.png"))
    assert page.page_errors == []
