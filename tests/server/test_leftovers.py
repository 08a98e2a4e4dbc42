"""Leftovers (issue 21): what a killed worker or an aborted upload leaves is gone after a
restart of the server, and an abandoned upload is gone at once."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time

import pytest

from dataplane_jupyter import Catalog


@pytest.fixture
def killed_worker(isolated_home):
    """A job whose worker (supervisor and child) was killed mid-work, with its scratch folder on
    disk, and an upload staged by a server that was killed: the state a crash leaves."""
    catalog = Catalog(isolated_home, executor="process")
    project = catalog.project("p")
    job = catalog.jobs.start("t", "tests.core.job_functions:spill", project_id=project.id)
    deadline = time.monotonic() + 60
    while not (current := catalog.jobs.get(job.id)).message.startswith("spilled into"):
        assert time.monotonic() < deadline, "worker never spilled"
        time.sleep(0.05)
    os.kill(current.worker_pid, signal.SIGKILL)
    spilled = current.message.removeprefix("spilled into ")
    deadline = time.monotonic() + 30
    while any(p.info["cmdline"] and job.id in p.info["cmdline"] for p in __import__("psutil").process_iter(["cmdline"])):
        assert time.monotonic() < deadline, "the child outlived its supervisor"
        time.sleep(0.05)
    assert os.path.isdir(spilled) and spilled.startswith(str(isolated_home / "tmp" / job.id))
    staged = isolated_home / "uploads" / "0f3c9a.csv"
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_bytes(b"a,b\n" * 100_000)
    return job, spilled, staged


@pytest.fixture
def jp_server_config(jp_server_config, killed_worker):
    """The suite's server, started once the worker was killed."""
    return jp_server_config


async def test_a_restart_removes_what_a_killed_worker_and_upload_left(api, killed_worker, isolated_home):
    job, spilled, staged = killed_worker
    code, body = await api("GET", f"jobs/{job.id}")
    assert (code, body["status"]) == (200, "failed")
    assert not os.path.exists(spilled)
    assert not (isolated_home / "tmp" / job.id).exists()
    assert not staged.exists()


async def test_an_aborted_upload_leaves_no_file(jp_serverapp, jp_http_port, jp_base_url, jp_auth_header, api, isolated_home):
    await api("POST", "projects", {"name": "p"})
    uploads = isolated_home / "uploads"
    path = f"{jp_base_url.rstrip('/')}/dataplane/api/v1/projects/p/datasets/upload?filename=big.csv"
    client = socket.create_connection(("127.0.0.1", jp_http_port))
    headers = "".join(f"{k}: {v}\r\n" for k, v in jp_auth_header.items())
    client.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: {64 << 20}\r\n\r\n".encode())
    client.sendall(b"a,b\n" + b"1,2\n" * (1 << 18))  # 1 MiB of 64, then the browser gives up
    for _ in range(600):
        if uploads.is_dir() and any(p.stat().st_size > 0 for p in uploads.iterdir()):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the upload never reached the staging folder")
    client.close()
    for _ in range(600):
        if not any(uploads.iterdir()):
            break
        await asyncio.sleep(0.05)
    assert list(uploads.iterdir()) == []
    code, body = await api("GET", "projects/p/datasets")
    assert body["datasets"] == []


async def test_a_300_character_file_name_uploads(api, isolated_home):
    await api("POST", "projects", {"name": "p"})
    filename = "v" * 296 + ".csv"
    code, body = await api("POST", "projects/p/datasets/upload", raw=b"a,b\n1,2\n", params={"filename": filename})
    assert code == 202, body
    assert body["name"] == "v" * 200 and body["source"]["file"] == filename
    for _ in range(600):
        code, body = await api("GET", f"projects/p/datasets/{body['id']}")
        if body["status"] == "ready":
            break
        await asyncio.sleep(0.1)
    assert (body["status"], body["rows"]) == ("ready", 1)
    assert list((isolated_home / "uploads").iterdir()) == []
