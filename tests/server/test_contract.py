"""Every route is authenticated and described in the OpenAPI document, which matches them."""

from __future__ import annotations

import json
import re

import pytest
from tornado.httpclient import HTTPClientError

from dataplane_jupyter.server.openapi import METHODS, operations
from dataplane_jupyter.server.routes import API, ROUTES


def registered_dataplane_routes(jp_serverapp):
    found = []
    for rule in jp_serverapp.web_app.default_router.rules:
        for inner in getattr(rule.target, "rules", []):
            pattern = inner.matcher.regex.pattern
            if "/dataplane/" in pattern:
                found.append((pattern, inner.target))
    return found


def example_path(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>\[\^/\]\+\)", "x", pattern).rstrip("$")


async def test_every_registered_route_refuses_an_unauthenticated_request(jp_serverapp, http_server_client):
    routes = registered_dataplane_routes(jp_serverapp)
    assert len(routes) == len(ROUTES)
    checked = 0
    for pattern, handler in routes:
        for method in operations(handler):
            url = example_path(pattern)
            for headers in ({}, {"Authorization": "token wrong-token"}):
                with pytest.raises(HTTPClientError) as error:
                    await http_server_client.fetch(
                        url, method=method.upper(), headers=headers,
                        body=b"" if method in ("post", "patch", "put") else None,
                    )
                assert error.value.code == 403, (method, url, headers)
            checked += 1
    assert checked >= len(ROUTES)


async def test_openapi_document_matches_the_routes(jp_fetch, jp_serverapp):
    response = await jp_fetch("dataplane", "api", "v1", "openapi.json")
    served = json.loads(response.body)
    assert served["openapi"].startswith("3.")
    registered = {}
    for pattern, handler in registered_dataplane_routes(jp_serverapp):
        path = re.sub(r"\(\?P<(\w+)>\[\^/\]\+\)", r"{\1}", pattern.rstrip("$"))
        registered[path[path.index(API):]] = handler
    assert set(served["paths"]) == set(registered)
    for path, methods in served["paths"].items():
        handler = registered[path]
        own = {m for m in METHODS if m in vars(handler)}
        assert set(methods) == own, path
        for method, spec in methods.items():
            assert spec["summary"], (path, method)
            assert {p["name"] for p in spec["parameters"] if p["in"] == "path"} == set(re.findall(r"\{(\w+)\}", path))
    assert served["components"]["schemas"]["DescribeDataset"]["properties"]["status"]


def test_handlers_define_no_undocumented_method():
    for _, handler in ROUTES:
        defined = {m for m in METHODS if m in vars(handler)}
        assert defined == set(operations(handler)), handler.__name__
