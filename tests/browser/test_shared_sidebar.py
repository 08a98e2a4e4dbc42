"""The sidebar in shared mode (issue #18, point 4): it says who the user is and their role in the
project, shows who created a dataset, and offers a viewer only what a viewer may do (the server
would answer 403 to the rest).

Its own JupyterLab in shared mode (`DATAPLANE_ACCESS=members`) as user "bob", over a data home
where "alice" made project "shared" with bob as a viewer, and bob owns project "bobs".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .lab import lab_fixtures
from .sidebar import DATASETS, UI_TIMEOUT_MS, hover_row, menu_labels, open_sidebar, row

pytestmark = pytest.mark.browser

UPLOAD_BUTTON = "#dataplane-sidebar h3[aria-label=\"Datasets Section\"] .jp-Dataplane-uploadButton"


def seed_shared_home(home: Path, files: Path) -> None:
    """Alice's project "shared" (a dataset and a failed import) with bob as a viewer; bob's "bobs"."""
    import pandas as pd

    import dataplane_jupyter as dp

    alice = dp.Catalog(home=home, executor="thread", user="alice", access="members")
    shared = alice.project("shared")
    shared.datasets.from_pandas(pd.DataFrame({"region": ["north", "south"], "amount": [3, 4]}), "sales").wait(
        timeout=120)
    broken = files / "broken.csv"
    broken.write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    with pytest.raises(dp.ImportFailed):
        shared.datasets.import_file(broken, name="broken").wait(timeout=120)
    shared.members.add("bob", role="viewer")
    bob = dp.Catalog(home=home, executor="thread", user="bob", access="members")
    bob.project("bobs").datasets.from_pandas(pd.DataFrame({"a": [1, 2]}), "mine").wait(timeout=120)


shared_lab, page = lab_fixtures("shared", seed_shared_home, timeout_ms=UI_TIMEOUT_MS,
                                 env={"DATAPLANE_ACCESS": "members", "DATAPLANE_USER": "bob"})


def test_a_viewer_sees_their_role_and_is_offered_only_reading(page: Any, artifacts_dir: Path) -> None:
    panel = open_sidebar(page)
    panel.locator(".jp-Dataplane-projectSelect select").select_option("shared")
    expect(row(page, "sales")).to_be_visible()
    expect(panel.locator(".jp-Dataplane-role")).to_have_text("bob · viewer")
    expect(panel).to_have_class(re.compile(r"\bjp-mod-readOnly\b"))
    expect(page.locator(UPLOAD_BUTTON)).to_have_count(1)  # there, but not offered
    expect(page.locator(UPLOAD_BUTTON)).to_be_hidden()
    expect(page.locator(f"{DATASETS} .jp-Dataplane-strictUploads")).to_be_hidden()
    # nor are the other sections' "new" buttons (connectors, datasources, exporters, pipelines)
    new_buttons = panel.locator(".jp-Dataplane-newButton")
    assert new_buttons.count() >= 4
    for k in range(new_buttons.count()):
        expect(new_buttons.nth(k)).to_be_hidden()
    # the origin's tooltip says who made the dataset
    expect(row(page, "sales").locator(".jp-Dataplane-itemOrigin")).to_have_attribute(
        "title", "Origin: Pipeline output; created by alice")

    sales = hover_row(page, "sales")
    expect(sales.locator(".jp-Dataplane-action-details")).to_have_count(1)
    expect(sales.locator(".jp-Dataplane-action-download")).to_have_count(1)
    expect(sales.locator(".jp-Dataplane-action-embeddings")).to_have_count(0)  # computing them needs an editor
    broken = row(page, "broken")
    expect(broken).to_have_attribute("data-status", "failed")
    expect(broken.locator(".jp-Dataplane-action-retry")).to_have_count(0)
    labels = menu_labels(page, "sales")
    assert labels[0] == "Open Details"
    assert not {"Rename…", "Delete", "Export…"} & set(labels), labels
    assert not any(label.startswith(("Rename", "Delete", "Export")) for label in labels), labels
    assert any(label.startswith("Download") for label in labels), labels
    page.screenshot(path=str(artifacts_dir / "shared-viewer-sidebar.png"))
    page.keyboard.press("Escape")

    widget_id = page.evaluate(
        """async () => (await window.jupyterapp.commands.execute(
            'dataplane:open-dataset-details', {project: 'shared', dataset: 'sales'})).id"""
    )
    summary = page.locator(f"#{widget_id} .jp-Dataplane-detailsSummary")
    expect(summary.locator("td[data-field='created_by']")).to_have_text("alice")
    page.screenshot(path=str(artifacts_dir / "shared-viewer-details.png"))
    assert page.page_errors == []


def test_an_owner_is_offered_everything(page: Any) -> None:
    panel = open_sidebar(page)
    panel.locator(".jp-Dataplane-projectSelect select").select_option("bobs")
    expect(row(page, "mine")).to_be_visible()
    expect(panel.locator(".jp-Dataplane-role")).to_have_text("bob · owner")
    expect(page.locator(UPLOAD_BUTTON)).to_be_visible()
    assert "jp-mod-readOnly" not in (panel.get_attribute("class") or "")
    expect(panel.get_by_title("New connector")).to_be_visible()  # connectors are the owners'
    options = panel.locator(".jp-Dataplane-projectSelect option").all_inner_texts()
    assert set(options) == {"shared", "bobs"}  # no project bob is not a member of
    labels = menu_labels(page, "mine")
    assert any(label.startswith("Delete") for label in labels), labels
    assert page.page_errors == []
