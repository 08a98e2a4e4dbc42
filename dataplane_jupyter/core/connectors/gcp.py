"""Google Cloud: CSV files in Cloud Storage buckets (gcsfs) and BigQuery tables (google-cloud-bigquery).

One service-account key serves both. Every BigQuery call carries a timeout and a bounded retry
(the library's default retry deadline is ten minutes), and the BigQuery Storage API is never used,
so that `endpoint_url`s really are the only places contacted besides the key's `token_uri`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import pyarrow as pa

from dataplane_jupyter.core.connectors._bigquery import load_batches
from dataplane_jupyter.core.connectors._files import CSV_OPTIONS, OPEN_TIMEOUT, FileConnector
from dataplane_jupyter.core.connectors.base import (
    Address,
    ConnectorKind,
    DestinationExists,
    Field,
    FileFormat,
    SourceFailure,
    SourceShape,
    WriteMode,
    WriteResult,
    bounded,
    causes,
    check_mode,
    from_source,
    network_error,
    probe,
    redact,
    require,
    stamped,
)
from dataplane_jupyter.core.errors import DataplaneError, InvalidInput, UpstreamError

SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)
KEY_FIELDS = ("private_key", "client_email", "token_uri")
READ_TIMEOUT = 60.0


class GCPConnector(FileConnector):
    """A Google Cloud project reached with a service-account key: buckets and BigQuery datasets."""

    kind = "gcp"
    label = "GCP"
    fields = (
        Field("service_account_json", secret=True, kind="file",
              description="the service account's JSON key file (optional with an emulator endpoint)"),
        Field("project", description="project id; the key's project_id when empty"),
        Field("endpoint_url", description="Cloud Storage endpoint, for emulators or private endpoints"),
        Field("bigquery_endpoint_url", description="BigQuery API endpoint, for emulators or private endpoints"),
    )
    locator_fields = (
        Field("bucket", description="bucket name (with path)"),
        Field("path", description="object name of a CSV file in the bucket, e.g. exports/sales.csv"),
        Field("dataset", description="BigQuery dataset (with table), optionally project.dataset"),
        Field("table", description="BigQuery table name"),
        Field("query", kind="text", description="a BigQuery SQL query instead of dataset + table"),
        *CSV_OPTIONS,
    )

    # -- locators ---------------------------------------------------------------------------
    def shape(self, locator: Mapping[str, Any]) -> SourceShape:
        return "file" if locator.get("bucket") else "table"

    def validate_locator(self, locator: Mapping[str, Any]) -> None:
        if locator.get("bucket"):
            if not locator.get("path"):
                raise InvalidInput("a GCP bucket datasource needs 'path'", field="path")
        elif not ((locator.get("dataset") and locator.get("table")) or locator.get("query")):
            raise InvalidInput("a GCP datasource needs bucket + path, dataset + table, or query", field="bucket")

    def describe(self, locator: Mapping[str, Any]) -> str:
        if locator.get("bucket"):
            return f"'{locator.get('path')}' in bucket '{locator['bucket']}'"
        if locator.get("query"):
            return "the query"
        return f"BigQuery table '{locator.get('dataset')}.{locator.get('table')}'"

    def remote_path(self, locator: Mapping[str, Any]) -> str:
        return f"{locator['bucket']}/{str(locator['path']).lstrip('/')}"

    # -- credentials ------------------------------------------------------------------------
    def key_info(self, secrets: Mapping[str, Any]) -> dict[str, Any] | None:
        """The parsed service-account key, checked for the fields Google needs."""
        raw = secrets.get("service_account_json")
        if not raw:
            return None
        try:
            info = json.loads(raw) if isinstance(raw, str | bytes) else dict(raw)
        except (ValueError, TypeError):
            raise InvalidInput("service_account_json is not JSON: give the key file Google Cloud "
                               "downloaded for the service account", field="service_account_json") from None
        if not isinstance(info, dict) or info.get("type") != "service_account":
            raise InvalidInput("service_account_json is not a service-account key (its \"type\" must be "
                               "\"service_account\")", field="service_account_json")
        missing = [k for k in KEY_FIELDS if not info.get(k)]
        if missing:
            raise InvalidInput(f"service_account_json lacks {missing[0]!r}", field="service_account_json")
        return info

    def credentials(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> Any:
        """Fresh credentials (the key exchanged for a token now, to report refusals clearly)."""
        require("google.auth", self.kind, "gcp")
        from google.auth import exceptions
        from google.auth.credentials import AnonymousCredentials
        from google.auth.transport.requests import Request

        info = self.key_info(secrets)
        if info is None:
            if config.get("endpoint_url") or config.get("bigquery_endpoint_url"):
                return AnonymousCredentials()
            raise InvalidInput("a GCP connector needs service_account_json", field="service_account_json")
        try:
            creds = _credentials_class().from_service_account_info(info, scopes=SCOPES)
        except ValueError:
            raise InvalidInput("the private_key in service_account_json cannot be read",
                               field="service_account_json") from None
        who = info["client_email"]
        try:
            bounded(lambda: creds.refresh(Request()), timeout, f"Google's token endpoint for '{who}'")
        except exceptions.RefreshError as exc:
            reason = str(exc.args[0]) if exc.args else "refused"
            raise UpstreamError(f"Google refused the service account key of '{who}': {reason} "
                                "(the key is wrong, revoked or disabled)", field="service_account_json") from None
        except exceptions.TransportError as exc:
            host = urlsplit(info["token_uri"]).hostname or info["token_uri"]
            raise UpstreamError(f"Cannot reach Google's token endpoint {host} for '{who}': "
                                f"{type(exc).__name__}", field="service_account_json") from None
        return creds

    def project(self, config: Mapping[str, Any], secrets: Mapping[str, Any]) -> str:
        info = self.key_info(secrets) or {}
        project = config.get("project") or info.get("project_id")
        if not project:
            raise InvalidInput("a GCP connector needs 'project' when the key has no project_id", field="project")
        return str(project)

    def _endpoint(self, url: str | None, service: str, default: str) -> Address:
        if not url:
            return Address(service, default, None)
        parts = urlsplit(url)
        return Address(service, parts.hostname or url, parts.port or (443 if parts.scheme == "https" else 80))

    def address(self, config: Mapping[str, Any]) -> Address:
        return self._endpoint(config.get("endpoint_url"), "Cloud Storage endpoint", "storage.googleapis.com")

    def bq_address(self, config: Mapping[str, Any]) -> Address:
        return self._endpoint(config.get("bigquery_endpoint_url"), "BigQuery endpoint", "bigquery.googleapis.com")

    # -- Cloud Storage ----------------------------------------------------------------------
    def filesystem(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> Any:
        require("gcsfs", self.kind, "gcp")
        # gcsfs.core, not gcsfs.GCSFileSystem: the experimental class probes gRPC for 60 s per bucket.
        from gcsfs.core import GCSFileSystem

        self.validate(config, secrets)
        if config.get("endpoint_url"):
            probe(self.address(config), timeout)
        creds = self.credentials(config, secrets, timeout=timeout)
        anonymous = type(creds).__name__ == "AnonymousCredentials"
        return GCSFileSystem(
            project=self.project(config, secrets), token="anon" if anonymous else creds,
            endpoint_url=config.get("endpoint_url") or None, requests_timeout=timeout,
            skip_instance_cache=True, use_listings_cache=False,
        )

    def open_file(self, config: Mapping[str, Any], secrets: Mapping[str, Any],
                  locator: Mapping[str, Any]) -> BinaryIO:
        self.validate_locator(locator)
        if not locator.get("bucket"):
            return ConnectorKind.open_file(self, config, secrets, locator)  # says: a table, not a file
        try:
            self.check_destination(self.filesystem(config, secrets, timeout=OPEN_TIMEOUT), "", config, locator)
        except DataplaneError:
            raise
        except Exception as exc:  # noqa: BLE001 - every library failure becomes a plain message
            raise self._safe(exc, config, secrets, locator) from None
        return super().open_file(config, secrets, locator)

    def check_destination(self, fs: Any, path: str, config: Mapping[str, Any], locator: Mapping[str, Any]) -> None:
        """The bucket exists: a missing bucket and a missing object give the same 404 on download."""
        try:
            fs.call("GET", "b/{}", locator["bucket"], json_out=True)
        except FileNotFoundError:
            raise _BucketMissing() from None

    def staging_path(self, path: str) -> str | None:
        return None  # an upload only appears under its name once complete

    def location(self, config: Mapping[str, Any], path: str) -> str:
        return f"gs://{path}"

    # -- BigQuery ---------------------------------------------------------------------------
    def bigquery(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> Any:
        """A BigQuery client for the project, at `bigquery_endpoint_url` when given."""
        bigquery = require("google.cloud.bigquery", self.kind, "gcp")
        from google.api_core.client_options import ClientOptions

        self.validate(config, secrets)
        endpoint = config.get("bigquery_endpoint_url")
        if endpoint:
            probe(self.bq_address(config), timeout)
        creds = self.credentials(config, secrets, timeout=timeout)
        options = ClientOptions(api_endpoint=endpoint) if endpoint else None
        return bigquery.Client(project=self.project(config, secrets), credentials=creds, client_options=options)

    def iter_batches(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
                     *, batch_rows: int = 50_000) -> Iterator[pa.RecordBatch]:
        """Bucket CSVs as in the other file kinds; BigQuery tables page by page over the REST API."""
        self.validate_locator(locator)
        if locator.get("bucket"):
            yield from super().iter_batches(config, secrets, locator, batch_rows=batch_rows)
            return
        try:
            yield from self._bq_batches(config, secrets, locator, batch_rows)
        except DataplaneError:
            raise
        except Exception as exc:  # noqa: BLE001
            error = self.explain(exc, config, locator, timeout=READ_TIMEOUT)
            raise type(error)(redact(error.message, secrets), field=error.field) from None

    def _bq_batches(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
                    batch_rows: int) -> Iterator[pa.RecordBatch]:
        from google.cloud import bigquery

        client = self.bigquery(config, secrets, timeout=READ_TIMEOUT)
        retry = bigquery.DEFAULT_RETRY.with_timeout(READ_TIMEOUT)
        try:
            if locator.get("query"):
                job = client.query(str(locator["query"]), retry=retry, timeout=READ_TIMEOUT)

                def pages(**kw: Any) -> Any:
                    return job.result(retry=retry, timeout=READ_TIMEOUT, **kw)
            else:
                table = self._get_table(client, locator, retry)

                def pages(**kw: Any) -> Any:
                    return client.list_rows(table, retry=retry, timeout=READ_TIMEOUT, **kw)
            empty = True
            for batch in pages(page_size=batch_rows).to_arrow_iterable(bqstorage_client=None):
                for start in range(0, batch.num_rows, batch_rows):
                    empty = False
                    yield batch.slice(start, batch_rows)
            if empty:
                schema = pages(max_results=0).to_arrow(create_bqstorage_client=False).schema
                yield pa.RecordBatch.from_pylist([], schema=schema)
        finally:
            client.close()

    def _get_table(self, client: Any, locator: Mapping[str, Any], retry: Any) -> Any:
        from google.api_core.exceptions import NotFound

        try:
            return client.get_table(f"{locator['dataset']}.{locator['table']}", retry=retry, timeout=READ_TIMEOUT)
        except NotFound:
            client.get_dataset(str(locator["dataset"]), retry=retry, timeout=READ_TIMEOUT)  # raises for a missing dataset
            raise

    # -- writing (exporters) ----------------------------------------------------------------
    def validate_destination(self, locator: Mapping[str, Any]) -> None:
        self._destination_fields(locator)
        if locator.get("bucket") and not locator.get("path"):
            raise InvalidInput("a GCP bucket exporter needs 'path' (the object name)", field="path")
        if not locator.get("bucket") and not (locator.get("dataset") and locator.get("table")):
            raise InvalidInput("a GCP exporter needs bucket + path or dataset + table", field="dataset")

    def remove(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any]) -> None:
        """Delete the bucket object or the BigQuery table the locator names."""
        if locator.get("bucket"):
            super().remove(config, secrets, locator)
            return
        from google.cloud import bigquery

        client = self.bigquery(config, secrets, timeout=READ_TIMEOUT)
        try:
            client.delete_table(f"{locator['dataset']}.{locator['table']}",
                                retry=bigquery.DEFAULT_RETRY.with_timeout(READ_TIMEOUT), timeout=READ_TIMEOUT)
        except Exception as exc:  # noqa: BLE001
            error = self.explain(exc, config, locator, timeout=READ_TIMEOUT)
            raise type(error)(redact(error.message, secrets), field=error.field) from None
        finally:
            client.close()

    def write(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
              batches: Iterable[pa.RecordBatch], *, schema: pa.Schema, mode: WriteMode = "timestamp",
              now: dt.datetime | None = None, file_format: FileFormat = "csv") -> WriteResult:
        """A CSV (or Parquet) file in a bucket, or a BigQuery table loaded in one job."""
        if locator.get("bucket"):
            return super().write(config, secrets, locator, batches, schema=schema, mode=mode, now=now,
                                 file_format=file_format)
        if not (locator.get("dataset") and locator.get("table")):
            raise InvalidInput("a GCP exporter needs bucket + path or dataset + table", field="dataset")
        check_mode(mode)
        name = stamped(str(locator["table"]), now, table=True) if mode == "timestamp" else str(locator["table"])
        target = {**locator, "table": name}
        client = self.bigquery(config, secrets, timeout=READ_TIMEOUT)
        try:
            table_id = f"{client.project}.{locator['dataset']}.{name}" if "." not in str(locator["dataset"]) \
                else f"{locator['dataset']}.{name}"
            if mode != "overwrite" and self._bq_exists(client, table_id, target):
                raise DestinationExists(f"{self.describe(target)} already exists on {self.bq_address(config)}: "
                                        f"export cancelled (mode '{mode}')", field="table")
            rows = load_batches(client, table_id, from_source(batches), schema, overwrite=mode == "overwrite")
        except SourceFailure as exc:
            raise exc.error from None
        except DataplaneError:
            raise
        except Exception as exc:  # noqa: BLE001
            error = self.explain(exc, config, target, timeout=READ_TIMEOUT)
            raise type(error)(redact(error.message, secrets), field=error.field) from None
        finally:
            client.close()
        return WriteResult(f"bigquery://{table_id}", rows)

    def _bq_exists(self, client: Any, table_id: str, locator: Mapping[str, Any]) -> bool:
        from google.api_core.exceptions import NotFound
        from google.cloud import bigquery

        retry = bigquery.DEFAULT_RETRY.with_timeout(READ_TIMEOUT)
        try:
            client.get_table(table_id, retry=retry, timeout=READ_TIMEOUT)
        except NotFound:
            client.get_dataset(table_id.rsplit(".", 1)[0], retry=retry, timeout=READ_TIMEOUT)  # a missing dataset raises
            return False
        return True

    # -- tests and errors -------------------------------------------------------------------
    def check(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> str:
        from google.cloud import bigquery

        creds = self.credentials(config, secrets, timeout=timeout)
        who = getattr(creds, "service_account_email", None)
        parts = [f"Google accepted the service account '{who}'" if who else "Anonymous access (emulator)"]
        fs = self.filesystem(config, secrets, timeout=timeout)
        try:
            parts.append(f"Cloud Storage: {len(fs.ls(''))} buckets visible")
        except Exception as exc:  # noqa: BLE001
            parts.append(f"Cloud Storage: {self._listing_problem(exc, config, timeout)}")
        client = self.bigquery(config, secrets, timeout=timeout)
        try:
            retry = bigquery.DEFAULT_RETRY.with_timeout(timeout)
            datasets = list(client.list_datasets(max_results=50, retry=retry, timeout=timeout))
            parts.append(f"BigQuery: {len(datasets)} datasets visible")
        except Exception as exc:  # noqa: BLE001
            parts.append(f"BigQuery: {self._listing_problem(exc, config, timeout)}")
        finally:
            client.close()
        return "; ".join(parts)

    def _listing_problem(self, exc: BaseException, config: Mapping[str, Any], timeout: float) -> str:
        """Listing may be forbidden to a key that can still read named buckets/tables; anything else fails the test."""
        error = self.explain(exc, config, {}, timeout=timeout)
        if "lacks permission" not in error.message:
            raise error
        return "listing not permitted (fine when datasources name their bucket or table)"

    def explain(self, exc: BaseException, config: Mapping[str, Any], locator: Mapping[str, Any],
                *, timeout: float) -> DataplaneError:
        if isinstance(exc, DataplaneError):
            return exc
        bq = bool(locator.get("dataset") or locator.get("query"))
        address = self.bq_address(config) if bq else self.address(config)
        found = network_error(exc, address, timeout)
        if found:
            return found
        status = _status(exc)
        what = self.describe(locator) if locator else "the project"
        if isinstance(exc, _BucketMissing):
            return UpstreamError(f"Bucket '{locator.get('bucket')}' does not exist on {address}", field="bucket")
        if status == 401:
            return UpstreamError(f"{address} refused the credentials", field="service_account_json")
        if status == 403:
            return UpstreamError(f"The service account lacks permission to read {what} on {address}",
                                 field="dataset" if bq else "bucket")
        if status == 404 or isinstance(exc, FileNotFoundError):
            text = str(exc)
            if bq and re.search(r"not found: dataset|/datasets/[^/?]+\?|/datasets/[^/?]+$", text, re.I):
                return UpstreamError(f"BigQuery dataset '{locator.get('dataset')}' does not exist on {address}",
                                     field="dataset")
            return UpstreamError(f"{what} does not exist on {address}", field="table" if bq else "path")
        if status == 400 and locator.get("query"):
            return InvalidInput(f"BigQuery rejected the query: {getattr(exc, 'message', exc)}", field="query")
        return UpstreamError(f"{address} failed: {type(exc).__name__}: {exc}")


@functools.cache
def _credentials_class() -> type:
    from google.oauth2 import service_account

    class Credentials(service_account.Credentials):  # type: ignore[misc]
        """Service-account credentials that look up Google's access boundary only for Google's own hosts.

        google-auth asks iamcredentials.googleapis.com before requests to any host; with an emulator
        or private endpoint that would be a call the user never configured.
        """

        def _maybe_start_regional_access_boundary_refresh(self, request: Any, url: str) -> None:
            host = urlsplit(url).hostname or ""
            if host == "googleapis.com" or host.endswith(".googleapis.com"):
                super()._maybe_start_regional_access_boundary_refresh(request, url)

    return Credentials


class _BucketMissing(Exception):
    """The bucket of a locator does not exist (told apart from a missing object)."""


def _status(exc: BaseException) -> int | None:
    for cause in causes(exc):
        code = getattr(cause, "code", None)
        if isinstance(code, int) and 100 <= code < 600:
            return code
    return None
