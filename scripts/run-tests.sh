#!/usr/bin/env bash
# The whole suite: everything but the browser tests, then the browser tests in their own pytest
# run (pytest-jupyter's event-loop fixtures clash with sync Playwright, see TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
mkdir -p test-artifacts
"$PY" -m pytest -m "not browser" "$@"
"$PY" -m pytest -m browser tests/browser "$@"
