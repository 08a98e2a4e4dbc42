"""A real jupyter_server with the extension enabled and authentication on."""

from __future__ import annotations

from typing import Any

import pytest

from . import rest


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
        return await rest.call(jp_fetch, method, path, body, params, raw)

    return call
