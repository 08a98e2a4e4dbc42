#!/usr/bin/env bash
# Creates the BigQuery emulator's own venv (pinned in requirements/bigquery-emulator.txt) for the
# connector tests. Idempotent: returns at once when the venv matches the pinned list.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${BQEMULATOR_VENV:-.venv/bqemulator}
REQS=requirements/bigquery-emulator.txt
stamp="$VENV/.requirements.sha256"
want=$(sha256sum "$REQS" | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    exit 0
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQS"
"$VENV/bin/python" -c "import bqemulator, duckdb, duckdb_extension_spatial, numpy"
echo "$want" > "$stamp"
