"""Running a real JupyterLab for the browser tests, and opening it in Chromium.

The JupyterLab process runs this checkout's code: the repository is put on its PYTHONPATH, the
server extension is turned on (or off) in an isolated config dir, and the labextension built
into `dataplane_jupyter/labextension` (by `pip install .`, or `npm run build:prod` in
`labextension/`) comes first on its labextensions path, ahead of any installed copy. Config,
data, runtime, settings and workspace dirs are fresh per server; `DATAPLANE_HOME` is given.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
BUILT_LABEXTENSION = REPO_ROOT / "dataplane_jupyter" / "labextension"
LABEXTENSION_NAME = "dataplane-jupyter"
CHROMIUM = os.environ.get("DATAPLANE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVER_START_TIMEOUT = 90.0
APP_START_TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class SeededDataset:
    """A dataset written into the catalog before JupyterLab starts, as the sidebar shows it."""

    project: str
    name: str
    rows: int
    columns: int


# Two projects, so that the sidebar's project picker has something to switch between.
SEED_TABLES: dict[tuple[str, str], list[list[object]]] = {
    ("default", "sales"): [
        ["region", "units", "price"],
        ["north", 3, 9.5],
        ["south", 5, 4.25],
        ["east", 2, 7.0],
        ["west", 8, 1.5],
    ],
    ("default", "customers"): [
        ["id", "name", "country", "signup"],
        *[[i, f"customer {i}", "FR" if i % 2 else "DE", f"2026-01-{i + 1:02d}"] for i in range(12)],
    ],
    ("churn", "events"): [["user", "event"], [1, "login"], [2, "logout"], [1, "purchase"]],
}


def seed_catalog(home: Path, files: Path) -> list[SeededDataset]:
    """Import SEED_TABLES as CSV uploads through the public Python API, waiting for each."""
    import dataplane_jupyter as dp

    catalog = dp.Catalog(home=home)
    seeded = []
    for (project, name), table in SEED_TABLES.items():
        csv = files / f"{project}-{name}.csv"
        csv.write_text("\n".join(",".join(str(cell) for cell in row) for row in table) + "\n")
        catalog.project(project).datasets.import_file(csv, name=name).wait(timeout=120)
        seeded.append(SeededDataset(project, name, rows=len(table) - 1, columns=len(table[0])))
    return seeded


@dataclass
class LabServer:
    """A running JupyterLab: where to reach it and where it logs."""

    url: str
    token: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def lab_url(self, path: str = "lab") -> str:
        """URL of a page, with the token that logs the browser in."""
        return f"{self.url}{path}?token={self.token}"

    def log_tail(self, chars: int = 6000) -> str:
        """The end of the server's log, for failure messages."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-chars:]


@contextmanager
def run_lab(root: Path, dataplane_home: Path, *, server_extension: bool,
            env: dict[str, str] | None = None) -> Iterator[LabServer]:
    """JupyterLab on 127.0.0.1 with token auth, stopped on exit. A server that cannot start
    fails the test with its log. `env`: more settings of the server (e.g. shared mode)."""
    if not (BUILT_LABEXTENSION / "static" / "style.js").exists():
        pytest.fail(
            f"The labextension is not built ({BUILT_LABEXTENSION} has no static/style.js): "
            "run `pip install .` or `cd labextension && npm install && npm run build:prod`."
        )
    dirs = _isolated_dirs(root, server_extension)
    token = secrets.token_hex(16)
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"jupyterlab-{root.name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            _lab_command(dirs, port, token),
            cwd=dirs["notebooks"],
            env={**_server_env(dirs, dataplane_home), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LabServer(f"http://127.0.0.1:{port}/", token, log_path, process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(process)


@contextmanager
def open_lab(browser: Any, server: LabServer, artifacts_dir: Path, name: str) -> Iterator[Any]:
    """A page in a fresh browser context with JupyterLab started and restored, in a workspace
    named after `name` (so with JupyterLab's default layout).

    The page's uncaught errors collect in `page.page_errors`. If JupyterLab does not start, the
    test fails with a screenshot, the page errors and the server log.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.page_errors = errors
        # A workspace of its own: the layout another test left (say, the data sidebar open)
        # is not restored, so that clicking a sidebar tab opens it rather than closing it.
        workspace = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:80] or "test"
        page.goto(server.lab_url(f"lab/workspaces/{workspace}"), wait_until="domcontentloaded")
        try:
            page.wait_for_function(
                "() => window.jupyterapp !== undefined", timeout=APP_START_TIMEOUT_MS
            )
            page.evaluate("() => window.jupyterapp.started.then(() => true)")
            page.evaluate("() => window.jupyterapp.restored.then(() => true)")
        except Exception as error:  # noqa: BLE001 - reported below with what explains it
            page.screenshot(path=str(artifacts_dir / f"{name}-startup.png"))
            pytest.fail(
                f"JupyterLab did not start in the browser: {error}\n"
                f"page errors: {errors}\nserver log:\n{server.log_tail()}"
            )
        yield page
    finally:
        context.close()


@contextmanager
def lab_over_home(tmp_path_factory: pytest.TempPathFactory, name: str,
                  seed: Callable[[Path, Path], object] | None = None, *, root: Path | None = None,
                  env: dict[str, str] | None = None) -> Iterator[LabServer]:
    """JupyterLab with the server extension over a fresh data home of its own, `name`-home,
    which `seed(home, files)` fills first (`files`: a fresh folder for its input files).
    `root`: the server's root folder (by default a fresh `name`-lab); `env`: as in `run_lab`."""
    home = tmp_path_factory.mktemp(f"{name}-home")
    if seed is not None:
        seed(home, tmp_path_factory.mktemp(f"{name}-files"))
    root = root or tmp_path_factory.mktemp(f"{name}-lab")
    with run_lab(root, home, server_extension=True, env=env) as server:
        yield server


@contextmanager
def page_for_test(request: pytest.FixtureRequest, browser: Any, server: LabServer, artifacts_dir: Path,
                  timeout_ms: float | None = None) -> Iterator[Any]:
    """`open_lab` for the test `request` runs, keeping a screenshot when the test fails.

    `timeout_ms`: how long the page's actions and `expect` wait (a loaded machine is slow); the
    latter is Playwright's process-wide setting, so it holds for the tests after it too."""
    from playwright.sync_api import expect

    with open_lab(browser, server, artifacts_dir, request.node.name) as page:
        if timeout_ms is not None:
            page.set_default_timeout(timeout_ms)
            expect.set_options(timeout=timeout_ms)
        yield page
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            page.screenshot(path=str(artifacts_dir / f"{request.node.name}-failed.png"))


def lab_fixtures(name: str, seed: Callable[[Path, Path], object] | None = None, *,
                 timeout_ms: float | None = None, env: dict[str, str] | None = None,
                 root_fixture: str | None = None) -> tuple[Any, Any]:
    """The two fixtures of a test module that runs a JupyterLab of its own: `<name>_lab` (dashes
    as underscores), the server over a fresh data home filled by `seed` (see `lab_over_home`),
    for the whole module; and `page`, JupyterLab open in it for one test (see `page_for_test`).
    `root_fixture`: the name of a fixture giving the server's root folder.

    Assign both at module level: `example_lab, page = lab_fixtures("example", seed_example)`."""
    server_fixture = f"{name.replace('-', '_')}_lab"

    @pytest.fixture(scope="module", name=server_fixture)
    def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
        root = request.getfixturevalue(root_fixture) if root_fixture else None
        with lab_over_home(tmp_path_factory, name, seed, root=root, env=env) as lab:
            yield lab

    @pytest.fixture(name="page")
    def page(request: pytest.FixtureRequest, browser: Any, artifacts_dir: Path) -> Iterator[Any]:
        lab = request.getfixturevalue(server_fixture)
        with page_for_test(request, browser, lab, artifacts_dir, timeout_ms) as lab_page:
            yield lab_page

    return server, page


def api(server: LabServer, path: str, method: str = "GET") -> Any:
    """Call the server's REST API (`dataplane/api/v1/<path>`) with its token, not through the
    page; a POST sends an empty JSON object. The decoded JSON answer."""
    request = urllib.request.Request(
        f"{server.url}dataplane/api/v1/{path}",
        method=method,
        data=b"{}" if method == "POST" else None,
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def ready_dialog(page: Any, selector: str = ".jp-Dialog") -> Any:
    """The open dialog, once it has taken the keyboard focus.

    JupyterLab's Dialog moves the focus to its first input only after its body has rendered;
    typing before that can land in the wrong field (a `fill` of one input went into another
    on a busy machine), as it would for a person typing that fast."""
    dialog = page.locator(selector)
    dialog.wait_for()
    page.wait_for_function(
        "selector => { const d = document.querySelector(selector); return !!d && d.contains(document.activeElement); }",
        arg=selector,
    )
    return dialog


def _lab_command(dirs: dict[str, Path], port: int, token: str) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={dirs['notebooks']}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={dirs['settings']}",
        f"--LabApp.workspaces_dir={dirs['workspaces']}",
        f"--LabApp.extra_labextensions_path={dirs['labextensions']}",
        "--LabApp.news_url=None",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def _isolated_dirs(root: Path, server_extension: bool) -> dict[str, Path]:
    names = ["config", "data", "runtime", "settings", "workspaces", "notebooks", "labextensions"]
    dirs = {name: root / name for name in names}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    # The user config dir wins over the copy installed into etc/jupyter by the wheel.
    server_config = {"ServerApp": {"jpserver_extensions": {"dataplane_jupyter": server_extension}}}
    (dirs["config"] / "jupyter_server_config.json").write_text(json.dumps(server_config))
    (dirs["labextensions"] / LABEXTENSION_NAME).symlink_to(BUILT_LABEXTENSION)
    # The news toast covers the sidebar; `news_url=None` alone does not turn it off.
    settings = dirs["settings"] / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    return dirs


def _server_env(dirs: dict[str, Path], dataplane_home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER_", "JPY_")) and key != "DATAPLANE_HOME"
    }
    pythonpath = [str(REPO_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env.update(
        {
            "DATAPLANE_HOME": str(dataplane_home),
            "JUPYTER_CONFIG_DIR": str(dirs["config"]),
            "JUPYTER_DATA_DIR": str(dirs["data"]),
            "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
            "PYTHONPATH": os.pathsep.join(pythonpath),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(server: LabServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    request = urllib.request.Request(
        f"{server.url}api/status", headers={"Authorization": f"token {server.token}"}
    )
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with code {server.process.returncode} before it was up.\n"
                f"server log:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(
        f"JupyterLab did not answer on {server.url} within {SERVER_START_TIMEOUT:.0f} s.\n"
        f"server log:\n{server.log_tail()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
