"""Connectors and datasources in the catalog: CRUD, encrypted secrets, in-use refusal, import."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

import dataplane_jupyter as dp
from dataplane_jupyter.core.sources.secrets import KEY_FILE
from tests import sqlite_tables

PASSWORD = "Pl4intext-Secret-Never-Shown"


@pytest.fixture
def sales_db(tmp_path):
    return sqlite_tables.write_sales(tmp_path / "sales.db", sqlite_tables.city_sales(3000))


@pytest.fixture
def project(catalog):
    return catalog.project("p")


def test_connector_crud_keeps_secrets_encrypted_and_write_only(project, isolated_home):
    connector = project.connectors.create(
        "wh", kind="sql", dialect="postgresql", host="127.0.0.1", port=1, username="bob", password=PASSWORD, database="d"
    )
    assert connector.info.secrets_set == ["password"]
    assert PASSWORD not in repr(connector) and "password=***" in repr(connector)
    assert PASSWORD not in connector.info.model_dump_json()
    raw = b"".join(p.read_bytes() for p in isolated_home.glob("catalog.db*"))
    assert PASSWORD.encode() not in raw
    key = isolated_home / KEY_FILE
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    edited = connector.update(host="localhost")  # the password is kept
    assert edited.config["host"] == "localhost" and edited._secrets() == {"password": PASSWORD}
    assert project.connectors["wh"].id == connector.id
    with pytest.raises(dp.AlreadyExists):
        project.connectors.create("wh", kind="sql", dialect="sqlite", database="x")
    connector.delete()
    assert len(project.connectors) == 0


def test_a_refused_port_is_named_and_the_password_never_echoed(project):
    connector = project.connectors.create(
        "wh", kind="sql", dialect="postgresql", host="127.0.0.1", port=1, username="bob", password=PASSWORD, database="d"
    )
    result = connector.test(timeout=5)
    assert not result.ok
    assert "connection refused" in result.message.lower()
    assert PASSWORD not in result.message


def test_unknown_kind_and_unknown_field_are_refused_by_name(project):
    with pytest.raises(dp.InvalidInput) as error:
        project.connectors.create("x", kind="mainframe")
    assert error.value.field == "kind"
    with pytest.raises(dp.InvalidInput) as error:
        project.connectors.create("x", kind="sql", dialect="sqlite", database="d", colour="red")
    assert error.value.field == "colour"


@pytest.mark.team
def test_datasource_test_then_import_streams_a_table_into_a_ready_dataset(project, sales_db):
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(sales_db))
    preview = project.datasources.test("lite", table="sales", rows=5)
    assert preview.ok and [c["name"] for c in preview.columns] == ["id", "price", "city"]
    assert preview.rows[1] == [1, 0.5, "b"]
    source = project.datasources.create("weekly", connector="lite", table="sales")
    first = project.datasets.import_datasource("weekly", name="sales_w47").wait(timeout=60)
    second = project.datasets.import_datasource("weekly").wait(timeout=60)
    assert first.origin == "datasource" and first.info.datasource_id == source.id
    assert (first.rows, first.columns) == (3000, 3)
    assert second.name.startswith("weekly_") and second.id != first.id
    assert first.column("price")["max"] == pytest.approx(1499.5)
    first.delete()
    with sqlite3.connect(sales_db) as con:
        assert con.execute("select count(*) from sales").fetchone() == (3000,)


def test_a_connector_in_use_cannot_be_deleted(project, sales_db):
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(sales_db))
    project.datasources.create("weekly", connector="lite", table="sales")
    with pytest.raises(dp.InUse, match="used by datasource 'weekly'"):
        project.connectors["lite"].delete()
    project.datasources["weekly"].delete()
    project.connectors["lite"].delete()


@pytest.mark.team
def test_a_missing_table_fails_the_import_with_the_cause(project, sales_db):
    project.connectors.create("lite", kind="sql", dialect="sqlite", database=str(sales_db))
    project.datasources.create("gone", connector="lite", table="no_such_table")
    assert not project.datasources["gone"].test().ok
    ds = project.datasets.import_datasource("gone")
    with pytest.raises(dp.ImportFailed, match="no_such_table"):
        ds.wait(timeout=60)
    assert ds.status == "failed"
    assert not project.catalog.storage.exists(f"projects/{project.id}/datasets/{ds.id}")
