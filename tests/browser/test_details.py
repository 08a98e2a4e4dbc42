"""A dataset's details in the main area of a real JupyterLab: summary, columns with their
drill-down, correlation heatmap, sample, and the embeddings explorer."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .lab import SeededDataset, ready_dialog

pytestmark = pytest.mark.browser

OPEN_DETAILS = "dataplane:open-dataset-details"
DETAILS = ".jp-Dataplane-details"
# Generous: two cores are shared by several test runs, and plotly is a 4.5 MB chunk.
SLOW_MS = 60_000


def open_details(page: Any, project: str, dataset: str) -> Any:
    """Run the command as the datasets section does and return the details tab's content."""
    widget_id = page.evaluate(
        """async ([command, args]) => {
            const widget = await window.jupyterapp.commands.execute(command, args);
            return widget.id;
        }""",
        [OPEN_DETAILS, {"project": project, "dataset": dataset}],
    )
    current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    expect(current).to_have_attribute("data-id", widget_id)
    content = page.locator(f"#{widget_id} {DETAILS}")
    expect(content.locator(".jp-Dataplane-detailsTitle")).to_have_text(dataset, timeout=SLOW_MS)
    return content


def show_tab(content: Any, name: str) -> None:
    content.locator(f'.jp-Dataplane-tab[data-tab="{name}"]').click()
    expect(content.locator(f'.jp-Dataplane-tabPanel[data-tab="{name}"]')).to_be_visible()


def seeded_dataset(seeded: list[SeededDataset], name: str) -> SeededDataset:
    return next(d for d in seeded if d.name == name)


def api_get(page: Any, path: str) -> Any:
    """A REST call made by the page itself (its token and XSRF cookie)."""
    return page.evaluate(
        """async path => {
            const settings = window.jupyterapp.serviceManager.serverSettings;
            const url = settings.baseUrl + 'dataplane/api/v1/' + path;
            const init = {headers: {Authorization: 'token ' + settings.token}};
            const response = await fetch(url, init);
            return {status: response.status, body: await response.text()};
        }""",
        path,
    )


def test_details_summary_columns_correlation_sample(
    lab_page: Any, seeded: list[SeededDataset], artifacts_dir: Path
) -> None:
    sales = seeded_dataset(seeded, "sales")  # region, units, price: two numeric columns
    content = open_details(lab_page, sales.project, sales.name)
    title = lab_page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    expect(title).to_have_text(sales.name)

    # General: the summary's numbers, the distributions and the correlation heatmap.
    expect(content.locator('td[data-field="rows"]')).to_have_text(f"{sales.rows:,}")
    expect(content.locator('td[data-field="columns"]')).to_have_text(f"{sales.columns:,}")
    # The status is said once, by the chip beside the title (as in the notebook panel).
    expect(content.locator(".jp-Dataplane-detailsHeader .jp-Dataplane-status.jp-mod-ok")).to_have_text(
        "Ready to be used")
    expect(content.get_by_text("Ready to be used", exact=True)).to_have_count(1)
    expect(content.locator('td[data-field="origin"]')).to_have_text("upload")
    expect(content.locator(".jp-Dataplane-distributions .js-plotly-plot")).to_be_visible(timeout=SLOW_MS)
    heatmap = content.locator(".jp-Dataplane-heatmap .js-plotly-plot")
    expect(heatmap).to_be_visible(timeout=SLOW_MS)
    expect(heatmap.locator(".hm, .heatmaplayer image")).not_to_have_count(0)
    expect(heatmap).to_contain_text("Pearson correlation (2 columns)")
    lab_page.screenshot(path=str(artifacts_dir / "details-general.png"))

    # Columns: one line per column; clicking one draws its distribution and lists its statistics.
    show_tab(content, "Columns")
    lines = content.locator(".jp-Dataplane-columnsTable tbody tr")
    expect(lines).to_have_count(sales.columns)
    content.locator('.jp-Dataplane-columnsTable tr[data-column="region"]').click()
    drill = content.locator('.jp-Dataplane-drillDown[data-column="region"]')
    expect(drill.locator(".js-plotly-plot")).to_be_visible(timeout=SLOW_MS)
    expect(drill.locator(".js-plotly-plot")).to_contain_text("region (categorical)")
    expect(drill.locator(".js-plotly-plot")).to_contain_text("north")
    stats = drill.locator(".jp-Dataplane-columnStats")
    expect(stats.locator("tr", has_text="distinct").first).to_contain_text("4")
    expect(stats).to_contain_text("top 1:")
    lab_page.screenshot(path=str(artifacts_dir / "details-columns.png"))

    # Sample: the first rows, then as many as asked for.
    show_tab(content, "Sample")
    rows = content.locator(".jp-Dataplane-sampleTable tbody tr")
    expect(rows).to_have_count(sales.rows)
    expect(rows.first).to_contain_text("north")
    content.locator(".jp-Dataplane-sampleRows input").fill("2")
    content.locator(".jp-Dataplane-detailsSample button[type=submit]").click()
    expect(rows).to_have_count(2)
    lab_page.screenshot(path=str(artifacts_dir / "details-sample.png"))
    assert lab_page.page_errors == []


def test_opening_again_reactivates_the_tab(lab_page: Any, seeded: list[SeededDataset]) -> None:
    sales = seeded_dataset(seeded, "sales")
    first = open_details(lab_page, sales.project, sales.name)
    other = seeded_dataset(seeded, "customers")
    open_details(lab_page, other.project, other.name)
    again = open_details(lab_page, sales.project, sales.name)
    assert again.evaluate("node => node.parentElement.id") == first.evaluate("node => node.parentElement.id")
    tabs = lab_page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=sales.name)
    expect(tabs).to_have_count(1)


def test_download_and_dark_theme(
    lab_page: Any, seeded: list[SeededDataset], artifacts_dir: Path
) -> None:
    sales = seeded_dataset(seeded, "sales")
    content = open_details(lab_page, sales.project, sales.name)
    panel = content.locator("xpath=..")
    with lab_page.expect_download(timeout=SLOW_MS) as download:
        panel.locator('[data-jp-item-name="download-csv"] button').click()
    rows = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    assert rows[0] == ["region", "units", "price"]
    assert len(rows) == sales.rows + 1

    set_theme(lab_page, "JupyterLab Dark")
    try:
        expect(lab_page.locator("body")).to_have_attribute("data-jp-theme-light", "false", timeout=SLOW_MS)
        heatmap = content.locator(".jp-Dataplane-heatmap .js-plotly-plot")
        dark = lab_page.evaluate(
            "() => getComputedStyle(document.body).getPropertyValue('--jp-layout-color0').trim()"
        )
        # The charts are redrawn with the dark theme's background.
        paper = heatmap.locator("svg.main-svg").first
        expect(paper).to_have_css("background-color", _css_rgb(lab_page, dark), timeout=SLOW_MS)
        lab_page.screenshot(path=str(artifacts_dir / "details-dark.png"))
    finally:
        # The theme is a user setting of the shared server: later tests expect the light one.
        set_theme(lab_page, "JupyterLab Light")
        expect(lab_page.locator("body")).to_have_attribute("data-jp-theme-light", "true", timeout=SLOW_MS)


def set_theme(page: Any, theme: str) -> None:
    page.evaluate(
        "theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme
    )


def _css_rgb(page: Any, colour: str) -> str:
    """A CSS colour as the browser writes computed colours (`rgb(r, g, b)`)."""
    return page.evaluate(
        """colour => { const probe = document.createElement('div'); probe.style.color = colour;
            document.body.appendChild(probe); const value = getComputedStyle(probe).color;
            probe.remove(); return value; }""",
        colour,
    )


EMBEDDINGS_PROJECT = "details-embeddings"
POINTS_ROWS = 30
GROUPS = ("red", "green", "blue")


@pytest.fixture
def points(dataplane_home: Path, tmp_path: Path, lab_server: Any) -> Iterator[SeededDataset]:
    """A dataset of its own project, deleted afterwards: computing embeddings and saving a
    selection change the catalog, and other tests count the seeded projects and datasets."""
    import dataplane_jupyter as dp

    csv_path = tmp_path / "points.csv"
    lines = ["x,y,group"] + [
        f"{i % 7},{(i * 3) % 11 + 0.5},{GROUPS[i % len(GROUPS)]}" for i in range(POINTS_ROWS)
    ]
    csv_path.write_text("\n".join(lines) + "\n")
    catalog = dp.Catalog(home=dataplane_home)
    catalog.project(EMBEDDINGS_PROJECT).datasets.import_file(csv_path, name="points").wait(timeout=120)
    try:
        yield SeededDataset(EMBEDDINGS_PROJECT, "points", rows=POINTS_ROWS, columns=3)
    finally:
        catalog.delete_project(EMBEDDINGS_PROJECT)


def drag_lasso(page: Any, area: Any) -> None:
    """Draw a lasso just inside the plot area, around every point."""
    box = area.bounding_box()
    left, top = box["x"] + 2, box["y"] + 2
    right, bottom = box["x"] + box["width"] - 2, box["y"] + box["height"] - 2
    page.mouse.move(left, top)
    page.mouse.down()
    for x, y in ((right, top), (right, bottom), (left, bottom), (left, top + 1)):
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


def test_embeddings_compute_explore_neighbours_selection(
    lab_page: Any, points: SeededDataset, artifacts_dir: Path
) -> None:
    content = open_details(lab_page, points.project, points.name)
    show_tab(content, "Embeddings")
    content.locator(".jp-Dataplane-compute").click()
    explore = content.locator(".jp-Dataplane-explore")
    expect(explore).to_be_visible(timeout=120_000)
    expect(content.locator(".jp-Dataplane-embeddingsReady")).to_contain_text(
        f"all {POINTS_ROWS} rows embedded"
    )
    explore.click()

    plot = content.locator(".jp-Dataplane-embeddingsPlot .js-plotly-plot")
    expect(plot).to_be_visible(timeout=SLOW_MS)
    expect(plot.locator(".scatterlayer .point")).to_have_count(POINTS_ROWS, timeout=SLOW_MS)

    content.locator(".jp-Dataplane-colorBy select").select_option("group")
    expect(plot.locator(".legend .traces")).to_have_count(len(GROUPS), timeout=SLOW_MS)
    expect(plot.locator(".legend")).to_contain_text("green")
    lab_page.screenshot(path=str(artifacts_dir / "details-embeddings-map.png"))

    # Clicking a point lists its nearest neighbours with their values.
    point = plot.locator(".scatterlayer .point").first.bounding_box()
    centre = (point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    lab_page.mouse.move(*centre)
    expect(plot.locator(".hoverlayer")).to_contain_text("group:", timeout=SLOW_MS)
    lab_page.mouse.click(*centre)
    table = content.locator(".jp-Dataplane-neighboursTable")
    expect(table.locator("tbody tr")).to_have_count(5, timeout=SLOW_MS)
    expect(table.locator("thead")).to_contain_text("distance")
    expect(table.locator("thead")).to_contain_text("group")
    content.locator(".jp-Dataplane-neighboursTable").scroll_into_view_if_needed()
    lab_page.screenshot(path=str(artifacts_dir / "details-embeddings-neighbours.png"))

    # A lasso around every point, saved as a new dataset.
    plot.scroll_into_view_if_needed()
    drag_lasso(lab_page, plot.locator(".nsewdrag").first)
    selection = content.locator(".jp-Dataplane-selection")
    expect(selection).to_have_attribute("data-count", str(POINTS_ROWS), timeout=SLOW_MS)
    content.locator(".jp-Dataplane-saveSelection").click()
    dialog = ready_dialog(lab_page)
    dialog.locator("input").fill("picked")
    dialog.locator(".jp-mod-accept").click()
    expect(lab_page.locator(".Toastify")).to_contain_text("Dataset picked created", timeout=SLOW_MS)
    answer = api_get(lab_page, f"projects/{EMBEDDINGS_PROJECT}/datasets/picked")
    assert answer["status"] == 200, answer
    created = json.loads(answer["body"])
    assert created["rows"] == POINTS_ROWS
    assert created["origin"] == "pipeline_intermediate"
    lab_page.screenshot(path=str(artifacts_dir / "details-embeddings-saved.png"))
    lab_page.locator(".Toastify").get_by_role("button", name="Open").click()
    picked = lab_page.locator(".jp-Dataplane-detailsTitle", has_text="picked")
    expect(picked).to_be_visible(timeout=SLOW_MS)
    lab_page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=points.name).click()  # back to the map

    # 3-D needs WebGL: drawn where the browser has it, explained where it has not.
    content.locator(".jp-Dataplane-dims select").select_option("3")
    scene = content.locator(".jp-Dataplane-embeddingsPlot .gl-container canvas")
    notice = content.locator(".jp-Dataplane-explorer", has_text="3-D maps need WebGL")
    expect(scene.or_(notice).first).to_be_visible(timeout=SLOW_MS)
    lab_page.screenshot(path=str(artifacts_dir / "details-embeddings-3d.png"))
    assert lab_page.page_errors == []


def test_open_tabs_come_back_after_a_reload(lab_page: Any, seeded: list[SeededDataset]) -> None:
    sales = seeded_dataset(seeded, "sales")
    open_details(lab_page, sales.project, sales.name)
    # JupyterLab saves the workspace in deferred steps: reload once the saved layout has the tab
    # and has not changed for two seconds (a poller in the page; the wait reads its verdict).
    lab_page.evaluate(
        """() => {
            const settings = window.jupyterapp.serviceManager.serverSettings;
            const name = window.location.pathname.split('/workspaces/')[1] || 'default';
            const url = settings.baseUrl + 'lab/api/workspaces/' + name;
            const init = {headers: {Authorization: 'token ' + settings.token}};
            let last = '';
            let since = Date.now();
            const poll = async () => {
                const response = await fetch(url, init);
                const saved = response.ok ? await response.text() : '';
                if (saved !== last) {
                    [last, since] = [saved, Date.now()];
                }
                const layout = saved ? JSON.parse(saved).data['layout-restorer:data'] : null;
                const hasTab = JSON.stringify(layout?.main ?? {}).includes('dataplane-dataset-details');
                window.__detailsLayoutSaved = hasTab && Date.now() - since >= 2000;
                if (!window.__detailsLayoutSaved) {
                    setTimeout(poll, 500);
                }
            };
            void poll();
        }"""
    )
    lab_page.wait_for_function("() => window.__detailsLayoutSaved === true", timeout=SLOW_MS)
    lab_page.reload(wait_until="domcontentloaded")
    lab_page.wait_for_function("() => window.jupyterapp !== undefined", timeout=SLOW_MS)
    lab_page.evaluate("() => window.jupyterapp.restored.then(() => true)")
    restored = lab_page.locator(f"{DETAILS} .jp-Dataplane-detailsTitle")
    expect(restored).to_have_text(sales.name, timeout=SLOW_MS)
    expect(lab_page.locator(f'{DETAILS} td[data-field="rows"]')).to_have_text(f"{sales.rows:,}")


PARTIAL_PROJECT = "details-partial"


@pytest.fixture
def computing(dataplane_home: Path, tmp_path: Path, lab_server: Any) -> Iterator[Any]:
    """A dataset put back in the "statistics pending" step with the first figures stored, as
    the statistics job leaves it before its scans (`core.datasets.imports._compute_statistics`); the
    test finishes that step itself. Its own project, deleted afterwards."""
    import dataplane_jupyter as dp
    from dataplane_jupyter.core.datasets.imports import set_dataset, store_statistics
    from dataplane_jupyter.core.stats import first_figures

    csv_path = tmp_path / "pending.csv"
    csv_path.write_text("a,b,c\n" + "".join(f"{i},{i * 2.5},{'xy'[i % 2]}\n" for i in range(8)))
    catalog = dp.Catalog(home=dataplane_home)
    dataset = catalog.project(PARTIAL_PROJECT).datasets.import_file(csv_path, name="pending")
    dataset.wait(timeout=120)
    complete = dataset.statistics()
    data = catalog.storage.path(dataset.folder, "data.parquet")
    partial = {**first_figures(data, filesystem=catalog.storage.filesystem()), "partial": True}
    set_dataset(catalog, dataset.id, status="computing_statistics")
    store_statistics(catalog, dataset.id, partial)

    def finish() -> None:
        store_statistics(catalog, dataset.id, complete)
        set_dataset(catalog, dataset.id, status="ready")

    try:
        yield finish
    finally:
        catalog.delete_project(PARTIAL_PROJECT)


def test_partial_statistics_are_shown_then_completed(
    lab_page: Any, computing: Any, artifacts_dir: Path
) -> None:
    content = open_details(lab_page, PARTIAL_PROJECT, "pending")
    expect(content.locator(".jp-Dataplane-status")).to_have_text("Dataset Statistics pending")
    expect(content.locator('td[data-field="rows"]')).to_have_text("8")
    expect(content.locator('td[data-field="columns"]')).to_have_text("3")
    expect(content.locator(".jp-Dataplane-pending")).to_be_visible()
    show_tab(content, "Columns")
    line = content.locator('.jp-Dataplane-columnsTable tr[data-column="b"]')
    expect(line).to_contain_text("0.0%")  # missing, from the Parquet footer
    expect(line).to_contain_text("17.5")  # max, from the footer too
    expect(content.locator(".jp-Dataplane-drillDown")).to_contain_text("drawn once the statistics are complete")
    lab_page.screenshot(path=str(artifacts_dir / "details-partial.png"))

    computing()
    # The tab refreshes on its own until the statistics are complete.
    expect(content.locator(".jp-Dataplane-status")).to_have_text("Ready to be used", timeout=SLOW_MS)
    expect(line).to_contain_text("8.75")  # the mean, known once complete
    show_tab(content, "General")
    expect(content.locator(".jp-Dataplane-distributions .js-plotly-plot")).to_be_visible(timeout=SLOW_MS)
    expect(content.locator(".jp-Dataplane-pending")).to_have_count(0)
