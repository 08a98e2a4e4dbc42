"""The file kinds on real servers: FTP (pyftpdlib), SFTP (asyncssh, password and key), S3 (moto)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from dataplane_jupyter.core.connectors import get_kind
from tests.connectors.conformance import ConnectorConformance, ExporterConformance, Target
from tests.servers import ftp
from tests.servers._process import free_port


def csv_bytes(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pacsv.write_csv(table, out, pacsv.WriteOptions(quoting_style="none"))
    return out.getvalue()


def folder_put(root: Path, folder: str, *, mode: int | None = None):
    """A `put` that writes CSV files into a per-test folder of a server's root."""

    def put(name: str, table: pa.Table) -> dict[str, Any]:
        path = root / folder / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(csv_bytes(table))
        if mode is not None and name == "guarded":
            os.chmod(path, mode)
        return {"path": f"/{folder}/{name}.csv"}

    return put


def ftp_target(ftp_server: Any, unique: str) -> Target:
    """The FTP server with a fresh folder `/unique`."""
    config = {"host": ftp_server.host, "port": ftp_server.port, "username": ftp_server.username}
    secrets = {"password": ftp_server.password}
    (ftp_server.root / unique).mkdir()
    return Target(
        kind="ftp", config=config, secrets=secrets, put=folder_put(ftp_server.root, unique),
        dest=lambda name: {"path": f"/{unique}/{name}.csv"},
        names=lambda: set(os.listdir(ftp_server.root / unique)),
        wrong_secrets=[(config, {"password": "not-the-password-1"},
                        f"FTP server {ftp_server.host}:{ftp_server.port} refused the login for user 'bob'")],
        missing=[({"path": f"/{unique}/nope.csv"}, f"'/{unique}/nope.csv' does not exist on FTP server")],
        refused={**config, "port": free_port()},
        unknown_host={**config, "host": "no-such-host.invalid"},
        denied=({**config, "username": ftp.READONLY_USER}, secrets, "does not let 'reader' read"),
    )


class TestFTP(ConnectorConformance, ExporterConformance):
    @pytest.fixture
    def target(self, ftp_server: Any, unique: str) -> Target:
        return ftp_target(ftp_server, unique)

    def test_open_file_streams_csv(self, target: Target) -> None:
        table = pa.table({"a": [1, 2]})
        locator = target.put("plain", table)
        with get_kind("ftp").open_file(target.config, target.secrets, locator) as f:
            assert f.read() == csv_bytes(table)


def sftp_target(server: Any, unique: str, secrets: dict[str, Any]) -> Target:
    """The SFTP server with a fresh folder `/unique`, logging in with `secrets`."""
    config = {"host": server.host, "port": server.port, "username": server.username}
    (server.root / unique).mkdir()
    return Target(
        kind="sftp", config=config, secrets=secrets, put=folder_put(server.root, unique, mode=0),
        dest=lambda name: {"path": f"/{unique}/{name}.csv"},
        names=lambda: set(os.listdir(server.root / unique)),
        wrong_secrets=[(config, {"password": "not-the-password-1"},
                        f"SFTP server {server.host}:{server.port} refused the login for user 'alice'"),
                       ({**config, "username": "mallory"}, secrets, "wrong username or password")],
        missing=[({"path": f"/{unique}/nope.csv"}, f"'/{unique}/nope.csv' does not exist on SFTP server")],
        refused={**config, "port": free_port()},
        unknown_host={**config, "host": "no-such-host.invalid"},
        denied=(config, secrets, "does not let 'alice' read"),  # `put` makes "guarded" unreadable
    )


class SFTPBase(ConnectorConformance, ExporterConformance):
    def make_target(self, server: Any, unique: str, secrets: dict[str, Any]) -> Target:
        return sftp_target(server, unique, secrets)


class TestSFTPPassword(SFTPBase):
    @pytest.fixture
    def target(self, sftp_server: Any, unique: str) -> Target:
        return self.make_target(sftp_server, unique, {"password": sftp_server.password})

    def test_host_key_pinning(self, target: Target, sftp_server: Any) -> None:
        import asyncssh

        unpinned = get_kind("sftp").test(target.config, target.secrets)
        assert unpinned.ok and f"set host_key to '{sftp_server.host_key}'" in unpinned.message
        pinned = get_kind("sftp").test({**target.config, "host_key": sftp_server.host_key}, target.secrets)
        assert pinned.ok and "its host key matches host_key" in pinned.message
        other = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
        impostor = get_kind("sftp").test({**target.config, "host_key": other}, target.secrets)
        assert not impostor.ok and impostor.message.startswith(f"The host key of SFTP server {sftp_server.host}")
        garbage = get_kind("sftp").test({**target.config, "host_key": "not a key"}, target.secrets)
        assert not garbage.ok and "host_key is not an OpenSSH public key" in garbage.message


class TestSFTPKey(SFTPBase):
    @pytest.fixture
    def target(self, sftp_server: Any, unique: str) -> Target:
        return self.make_target(sftp_server, unique, {"private_key": sftp_server.private_key})

    def test_wrong_key(self, target: Target) -> None:
        import asyncssh

        other = asyncssh.generate_private_key("ssh-ed25519").export_private_key().decode()
        result = get_kind("sftp").test(target.config, {"private_key": other})
        assert not result.ok and "refused the login for user 'alice'" in result.message
        assert "PRIVATE KEY" not in result.message

    def test_unreadable_key(self, target: Target) -> None:
        result = get_kind("sftp").test(target.config, {"private_key": "-----BEGIN garbage-----"})
        assert not result.ok and result.message.startswith("The private key could not be read")

    def test_encrypted_key_needs_passphrase(self, target: Target, sftp_server: Any) -> None:
        import asyncssh

        key = asyncssh.import_private_key(sftp_server.private_key)
        locked = key.export_private_key(passphrase="open-sesame-42").decode()
        result = get_kind("sftp").test(target.config, {"private_key": locked})
        assert not result.ok and "passphrase" in result.message
        unlocked = get_kind("sftp").test(target.config, {"private_key": locked, "passphrase": "open-sesame-42"})
        assert unlocked.ok, unlocked.message


def s3_target(s3_server: Any, unique: str) -> Target:
    """The S3 server with a fresh bucket `unique`."""
    client = s3_server.client()
    client.create_bucket(Bucket=unique, CreateBucketConfiguration={"LocationConstraint": s3_server.region})
    config = {"access_key_id": s3_server.admin.access_key_id, "region": s3_server.region,
              "endpoint_url": s3_server.endpoint_url}
    secrets = {"secret_access_key": s3_server.admin.secret_access_key}

    def put(name: str, table: pa.Table) -> dict[str, Any]:
        client.put_object(Bucket=unique, Key=f"data/{name}.csv", Body=csv_bytes(table))
        return {"bucket": unique, "path": f"data/{name}.csv"}

    def names() -> set[str]:
        return {o["Key"] for o in client.list_objects_v2(Bucket=unique).get("Contents", [])}

    return Target(
        kind="s3", config=config, secrets=secrets, put=put, names=names,
        dest=lambda name: {"bucket": unique, "path": f"out/{name}.csv"},
        wrong_secrets=[
            (config, {"secret_access_key": "not-the-secret-key-1"}, "refused the secret access key"),
            ({**config, "access_key_id": "AKIAUNKNOWN000000000"}, secrets,
             "does not know the access key id 'AKIAUNKNOWN000000000'"),
        ],
        missing=[({"bucket": f"{unique}-gone", "path": "a.csv"}, f"Bucket '{unique}-gone' does not exist"),
                 ({"bucket": unique, "path": "data/nope.csv"}, f"'data/nope.csv' does not exist in bucket '{unique}'")],
        refused={**config, "endpoint_url": f"http://127.0.0.1:{free_port()}"},
        unknown_host={**config, "endpoint_url": "http://no-such-host.invalid:9000"},
        denied=({**config, "access_key_id": s3_server.nobody.access_key_id},
                {"secret_access_key": s3_server.nobody.secret_access_key}, "lacks permission to read bucket"),
    )


class TestS3(ConnectorConformance, ExporterConformance):
    @pytest.fixture
    def target(self, s3_server: Any, unique: str) -> Target:
        return s3_target(s3_server, unique)

    def test_valid_key_without_list_permission_still_tests_ok(self, target: Target, s3_server: Any) -> None:
        config = {**target.config, "access_key_id": s3_server.nobody.access_key_id}
        result = get_kind("s3").test(config, {"secret_access_key": s3_server.nobody.secret_access_key})
        assert result.ok and "may not list buckets" in result.message
