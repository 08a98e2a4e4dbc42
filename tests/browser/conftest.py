"""Session fixtures: a seeded data home, real JupyterLab servers, headless Chromium.

Run these tests in their own pytest invocation (`pytest -m browser tests/browser`): sync
Playwright and pytest-jupyter's event-loop fixtures do not mix.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .lab import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    LabServer,
    SeededDataset,
    page_for_test,
    run_lab,
    seed_catalog,
)


# pytest-jupyter's autouse loop fixtures (when another conftest loads the plugin) close an
# event loop that sync Playwright keeps running: replace them with no-ops here.
@pytest.fixture
def jp_asyncio_loop() -> Iterator[None]:
    yield None


@pytest.fixture
def jp_server_cleanup() -> Iterator[None]:
    yield None


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots and server logs go (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def dataplane_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh data home shared by the seeding code and the JupyterLab servers."""
    return tmp_path_factory.mktemp("dataplane-home")


@pytest.fixture(scope="session")
def seeded(dataplane_home: Path, tmp_path_factory: pytest.TempPathFactory) -> list[SeededDataset]:
    """Projects and datasets written into the data home before JupyterLab starts."""
    return seed_catalog(dataplane_home, tmp_path_factory.mktemp("seed-files"))


@pytest.fixture(scope="session")
def lab_server(
    tmp_path_factory: pytest.TempPathFactory, dataplane_home: Path, seeded: list[SeededDataset]
) -> Iterator[LabServer]:
    """JupyterLab with the dataplane server extension, over the seeded data home."""
    with run_lab(tmp_path_factory.mktemp("lab"), dataplane_home, server_extension=True) as server:
        yield server


@pytest.fixture(scope="session")
def lab_server_without_extension(
    tmp_path_factory: pytest.TempPathFactory, dataplane_home: Path
) -> Iterator[LabServer]:
    """JupyterLab with the labextension but the server extension turned off."""
    root = tmp_path_factory.mktemp("lab-no-server-ext")
    with run_lab(root, dataplane_home, server_extension=False) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by PyPI Playwright (never Playwright's own download)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: install the apt package `chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def lab_page(
    request: pytest.FixtureRequest, browser: Any, lab_server: LabServer, artifacts_dir: Path
) -> Iterator[Any]:
    """JupyterLab (with the server extension) open in a fresh context; a screenshot is kept
    when the test fails."""
    with page_for_test(request, browser, lab_server, artifacts_dir) as page:
        yield page


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test item, so fixtures can tell a failure at teardown."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
