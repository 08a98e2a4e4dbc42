"""The `notebook` step of pipeline runs: a notebook executed headless with nbclient, papermill-style.

A cell after the one tagged `parameters` (or first) sets the step's `parameters`, plus
`dataplane_inputs` (step name → Parquet path), `dataplane_input` (the first of them) and
`dataplane_output` (where the notebook may write its result, e.g. `df.to_parquet(dataplane_output)`).
The executed notebook is kept with the run, failed or not. Lives outside `core` because nbclient
and nbformat are Jupyter code; the core finds it by name (`execute.NOTEBOOK_RUNNER`).
"""

from __future__ import annotations

import threading
from typing import Any

from dataplane_jupyter.core.errors import InvalidInput, InvalidState
from dataplane_jupyter.core.jobs.runner import JobCancelled
from dataplane_jupyter.core.pipelines.definition import as_list
from dataplane_jupyter.core.pipelines.execute import (
    Outcome,
    Run,
    StepLog,
    parquet_rows,
    rows_in,
    work_folder,
)
from dataplane_jupyter.core.pipelines.runs import update_step


def run_notebook_step(run: Run, name: str, step: dict[str, Any], log_: StepLog) -> Outcome:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    source = run.local(str(step["path"]), "notebook", "path")
    notebook = nbformat.read(source, as_version=4)
    inputs = {other: str(run.input(other, name)) for other in as_list(step.get("input"))}
    relative, out = work_folder(run, name)
    out.unlink(missing_ok=True)
    _inject_parameters(notebook, {**(step.get("parameters") or {}), "dataplane_inputs": inputs,
                                  "dataplane_input": next(iter(inputs.values()), None),
                                  "dataplane_output": str(out)})
    kept = f"{run.folder}/notebooks/{name}.ipynb"
    update_step(run.catalog, run.row.id, name, notebook_path=kept)
    kernel = step.get("kernel") or notebook.metadata.get("kernelspec", {}).get("name") or "python3"
    cells = max(1, sum(1 for c in notebook.cells if c.cell_type == "code"))
    counter = {"done": 0}
    stopped = threading.Event()

    def executed(**_: Any) -> None:
        counter["done"] += 1
        if stopped.is_set():
            raise JobCancelled()
        run.progress(name, counter["done"] / cells, f"cell {counter['done']} of {cells}", force=True)

    client = NotebookClient(notebook, timeout=step.get("timeout"), kernel_name=kernel,
                            resources={"metadata": {"path": str(source.parent)}}, on_cell_executed=executed)
    log_(f"executing {source} with kernel {kernel}")
    try:
        client.execute()
    except CellTimeoutError as error:
        raise InvalidInput(f"a cell ran longer than {step.get('timeout')} s: {str(error).splitlines()[0]}",
                           field="timeout") from None
    except CellExecutionError as error:
        raise InvalidState(f"notebook {source.name} failed at cell {_failed_cell(notebook)}: "
                           f"{error.ename}: {error.evalue}") from None
    finally:
        with run.catalog.storage.open(kept, "wb") as stream:
            stream.write(nbformat.writes(notebook).encode("utf-8"))
        log_(f"executed notebook kept with the run ({counter['done']} cells ran)")
    if not out.exists():
        return Outcome(rows_in=rows_in(run, name, step), notebook_path=kept,
                       message=f"{counter['done']} cells ran; no result written to dataplane_output")
    rows = parquet_rows(out)
    return Outcome(relative, rows_in=rows_in(run, name, step), rows_out=rows, notebook_path=kept,
                   message=f"{counter['done']} cells ran; {rows:,} rows")


def _inject_parameters(notebook: Any, values: dict[str, Any]) -> None:
    """Papermill-style: a cell setting the values, right after the cell tagged `parameters` (or first)."""
    import nbformat

    lines = ["# Parameters injected by the dataplane pipeline run"]
    lines += [f"{key} = {value!r}" for key, value in values.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    tagged = [i for i, c in enumerate(notebook.cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    notebook.cells.insert(tagged[0] + 1 if tagged else 0, cell)


def _failed_cell(notebook: Any) -> int:
    for index, cell in enumerate(notebook.cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            return index
    return 0
