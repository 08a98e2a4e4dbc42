"""The magics in a real IPython shell."""

from __future__ import annotations

import json

import pytest
from IPython.testing.globalipapp import start_ipython

import dataplane_jupyter as dp


@pytest.fixture(scope="module")
def ip():
    shell = start_ipython()
    shell.run_line_magic("load_ext", "dataplane_jupyter")
    return shell


def test_line_magic_mirrors_the_cli(ip, isolated_home, capsys):
    dp.Catalog(isolated_home).create_project("churn")
    ip.run_line_magic("dataplane", "--json projects list")
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["churn"]


def test_user_errors_print_a_message_not_a_traceback(ip, isolated_home, capsys):
    ip.run_line_magic("dataplane", "--project nope datasets list")
    captured = capsys.readouterr()
    assert captured.err.strip() == "error: No project named 'nope'."
    assert "Traceback" not in captured.out + captured.err
    ip.run_line_magic("dataplane", "datasets frobnicate")
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err
