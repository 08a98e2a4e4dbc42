"""The exporters tab, form and panel, and a dataset's Export action, writing to a real SQLite file."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from dataplane_jupyter.widgets.catalog import CatalogPanel
from dataplane_jupyter.widgets.dataset import DatasetPanel
from dataplane_jupyter.widgets.exporters import ExporterForm, ExporterPanel


@pytest.fixture
def warehouse(project, tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.sqlite"
    sqlite3.connect(path).close()
    project.connectors.create("wh", kind="sql", dialect="sqlite", database=str(path))
    return path


def test_form_tests_and_saves_an_exporter(project, warehouse):
    form = ExporterForm(project)
    assert [i.field.name for i in form.inputs] == ["table", "database"]  # no query: exporters write
    form.name.value = "scores"
    next(i for i in form.inputs if i.field.name == "table").widget.value = "scores"
    form.mode.value = "overwrite"
    form.test_button.click()
    assert "Destination is writable" in form.message.value
    form.save_button.click()
    assert "Saved exporter 'scores'" in form.message.value
    exporter = project.exporters["scores"]
    assert exporter.mode == "overwrite" and exporter.destination == {"table": "scores"}


def test_export_action_follows_the_run_and_the_history_shows_it(project, warehouse, tips):
    project.exporters.create("scores", connector="wh", table="scores", mode="overwrite")
    actions = DatasetPanel(tips).actions
    actions.export_button.click()
    view = actions.form.children[0]
    picker, go = view.children[0].children
    assert picker.value == "scores"
    go.click()
    assert "Export of 'tips' with 'scores' started" in actions.message.value
    progress = view.children[1].children[0]
    state = progress.follower.join(60)
    assert state is not None and state.status == "succeeded", state
    assert "Exported 244 rows" in progress.label.value
    with sqlite3.connect(warehouse) as db:
        assert db.execute("select count(*) from scores").fetchone() == (244,)
    panel = ExporterPanel(project.exporters["scores"])
    assert "tips" in panel.history.value and 'data-status="succeeded"' in panel.history.value
    tab = CatalogPanel(project).exporters
    assert "last export" in tab.rows.children[0].children[1].value
    # Each run names where it went, and when in 24-hour ISO time (as the sidebar's history).
    assert "<th>destination</th>" in panel.history.value and "scores" in panel.history.value
    assert re.search(r"<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}</td>", panel.history.value)
    assert not re.search(r"\b(AM|PM)\b", panel.history.value)


def test_export_refused_by_the_cancel_mode_says_why(project, warehouse, tips):
    with sqlite3.connect(warehouse) as db:
        db.execute("create table taken (x integer)")
    project.exporters.create("careful", connector="wh", table="taken", mode="cancel")
    actions = DatasetPanel(tips).actions
    actions.export_button.click()
    view = actions.form.children[0]
    view.children[0].children[1].click()
    progress = view.children[1].children[0]
    state = progress.follower.join(60)
    assert state is not None and state.status == "cancelled"
    assert "Export cancelled" in progress.label.value
    assert "table 'taken' already exists" in progress.error.value and "Traceback" not in progress.error.value
    # Nothing was written: the history still says where it was going.
    history = ExporterPanel(project.exporters["careful"]).history.value
    assert "<td>wh: table taken (nothing written)</td>" in history and "already exists" in history
