#!/usr/bin/env bash
# Regenerate labextension/src/schema.ts (TypeScript types of the REST API) from the OpenAPI
# document the server builds from its routes and pydantic models. Run after changing either;
# tests/server/test_ts_types.py fails while the committed file is stale.
# Usage: scripts/gen-api-types.sh [OUTPUT] (default labextension/src/schema.ts; a relative OUTPUT
# is taken from the current directory).
set -euo pipefail
OUT=$(realpath -m "${1:-$(dirname "$0")/../labextension/src/schema.ts}")
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
doc=$(mktemp --suffix=.json)
trap 'rm -f "$doc"' EXIT
"$PY" -c 'import json, sys; from dataplane_jupyter.server.openapi import openapi_document; json.dump(openapi_document(), sys.stdout, indent=1, sort_keys=True)' >"$doc"
(cd labextension && npx --no-install openapi-typescript "$doc" --root-types --root-types-no-schema-prefix -o "$OUT" >/dev/null)
