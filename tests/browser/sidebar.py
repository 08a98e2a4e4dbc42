"""The "Data" sidebar as the browser tests drive it: opening it (by its command or by its tab),
the datasets section's rows and their hover actions, and uploading a file through its picker."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

SIDEBAR = "#dataplane-sidebar"
SIDEBAR_TAB = '.jp-SideBar .lm-TabBar-tab[data-id="dataplane-sidebar"]'
OPEN_COMMAND = "dataplane:open-sidebar"
DATASETS = f"{SIDEBAR} .jp-Dataplane-datasets"
FILE_INPUT = f"{DATASETS} .jp-Dataplane-fileInput"
DIALOG = ".jp-Dialog"
# A loaded 2-core machine imports and computes statistics slowly: wait generously.
JOB_TIMEOUT_MS = 120_000
UI_TIMEOUT_MS = 30_000


def open_sidebar(page: Any, timeout_ms: float | None = None) -> Any:
    """Show the Data panel by its command and return it. (The restored layout may already show
    it, and clicking its tab then would close it.) `timeout_ms`: how long to wait for it to show,
    by default `expect`'s."""
    page.evaluate(f"() => window.jupyterapp.commands.execute('{OPEN_COMMAND}')")
    panel = page.locator(SIDEBAR)
    expect(panel).to_be_visible(timeout=timeout_ms)
    return panel


def open_sidebar_by_tab(page: Any, fold: Iterable[str] = ()) -> Any:
    """Click the sidebar's tab in the left area and return the panel, then fold the sections
    titled `fold` by clicking their titles (to make room for the others)."""
    tab = page.locator(SIDEBAR_TAB)
    expect(tab).to_be_visible()
    tab.click()
    panel = page.locator(SIDEBAR)
    expect(panel).to_be_visible()
    for title in fold:
        panel.locator(".lm-AccordionPanel-title", has_text=title).click()
    return panel


def row(page: Any, name: str) -> Any:
    """The datasets section's row of dataset `name`."""
    return page.locator(f'{DATASETS} .jp-Dataplane-dataset[data-name="{name}"]')


def hover_row(page: Any, name: str) -> Any:
    """The dataset's row, hovered so that its action buttons show."""
    item = row(page, name)
    item.hover()
    return item


def action(page: Any, name: str, kind: str) -> Any:
    """A row's action button, shown by hovering the row. (Clicking the row to show it could
    make a double click with the next click, which opens the details tab.)"""
    return hover_row(page, name).locator(f".jp-Dataplane-action-{kind}")


def menu_labels(page: Any, name: str) -> list[str]:
    """Open the dataset's "more" menu and return its item labels (the menu stays open)."""
    action(page, name, "more").click()
    return page.locator(".lm-Menu .lm-Menu-itemLabel").all_inner_texts()


def upload(page: Any, path: Path) -> None:
    """Pick `path` in the datasets section's upload file picker."""
    page.set_input_files(FILE_INPUT, str(path))


def expect_status(page: Any, name: str, status: str) -> Any:
    """The dataset is listed and its import reaches `status` ("ready" or "failed")."""
    item = row(page, name)
    expect(item).to_have_attribute("data-status", status, timeout=JOB_TIMEOUT_MS)
    return item
