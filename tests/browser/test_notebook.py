"""notebooks/getting-started.ipynb in a real JupyterLab (headless Chromium): run every cell, then
check what a user sees: the import's progress reaching "Ready to be used", the dataset panel's
plotly distributions and correlation heatmap, a column's drill-down, the catalog panel."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .lab import REPO_ROOT, LabServer, lab_over_home, open_lab

pytestmark = pytest.mark.browser

NOTEBOOK = "getting-started.ipynb"
PANEL = ".dp-dataset-panel"
RUN_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def notebook_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab over a fresh, empty data home (the notebook imports its own dataset)."""
    with lab_over_home(tmp_path_factory, "notebook") as server:
        upload(server, NOTEBOOK)
        yield server


def upload(server: LabServer, name: str, content: dict[str, Any] | None = None) -> None:
    """Put a notebook (of the repository, or `content`) into the server's root through the contents API."""
    content = content or json.loads((REPO_ROOT / "notebooks" / name).read_text())
    body = {"type": "notebook", "format": "json", "content": content}
    request = urllib.request.Request(
        f"{server.url}api/contents/{name}", data=json.dumps(body).encode(), method="PUT",
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201)


def run_all(page: Any, name: str = NOTEBOOK) -> None:
    """Open the notebook, wait for its kernel, run every cell."""
    page.evaluate(f"() => window.jupyterapp.commands.execute('docmanager:open', {{path: '{name}'}})")
    expect(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first).to_be_visible(timeout=60_000)
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.status === 'idle'; }",
        timeout=60_000,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def screenshot(page: Any, target: Any, path: Path) -> None:
    """Bring `target` to the top of the notebook, let JupyterLab render around it, shoot the page."""
    target.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(400)
    page.screenshot(path=str(path))


def test_getting_started_in_jupyterlab(browser: Any, notebook_lab: LabServer, artifacts_dir: Path) -> None:
    started = time.monotonic()
    with open_lab(browser, notebook_lab, artifacts_dir, "notebook") as page:
        run_all(page)
        panel = page.locator(PANEL).first
        expect(panel).to_be_visible(timeout=RUN_TIMEOUT_MS)
        # Ready is said once, by the chip beside the title (no steps or bar repeating it), in the
        # sidebar's colours, and the tabs are drawn as the sidebar's details tabs.
        chip = panel.locator('.dp-title .dp-badge[data-status="ready"]')
        expect(chip).to_have_text("Ready to be used", timeout=RUN_TIMEOUT_MS)
        ready_after = time.monotonic() - started
        tabs = panel.locator(".dp-panel-tabs")
        expect(tabs).to_be_visible()
        expect(panel.get_by_text(re.compile("Ready to be used"))).to_have_count(1)
        expect(panel.locator(".dp-progress")).to_have_count(0)
        same = page.evaluate(
            """() => {
                const chip = document.createElement('span');
                chip.className = 'jp-Dataplane-status jp-Dataplane-status-ready jp-mod-ok';
                const tab = document.createElement('button');
                tab.className = 'jp-Dataplane-tab jp-mod-current';
                const details = document.createElement('div');
                details.className = 'jp-Dataplane-details';
                details.append(chip, tab);
                document.body.append(details);
                const badge = getComputedStyle(document.querySelector('.dp-dataset-panel .dp-badge'));
                const current = getComputedStyle(
                    document.querySelector('.dp-dataset-panel .dp-panel-tabs .lm-TabBar-tab.lm-mod-current'));
                const [c, t] = [getComputedStyle(chip), getComputedStyle(tab)];
                const result = {
                    chip: [badge.backgroundColor, badge.color, badge.borderRadius, badge.fontSize],
                    sidebarChip: [c.backgroundColor, c.color, c.borderRadius, c.fontSize],
                    tab: [current.borderBottomColor, current.borderBottomWidth, current.fontWeight],
                    sidebarTab: [t.borderBottomColor, t.borderBottomWidth, t.fontWeight],
                };
                details.remove();
                return result;
            }"""
        )
        assert same["chip"] == same["sidebarChip"], same
        assert same["tab"] == same["sidebarTab"], same

        # General tab: one distribution per feature (bars) and the correlation heatmap
        plots = panel.locator(".js-plotly-plot")
        expect(plots.nth(1)).to_be_visible(timeout=60_000)
        expect(panel.locator(".js-plotly-plot .barlayer .trace").first).to_be_visible()
        assert panel.locator(".js-plotly-plot .barlayer .trace").count() >= 7
        heatmap = panel.locator(".js-plotly-plot .heatmaplayer .hm")
        expect(heatmap).to_have_count(1)
        expect(panel.locator(".js-plotly-plot .xtick text", has_text="total_bill").first).to_be_attached()
        screenshot(page, panel.locator(".dp-title").first, artifacts_dir / "notebook-dataset-general.png")
        screenshot(page, panel.get_by_text("Correlation matrix"), artifacts_dir / "notebook-dataset-heatmap.png")

        # Columns tab: pick a column, see its drill-down
        panel.locator(".lm-TabBar-tab", has_text="Columns").click()
        columns = panel.locator("select").last
        expect(columns).to_be_visible()
        columns.select_option(label="day · categorical")
        expect(panel.locator(".dp-title", has_text="day")).to_be_visible()
        expect(panel.locator(".gtitle", has_text="day (categorical)")).to_be_visible()
        screenshot(page, panel.locator(".dp-title").first, artifacts_dir / "notebook-dataset-columns.png")

        # Sample tab: booleans spelled true/false, as in the sidebar
        panel.locator(".lm-TabBar-tab", has_text="Sample").click()
        cells = panel.locator(".dp-table td:visible")  # the Sample tab's (the others are hidden)
        expect(cells.filter(has_text=re.compile(r"^(true|false)$")).first).to_be_visible()
        expect(cells.filter(has_text=re.compile(r"^(True|False)$"))).to_have_count(0)
        # Every row asked for (20) is laid out in full, none hidden in a box of fixed height.
        sample_rows = panel.locator(".dp-scroll-x .dp-table tbody tr:visible")
        expect(sample_rows).to_have_count(20)
        clipped = panel.locator(".dp-scroll-x:visible").evaluate("node => node.scrollHeight - node.clientHeight")
        assert clipped <= 1, clipped
        screenshot(page, panel.locator(".dp-title").first, artifacts_dir / "notebook-dataset-sample.png")

        # The catalog panel lists the dataset as ready
        catalog = page.locator(".dp-catalog-panel").last
        expect(catalog.locator('.dp-dataset[data-name="my_tips"][data-status="ready"]')).to_be_visible(
            timeout=RUN_TIMEOUT_MS)
        screenshot(page, catalog, artifacts_dir / "notebook-catalog-panel.png")

        # A button round trip through the kernel: Open shows the dataset's panel inside the catalog
        catalog.get_by_role("button", name="Open").click()
        opened = catalog.locator(PANEL)
        expect(opened.locator(".js-plotly-plot .heatmaplayer .hm")).to_have_count(1, timeout=30_000)
        catalog.get_by_role("button", name="Import dataset").click()
        expect(catalog.get_by_text("Upload file")).to_be_visible()

        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        assert page.get_by_text("Error displaying widget").count() == 0
        assert page.locator(".jp-RenderedText", has_text="Traceback").count() == 0
        assert page.page_errors == []
    print(f"import ready in the browser after {ready_after:.1f} s; test {time.monotonic() - started:.1f} s")


WIDE_AND_FORM = [
    "import numpy as np, pandas as pd\nimport dataplane_jupyter as dp\n"
    "rng = np.random.default_rng(3)\nbase = {f: rng.normal(size=300) for f in 'abc'}\n"
    "frame = pd.DataFrame({f'{f}_{i:03d}': base[f] + rng.normal(scale=0.4, size=300)\n"
    "                      for i in range(320) for f in ['abc'[i % 3]]})\n"
    "wide = dp.project('wide').datasets.from_pandas(frame, 'wide').wait()\nwide",
    "from dataplane_jupyter.widgets import ConnectorForm\nform = ConnectorForm(dp.project('wide'))\nform",
]


def test_wide_heatmap_and_secret_field_in_jupyterlab(browser: Any, notebook_lab: LabServer,
                                                     artifacts_dir: Path) -> None:
    cells = [{"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None,
              "id": f"wide-{i}"} for i, source in enumerate(WIDE_AND_FORM)]
    content = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}},
               "nbformat": 4, "nbformat_minor": 5}
    upload(notebook_lab, "wide.ipynb", content)
    with open_lab(browser, notebook_lab, artifacts_dir, "wide") as page:
        run_all(page, "wide.ipynb")
        panel = page.locator(PANEL).first
        heatmap = panel.locator(".js-plotly-plot").nth(1)
        expect(heatmap.locator(".heatmaplayer .hm")).to_have_count(1, timeout=RUN_TIMEOUT_MS)
        # 320 numeric columns: a readable 30 are drawn, grouped by correlation, each one labelled
        expect(heatmap.locator(".xtick")).to_have_count(30)
        screenshot(page, panel.get_by_text("Correlation matrix"), artifacts_dir / "notebook-wide-heatmap.png")

        form = page.locator(".jp-OutputArea-output").filter(has_text="Save connector").last
        expect(form).to_be_visible()
        form.locator("select").first.select_option("ftp")
        password = form.locator("input[type=password]")
        expect(password).to_have_count(1)
        form.locator("input[type=text]").nth(0).fill("ftp-in")  # name
        form.locator("input[type=text]").nth(1).fill("127.0.0.1")  # host
        password.fill("s3cret-in-the-browser")
        password.press("Enter")
        form.get_by_role("button", name="Save connector").click()
        expect(form.locator(".dp-ok")).to_contain_text("Saved connector 'ftp-in'", timeout=30_000)
        expect(form).to_contain_text("Edit connector 'ftp-in'")
        expect(form.locator("input[type=password]")).to_have_value("")
        expect(form.locator("input[type=password]")).to_have_attribute("placeholder", "set — leave empty to keep it")
        screenshot(page, form, artifacts_dir / "notebook-connector-form-saved.png")
        assert page.page_errors == []
