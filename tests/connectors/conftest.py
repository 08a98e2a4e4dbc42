"""Real servers for the connector tests, started once per session and only when a test needs them."""

from __future__ import annotations

import os

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


def _serve(module: Any) -> Iterator[Any]:
    server = module.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer]:
    yield from _serve(postgres)


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[mariadb.MariaDBServer]:
    yield from _serve(mariadb)


@pytest.fixture(scope="session")
def ftp_server() -> Iterator[ftp.FTPServer]:
    yield from _serve(ftp)


@pytest.fixture(scope="session")
def sftp_server() -> Iterator[sftp.SFTPServer]:
    yield from _serve(sftp)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[s3.S3Server]:
    yield from _serve(s3)


@pytest.fixture(scope="session")
def gcs_server() -> Iterator[gcs.GCSServer]:
    yield from _serve(gcs)


@pytest.fixture(scope="session")
def bigquery_server() -> Iterator[bigquery.BigQueryServer]:
    yield from _serve(bigquery)


@pytest.fixture(scope="session")
def google_token_server() -> Iterator[google_token.TokenServer]:
    yield from _serve(google_token)


@pytest.fixture
def unique(request: pytest.FixtureRequest) -> str:
    """A name no other test uses: lower case letters, digits and dashes, 3-40 characters."""
    import re
    import uuid

    stem = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:24]
    return f"{stem}-{uuid.uuid4().hex[:8]}"
