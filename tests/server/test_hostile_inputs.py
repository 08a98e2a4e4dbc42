"""Hostile but realistic requests (issue 21): odd names, races, aborted uploads."""

from __future__ import annotations

import asyncio
import io
import re
from urllib.parse import unquote

import pandas as pd
import pytest


PARAMETER = re.compile(r';\s*([^=;\s]+)=("(?:[^"\\]|\\.)*"|[^;"]*)\s*')


def saved_name(header: str) -> str:
    """The file name a browser saves under: `filename*` wins over `filename` (RFC 6266)."""
    kind, _, rest = header.partition(";")
    params = dict(PARAMETER.findall(";" + rest))
    assert kind == "attachment" and PARAMETER.sub("", ";" + rest) == "", header
    assert set(params) == {"filename", "filename*"}, header  # no injected parameter
    assert params["filename"].isascii() and params["filename"].startswith('"')
    encoded = params["filename*"]
    assert encoded.startswith("UTF-8''")
    return unquote(encoded.removeprefix("UTF-8''"), encoding="utf-8", errors="strict")


@pytest.mark.parametrize(
    "name",
    ["ventes€", "图片", "\u200fمبيعات", 'x"; filename*=UTF-8\'\'evil.html; y="', "a;b%20c,d", "é" * 200],
)
async def test_download_of_any_accepted_name(jp_fetch, api, catalog, name):
    await api("POST", "projects", {"name": "p"})
    dataset = catalog.project("p").datasets.from_pandas(pd.DataFrame({"a": [1, 2]}), name=name).wait(timeout=60)
    response = await jp_fetch("dataplane", "api", "v1", "projects", "p", "datasets", dataset.id, "download",
                              raise_error=False)
    assert response.code == 200
    assert pd.read_csv(io.BytesIO(response.body))["a"].tolist() == [1, 2]
    saved = saved_name(response.headers["Content-Disposition"])
    assert saved.endswith(".csv") and len(saved) <= 150
    if len(name) < 100:
        assert saved == f"{name.replace(chr(0x200f), '')}.csv"
    assert "evil.html" not in saved.removeprefix(name)
