"""Connector kinds: sql, ftp, sftp, s3, gcp. `get_kind("sql").test(config, secrets)` and friends."""

from dataplane_jupyter.core.connectors.base import (
    ConnectorKind,
    Field,
    MissingDependency,
    TestResult,
)
from dataplane_jupyter.core.connectors.registry import available_kinds, get_kind, register_kind

__all__ = [
    "ConnectorKind",
    "Field",
    "MissingDependency",
    "TestResult",
    "available_kinds",
    "get_kind",
    "register_kind",
]
