"""The Pipelines section of the sidebar, as a user would live it: define a pipeline in the YAML
editor (a wrong query first: the message names the step, field and line), run it, watch its
steps turn green in the DAG tab, read a step's log, and open the output in the dataset details.
The JupyterLab server has its own data home, seeded with the usual datasets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .lab import lab_fixtures, ready_dialog, seed_catalog
from .sidebar import DIALOG, open_sidebar_by_tab

pytestmark = pytest.mark.browser

TIMEOUT = 60_000  # ms; the machine may be loaded, and runs are jobs

BAD_YAML = """- {name: sales, kind: read, dataset: sales}
- name: big
  kind: sql
  query: select region, nope from sales
"""
GOOD_YAML = """- {name: sales, kind: read, dataset: sales}
- name: big
  kind: sql
  query: select region, units * price as revenue from sales where units > 2
"""


HELD_YAML = """- {name: sales, kind: read, dataset: sales}
- {name: held, kind: python, function: 'holding:hold', input: sales}
- {name: after, kind: sql, query: select * from held}
"""


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's root folder (a pipeline's base folder over REST), with a module whose step
    holds until the test drops a `release` file next to it."""
    root = tmp_path_factory.mktemp("pipelines-lab")
    (root / "notebooks").mkdir()  # the server's root_dir (tests/browser/lab.py)
    (root / "notebooks" / "holding.py").write_text(
        "import time\nfrom pathlib import Path\n\n"
        "def hold(frame):\n"
        f"    release = Path({str(root / 'release')!r})\n"
        "    deadline = time.monotonic() + 600  # never a worker stuck for good if the test failed\n"
        "    while not release.exists() and time.monotonic() < deadline:\n"
        "        time.sleep(0.05)\n"
        "    return frame\n")
    return root


pipelines_lab, page = lab_fixtures("pipelines", seed_catalog, timeout_ms=TIMEOUT, root_fixture="lab_root")


def test_define_run_watch_and_open_the_output(page: Any, artifacts_dir: Path) -> None:
    sidebar = open_sidebar_by_tab(page, fold=["Datasets"])  # room for the others
    pipelines = sidebar.locator(".jp-Dataplane-pipelines")
    expect(pipelines).to_contain_text("No pipelines yet")

    page.get_by_title("New pipeline (YAML)").click()
    dialog = ready_dialog(page, DIALOG)
    dialog.locator(".jp-Dataplane-pipelineName").fill("revenue")
    dialog.locator(".jp-Dataplane-pipelineYaml").fill(BAD_YAML)
    problem = dialog.locator(".jp-Dataplane-problem")
    expect(problem).to_contain_text("line 2: step 'big', field 'query': DuckDB cannot bind the query")
    expect(problem).to_have_attribute("data-step", "big")
    dialog.locator(".jp-Dialog-footer button", has_text="Save").click()
    expect(dialog.locator(".jp-Dataplane-itemError")).to_contain_text("Pipeline 'revenue' is not valid")
    dialog.locator(".jp-Dataplane-pipelineYaml").fill(GOOD_YAML)
    expect(dialog.locator(".jp-Dataplane-pipelineEditor")).to_have_attribute("data-valid", "true")
    expect(problem).to_have_count(0)
    dialog.locator(".jp-Dialog-footer button", has_text="Save").click()
    expect(page.locator(DIALOG)).to_have_count(0)

    item = pipelines.locator('.jp-Dataplane-pipeline[data-name="revenue"]')
    expect(item).to_contain_text("v1 · sales → big")
    item.locator(".jp-Dataplane-runPipeline").click()
    view = page.locator(".jp-Dataplane-pipelineView")
    expect(view.locator(".jp-Dataplane-pipelineBody")).to_have_attribute("data-run-status", "succeeded")
    nodes = view.locator("g.jp-Dataplane-dagNode")
    expect(nodes).to_have_count(2)
    expect(view.locator('g.jp-Dataplane-dagNode[data-status="succeeded"]')).to_have_count(2)
    big = view.locator('.jp-Dataplane-stepRow[data-step="big"]')
    expect(big).to_have_attribute("data-status", "succeeded")
    expect(big).to_contain_text("revenue_big_run1")
    big.locator(".jp-Dataplane-showLog").click()
    expect(view.locator(".jp-Dataplane-stepLog pre")).to_contain_text("units * price as revenue")
    expect(item.locator(".jp-Dataplane-lastRun")).to_have_attribute("data-status", "succeeded")
    page.screenshot(path=str(artifacts_dir / "pipelines-run.png"))

    # run history: a second run from the view, then the first one picked again, with its own steps and log
    view.locator(".jp-Dataplane-runNow").click()
    runs = view.locator(".jp-Dataplane-runsTable tr.jp-Dataplane-runRow")
    expect(runs).to_have_count(2)
    expect(view.locator('.jp-Dataplane-pipelineRun[data-run="2"]')).to_have_attribute("data-status", "succeeded")
    expect(big).to_contain_text("revenue_big_run2")
    runs.filter(has_text="#1").click()
    expect(view.locator('.jp-Dataplane-pipelineRun[data-run="1"]')).to_have_attribute("data-status", "succeeded")
    expect(big).to_contain_text("revenue_big_run1")
    big.locator(".jp-Dataplane-showLog").click()
    expect(view.locator(".jp-Dataplane-stepLog pre")).to_contain_text("units * price as revenue")
    page.screenshot(path=str(artifacts_dir / "pipelines-history.png"))

    big.locator(".jp-Dataplane-openOutput").click()
    details = page.locator(".jp-Dataplane-details")
    expect(details).to_be_visible()
    expect(details).to_contain_text("revenue_big_run1")
    page.screenshot(path=str(artifacts_dir / "pipelines-output.png"))

    # the output's lineage: pipeline, version, run, step, and the dataset it was read from
    details.locator('.jp-Dataplane-tab[data-tab="Lineage"]').click()
    lineage = details.locator(".jp-Dataplane-detailsLineage")
    expect(lineage.locator('[data-field="pipeline"]')).to_have_text("revenue")
    expect(lineage.locator('[data-field="version"]')).to_have_text("1")
    expect(lineage.locator('[data-field="run"]')).to_contain_text("#1")
    expect(lineage.locator('[data-field="run"]')).to_contain_text("succeeded")
    expect(lineage.locator('[data-field="step"]')).to_have_text("big (sql, output)")
    expect(lineage.locator('[data-field="chain"]')).to_have_text("sales → big")
    source = lineage.locator(".jp-Dataplane-lineageInputs tbody tr")
    expect(source).to_have_count(1)
    expect(source).to_contain_text("salesinputsales")
    page.screenshot(path=str(artifacts_dir / "pipelines-lineage.png"))
    source.locator("button", has_text="sales").click()
    plain = page.locator(".jp-Dataplane-details").filter(has=page.locator(".jp-Dataplane-detailsTitle:text-is('sales')"))
    expect(plain).to_be_visible()
    expect(plain.locator('.jp-Dataplane-tab[data-tab="General"]')).to_be_visible()
    expect(plain.locator('.jp-Dataplane-tab[data-tab="Lineage"]')).to_have_count(0)


def test_step_statuses_change_live_while_the_run_goes_on(page: Any, lab_root: Path, artifacts_dir: Path) -> None:
    sidebar = open_sidebar_by_tab(page)
    page.get_by_title("New pipeline (YAML)").click()
    dialog = ready_dialog(page, DIALOG)
    dialog.locator(".jp-Dataplane-pipelineName").fill("held")
    dialog.locator(".jp-Dataplane-pipelineYaml").fill(HELD_YAML)
    expect(dialog.locator(".jp-Dataplane-pipelineEditor")).to_have_attribute("data-valid", "true")
    dialog.locator(".jp-Dialog-footer button", has_text="Save").click()
    expect(page.locator(DIALOG)).to_have_count(0)

    item = sidebar.locator('.jp-Dataplane-pipelines .jp-Dataplane-pipeline[data-name="held"]')
    item.locator(".jp-Dataplane-runPipeline").click()
    view = page.locator(".jp-Dataplane-pipelineView").filter(has=page.locator("h2:text-is('held')"))
    try:
        expect(view.locator('g.jp-Dataplane-dagNode[data-step="held"]')).to_have_attribute("data-status", "running")
        expect(view.locator('g.jp-Dataplane-dagNode[data-step="sales"]')).to_have_attribute("data-status", "succeeded")
        expect(view.locator('g.jp-Dataplane-dagNode[data-step="after"]')).to_have_attribute("data-status", "pending")
        expect(view.locator(".jp-Dataplane-pipelineBody")).to_have_attribute("data-run-status", "running")
        page.screenshot(path=str(artifacts_dir / "pipelines-live.png"))
    finally:
        (lab_root / "release").touch()
    expect(view.locator(".jp-Dataplane-pipelineBody")).to_have_attribute("data-run-status", "succeeded")
    expect(view.locator('g.jp-Dataplane-dagNode[data-status="succeeded"]')).to_have_count(3)
