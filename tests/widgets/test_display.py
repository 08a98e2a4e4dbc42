"""Records display as panels inside IPython; `dp.panel()` opens the default project's panel."""

from __future__ import annotations

import subprocess
import sys

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython

import dataplane_jupyter as dp
from dataplane_jupyter.widgets import _show
from dataplane_jupyter.widgets.catalog import CatalogPanel


@pytest.fixture(scope="module")
def ip():
    return start_ipython() or get_ipython()  # one global shell per test process


def test_records_use_the_panel_formatter(ip, project, tips, monkeypatch):
    dp._register_display()
    formatter = ip.display_formatter.ipython_display_formatter
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    for record in (tips, project):
        assert formatter.lookup(record) is _show
        data, metadata = ip.display_formatter.format(record)
        assert (data, metadata) == ({}, {})  # the panel was displayed instead of the repr
    assert [type(s).__name__ for s in shown] == ["DatasetPanel", "CatalogPanel"]
    connector = project.connectors.create("ftp", kind="ftp", host="127.0.0.1", password="pw-secret")
    ip.display_formatter.format(connector)
    assert type(shown[-1]).__name__ == "ConnectorPanel"


def test_panel_of_the_default_project(isolated_home):
    panel = dp.panel()
    assert isinstance(panel, CatalogPanel)
    assert panel.project.name == "default"
    assert isinstance(dp.panel("churn"), CatalogPanel)


def test_importing_inside_ipython_registers_the_panels(isolated_home):
    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import sys, dataplane_jupyter as dp\n"
        "f = shell.display_formatter.ipython_display_formatter\n"
        "print(sorted(name for (module, name) in f.deferred_printers if module.startswith('dataplane_jupyter')))\n"
        "print('ipywidgets' in sys.modules, 'plotly' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "['Connector', 'Dataset', 'Datasource', 'Exporter', 'ImageFolder', 'Pipeline', 'Project']"
    assert out[1] == "False False"  # registered by name: nothing heavy is imported until shown


def test_action_errors_inside_ipython_are_messages_not_tracebacks(ip, project):
    from dataplane_jupyter.widgets.forms import ImportForm

    assert ip is not None  # an Output swallows exceptions and prints tracebacks only inside IPython
    form = ImportForm(project)
    form.path.value = "/nowhere/file.csv"
    form.save_button.click()
    assert "File '/nowhere/file.csv' does not exist" in form.message.value
    assert form.output.outputs == ()
    assert not form.save_button.disabled
