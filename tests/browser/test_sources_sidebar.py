"""Connectors, datasources and exporters through the sidebar, against a real FTP server.

One story, as a user would live it: create an FTP connector in the form (a wrong password first:
the server's message is shown and the password appears nowhere in the page), edit it, point a
datasource at a CSV file on the server (its preview shown before saving), import it as a dataset,
export a seeded dataset with an exporter and see the run succeed in the exporter's history, then
delete everything. The JupyterLab server has its own data home, so the other browser tests'
catalogs are left as they are.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.servers import ftp

from .lab import LabServer, api, lab_fixtures, ready_dialog, seed_catalog
from .sidebar import DIALOG, SIDEBAR, open_sidebar_by_tab

pytestmark = pytest.mark.browser

WRONG_PASSWORD = "not-the-Pw-42"
TIMEOUT = 60_000  # ms; the machine may be loaded, and imports and exports are jobs
CSV = "region,units,price\nnorth,3,9.5\nsouth,5,4.25\neast,2,7.0\nwest,8,1.5\n"


@pytest.fixture(scope="module")
def ftp_server() -> Iterator[ftp.FTPServer]:
    """pyftpdlib on a free port: `/sales.csv` to read, `/out/` to write into."""
    server = ftp.start()
    (server.root / "sales.csv").write_text(CSV)
    (server.root / "out").mkdir()
    try:
        yield server
    finally:
        server.stop()


# JupyterLab over a data home of its own, seeded with the usual datasets.
sources_lab, page = lab_fixtures("sources", seed_catalog, timeout_ms=TIMEOUT)


def section(page: Any, name: str) -> Any:
    """The sidebar section of connectors, datasources or exporters."""
    return page.locator(f"{SIDEBAR} .jp-Dataplane-{name}")


def wait_for_dataset(page: Any, server: LabServer, name: str) -> dict[str, Any]:
    """The dataset once its import has ended (ready or failed), polled through the REST API."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while True:
        found = {d["name"]: d for d in api(server, "projects/default/datasets")["datasets"]}.get(name)
        if found and found["status"] in ("ready", "failed"):
            return found
        assert time.monotonic() < deadline, f"dataset {name!r} still not imported: {found}"
        page.wait_for_timeout(250)


def fill(dialog: Any, name: str, value: str) -> None:
    field = dialog.locator(f'[name="{name}"]')
    field.fill(value)
    expect(field).to_have_value(value)  # landed in this field, not one focused by a re-render


def save(page: Any, dialog: Any, label: str = "Save") -> None:
    """Press the dialog's accept button and wait for the dialog to close."""
    dialog.locator(".jp-Dialog-footer button", has_text=label).click()
    expect(page.locator(DIALOG)).to_have_count(0)


def test_connector_datasource_exporter_story(
    page: Any, sources_lab: LabServer, ftp_server: ftp.FTPServer, artifacts_dir: Path
) -> None:
    # The datasets section takes room the three others need on a 900 px high page.
    open_sidebar_by_tab(page, fold=["Datasets"])
    connectors = section(page, "connectors")
    expect(connectors).to_contain_text("No connectors yet")

    # A new FTP connector with a wrong password: the server's message, no password echoed.
    page.get_by_title("New connector").click()
    dialog = ready_dialog(page, DIALOG)
    expect(dialog).to_contain_text("New connector")
    # SQL comes first, its dialect a dropdown marking the drivers installed (issue #20, item 19)
    expect(dialog.locator('select[name="kind"]')).to_have_value("sql")
    expect(dialog.locator('select[name="dialect"] option[value="sqlite"]')).to_have_text("SQLite (installed)")
    expect(dialog.locator('select[name="dialect"] option').first).to_have_attribute("value", "postgresql")
    fill(dialog, "name", "ftp-test")
    dialog.locator('select[name="kind"]').select_option("ftp")
    # the form has re-rendered with FTP's fields before anything is typed (typing during the
    # re-render sent "bob" into the name field under load)
    expect(dialog.locator('input[name="tls"]')).to_have_count(1)
    expect(dialog.locator('input[name="password"]')).to_have_attribute("type", "password")
    fill(dialog, "host", ftp_server.host)
    fill(dialog, "port", str(ftp_server.port))
    fill(dialog, "username", ftp_server.username)
    fill(dialog, "password", WRONG_PASSWORD)
    dialog.get_by_role("button", name="Test connection").click()
    failed = dialog.locator(".jp-Dataplane-testResult.jp-mod-failed")
    expect(failed).to_contain_text("refused the login for user 'bob'")
    assert WRONG_PASSWORD not in page.content()
    page.screenshot(path=str(artifacts_dir / "sources-connector-wrong-password.png"))

    fill(dialog, "password", ftp_server.password)
    dialog.get_by_role("button", name="Test connection").click()
    expect(dialog.locator(".jp-Dataplane-testResult.jp-mod-ok")).to_contain_text("Logged in to FTP server")
    page.screenshot(path=str(artifacts_dir / "sources-connector-form.png"))
    save(page, dialog)
    item = connectors.locator('.jp-Dataplane-connector[data-name="ftp-test"]')
    expect(item).to_contain_text("FTP")
    expect(item).to_contain_text(f"bob@{ftp_server.host}:{ftp_server.port}")
    assert ftp_server.password not in page.content()

    # Edit: the password is not pre-filled, the saved connector tests fine, a rename keeps it.
    item.hover()
    item.locator(".jp-Dataplane-edit").click()
    dialog = ready_dialog(page, DIALOG)
    expect(dialog.locator('input[name="host"]')).to_have_value(ftp_server.host)
    expect(dialog.locator('input[name="password"]')).to_have_value("")
    expect(dialog.locator('input[name="password"]')).to_have_attribute("placeholder", "saved: leave empty to keep it")
    dialog.get_by_role("button", name="Test connection").click()
    expect(dialog.locator(".jp-Dataplane-testResult.jp-mod-ok")).to_contain_text("Logged in")
    fill(dialog, "name", "ftp-main")
    page.screenshot(path=str(artifacts_dir / "sources-connector-edit.png"))
    save(page, dialog)
    item = connectors.locator('.jp-Dataplane-connector[data-name="ftp-main"]')
    expect(item).to_be_visible()
    assert api(sources_lab, "projects/default/connectors/ftp-main/test", "POST")["ok"] is True
    item.hover()
    item.locator(".jp-Dataplane-test").click()
    expect(item.locator(".jp-Dataplane-testResult.jp-mod-ok")).to_contain_text("Logged in")

    # A datasource on the CSV file: Test shows the columns and first rows, then Save.
    datasources = section(page, "datasources")
    page.get_by_title("New datasource").click()
    dialog = ready_dialog(page, DIALOG)
    fill(dialog, "name", "remote-sales")
    expect(dialog.locator('select[name="connector"]')).to_have_value("ftp-main")
    fill(dialog, "path", "/sales.csv")
    dialog.get_by_role("button", name="Test datasource").click()
    preview = dialog.locator(".jp-Dataplane-preview")
    expect(preview.locator("th")).to_have_count(3)
    expect(preview.locator("thead")).to_contain_text("region")
    expect(preview.locator("tbody tr")).to_have_count(4)
    expect(preview.locator("tbody")).to_contain_text("south")
    page.screenshot(path=str(artifacts_dir / "sources-datasource-preview.png"))
    save(page, dialog)
    expect(datasources.locator('.jp-Dataplane-datasource[data-name="remote-sales"]')).to_contain_text("/sales.csv")

    # Import it as a dataset through the command the datasets section calls.
    page.evaluate(
        "() => { window.jupyterapp.commands.execute('dataplane:import-from-datasource',"
        " {project: 'default', datasource: 'remote-sales'}); }"
    )
    dialog = ready_dialog(page, DIALOG)
    expect(dialog.locator('select[name="datasource"]')).to_have_value("remote-sales")
    fill(dialog, "dataset", "sales_from_ftp")
    page.screenshot(path=str(artifacts_dir / "sources-import-dialog.png"))
    save(page, dialog, "Import")
    imported = wait_for_dataset(page, sources_lab, "sales_from_ftp")
    assert (imported["status"], imported["origin"], imported["rows"]) == ("ready", "datasource", 4), imported

    # An exporter into /out, overwrite mode, its destination tested before saving.
    exporters = section(page, "exporters")
    page.get_by_title("New exporter").click()
    dialog = ready_dialog(page, DIALOG)
    fill(dialog, "name", "ftp-out")
    fill(dialog, "path", "/out/sales.csv")
    dialog.locator('select[name="mode"]').select_option("overwrite")
    dialog.get_by_role("button", name="Test destination").click()
    expect(dialog.locator(".jp-Dataplane-testResult.jp-mod-ok")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "sources-exporter-form.png"))
    save(page, dialog)
    exporter = exporters.locator('.jp-Dataplane-exporter[data-name="ftp-out"]')
    expect(exporter).to_contain_text("Overwrite")

    # Export the seeded dataset; the run appears in the exporter's history and succeeds.
    page.evaluate(
        "() => { window.jupyterapp.commands.execute('dataplane:export-dataset',"
        " {project: 'default', dataset: 'sales'}); }"
    )
    dialog = ready_dialog(page, DIALOG)
    expect(dialog.locator(".jp-Dataplane-exportMode")).to_have_attribute("data-mode", "overwrite")
    save(page, dialog, "Export")
    exporter.hover()
    exporter.locator(".jp-Dataplane-history").click()
    run = exporter.locator('.jp-Dataplane-run[data-dataset="sales"]')
    expect(run).to_have_attribute("data-status", "succeeded")
    expect(run).to_contain_text("4 rows")
    expect(run).to_contain_text("/out/sales.csv")
    # Where it went and when, in the 24-hour ISO times of the rest of the UI.
    expect(run.locator(".jp-Dataplane-runDestination")).to_have_text(re.compile(r"^→ ftp://.*/out/sales\.csv$"))
    expect(run.locator(".jp-Dataplane-runTimes")).to_have_text(
        re.compile(r"^started \d{4}-\d{2}-\d{2} \d{2}:\d{2}, finished (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} \(\d+\.\d s\)$"))
    written = (ftp_server.root / "out" / "sales.csv").read_text().splitlines()
    assert len(written) == 5 and "south" in written[2], written
    page.screenshot(path=str(artifacts_dir / "sources-exporter-history.png"))

    # A connector in use cannot go: the server says who uses it.
    target = connectors.locator('.jp-Dataplane-connector[data-name="ftp-main"]')
    target.hover()
    target.locator(".jp-Dataplane-delete").click()
    save(page, page.locator(DIALOG), "Delete")
    toast = page.locator(".jp-Notification-Toast-error", has_text="Could not delete connector 'ftp-main'")
    expect(toast).to_be_visible()
    toast.get_by_role("button", name="Show details").click()
    expect(page.locator(DIALOG)).to_contain_text("used by datasource 'remote-sales'")
    page.screenshot(path=str(artifacts_dir / "sources-connector-in-use.png"))
    save(page, page.locator(DIALOG), "Close")
    expect(target).to_be_visible()

    # Delete all three, each after a confirmation.
    for what, container, name in (
        ("exporter", exporters, "ftp-out"),
        ("datasource", datasources, "remote-sales"),
        ("connector", connectors, "ftp-main"),
    ):
        target = container.locator(f'.jp-Dataplane-{what}[data-name="{name}"]')
        target.hover()
        target.locator(".jp-Dataplane-delete").click()
        dialog = ready_dialog(page, DIALOG)
        expect(dialog).to_contain_text(f"Delete {what} '{name}'?")
        save(page, dialog, "Delete")
        expect(target).to_have_count(0)
    assert api(sources_lab, "projects/default/connectors")["connectors"] == []
    page.screenshot(path=str(artifacts_dir / "sources-deleted.png"))
    assert page.page_errors == []
