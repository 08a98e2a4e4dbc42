"""Real servers for the connector tests, started once per session and only when a test needs them."""

from __future__ import annotations

import os
import socket

# Before any client library is imported: nothing may find real cloud credentials or leave 127.0.0.1.
for _name in list(os.environ):
    if _name.startswith(("AWS_", "GOOGLE_", "GCLOUD_", "CLOUDSDK_", "BOTO_")) or _name in ("GCE_METADATA_HOST",):
        del os.environ[_name]
os.environ.update({
    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true",
    "GCE_METADATA_HOST": "127.0.0.1:9", "GCE_METADATA_IP": "127.0.0.1:9", "NO_GCE_CHECK": "True",
    "GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT": "false", "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
})
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_name, None)

from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

from tests.servers import bigquery, ftp, gcs, google_token, mariadb, postgres, s3, sftp  # noqa: E402
from tests.servers._process import serve  # noqa: E402

LOCAL_NAMES = {"127.0.0.1", "localhost", "::1", None}
_outbound: list[str] = []
_real_getaddrinfo = socket.getaddrinfo


def _local_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    """Name resolution for the tests: `.invalid` names fail without asking DNS, other names are recorded."""
    name = host.decode() if isinstance(host, bytes) else host
    if isinstance(name, str) and name.endswith(".invalid"):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    if name not in LOCAL_NAMES:
        _outbound.append(str(name))
        raise socket.gaierror(socket.EAI_NONAME, f"tests may not resolve {name}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test of this folder that tried to reach a host other than 127.0.0.1."""
    monkeypatch.setattr(socket, "getaddrinfo", _local_getaddrinfo)
    _outbound.clear()
    yield
    assert not _outbound, f"the test tried to reach {sorted(set(_outbound))}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer]:
    yield from serve(postgres)


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[mariadb.MariaDBServer]:
    yield from serve(mariadb)


@pytest.fixture(scope="session")
def ftp_server() -> Iterator[ftp.FTPServer]:
    yield from serve(ftp)


@pytest.fixture(scope="session")
def sftp_server() -> Iterator[sftp.SFTPServer]:
    yield from serve(sftp)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[s3.S3Server]:
    yield from serve(s3)


@pytest.fixture(scope="session")
def gcs_server() -> Iterator[gcs.GCSServer]:
    yield from serve(gcs)


@pytest.fixture(scope="session")
def bigquery_server() -> Iterator[bigquery.BigQueryServer]:
    yield from serve(bigquery)


@pytest.fixture(scope="session")
def google_token_server() -> Iterator[google_token.TokenServer]:
    yield from serve(google_token)


@pytest.fixture
def unique(request: pytest.FixtureRequest) -> str:
    """A name no other test uses: lower case letters, digits and dashes, 3-40 characters."""
    import re
    import uuid

    stem = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:24]
    return f"{stem}-{uuid.uuid4().hex[:8]}"
