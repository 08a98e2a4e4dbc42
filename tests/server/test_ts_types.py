"""The labextension's TypeScript types (labextension/src/schema.ts) match the REST API.

They are generated from the OpenAPI document by scripts/gen-api-types.sh; regenerating them
must give the committed file byte for byte, so a model or route change cannot leave the
frontend's types stale.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LABEXTENSION = REPO / "labextension"
SCHEMA = LABEXTENSION / "src" / "schema.ts"
SCRIPT = REPO / "scripts" / "gen-api-types.sh"
GENERATOR = LABEXTENSION / "node_modules" / ".bin" / "openapi-typescript"


def test_committed_schema_is_regenerated_identically(tmp_path: Path) -> None:
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH: install node 20 + npm (see README) to check schema.ts.")
    if not GENERATOR.exists():
        pytest.fail(
            f"{GENERATOR} is missing: run `npm ci` in labextension/ "
            "(`make test` and scripts/run-tests.sh do it)."
        )
    out = tmp_path / "schema.ts"
    result = subprocess.run(
        ["bash", str(SCRIPT), str(out)],
        cwd=REPO,
        env={**os.environ, "PY": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{SCRIPT.name} failed:\n{result.stdout}\n{result.stderr}"
    generated = out.read_text()
    committed = SCHEMA.read_text()
    if generated != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                generated.splitlines(keepends=True),
                "committed schema.ts",
                "regenerated",
                n=1,
            )
        )
        pytest.fail(
            "labextension/src/schema.ts is stale: run scripts/gen-api-types.sh and commit it.\n"
            + diff[:4000]
        )
