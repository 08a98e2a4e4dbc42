#!/usr/bin/env bash
# The whole suite: ruff, mypy (core), eslint and tsc (labextension), the frontend's unit tests (vitest), everything but the browser tests, then the
# browser tests in their own pytest run (pytest-jupyter's event-loop fixtures clash with sync
# Playwright, see TOOLCHAIN.md), then the team profile: the tests marked `team` again on a
# PostgreSQL catalog, S3 storage and a two-worker Dask cluster (docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
mkdir -p test-artifacts
# `pip install .` installs them through the build hook, unless the labextension was already built;
# `npm ls` also notices node_modules older than package.json (after a pull).
if ! (cd labextension && npm ls --depth=0 >/dev/null 2>&1); then
  (cd labextension && npm ci)
fi
# Lint and types first (config in pyproject.toml and labextension/eslint.config.mjs).
"$PY" -m ruff check dataplane_jupyter tests benchmarks scripts
"$PY" -m mypy
(cd labextension && npm run lint)
(cd labextension && npm test)
"$PY" -m pytest -m "not browser" "$@"
"$PY" -m pytest -m browser tests/browser "$@"
"$PY" -m pytest --profile team -m "not browser" "$@"
