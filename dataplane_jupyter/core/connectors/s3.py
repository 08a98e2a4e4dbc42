"""Amazon S3 and S3-compatible stores (MinIO, Ceph...), through s3fs. Datasources are CSV objects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from dataplane_jupyter.core.connectors._files import CSV_OPTIONS, FileConnector
from dataplane_jupyter.core.connectors.base import Address, Field, causes, network_error, probe, require
from dataplane_jupyter.core.errors import DataplaneError, UpstreamError

KEY_ERRORS = {"InvalidAccessKeyId", "InvalidClientTokenId", "UnrecognizedClientException"}
SECRET_ERRORS = {"SignatureDoesNotMatch", "InvalidSignatureException"}
DENIED = {"AccessDenied", "AllAccessDisabled", "Forbidden", "403"}


class S3Connector(FileConnector):
    """An S3 account (access key pair), optionally at another endpoint for S3-compatible stores."""

    kind = "s3"
    label = "S3"
    fields = (
        Field("access_key_id", description="AWS access key id; anonymous access to public buckets when empty"),
        Field("secret_access_key", secret=True, description="AWS secret access key"),
        Field("region", default="us-east-1", description="the buckets' region, e.g. eu-west-1"),
        Field("endpoint_url", description="for S3-compatible stores: their URL, e.g. http://minio:9000"),
    )
    locator_fields = (
        Field("bucket", required=True, description="bucket name"),
        Field("path", required=True, description="key of a CSV object in the bucket, e.g. exports/sales.csv"),
        *CSV_OPTIONS,
    )

    def address(self, config: Mapping[str, Any]) -> Address:
        endpoint = config.get("endpoint_url")
        if not endpoint:
            return Address("S3", f"s3.{config.get('region') or 'us-east-1'}.amazonaws.com", None)
        parts = urlsplit(endpoint)
        return Address("S3 endpoint", parts.hostname or endpoint, parts.port or (443 if parts.scheme == "https" else 80))

    def remote_path(self, locator: Mapping[str, Any]) -> str:
        return f"{locator['bucket']}/{str(locator['path']).lstrip('/')}"

    def filesystem(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> Any:
        s3fs = require("s3fs", self.kind, "s3")
        self.validate(config, secrets)
        if config.get("endpoint_url"):
            probe(self.address(config), timeout)
        key, secret = config.get("access_key_id"), secrets.get("secret_access_key")
        # Without a key pair: anonymous, never the machine's own AWS credentials.
        fs = s3fs.S3FileSystem(
            anon=not (key and secret), key=key or None, secret=secret or None,
            endpoint_url=config.get("endpoint_url") or None,
            client_kwargs={"region_name": config.get("region") or "us-east-1"},
            config_kwargs={"connect_timeout": timeout, "read_timeout": timeout, "retries": {"max_attempts": 2}},
            skip_instance_cache=True, use_listings_cache=False,
        )
        fs.retries = 1
        return fs

    def check(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> str:
        fs = self.filesystem(config, secrets, timeout=timeout)
        try:
            buckets = fs.call_s3("list_buckets").get("Buckets", [])
        except Exception as exc:  # noqa: BLE001 - every library failure becomes a plain message
            error = self.explain(exc, config, {}, timeout=timeout)
            if error.field != "bucket":
                raise error from None
            return f"{self.address(config)} accepted the access key; it may not list buckets, name one in datasources"
        return f"{self.address(config)} accepted the access key; {len(buckets)} buckets visible"

    def open_file(self, config: Mapping[str, Any], secrets: Mapping[str, Any],
                  locator: Mapping[str, Any]) -> BinaryIO:
        self.validate_locator(locator)
        try:
            self.check_destination(self.filesystem(config, secrets, timeout=30), "", config, locator)
        except DataplaneError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._safe(exc, config, secrets, locator) from None
        return super().open_file(config, secrets, locator)

    def check_destination(self, fs: Any, path: str, config: Mapping[str, Any], locator: Mapping[str, Any]) -> None:
        """The bucket exists and the key may use it: a listing carries S3's error code, a HEAD only "403"."""
        fs.call_s3("list_objects_v2", Bucket=locator["bucket"], Prefix=str(locator["path"]).lstrip("/"), MaxKeys=1)

    def staging_path(self, path: str) -> str | None:
        return None  # an upload only appears under its key once complete

    def location(self, config: Mapping[str, Any], path: str) -> str:
        return f"s3://{path}"

    def explain(self, exc: BaseException, config: Mapping[str, Any], locator: Mapping[str, Any],
                *, timeout: float) -> DataplaneError:
        if isinstance(exc, DataplaneError):
            return exc
        address = self.address(config)
        found = network_error(exc, address, timeout) if config.get("endpoint_url") else None
        if found:
            return found
        code = _error_code(exc)
        key = config.get("access_key_id")
        bucket, path = locator.get("bucket"), locator.get("path")
        if code in KEY_ERRORS:
            return UpstreamError(f"{address} does not know the access key id '{key}'", field="access_key_id")
        if code in SECRET_ERRORS:
            return UpstreamError(f"{address} refused the secret access key of '{key}': wrong secret",
                                 field="secret_access_key")
        if code == "NoSuchBucket":
            return UpstreamError(f"Bucket '{bucket}' does not exist on {address}", field="bucket")
        if code in DENIED or isinstance(exc, PermissionError):
            target = f"bucket '{bucket}'" if bucket else "the buckets"
            return UpstreamError(f"The access key '{key or 'anonymous'}' lacks permission to read {target} "
                                 f"on {address}", field="bucket")
        if isinstance(exc, FileNotFoundError) or code in ("NoSuchKey", "404"):
            return UpstreamError(f"'{path}' does not exist in bucket '{bucket}' on {address}", field="path")
        if any(type(c).__name__ == "EndpointConnectionError" for c in causes(exc)):
            return UpstreamError(f"Cannot reach {address}: check endpoint_url and region", field="endpoint_url")
        return UpstreamError(f"{address} failed: {type(exc).__name__}: {exc}")


def _error_code(exc: BaseException) -> str | None:
    for cause in causes(exc):
        response = getattr(cause, "response", None)
        if isinstance(response, dict) and response.get("Error", {}).get("Code"):
            return str(response["Error"]["Code"])
    return None
