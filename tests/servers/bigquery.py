"""A throwaway BigQuery emulator (bqemulator, DuckDB inside) running from its own venv."""

from __future__ import annotations

import os
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.servers._process import HOST, HTTPEmulator, ServerFailed, ServerProcess, free_port, temp_root

REPO = Path(__file__).resolve().parents[2]
PROJECT = "test-project"


def emulator_python() -> Path:
    """The emulator venv's python, created on first use by scripts/setup-bigquery-emulator.sh."""
    venv = Path(os.environ.get("BQEMULATOR_VENV", REPO / ".venv" / "bqemulator"))
    if not venv.is_absolute():
        venv = REPO / venv
    setup = subprocess.run(["bash", str(REPO / "scripts" / "setup-bigquery-emulator.sh")],
                           capture_output=True, text=True, timeout=900, env={**os.environ, "BQEMULATOR_VENV": str(venv)})
    if setup.returncode != 0:
        raise ServerFailed(f"scripts/setup-bigquery-emulator.sh failed:\n{setup.stdout[-3000:]}\n{setup.stderr[-3000:]}")
    return venv / "bin" / "python"


@dataclass
class BigQueryServer(HTTPEmulator):
    """A running emulator; it does not check credentials."""

    project: str = PROJECT


def start() -> BigQueryServer:
    """Run the emulator (REST on a free port, gRPC on another) and wait until it lists datasets."""
    python = emulator_python()
    root, port = temp_root("dataplane-bq-")
    grpc_port = free_port()
    process = ServerProcess(
        "bqemulator",
        [str(python), str(Path(__file__).with_name("bigquery_launcher.py")), "--rest-host", HOST,
         "--rest-port", str(port), "--grpc-host", HOST, "--grpc-port", str(grpc_port), "--ephemeral",
         "--project", PROJECT, "--log-level", "warning"],
        root / "bqemulator.log", cwd=root,
        env={"OTEL_SDK_DISABLED": "true", "HOME": str(root)},
    )
    url = f"http://{HOST}:{port}/bigquery/v2/projects/{PROJECT}/datasets"
    process.wait_until(lambda: urllib.request.urlopen(url, timeout=2).status == 200, deadline=60)
    return BigQueryServer(process, port, root)
