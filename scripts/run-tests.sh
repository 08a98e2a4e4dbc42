#!/usr/bin/env bash
# The whole suite: the frontend's unit tests (vitest), everything but the browser tests, then the
# browser tests in their own pytest run (pytest-jupyter's event-loop fixtures clash with sync
# Playwright, see TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
mkdir -p test-artifacts
# `pip install .` installs them through the build hook, unless the labextension was already built;
# `npm ls` also notices node_modules older than package.json (after a pull).
if ! (cd labextension && npm ls --depth=0 >/dev/null 2>&1); then
  (cd labextension && npm ci)
fi
(cd labextension && npm test)
"$PY" -m pytest -m "not browser" "$@"
"$PY" -m pytest -m browser tests/browser "$@"
