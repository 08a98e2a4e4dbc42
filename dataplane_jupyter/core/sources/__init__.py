"""Sources: connectors and datasources of a project (sources) and the encryption of their secrets
(secrets).

The main names are importable from the package (`from dataplane_jupyter.core.sources import Connector`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataplane_jupyter.core.sources.sources import Connector, Connectors, Datasource, Datasources

_EXPORTS = {
    "Connector": "sources",
    "Connectors": "sources",
    "Datasource": "sources",
    "Datasources": "sources",
}
__all__ = ["Connector", "Connectors", "Datasource", "Datasources"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
