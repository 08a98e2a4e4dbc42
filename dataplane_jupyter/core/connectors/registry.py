"""Connector kinds by name, imported only when first asked for (like fsspec's `known_implementations`).

Our own modules import their client libraries lazily, so every kind can describe its fields (for
forms) even when its client library is missing; calls then raise `MissingDependency` with the
`pip install` line. Other packages add kinds with the entry-point group `dataplane_jupyter.connectors`
(`name = "module:Class"`) or with `register_kind`.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from dataplane_jupyter.core.connectors.base import ConnectorKind
from dataplane_jupyter.core.errors import InvalidInput

ENTRY_POINT_GROUP = "dataplane_jupyter.connectors"

known_kinds: dict[str, str] = {
    "sql": "dataplane_jupyter.core.connectors.sql:SQLConnector",
    "ftp": "dataplane_jupyter.core.connectors.ftp:FTPConnector",
    "sftp": "dataplane_jupyter.core.connectors.sftp:SFTPConnector",
    "s3": "dataplane_jupyter.core.connectors.s3:S3Connector",
    "gcp": "dataplane_jupyter.core.connectors.gcp:GCPConnector",
}

_instances: dict[str, ConnectorKind] = {}


def register_kind(name: str, target: str, *, clobber: bool = False) -> None:
    """Make `get_kind(name)` load `target` ("module:Class")."""
    if name in known_kinds and known_kinds[name] != target and not clobber:
        raise ValueError(f"connector kind {name!r} is already registered as {known_kinds[name]}")
    known_kinds[name] = target
    _instances.pop(name, None)


def _load_entry_points() -> None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        known_kinds.setdefault(ep.name, ep.value)


def available_kinds() -> list[str]:
    """Every kind name `get_kind` accepts."""
    _load_entry_points()
    return sorted(known_kinds)


def get_kind(name: str) -> ConnectorKind:
    """The connector kind called `name` (sql, ftp, sftp, s3, gcp, or a registered one)."""
    if name not in _instances:
        if name not in known_kinds:
            _load_entry_points()
        if name not in known_kinds:
            raise InvalidInput(f"unknown connector kind {name!r}; known kinds: {', '.join(available_kinds())}",
                               field="kind")
        module, _, cls = known_kinds[name].partition(":")
        _instances[name] = getattr(importlib.import_module(module), cls)()
    return _instances[name]
