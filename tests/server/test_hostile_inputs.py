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


async def test_twenty_parallel_creates_of_one_name_get_one_201_and_clean_409s(api, isolated_home):
    async def burst(method: str, path: str, body=None, params=None, raw=None) -> list[tuple[int, dict]]:
        return await asyncio.gather(*(api(method, path, body, params=params, raw=raw) for _ in range(20)))

    for attempt in range(3):  # the race is lost at random: give it several chances to show
        answers = await burst("POST", "projects", {"name": f"p{attempt}"})
        assert sorted(code for code, _ in answers) == [201] + [409] * 19, answers
        assert {body["message"] for code, body in answers if code == 409} == {f"A project named 'p{attempt}' already exists."}

        fields = {"dialect": "sqlite", "database": str(isolated_home / "x.db")}
        answers = await burst("POST", f"projects/p{attempt}/connectors", {"name": "c", "kind": "sql", "fields": fields})
        assert sorted(code for code, _ in answers) == [201] + [409] * 19, answers
        assert all(body["field"] == "name" for code, body in answers if code == 409)

        answers = await burst("POST", f"projects/p{attempt}/datasets/upload", raw=b"a\n1\n",
                              params={"filename": "same.csv"})
        assert sorted(code for code, _ in answers) == [202] + [409] * 19, answers


@pytest.mark.parametrize("name", [".", "..", " .. "])
async def test_dot_names_are_refused_everywhere(api, name):
    code, body = await api("POST", "projects", {"name": name})
    assert (code, body["field"]) == (422, "name") and "'.' and '..'" in body["message"]
    await api("POST", "projects", {"name": "p"})
    code, body = await api("POST", "projects/p/datasets/upload", raw=b"a\n1\n", params={"filename": "x.csv", "name": name})
    assert (code, body["field"]) == (422, "name")
