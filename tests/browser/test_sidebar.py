"""The built labextension in a real JupyterLab: the "Data" sidebar shows the catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .lab import SeededDataset, open_lab
from .sidebar import OPEN_COMMAND, SIDEBAR, open_sidebar_by_tab

pytestmark = pytest.mark.browser


def expect_datasets(panel: Any, datasets: list[SeededDataset]) -> None:
    """Each dataset is listed, ready, with its rows × columns, and nothing else is."""
    items = panel.locator(".jp-Dataplane-dataset")
    expect(items).to_have_count(len(datasets))
    for dataset in datasets:
        item = panel.locator(f'.jp-Dataplane-dataset[data-name="{dataset.name}"]')
        expect(item).to_have_attribute("data-status", "ready")
        expect(item).to_contain_text(dataset.name)
        expect(item).to_contain_text(f"{dataset.rows:,} × {dataset.columns:,}")
        expect(item).to_contain_text("Ready")


def test_sidebar_shows_projects_and_datasets(
    lab_page: Any, seeded: list[SeededDataset], artifacts_dir: Path
) -> None:
    panel = open_sidebar_by_tab(lab_page)
    select = panel.locator(".jp-Dataplane-projectSelect select")
    expect(select).to_have_value("default")
    projects = sorted({dataset.project for dataset in seeded})
    # other test modules share the catalog and may add their own projects
    assert set(projects) <= set(select.locator("option").all_inner_texts())
    expect_datasets(panel, [d for d in seeded if d.project == "default"])
    lab_page.screenshot(path=str(artifacts_dir / "sidebar-default-project.png"))

    select.select_option("churn")
    expect_datasets(panel, [d for d in seeded if d.project == "churn"])
    lab_page.screenshot(path=str(artifacts_dir / "sidebar-churn-project.png"))
    assert lab_page.page_errors == []


def test_palette_command_opens_sidebar(lab_page: Any) -> None:
    label = lab_page.evaluate(f"() => window.jupyterapp.commands.label('{OPEN_COMMAND}')")
    assert label == "Dataplane: Open data panel"
    lab_page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    expect(lab_page.locator(SIDEBAR)).to_be_hidden()
    lab_page.evaluate(f"() => window.jupyterapp.commands.execute('{OPEN_COMMAND}')")
    expect(lab_page.locator(SIDEBAR)).to_be_visible()
    expect(lab_page.locator(f"{SIDEBAR} .jp-Dataplane-title")).to_have_text("Data")


def test_missing_server_extension_is_explained(
    browser: Any, lab_server_without_extension: Any, artifacts_dir: Path
) -> None:
    with open_lab(browser, lab_server_without_extension, artifacts_dir, "no-server-ext") as page:
        panel = open_sidebar_by_tab(page)
        notice = panel.locator(".jp-Dataplane-missing")
        expect(notice).to_contain_text("dataplane_jupyter server extension is not enabled")
        expect(panel.locator(".jp-Dataplane-dataset")).to_have_count(0)
        page.screenshot(path=str(artifacts_dir / "sidebar-missing-server-extension.png"))
