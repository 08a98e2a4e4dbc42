"""FTP servers, through fsspec's built-in FTP filesystem. Datasources are CSV files by full path."""

from __future__ import annotations

import ftplib
from collections.abc import Mapping
from typing import Any

from dataplane_jupyter.core.connectors._files import ServerFileConnector, server_fields
from dataplane_jupyter.core.connectors.base import Field, network_error, probe
from dataplane_jupyter.core.errors import DataplaneError, UpstreamError


class FTPConnector(ServerFileConnector):
    """An FTP (optionally FTPS) server; the connector opens at the server's root folder."""

    kind = "ftp"
    label = "FTP"
    default_port = 21
    fields = (
        *server_fields("FTP", default_port),
        Field("username", description="login name; anonymous when empty"),
        Field("password", secret=True, description="login password"),
        Field("tls", kind="bool", default=False, description="use explicit FTPS (TLS)"),
    )

    def filesystem(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> Any:
        from fsspec.implementations.ftp import FTPFileSystem

        self.validate(config, secrets)
        address = self.address(config)
        probe(address, timeout)
        try:
            return FTPFileSystem(
                address.host, port=address.port, username=config.get("username") or None,
                password=secrets.get("password"), timeout=timeout, tls=bool(config.get("tls")),
                skip_instance_cache=True,
            )
        except Exception as exc:  # noqa: BLE001 - every library failure becomes a plain message
            raise self.explain(exc, config, {}, timeout=timeout) from None

    def check(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> str:
        fs = self.filesystem(config, secrets, timeout=timeout)
        try:
            entries = self.list_root(fs, config, timeout=timeout)
        finally:
            fs.ftp.close()
        who = config.get("username") or "anonymous"
        return f"Logged in to {self.address(config)} as '{who}'; '/' holds {len(entries)} entries"

    def explain(self, exc: BaseException, config: Mapping[str, Any], locator: Mapping[str, Any],
                *, timeout: float) -> DataplaneError:
        address = self.address(config)
        if isinstance(exc, DataplaneError):
            return exc
        found = network_error(exc, address, timeout)
        if found:
            return found
        reply = str(exc)
        what = f"'{locator['path']}'" if locator.get("path") else "the file"
        if isinstance(exc, ftplib.error_perm) and reply.startswith("530"):
            return address.login_refused(config.get("username"))
        if isinstance(exc, PermissionError) or "privileges" in reply.lower() or "permission" in reply.lower():
            return UpstreamError(f"{address} does not let '{config.get('username') or 'anonymous'}' read {what}: "
                                 f"missing permission ({reply.strip()})", field="path")
        if isinstance(exc, FileNotFoundError) or reply.startswith("550"):
            return UpstreamError(f"{what} does not exist on {address}", field="path")
        return UpstreamError(f"{address} failed: {type(exc).__name__}: {reply}")
