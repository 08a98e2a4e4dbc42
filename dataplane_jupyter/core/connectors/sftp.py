"""SFTP servers, through sshfs (asyncssh). Log in with a password or a private key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dataplane_jupyter.core.connectors._files import ServerFileConnector, server_fields
from dataplane_jupyter.core.connectors.base import Field, causes, network_error, probe, require
from dataplane_jupyter.core.errors import DataplaneError, InvalidInput, UpstreamError


class SFTPConnector(ServerFileConnector):
    """An SSH server with the SFTP subsystem; the connector opens at the server's root folder."""

    kind = "sftp"
    label = "SFTP"
    default_port = 22
    fields = (
        *server_fields("SSH", default_port),
        Field("username", required=True, description="login name"),
        Field("password", secret=True, description="login password (or use a private key)"),
        Field("private_key", secret=True, kind="text", description="private key text (OpenSSH or PEM)"),
        Field("passphrase", secret=True, description="passphrase of the private key, if it has one"),
        Field("host_key", kind="text", description="the server's public host key (OpenSSH format, "
              "e.g. 'ssh-ed25519 AAAA...'); any key is accepted when empty"),
    )

    def _login(self, secrets: Mapping[str, Any]) -> dict[str, Any]:
        asyncssh = require("asyncssh", self.kind, "sftp")
        if not secrets.get("private_key"):
            if not secrets.get("password"):
                raise InvalidInput("an SFTP connector needs a password or a private_key", field="password")
            return {"password": secrets["password"], "client_keys": []}
        try:
            key = asyncssh.import_private_key(secrets["private_key"], secrets.get("passphrase") or None)
        except (asyncssh.KeyImportError, ValueError) as exc:
            needs = "it is encrypted: give its passphrase" if "passphrase" in str(exc).lower() else str(exc)
            raise InvalidInput(f"The private key could not be read ({needs})", field="private_key") from None
        return {"client_keys": [key], "password": secrets.get("password")}

    def _known_hosts(self, config: Mapping[str, Any]) -> Any:
        """The pinned host key as asyncssh wants it, or None (no check) when none is given."""
        asyncssh = require("asyncssh", self.kind, "sftp")
        if not config.get("host_key"):
            return None
        try:
            return ([asyncssh.import_public_key(str(config["host_key"]).strip())], [], [])
        except (asyncssh.KeyImportError, ValueError):
            raise InvalidInput("host_key is not an OpenSSH public key (like 'ssh-ed25519 AAAA...')",
                               field="host_key") from None

    def filesystem(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> Any:
        sshfs = require("sshfs", self.kind, "sftp")
        self.validate(config, secrets)
        address = self.address(config)
        login = self._login(secrets)
        known_hosts = self._known_hosts(config)
        probe(address, timeout)
        try:
            # agent and ssh config off: only the secrets given to the connector are used.
            return sshfs.SSHFileSystem(
                address.host, port=address.port, username=config["username"], known_hosts=known_hosts,
                agent_path=None, config=[], timeout=timeout, connect_timeout=timeout, login_timeout=timeout,
                skip_instance_cache=True, **login,
            )
        except Exception as exc:  # noqa: BLE001 - every library failure becomes a plain message
            raise self.explain(exc, config, {}, timeout=timeout) from None

    def check(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> str:
        fs = self.filesystem(config, secrets, timeout=timeout)
        entries = self.list_root(fs, config, timeout=timeout)
        how = "private key" if secrets.get("private_key") else "password"
        client = getattr(fs, "_client", None)  # sshfs keeps its asyncssh connection there
        key = client.get_server_host_key() if client is not None else None
        pinned = "its host key matches host_key" if config.get("host_key") else (
            f"host key not checked: set host_key to '{key.export_public_key().decode().strip()}' to pin it"
            if key else "host key not checked")
        return (f"Logged in to {self.address(config)} as '{config['username']}' with a {how}; "
                f"'/' holds {len(entries)} entries; {pinned}")

    def explain(self, exc: BaseException, config: Mapping[str, Any], locator: Mapping[str, Any],
                *, timeout: float) -> DataplaneError:
        if isinstance(exc, DataplaneError):
            return exc
        asyncssh = require("asyncssh", self.kind, "sftp")
        address = self.address(config)
        found = network_error(exc, address, timeout)
        if found:
            return found
        what = f"'{locator['path']}'" if locator.get("path") else "the file"
        for cause in causes(exc):
            if isinstance(cause, asyncssh.HostKeyNotVerifiable):
                return UpstreamError(f"The host key of {address} does not match host_key: the server's key "
                                     "changed, or another machine answers at this address", field="host_key")
            if isinstance(cause, asyncssh.PermissionDenied) or (
                    isinstance(cause, PermissionError) and "for user" in str(cause)):
                return address.login_refused(config.get("username"))
            if isinstance(cause, asyncssh.SFTPNoSuchFile | FileNotFoundError):
                return UpstreamError(f"{what} does not exist on {address}", field="path")
            if isinstance(cause, asyncssh.SFTPPermissionDenied | PermissionError):
                return UpstreamError(f"{address} does not let '{config.get('username')}' read {what}: "
                                     "missing permission", field="path")
        return UpstreamError(f"{address} failed: {type(exc).__name__}: {exc}")

