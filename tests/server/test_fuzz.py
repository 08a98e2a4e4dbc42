"""The REST API under schemathesis (issue 21): every operation of the OpenAPI document, with
generated valid and invalid parameters and bodies, against a real server whose seeded project
the fuzzer knows: no 5xx, and every response conforms to the document (status, content type,
body schema). Bounded: a few examples per operation."""

from __future__ import annotations

import asyncio
import copy
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from dataplane_jupyter.server.openapi import openapi_document

#: The seeded records each path placeholder names (the fuzzer explores everything else).
SEEDED = {"project": "p", "dataset": "d", "connector": "c", "datasource": "s", "exporter": "x", "column": "a"}
#: Operations that would reach past 127.0.0.1 with generated connection fields, or remove the
#: seeded project the rest of the run needs.
LEFT_OUT = [("post", "/projects/{project}/connectors/test"), ("post", "/projects/{project}/datasources/test"),
            ("post", "/projects/{project}/exporters/test"), ("patch", "/projects/{project}/connectors/{connector}"),
            ("delete", "/projects/{project}")]
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


@pytest.fixture
def jp_server_config(jp_server_config, monkeypatch):
    monkeypatch.setenv("DATAPLANE_EXECUTOR", "thread")  # the fuzzer's jobs stay inside the server
    monkeypatch.setenv("DATAPLANE_MAX_JOBS", "1")
    return jp_server_config


def pinned_document() -> dict:
    """The served document with the seeded records as the only values of path placeholders."""
    document = copy.deepcopy(openapi_document())
    for method, path in LEFT_OUT:
        document["paths"]["/dataplane/api/v1" + path].pop(method)
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation["parameters"]:
                if parameter["in"] == "path" and parameter["name"] in SEEDED:
                    parameter["schema"] = {"type": "string", "enum": [SEEDED[parameter["name"]]]}
    return document


async def test_the_api_survives_schemathesis(api, jp_http_port, jp_base_url, jp_auth_header, isolated_home, tmp_path):
    from dataplane_jupyter import Catalog

    await api("POST", "projects", {"name": "p"})
    catalog = Catalog(isolated_home, executor="thread")
    project = catalog.project("p")
    await asyncio.to_thread(lambda: project.datasets.from_pandas(
        pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": ["x", "y", "x", "z"]}), name="d").wait(timeout=120))
    database = tmp_path / "seed.db"
    pd.DataFrame({"a": [1, 2], "b": ["u", "v"]}).to_sql("t", f"sqlite:///{database}", index=False)
    fields = {"dialect": "sqlite", "database": str(database)}
    for path, body in (
        ("connectors", {"name": "c", "kind": "sql", "fields": fields}),
        ("datasources", {"name": "s", "connector": "c", "locator": {"table": "t"}}),
        ("exporters", {"name": "x", "connector": "c", "destination": {"table": "out"}, "mode": "overwrite"}),
    ):
        code, answer = await api("POST", f"projects/p/{path}", body)
        assert code == 201, answer
    schema_file = tmp_path / "openapi.json"
    document = pinned_document()
    schema_file.write_text(json.dumps(document))
    operations = sum(len(methods) for methods in document["paths"].values())
    header = next(iter(jp_auth_header.items()))
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("st")), "run", str(schema_file),
        "--url", f"http://127.0.0.1:{jp_http_port}{jp_base_url.rstrip('/')}",
        "--header", f"{header[0]}: {header[1]}", "--checks", CHECKS,
        "--max-examples", "4", "--phases", "examples,fuzzing", "--seed", "21", "--no-shrink",
        "--workers", "1", "--request-timeout", "60", "--generation-database", "none", "--no-color",
        cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=900)
    report = output.decode(errors="replace")
    assert process.returncode == 0, report[-20_000:]
    assert f"Tested: {operations}" in report and f"{operations} passed" in report, report[-5000:]
