"""Running the demo notebooks with nbclient, and reading what their cells showed."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
KERNEL = "dataplane-test-python"


def run(name: str, workdir: Path, kernel: str) -> tuple[nbformat.NotebookNode, float]:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(notebook, timeout=180, kernel_name=kernel, store_widget_state=True,
                            resources={"metadata": {"path": str(workdir)}})
    start = time.monotonic()
    client.execute()
    return notebook, time.monotonic() - start


def run_cleanly(name: str, workdir: Path, kernel: str) -> nbformat.NotebookNode:
    """Run the notebook `name` in `workdir`, print how long it took, and check that no cell failed."""
    notebook, seconds = run(name, workdir, kernel)
    print(f"{name} executed in {seconds:.1f} s")
    assert_no_errors(notebook)
    return notebook


def code_cells(notebook: nbformat.NotebookNode) -> list[Any]:
    return [c for c in notebook.cells if c.cell_type == "code"]


def outputs(cell: Any) -> str:
    return json.dumps(cell.get("outputs", []))


def widget_models(notebook: nbformat.NotebookNode) -> dict[str, Any]:
    return notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]


def figure(cell: Any) -> dict[str, Any]:
    """The plotly figure a cell displayed."""
    for output in cell.get("outputs", []):
        if "application/vnd.plotly.v1+json" in output.get("data", {}):
            return output["data"]["application/vnd.plotly.v1+json"]
    raise AssertionError(f"no plotly figure in {cell.source!r}")


def assert_no_errors(notebook: nbformat.NotebookNode) -> None:
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output
            assert "Traceback" not in json.dumps(output)
