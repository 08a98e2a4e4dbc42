"""Retry of a failed upload over REST, replace-on-upload, and what the OpenAPI says of upload."""

from __future__ import annotations

from tests.server.rest import wait_ready

LATIN1 = "city;population\nZürich;421878\nGenève;203856\n".encode("cp1252")


async def failed_upload(api) -> dict:
    await api("POST", "projects", {"name": "p"})
    code, body = await api("POST", "projects/p/datasets/upload", raw=LATIN1,
                           params={"filename": "cities.csv", "encoding": "utf-8", "separator": ","})
    assert code == 202
    failed = await wait_ready(api, "p", body["id"])
    assert failed["status"] == "failed"
    return failed


async def test_a_failed_upload_is_retried_with_other_options(api, isolated_home):
    failed = await failed_upload(api)
    code, options = await api("GET", "projects/p/datasets/cities/retry")
    assert code == 200
    assert options == {"separator": ",", "decimal": None, "encoding": "utf-8", "quotechar": None, "header": None,
                       "escapechar": None, "skip_lines": None, "header_rows": None,
                       "on_bad_rows": "repair"}
    code, body = await api("POST", "projects/p/datasets/cities/retry", {"encoding": "cp1252", "separator": ";"})
    assert code == 202 and body["id"] == failed["id"] and body["status"] == "copying"
    ready = await wait_ready(api, "p", "cities")
    assert (ready["status"], ready["rows"], ready["columns"]) == ("ready", 2, 2)
    code, body = await api("POST", "projects/p/datasets/cities/retry", {"encoding": "cp1252"})
    assert code == 409 and "only a failed import" in body["message"]
    assert not list((isolated_home / "uploads").iterdir())


async def test_retry_refuses_unknown_options_naming_them(api):
    await failed_upload(api)
    code, body = await api("POST", "projects/p/datasets/cities/retry", {"delimiter": ";"})
    assert code == 422 and body["field"] == "delimiter"
    code, body = await api("POST", "projects/p/datasets/missing/retry", {})
    assert code == 404


async def test_an_upload_with_replace_takes_the_name_of_a_failed_dataset(api):
    failed = await failed_upload(api)
    code, body = await api("POST", "projects/p/datasets/upload", raw=b"a,b\n1,2\n", params={"filename": "cities.csv"})
    assert code == 409 and "already has a dataset named 'cities'" in body["message"]
    code, body = await api("POST", "projects/p/datasets/upload", raw=b"a,b\n1,2\n",
                           params={"filename": "cities.csv", "replace": "true"})
    assert code == 202 and body["id"] != failed["id"] and body["name"] == "cities"
    assert (await wait_ready(api, "p", "cities"))["rows"] == 1
    code, body = await api("GET", "projects/p/datasets")
    assert [d["name"] for d in body["datasets"]] == ["cities"]


async def test_the_openapi_document_says_upload_needs_a_filename(api):
    code, document = await api("GET", "openapi.json")
    for path in ("/dataplane/api/v1/projects/{project}/datasets/upload",
                 "/dataplane/api/v1/projects/{project}/image-folders/upload"):
        parameters = {p["name"]: p for p in document["paths"][path]["post"]["parameters"]}
        assert parameters["filename"]["required"] is True
        assert "(required)" not in parameters["filename"]["description"]
        assert "422" in parameters["filename"]["description"]
        assert parameters["name"]["required"] is False
    await api("POST", "projects", {"name": "p"})
    code, body = await api("POST", "projects/p/datasets/upload", raw=b"a\n1\n")
    assert code == 422 and body["field"] == "filename"
    retry = document["paths"]["/dataplane/api/v1/projects/{project}/datasets/{dataset}/retry"]
    assert set(retry) == {"get", "post"}
    assert retry["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/RetryImport")


async def test_connector_kinds_put_sql_first_with_a_dialect_dropdown_marking_drivers(api):
    code, body = await api("GET", "connector-kinds")
    assert code == 200 and body["kinds"][0]["kind"] == "sql"
    dialect = next(f for f in body["kinds"][0]["fields"] if f["name"] == "dialect")
    labels = {choice["value"]: choice["label"] for choice in dialect["choices"]}
    assert list(labels)[:4] == ["postgresql", "mysql", "mariadb", "sqlite"]
    assert labels["postgresql"] == "PostgreSQL (installed)"  # psycopg is a test dependency
    assert labels["sqlite"] == "SQLite (installed)"
    assert all(" (" in label for label in labels.values())
    host = next(f for f in body["kinds"][0]["fields"] if f["name"] == "host")
    assert host["choices"] == []


async def test_an_upload_takes_every_option_that_a_retry_takes(api):
    await api("POST", "projects", {"name": "p"})
    groups = (",Revenue,\nregion,q1,q2\n" + "".join(f"r{i},{i}.5,{i}\n" for i in range(10))).encode()
    code, body = await api("POST", "projects/p/datasets/upload", raw=groups,
                           params={"filename": "groups.csv", "header_rows": "1"})
    assert code == 202
    ready = await wait_ready(api, "p", "groups")
    assert (ready["status"], ready["rows"]) == ("ready", 11)
    code, sample = await api("GET", "projects/p/datasets/groups/sample", params={"n": "1"})
    assert sample["columns"] == ["column_1", "Revenue", "column_3"]
    preamble = b"Exported 2026-12-04\n'a'|'b'\n'x\\'y'|1\n'z'|2\n"
    code, body = await api("POST", "projects/p/datasets/upload", raw=preamble,
                           params={"filename": "pre.csv", "skip_lines": "1", "separator": "|", "quotechar": "'",
                                   "escapechar": "\\", "header": "false"})
    assert code == 202
    ready = await wait_ready(api, "p", "pre")
    assert (ready["status"], ready["rows"], ready["columns"]) == ("ready", 3, 2)
    code, sample = await api("GET", "projects/p/datasets/pre/sample", params={"n": "3"})
    assert sample["data"][1][0] == "x'y"
    code, body = await api("POST", "projects/p/datasets/upload", raw=groups,
                           params={"filename": "bad.csv", "header_rows": "9"})
    assert code == 422 and body["field"] == "header_rows"
    code, document = await api("GET", "openapi.json")
    parameters = {p["name"] for p in document["paths"]["/dataplane/api/v1/projects/{project}/datasets/upload"]["post"]
                  ["parameters"]}
    assert {"quotechar", "header", "escapechar", "skip_lines", "header_rows", "on_bad_rows"} <= parameters
