"""A real `jupyter server` with the dataplane server extension, as a child process on 127.0.0.1.

No JupyterLab front end and no browser: for tests that need the server extension itself (its REST
API, the scheduler it runs). Config, data and runtime dirs are fresh per server, the extension is
turned on in its own config dir, and the repository comes first on its PYTHONPATH; `env` adds the
`DATAPLANE_*` settings (home, catalog URL, ...).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.servers._process import HOST, REPO, ServerProcess, free_port

START_DEADLINE = 120.0  # a loaded CI machine starts a Jupyter server slowly


@dataclass
class JupyterServer:
    """A running server: its base URL, token and process (with its log)."""

    process: ServerProcess
    url: str
    token: str

    def get(self, path: str, timeout: float = 10.0) -> Any:
        """GET `path` (relative to the base URL) with the token; the JSON it answers."""
        request = urllib.request.Request(self.url + path.lstrip("/"), headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
            return json.loads(response.read())

    def stop(self) -> None:
        """SIGTERM (the server stops its extension), SIGKILL if it does not end."""
        self.process.stop(grace=30.0)


def start(root: Path, env: dict[str, str], *, name: str = "jupyter-server") -> JupyterServer:
    """Start a server whose files live under `root` and wait until its REST API answers."""
    dirs = {part: root / part for part in ("config", "data", "runtime", "notebooks")}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    # The user config dir wins over the copy installed into etc/jupyter by the wheel. The package's
    # own log lines (e.g. which ticks the scheduler fired) go to the server's log too.
    config = {"ServerApp": {
        "jpserver_extensions": {"dataplane_jupyter": True},
        "logging_config": {"loggers": {"dataplane_jupyter": {"level": "INFO", "handlers": ["console"]}}},
    }}
    (dirs["config"] / "jupyter_server_config.json").write_text(json.dumps(config))
    port, token = free_port(), secrets.token_hex(16)
    argv = [sys.executable, "-m", "jupyter_server", "--no-browser", f"--ServerApp.ip={HOST}",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={dirs['notebooks']}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    pythonpath = [str(REPO), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    process = ServerProcess(name, argv, root / "server.log", cwd=dirs["notebooks"], env={
        **env,
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "PYTHONPATH": os.pathsep.join(dict.fromkeys(pythonpath)),
        "PYTHONUNBUFFERED": "1",
    })
    server = JupyterServer(process, f"http://{HOST}:{port}/", token)
    process.wait_until(lambda: bool(server.get("api/status", timeout=2)), deadline=START_DEADLINE)
    return server
