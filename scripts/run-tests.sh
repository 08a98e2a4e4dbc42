#!/usr/bin/env bash
# The whole suite: the frontend's unit tests (vitest), everything but the browser tests, then the
# browser tests in their own pytest run (pytest-jupyter's event-loop fixtures clash with sync
# Playwright, see TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
mkdir -p test-artifacts
# `pip install .` installs them through the build hook, unless the labextension was already built.
if [ ! -d labextension/node_modules ]; then
  (cd labextension && npm ci)
fi
(cd labextension && npm test)
"$PY" -m pytest -m "not browser" "$@"
"$PY" -m pytest -m browser tests/browser "$@"
