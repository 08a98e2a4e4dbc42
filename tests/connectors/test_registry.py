"""The registry and the contract every kind shares, without servers (except a silent socket)."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator

import pytest

from dataplane_jupyter.core.connectors import (
    ConnectorKind,
    Field,
    MissingDependency,
    TestResult,
    available_kinds,
    get_kind,
    register_kind,
)
from dataplane_jupyter.core.connectors.base import require
from dataplane_jupyter.core.errors import InvalidInput

DESIGN_FIELDS = {
    "sql": {"dialect", "host", "port", "username", "password", "database", "url"},
    "ftp": {"host", "port", "username", "password"},
    "sftp": {"host", "port", "username", "password", "private_key"},
    "s3": {"access_key_id", "secret_access_key", "region", "endpoint_url"},
    "gcp": {"service_account_json", "endpoint_url"},
}
SECRET_FIELDS = {"password", "private_key", "passphrase", "secret_access_key", "service_account_json", "url"}


def test_builtin_kinds_are_known() -> None:
    assert set(DESIGN_FIELDS) <= set(available_kinds())


@pytest.mark.parametrize("name", sorted(DESIGN_FIELDS))
def test_kind_declares_the_design_fields(name: str) -> None:
    kind = get_kind(name)
    assert isinstance(kind, ConnectorKind) and kind.kind == name
    names = {f.name for f in kind.fields}
    assert DESIGN_FIELDS[name] <= names
    assert {f.name for f in kind.fields if f.secret} <= SECRET_FIELDS
    assert all(f.secret for f in kind.fields if f.name in SECRET_FIELDS - {"url"} and f.name in names)
    assert kind.locator_fields and all(isinstance(f, Field) for f in kind.locator_fields)


def test_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="unknown connector kind 'oracle'; known kinds: ftp, gcp, s3, sftp, sql"):
        get_kind("oracle")


def test_split_keeps_secrets_apart_and_rejects_unknown_fields() -> None:
    config, secrets = get_kind("sftp").split({"host": "h", "username": "u", "password": "p", "private_key": "k"})
    assert config == {"host": "h", "username": "u"} and secrets == {"password": "p", "private_key": "k"}
    with pytest.raises(InvalidInput, match="no field 'hostname'") as info:
        get_kind("ftp").split({"hostname": "h"})
    assert info.value.field == "hostname"


def test_required_and_int_fields_are_named() -> None:
    assert get_kind("ftp").test({}, {}).message == "a FTP connector needs 'host' (server name or IP address)"
    result = get_kind("ftp").test({"host": "127.0.0.1", "port": "twenty-one"}, {})
    assert not result.ok and "'port' must be a whole number" in result.message


def test_missing_client_library_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sshfs", None)
    result = get_kind("sftp").test({"host": "127.0.0.1", "port": 22, "username": "u"}, {"password": "pw-123456"})
    assert not result.ok
    assert result.message == "the sftp connector needs sshfs: pip install 'dataplane_jupyter[sftp]'"
    with pytest.raises(MissingDependency, match=r"pip install 'dataplane_jupyter\[s3\]'"):
        require("surely_not_installed_client", "s3", "s3")


def test_registered_kind_is_loaded_lazily() -> None:
    register_kind("ftp-alias", "dataplane_jupyter.core.connectors.ftp:FTPConnector")
    assert get_kind("ftp-alias").kind == "ftp"
    with pytest.raises(ValueError, match="already registered"):
        register_kind("ftp", "elsewhere:Other")


def test_test_result_is_plain_data() -> None:
    assert TestResult(False, "x") == TestResult(False, "x")
    assert "password" not in repr(get_kind("sql"))


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections and then never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


@pytest.mark.parametrize("kind, config, secrets", [
    ("ftp", {"username": "bob"}, {"password": "pw-123456"}),
    ("sftp", {"username": "bob"}, {"password": "pw-123456"}),
    ("sql", {"dialect": "postgresql", "username": "bob", "database": "d"}, {"password": "pw-123456"}),
    ("sql", {"dialect": "mysql", "username": "bob", "database": "d"}, {"password": "pw-123456"}),
])
def test_a_silent_server_gets_a_bounded_answer(kind: str, config: dict, secrets: dict, silent_port: int) -> None:
    start = time.monotonic()
    result = get_kind(kind).test({**config, "host": "127.0.0.1", "port": silent_port}, secrets, timeout=1)
    assert time.monotonic() - start < 5
    assert not result.ok and "did not answer within" in result.message, result.message
