"""Connectors and datasources over REST; no response, log or stored byte holds a secret."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

PASSWORD = "Rest-Plaintext-Password-42"


async def test_connector_and_datasource_roundtrip_without_leaking_the_secret(api, isolated_home, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "src.db"
    with sqlite3.connect(db) as con:
        con.execute("create table t (a integer, b text)")
        con.executemany("insert into t values (?, ?)", [(i, f"v{i % 4}") for i in range(500)])
    responses = []

    async def call(*args, **kwargs):
        code, body = await api(*args, **kwargs)
        responses.append(str(body))
        return code, body

    await call("POST", "projects", {"name": "p"})
    code, kinds = await call("GET", "connector-kinds")
    assert code == 200 and {k["kind"] for k in kinds["kinds"]} >= {"sql", "ftp", "sftp", "s3", "gcp"}
    sql_fields = next(k for k in kinds["kinds"] if k["kind"] == "sql")["fields"]
    assert any(f["name"] == "password" and f["secret"] for f in sql_fields)

    fields = {"dialect": "postgresql", "host": "127.0.0.1", "port": 1, "username": "u", "password": PASSWORD, "database": "d"}
    code, tested = await call("POST", "projects/p/connectors/test", {"name": "pg", "kind": "sql", "fields": fields})
    assert code == 200 and tested["ok"] is False and "refused" in tested["message"]
    code, created = await call("POST", "projects/p/connectors", {"name": "pg", "kind": "sql", "fields": fields})
    assert code == 201 and created["secrets_set"] == ["password"] and "password" not in created["config"]
    code, edited = await call("PATCH", "projects/p/connectors/pg", {"fields": {"port": 2}})
    assert code == 200 and edited["config"]["port"] == 2 and edited["secrets_set"] == ["password"]
    assert (await call("POST", "projects/p/connectors/pg/test"))[1]["ok"] is False
    await call("GET", "projects/p/connectors")

    code, lite = await call("POST", "projects/p/connectors", {"name": "lite", "kind": "sql", "fields": {"dialect": "sqlite", "database": str(db)}})
    assert code == 201
    code, preview = await call("POST", "projects/p/datasources/test", {"name": "s", "connector": "lite", "locator": {"table": "t"}})
    assert preview["ok"] and preview["rows"][0] == [0, "v0"]
    code, source = await call("POST", "projects/p/datasources", {"name": "s", "connector": "lite", "locator": {"table": "t"}})
    assert code == 201 and source["connector"] == "lite" and source["kind"] == "sql"
    code, body = await call("DELETE", "projects/p/connectors/lite")
    assert code == 409 and body["message"].startswith("Connector 'lite' is used by datasource 's'")
    code, dataset = await call("POST", "projects/p/datasets/from-datasource", {"datasource": "s", "name": "snap"})
    assert code == 202 and dataset["status"] == "copying" and dataset["origin"] == "datasource"
    for _ in range(300):
        code, dataset = await call("GET", "projects/p/datasets/snap")
        if dataset["status"] in ("ready", "failed"):
            break
        await asyncio.sleep(0.1)
    assert dataset["status"] == "ready", dataset["error"]
    assert dataset["rows"] == 500

    everything = "\n".join(responses) + caplog.text
    stored = b"".join(p.read_bytes() for p in isolated_home.rglob("*") if p.is_file())
    assert PASSWORD not in everything
    assert PASSWORD.encode() not in stored
