"""The magics in a real IPython shell: `%dataplane` mirrors the CLI, `%%dataplane sql` queries a
real SQLite file through a saved connector."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from IPython import get_ipython
from IPython.core.completer import provisionalcompleter
from IPython.core.error import UsageError
from IPython.testing.globalipapp import start_ipython

import dataplane_jupyter as dp
from dataplane_jupyter.magics.complete import complete_dataplane


@pytest.fixture(scope="module")
def ip():
    shell = start_ipython() or get_ipython()  # one global shell per test process
    shell.run_line_magic("load_ext", "dataplane_jupyter")
    return shell


@pytest.fixture
def shop(isolated_home: Path, tmp_path: Path) -> dp.Catalog:
    """A catalog whose default project has an SQL connector `shop` on a SQLite file of 500 orders."""
    path = tmp_path / "shop.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table orders (id integer primary key, region text, amount real)")
        db.executemany("insert into orders values (?, ?, ?)",
                       [(i, ["north", "south", "east"][i % 3], i * 1.5) for i in range(500)])
    catalog = dp.Catalog(isolated_home)
    project = catalog.project("default")
    project.connectors.create("shop", kind="sql", dialect="sqlite", database=str(path))
    project.connectors.create("files", kind="ftp", host="127.0.0.1", port=1)
    return catalog


def test_line_magic_mirrors_the_cli(ip, isolated_home, capsys):
    dp.Catalog(isolated_home).create_project("churn")
    ip.run_line_magic("dataplane", "--json projects list")
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["churn"]


def test_user_errors_print_a_message_not_a_traceback(ip, isolated_home, capsys):
    ip.run_line_magic("dataplane", "--project nope datasets list")
    captured = capsys.readouterr()
    assert captured.err.strip().startswith("error: No project named 'nope'.")
    assert "Traceback" not in captured.out + captured.err
    ip.run_line_magic("dataplane", "datasets frobnicate")
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_sql_cell_previews_a_bounded_result(ip, shop):
    frame = ip.run_cell_magic("dataplane", "sql shop --limit 7",
                              "select region, count(*) as n, sum(amount) as total\nfrom orders group by region order by region")
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["region", "n", "total"]
    assert frame["region"].tolist() == ["east", "north", "south"]
    assert frame["n"].sum() == 500
    rows = ip.run_cell_magic("dataplane", "sql shop --limit 7", "select * from orders")
    assert len(rows) == 7
    assert shop.project("default").datasets.list() == []  # a preview saves nothing


def test_sql_cell_saves_the_whole_result_as_a_dataset(ip, shop, capsys):
    preview = ip.run_cell_magic("dataplane", "sql shop --save-as big_orders --limit 5 --wait",
                                "select * from orders where amount > 300")
    assert len(preview) == 5
    dataset = shop.project("default").datasets["big_orders"]
    assert dataset.status == "ready"
    assert dataset.origin == "datasource"
    assert dataset.rows == sum(1 for i in range(500) if i * 1.5 > 300)
    assert "Saved the query's result as dataset 'big_orders'" in capsys.readouterr().out
    source = shop.project("default").datasources["big_orders"]
    assert source.locator == {"query": "select * from orders where amount > 300"}
    with pytest.raises(UsageError, match="already has a dataset named 'big_orders'"):
        ip.run_cell_magic("dataplane", "sql shop --save-as big_orders", "select 1")


@pytest.mark.parametrize(
    ("line", "cell", "message"),
    [
        ("sql nope", "select 1", "No connector named 'nope'; SQL connectors in project 'default': shop"),
        ("sql files", "select 1", "'files' is a ftp connector"),
        ("sql shop", "select * from no_such_table", "The query failed: "),
        ("sql shop", "   \n", "The cell is empty"),
        ("sql shop --limit 0", "select 1", "--limit must be between 1"),
        ("sql", "select 1", "the following arguments are required: connector"),
        ("frobnicate x", "select 1", "invalid choice: 'frobnicate'"),
    ],
)
def test_sql_cell_user_errors_are_usage_errors(ip, shop, line, cell, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace("*", r"\*")):
        ip.run_cell_magic("dataplane", line, cell)


def test_failed_query_shows_no_traceback_in_a_cell(ip, shop, capsys):
    result = ip.run_cell("%%dataplane sql shop\nselect * from no_such_table")
    captured = capsys.readouterr()
    assert isinstance(result.error_in_exec, UsageError)
    assert "no such table: no_such_table" in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err


def complete(line: str) -> list[str]:
    return complete_dataplane(None, SimpleNamespace(text_until_cursor=line, line=line, symbol=line.split(" ")[-1]))


def test_completion_of_nouns_verbs_and_names(ip, shop):
    shop.project("default").datasets.from_pandas(pd.DataFrame({"a": [1, 2]}), "tiny").wait()
    assert {"datasets", "connectors", "projects"} <= set(complete("%dataplane "))
    assert "import" in complete("%dataplane datasets ")
    assert complete("%dataplane datasets show ") == ["tiny"]
    assert complete("%%dataplane ") == ["sql"]
    assert complete("%%dataplane sql ") == ["shop"]  # the ftp connector is not offered
    # through IPython's own completer
    line = "%%dataplane sql sh"
    with provisionalcompleter():
        assert "shop" in [c.text for c in ip.Completer.completions(line, len(line))]


def test_pipelines_run_and_wait_from_a_cell(ip, shop, capsys):
    project = shop.project("default")
    project.datasets.import_datasource(project.datasources.create("orders", connector="shop", table="orders").name,
                                       name="orders").wait(timeout=120)
    project.pipelines.create("weekly", steps=[
        {"name": "orders", "kind": "read", "dataset": "orders"},
        {"name": "north", "kind": "sql", "query": "select * from orders where region = 'north'"},
    ])
    ip.run_line_magic("dataplane", "pipelines run weekly --wait")
    captured = capsys.readouterr()
    assert "north" in captured.out and "succeeded" in captured.out and "167" in captured.out
    assert project.pipelines["weekly"].last_run.outputs == {"north": "weekly_north_run1"}
    ip.run_line_magic("dataplane", "pipelines run nope --wait")
    assert capsys.readouterr().err.strip() == "error: No pipeline named 'nope' in project 'default'."
