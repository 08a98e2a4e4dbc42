"""Upload (streamed), statistics, sample and download over REST."""

from __future__ import annotations

import asyncio
import io

import pandas as pd
import pytest

from .rest import wait_ready


@pytest.mark.team
async def test_upload_statistics_sample_and_download(api, isolated_home):
    await api("POST", "projects", {"name": "p"})
    content = "city,price\nParis,1.5\nLyon,2.5\nNice,3.5\n".encode()
    code, body = await api("POST", "projects/p/datasets/upload", raw=content, params={"filename": "cities.csv"})
    assert code == 202 and body["name"] == "cities" and body["status"] == "copying"
    ready = await wait_ready(api, "p", body["id"])
    assert (ready["status"], ready["rows"], ready["columns"]) == ("ready", 3, 2)
    for _ in range(100):  # the job removes it as it ends, just after the dataset is ready
        if not list((isolated_home / "uploads").iterdir()):
            break
        await asyncio.sleep(0.05)
    assert not list((isolated_home / "uploads").iterdir())  # the staged upload is gone

    code, stats = await api("GET", f"projects/p/datasets/{body['id']}/statistics")
    assert code == 200 and stats["summary"]["rows"] == 3
    code, column = await api("GET", f"projects/p/datasets/{body['id']}/columns/price")
    assert column["mean"] == 2.5
    assert (await api("GET", f"projects/p/datasets/{body['id']}/columns/nope"))[0] == 404
    code, sample = await api("GET", f"projects/p/datasets/{body['id']}/sample", params={"n": "2"})
    assert sample == {"columns": ["city", "price"], "data": [["Paris", 1.5], ["Lyon", 2.5]]}
    code, csv_text = await api("GET", f"projects/p/datasets/{body['id']}/download")
    assert code == 200 and pd.read_csv(io.StringIO(csv_text))["price"].tolist() == [1.5, 2.5, 3.5]


async def test_a_bytes_column_is_sampled_and_described_as_sizes(api, catalog):
    await api("POST", "projects", {"name": "p"})
    frame = pd.DataFrame({"id": [1, 2], "raw": [b"\xff\x00", b"abc"]})
    catalog.project("p").datasets.from_pandas(frame, name="b").wait(timeout=60)
    code, sample = await api("GET", "projects/p/datasets/b/sample", params={"n": "2"})
    assert (code, sample["data"]) == (200, [[1, "<2 bytes>"], [2, "<3 bytes>"]])
    code, column = await api("GET", "projects/p/datasets/b/columns/raw")
    assert (column["type"], column["byte_length"]["max"]) == ("binary", 3)


async def test_upload_errors(api, isolated_home):
    await api("POST", "projects", {"name": "p"})
    code, body = await api("POST", "projects/p/datasets/upload", raw=b"a,b\n1,2\n")
    assert code == 422 and body["field"] == "filename"
    code, body = await api("POST", "projects/p/datasets/upload", raw=b"", params={"filename": "empty.csv"})
    assert code == 202
    failed = await wait_ready(api, "p", body["id"])
    assert failed["status"] == "failed" and failed["error"].startswith("empty.csv")
    code, _ = await api("GET", f"projects/p/datasets/{body['id']}/statistics")
    assert code == 409
    assert len(list((isolated_home / "uploads").iterdir())) == 1  # kept for a retry
    assert (await api("DELETE", f"projects/p/datasets/{body['id']}"))[0] == 204
    assert not list((isolated_home / "uploads").iterdir())


@pytest.mark.team
async def test_rejected_rows_over_rest_and_strict_upload(api, isolated_home):
    await api("POST", "projects", {"name": "p"})
    content = ("a,b,c\n1,2,3\n" + "4,5,6\n" * 20 + '7,8,9,"x\ny",10\n').encode()
    code, body = await api("POST", "projects/p/datasets/upload", raw=content, params={"filename": "rag.csv"})
    ready = await wait_ready(api, "p", body["id"])
    assert (ready["status"], ready["rows"], ready["source"]["rejected_rows"]) == ("ready", 21, 1)
    assert "1 row set aside: lines 23 (5 fields, expected 3); see the rejected rows" in [
        w["message"] for w in ready["warnings"]]
    code, page = await api("GET", f"projects/p/datasets/{body['id']}/rejected-rows")
    assert code == 200
    assert page == {"rows": [{"line": 23, "raw": '7,8,9,"x\ny",10', "reason": "5 fields, expected 3"}],
                    "total": 1, "offset": 0}
    code, text = await api("GET", f"projects/p/datasets/{body['id']}/rejected-rows/download")
    assert code == 200 and pd.read_csv(io.StringIO(text)).to_dict("records") == [
        {"line": 23, "raw": '7,8,9,"x\ny",10', "reason": "5 fields, expected 3"}]
    code, _ = await api("GET", f"projects/p/datasets/{body['id']}/rejected-rows", params={"limit": "0"})
    assert code == 422

    code, body = await api("POST", "projects/p/datasets/upload", raw=content,
                           params={"filename": "rag.csv", "name": "strict", "on_bad_rows": "error"})
    failed = await wait_ready(api, "p", body["id"])
    assert failed["status"] == "failed" and failed["error"] == (
        "rag.csv: line 23 has 5 fields, expected 3. To import the file with such rows repaired or set aside: "
        'on_bad_rows="repair"')
    # the suggestion as data, for each surface to word its own way
    assert failed["hints"] == [{"option": "on_bad_rows", "value": "repair", "text": 'on_bad_rows="repair"'}]
