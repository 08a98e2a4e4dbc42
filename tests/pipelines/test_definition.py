"""Validation on save: each bad definition is refused with a message naming the step and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import dataplane_jupyter as dp
from dataplane_jupyter.core.errors import AlreadyExists, InUse, InvalidInput
from dataplane_jupyter.core.pipelines import PipelineInvalid


@pytest.fixture
def project(catalog: dp.Catalog) -> Any:
    project = catalog.project("p")
    project.datasets.from_pandas(pd.DataFrame({"id": [1, 2], "amount": [1.5, 2.5]}), "sales", origin="upload").wait()
    return project


READ = {"name": "sales", "kind": "read", "dataset": "sales"}

BAD = [
    ([READ, {"name": "x", "kind": "transform"}], "step 'x', field 'kind': unknown step kind 'transform'"),
    ([READ, {"name": "x", "kind": "python", "function": "m:f", "input": "nope"}],
     "step 'x', field 'input': input 'nope' is unknown: not a step of this pipeline"),
    ([READ, {"name": "x", "kind": "sql", "query": "select * from missing"}],
     "step 'x', field 'query': the query reads table 'missing', which is unknown"),
    ([READ, {"name": "a", "kind": "python", "function": "m:f", "input": "b"},
      {"name": "b", "kind": "python", "function": "m:f", "input": "a"}],
     "step 'a', field 'input': steps a → b → a form a cycle"),
    ([READ, {"name": "sales", "kind": "sql", "query": "select 1"}],
     "step 'sales', field 'name': duplicate step name: step #1 is already named 'sales'"),
    ([{"name": "s", "kind": "read", "datasource": "weekly"}],
     "step 's', field 'datasource': no datasource named 'weekly' in project 'p'"),
    ([{"name": "s", "kind": "read", "dataset": "nope"}], "step 's', field 'dataset': no dataset named 'nope'"),
    ([READ, {"name": "out", "kind": "export", "input": "sales", "exporter": "wh"}],
     "step 'out', field 'exporter': no exporter named 'wh' in project 'p'"),
    ([READ, {"name": "x", "kind": "sql", "query": "select amount, nope from sales"}],
     "step 'x', field 'query': DuckDB cannot bind the query: Binder Error: Referenced column \"nope\" not found"),
    ([READ, {"name": "x", "kind": "sql", "query": "select * from read_parquet('https://127.0.0.1:9/x.parquet')"}],
     "step 'x', field 'query': DuckDB cannot parse the query: File https://127.0.0.1:9/x.parquet requires the "
     "extension httpfs to be loaded; a pipeline step loads no DuckDB extension: read remote files through a "
     "datasource or a dataset"),  # never installed nor loaded: nothing downloads
    ([READ, {"name": "x", "kind": "sql", "query": "selec amount from sales"}],
     "step 'x', field 'query': DuckDB cannot parse the query"),
    ([READ, {"name": "x", "kind": "sql", "query": "select 1", "inputs": ["sales"]}],
     "step 'x', field 'inputs': sql steps have no field 'inputs'"),
    ([READ, {"name": "x", "kind": "predict", "input": "sales"}], "step 'x', field 'model': predict steps need 'model'"),
    ([READ, {"name": "x", "kind": "python", "function": "nocolon", "input": "sales"}],
     "step 'x', field 'function': 'nocolon' is not 'module:function'"),
    ([READ, {"name": "bad name", "kind": "sql", "query": "select 1"}], "field 'name': 'bad name' is not a usable step"),
    ([{"name": "s", "kind": "read"}], "step 's', field 'dataset': read steps need exactly one of"),
    ([], "field 'steps': a pipeline needs at least one step"),
]


@pytest.mark.parametrize(("steps", "message"), BAD, ids=[m.split(":")[0] + str(i) for i, (_, m) in enumerate(BAD)])
def test_bad_definitions_are_refused_naming_step_and_field(project: Any, steps: list[dict[str, Any]],
                                                          message: str) -> None:
    with pytest.raises(PipelineInvalid) as refused:
        project.pipelines.create("bad", steps=steps)
    assert message in refused.value.message
    assert isinstance(refused.value, InvalidInput)
    assert any(message in p.to_dict()["message"] for p in project.pipelines.validate(steps))
    assert "bad" not in project.pipelines


def test_every_problem_is_listed_with_its_step_index(project: Any) -> None:
    problems = project.pipelines.validate([READ, {"name": "x", "kind": "python", "input": "nope"},
                                           {"name": "y", "kind": "export", "input": "x"}])
    assert [(p.index, p.step, p.field) for p in problems] == [
        (1, "x", "function"), (2, "y", "exporter"), (1, "x", "input")]
    assert project.pipelines.validate([READ, {"name": "x", "kind": "sql", "query": "select id from sales"}]) == []


def test_names_versions_delete_and_yaml(project: Any, tmp_path: Path) -> None:
    project.pipelines.create("p1", steps=[READ])
    with pytest.raises(AlreadyExists):
        project.pipelines.create("p1", steps=[READ])
    (tmp_path / "weekly.yaml").write_text(
        "name: weekly\ndescription: scores\nsteps:\n"
        "  - {name: sales, kind: read, dataset: sales}\n"
        "  - name: big\n    kind: sql\n    query: select * from sales where amount > 2\n")
    pipe = project.pipelines.from_yaml(tmp_path / "weekly.yaml")
    assert (pipe.name, pipe.version, pipe.description) == ("weekly", 1, "scores")
    assert pipe.current_version().base_dir == str(tmp_path)
    assert project.pipelines.from_yaml(tmp_path / "weekly.yaml").version == 2
    assert pipe.dag() == {"nodes": [{"name": "sales", "kind": "read", "role": None},
                                    {"name": "big", "kind": "sql", "role": "output"}],
                          "edges": [{"from": "sales", "to": "big"}]}
    (tmp_path / "broken.yaml").write_text("steps:\n  - name: a\n   kind: read\n")
    with pytest.raises(InvalidInput, match=r"broken.yaml: line 3, column 4: not valid YAML"):
        project.pipelines.from_yaml(tmp_path / "broken.yaml")
    assert [p.name for p in project.pipelines.list()] == ["p1", "weekly"]
    outputs = pipe.run().wait().outputs
    project.pipelines["p1"].delete()
    assert "p1" not in project.pipelines
    pipe.delete()
    assert len(project.pipelines) == 0
    assert project.datasets[outputs["big"]].rows == 1  # datasets outlive the pipeline


def test_delete_is_refused_while_a_run_is_active(project: Any, tmp_path: Path) -> None:
    (tmp_path / "waiter.py").write_text(
        "import time\nfrom pathlib import Path\n"
        f"def hold(frame):\n    Path({str(tmp_path / 'started')!r}).touch()\n"
        f"    while not Path({str(tmp_path / 'go')!r}).exists():\n        time.sleep(0.05)\n    return frame\n")
    pipe = project.pipelines.create("w", base_dir=tmp_path, steps=[
        READ, {"name": "h", "kind": "python", "function": "waiter:hold", "input": "sales"}])
    run = pipe.run()
    from tests.pipelines.test_runs import wait_for

    wait_for(tmp_path / "started")
    with pytest.raises(InUse, match="Pipeline 'w' is running"):
        pipe.delete()
    (tmp_path / "go").touch()
    run.wait()
