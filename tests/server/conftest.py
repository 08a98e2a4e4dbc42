"""A real jupyter_server with the extension enabled and authentication on."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture
def jp_server_config(isolated_home):
    return {
        "ServerApp": {
            "jpserver_extensions": {"dataplane_jupyter": True},
            "allow_unauthenticated_access": False,
        },
        "DataplaneExtension": {"home": str(isolated_home)},
    }


@pytest.fixture
def api(jp_fetch):
    """`await api("GET", "projects")` → (status, json); never raises on 4xx."""

    async def call(method: str, path: str, body: Any = None, params: Any = None, raw: bytes | None = None):
        kwargs: dict[str, Any] = {"method": method, "raise_error": False}
        if body is not None:
            kwargs["body"] = json.dumps(body)
        elif raw is not None:
            kwargs["body"] = raw
        elif method in ("POST", "PATCH", "PUT"):
            kwargs["body"] = b""
        response = await jp_fetch("dataplane", "api", "v1", *path.split("/"), params=params, **kwargs)
        text = response.body.decode() if response.body else ""
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        return response.code, json.loads(text) if is_json and text else text

    return call
