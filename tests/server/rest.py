"""Calling the REST API of the jupyter_server the tests start (pytest-jupyter's `jp_fetch`), and
waiting for the records it answers with to end their job."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

IMPORT_ENDS = ("ready", "failed")
RUN_ENDS = ("succeeded", "failed", "cancelled")


async def call(jp_fetch: Any, method: str, path: str, body: Any = None, params: Any = None,
               raw: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """`method` on `dataplane/api/v1/<path>` → (status, decoded JSON or text); never raises on 4xx.
    `body` is sent as JSON, `raw` as it is; POST, PATCH and PUT send an empty body otherwise."""
    kwargs: dict[str, Any] = {"method": method, "raise_error": False}
    if headers is not None:
        kwargs["headers"] = headers
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


async def wait_status(api: Callable[..., Awaitable[tuple[int, Any]]], path: str, ends: tuple[str, ...],
                      tries: int = 600) -> dict[str, Any]:
    """GET `path` every 0.1 s (at most `tries` times) until its "status" is one of `ends`; its
    body then."""
    for _ in range(tries):
        code, body = await api("GET", path)
        assert code == 200, body
        if body["status"] in ends:
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"{path} still {body['status']}")


async def wait_ready(api: Callable[..., Awaitable[tuple[int, Any]]], project: str, dataset: str) -> dict[str, Any]:
    """The dataset once its import has ended (ready or failed)."""
    return await wait_status(api, f"projects/{project}/datasets/{dataset}", IMPORT_ENDS)
