"""The gcp kind: Cloud Storage (gcp-storage-emulator) and BigQuery (bqemulator).

The emulators do not check credentials, so the service-account keys here carry a `token_uri` on a
local stand-in for Google's token endpoint (tests/servers/google_token.py), which accepts or
refuses them like Google does. Neither emulator enforces permissions: no permission test here.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataplane_jupyter.core.connectors import get_kind
from tests.connectors.conformance import ConnectorConformance, ExporterConformance, Target
from tests.connectors.test_files import csv_bytes
from tests.servers._process import free_port

PROJECT = "test-project"
BQ_TYPES = {"int64": "INT64", "string": "STRING", "double": "FLOAT64"}


def gcp_config(gcs_server: Any, bigquery_server: Any) -> dict[str, Any]:
    return {"project": PROJECT, "endpoint_url": gcs_server.endpoint_url,
            "bigquery_endpoint_url": bigquery_server.endpoint_url}


def gcp_target(config: dict[str, Any], token: Any, put: Any, missing: list, *, bq: bool, dest: Any,
               names: Any) -> Target:
    secrets = {"service_account_json": token.service_account(project_id=PROJECT)}
    endpoint = "bigquery_endpoint_url" if bq else "endpoint_url"
    return Target(
        kind="gcp", config=config, secrets=secrets, put=put, dest=dest, names=names,
        wrong_secrets=[
            (config, {"service_account_json": token.service_account(good=False, project_id=PROJECT)},
             f"Google refused the service account key of 'loader@{PROJECT}.iam.gserviceaccount.com': invalid_grant"),
            (config, {"service_account_json": "{not json"}, "service_account_json is not JSON"),
            (config, {"service_account_json": json.dumps({"type": "authorized_user"})},
             "is not a service-account key"),
        ],
        missing=missing,
        refused={**config, endpoint: f"http://127.0.0.1:{free_port()}"},
        unknown_host={**config, endpoint: "http://no-such-host.invalid:9050"},
    )


def gcs_target(gcs_server: Any, bigquery_server: Any, google_token_server: Any, unique: str) -> Target:
    """The Cloud Storage emulator with a fresh bucket `unique`."""
    from gcsfs.core import GCSFileSystem

    fs = GCSFileSystem(project=PROJECT, token="anon", endpoint_url=gcs_server.endpoint_url,
                       skip_instance_cache=True)
    fs.mkdir(unique)

    def put(name: str, table: pa.Table) -> dict[str, Any]:
        fs.pipe(f"{unique}/data/{name}.csv", csv_bytes(table))
        return {"bucket": unique, "path": f"data/{name}.csv"}

    return gcp_target(
        gcp_config(gcs_server, bigquery_server), google_token_server, put,
        [({"bucket": f"{unique}-gone", "path": "a.csv"}, f"Bucket '{unique}-gone' does not exist"),
         ({"bucket": unique, "path": "data/nope.csv"}, f"'data/nope.csv' in bucket '{unique}' does not exist")],
        bq=False, dest=lambda name: {"bucket": unique, "path": f"out/{name}.csv"},
        names=lambda: set(fs.find(unique, refresh=True)),
    )


class GoogleBase(ConnectorConformance, ExporterConformance):
    """The conformance tests on an emulator; `make_target(gcs, bigquery, token server, unique)`
    builds the target. Neither emulator enforces permissions: no permission test."""

    make_target: Any

    @pytest.fixture
    def target(self, gcs_server: Any, bigquery_server: Any, google_token_server: Any, unique: str) -> Target:
        return self.make_target(gcs_server, bigquery_server, google_token_server, unique)

    test_permission_denied = None  # type: ignore[assignment]


class TestGCSBucket(GoogleBase):
    make_target = staticmethod(gcs_target)

    def test_emulator_without_key_is_anonymous(self, target: Target) -> None:
        result = get_kind("gcp").test(target.config, {})
        assert result.ok and result.message.startswith("Anonymous access"), result.message

    def test_real_google_needs_a_key(self) -> None:
        result = get_kind("gcp").test({"project": PROJECT}, {})
        assert not result.ok and "needs service_account_json" in result.message


def bigquery_target(gcs_server: Any, bigquery_server: Any, google_token_server: Any, unique: str) -> Target:
    """The BigQuery emulator with a fresh dataset named after `unique`."""
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    client = bigquery.Client(project=PROJECT, credentials=AnonymousCredentials(),
                             client_options=ClientOptions(api_endpoint=bigquery_server.endpoint_url))
    dataset = unique.replace("-", "_")
    client.create_dataset(dataset, timeout=30)

    def put(name: str, table: pa.Table) -> dict[str, Any]:
        data = io.BytesIO()
        pq.write_table(table, data)
        data.seek(0)
        schema = [bigquery.SchemaField(f.name, BQ_TYPES[str(f.type)]) for f in table.schema]
        config = bigquery.LoadJobConfig(source_format=bigquery.SourceFormat.PARQUET, schema=schema)
        client.load_table_from_file(data, f"{dataset}.{name}", job_config=config, timeout=60).result(timeout=120)
        return {"dataset": dataset, "table": name}

    return gcp_target(
        gcp_config(gcs_server, bigquery_server), google_token_server, put,
        [({"dataset": f"{dataset}_gone", "table": "t"}, f"BigQuery dataset '{dataset}_gone' does not exist"),
         ({"dataset": dataset, "table": "nope"}, f"BigQuery table '{dataset}.nope' does not exist")],
        bq=True, dest=lambda name: {"dataset": dataset, "table": name},
        names=lambda: {t.table_id for t in client.list_tables(dataset, timeout=30)},
    )


class TestBigQuery(GoogleBase):
    make_target = staticmethod(bigquery_target)

    def test_query(self, target: Target) -> None:
        locator = target.put("numbers", pa.table({"n": [1, 2, 3]}))
        query = f"SELECT n * 2 AS twice FROM `{PROJECT}.{locator['dataset']}.numbers` ORDER BY n"
        table = get_kind("gcp").preview(target.config, target.secrets, {"query": query})
        assert table.to_pydict() == {"twice": [2, 4, 6]}

    def test_table_is_not_a_file(self, target: Target) -> None:
        from dataplane_jupyter.core.errors import InvalidState

        with pytest.raises(InvalidState, match="is a table, not a file"):
            get_kind("gcp").open_file(target.config, target.secrets, {"dataset": "d", "table": "t"})
