"""Connector and datasource forms: per-kind fields, tests that name the cause, secrets masked,
cleared after save and absent from every widget's state."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget import _instances

from dataplane_jupyter.widgets.forms import ConnectorForm, DatasourceForm
from dataplane_jupyter.widgets.sources import ConnectorPanel, ConnectorsTab, DatasourcePanel

SECRET = "Tr0ub4dor&3-never-shown"


@pytest.fixture
def shop_db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table orders (id integer, region text, amount real)")
        db.executemany("insert into orders values (?, ?, ?)", [(i, "north" if i % 2 else "south", i * 2.5) for i in range(40)])
    return path


def field(form: ConnectorForm | DatasourceForm, name: str):
    return next(i for i in form.inputs if i.field.name == name)


def all_widget_state() -> str:
    """The state of every live widget, as the browser (and a saved notebook) would hold it."""
    return json.dumps([widget.get_state() for widget in list(_instances.values())], default=str)


def test_each_kind_gets_its_fields_with_secrets_masked(project):
    form = ConnectorForm(project)
    expected = {
        "sql": {"password", "url"},
        "ftp": {"password"},
        "sftp": {"password", "private_key", "passphrase"},
        "s3": {"secret_access_key"},
        "gcp": {"service_account_json"},
    }
    for kind, secrets in expected.items():
        form.kind.value = kind
        masked = {i.field.name for i in form.inputs if isinstance(i.widget, w.Password)}
        assert masked == secrets, kind
    form.kind.value = "sftp"
    assert field(form, "private_key").upload is not None  # a key file keeps its newlines
    form.kind.value = "ftp"
    assert isinstance(field(form, "tls").widget, w.Checkbox)
    assert field(form, "port").widget.value == "21"


def test_testing_unsaved_fields_names_the_cause(project, shop_db: Path, tmp_path: Path):
    form = ConnectorForm(project)
    form.kind.value = "sql"
    field(form, "dialect").widget.value = "sqlite"
    field(form, "database").widget.value = str(tmp_path / "missing.sqlite")
    form.test_button.click()
    assert "Test failed" in form.message.value and "missing.sqlite" in form.message.value
    assert "does not exist" in form.message.value
    field(form, "database").widget.value = str(shop_db)
    form.test_button.click()
    assert "Connection works" in form.message.value
    assert not form.test_button.disabled and not form.save_button.disabled
    assert len(project.connectors) == 0  # testing saves nothing


def test_secrets_are_cleared_after_save_and_never_in_widget_state(project):
    form = ConnectorForm(project)
    form.name.value = "ftp-in"
    form.kind.value = "ftp"
    field(form, "host").widget.value = "127.0.0.1"
    field(form, "username").widget.value = "alice"
    typed = field(form, "password").widget
    typed.value = SECRET
    form.save_button.click()
    assert "Saved connector 'ftp-in'" in form.message.value
    assert typed.value == ""  # the widget the user typed into forgets it too
    assert "Edit connector 'ftp-in'" in form.title.value and form.kind.disabled
    connector = project.connectors["ftp-in"]
    assert connector.info.secrets_set == ["password"]
    assert connector._secrets()["password"] == SECRET
    assert field(form, "password").widget.value == ""
    assert "leave empty to keep it" in field(form, "password").widget.placeholder
    assert SECRET not in all_widget_state()
    panel = ConnectorPanel(connector)
    assert "•••• (set)" in panel.summary.value and SECRET not in all_widget_state()


def test_editing_keeps_a_secret_left_empty(project):
    project.connectors.create("wh", kind="ftp", host="127.0.0.1", username="bob", password=SECRET)
    panel = ConnectorPanel(project.connectors["wh"])
    panel.edit_button.click()
    form = panel.form.children[0]
    assert field(form, "host").widget.value == "127.0.0.1"
    assert field(form, "password").widget.value == ""
    field(form, "username").widget.value = "carol"
    form.save_button.click()
    assert "Saved connector 'wh'" in form.message.value
    saved = project.connectors["wh"]
    assert saved.config["username"] == "carol"
    assert saved._secrets()["password"] == SECRET
    assert "carol" in panel.summary.value
    assert SECRET not in all_widget_state()


def test_uploaded_key_file_is_cleared_after_save(project):
    form = ConnectorForm(project)
    form.name.value = "gcs"
    form.kind.value = "gcp"
    key = json.dumps({"type": "service_account", "private_key": SECRET})
    upload = field(form, "service_account_json").upload
    import datetime as dt

    upload.value = ({"name": "key.json", "type": "application/json", "size": len(key),
                     "content": memoryview(key.encode()), "last_modified": dt.datetime.now(dt.timezone.utc)},)
    field(form, "endpoint_url").widget.value = "http://127.0.0.1:1"
    form.save_button.click()
    assert "Saved connector 'gcs'" in form.message.value
    assert project.connectors["gcs"]._secrets()["service_account_json"] == key
    assert upload.value == ()
    assert SECRET not in all_widget_state()


def test_save_errors_are_messages_and_keep_the_form(project):
    form = ConnectorForm(project)
    form.kind.value = "ftp"
    form.name.value = "x"
    field(form, "port").widget.value = "twenty-one"
    form.save_button.click()
    assert "'port' must be a whole number" in form.message.value
    assert "Traceback" not in form.message.value
    assert len(project.connectors) == 0


def test_connector_panel_test_and_delete(project, shop_db: Path):
    project.connectors.create("shop", kind="sql", dialect="sqlite", database=str(shop_db))
    tab = ConnectorsTab(project)
    assert "shop" in tab.rows.children[0].children[1].value
    tab.rows.children[0].children[0].click()
    panel = tab.detail.children[0]
    panel.test_button.click()
    assert "Connection works" in panel.message.value
    panel.delete_button.click()
    panel.form.children[1].children[0].click()
    assert len(project.connectors) == 0
    assert "No connector yet" in tab.rows.children[0].value


def test_datasource_form_tests_with_a_preview_then_saves(project, shop_db: Path):
    project.connectors.create("shop", kind="sql", dialect="sqlite", database=str(shop_db))
    form = DatasourceForm(project)
    assert form.connector.value == "shop"
    assert [i.field.name for i in form.inputs] == ["table", "database", "query"]
    assert isinstance(field(form, "query").widget, w.Textarea)
    field(form, "query").widget.value = "select region, sum(amount) as total from orders group by region"
    form.test_button.click()
    assert "Datasource works" in form.message.value
    assert "region (" in form.preview.value and "north" in form.preview.value
    field(form, "query").widget.value = "select * from nowhere"
    form.test_button.click()
    assert "Test failed" in form.message.value and "nowhere" in form.message.value
    field(form, "query").widget.value = ""
    field(form, "table").widget.value = "orders"
    form.name.value = "orders"
    form.save_button.click()
    assert "Saved datasource 'orders'" in form.message.value
    source = project.datasources["orders"]
    assert source.locator == {"table": "orders"}
    panel = DatasourcePanel(source)
    panel.test_button.click()
    assert panel.preview.value.count("<tr>") == 21
    panel.import_button.click()
    assert "Import of 'orders_" in panel.message.value
    state = panel.progress.children[0].follower.join(60)
    assert state is not None and state.status == "ready"
    (dataset,) = project.datasets.list(origin=["datasource"])
    assert dataset.rows == 40 and dataset.info.datasource_id == source.id


def test_datasource_form_without_connectors_says_what_to_do(project):
    form = DatasourceForm(project)
    assert "Create a connector first" in "".join(c.value for c in form.children if isinstance(c, w.HTML))
    form.save_button.click()
    assert "Pick a connector" in form.message.value
