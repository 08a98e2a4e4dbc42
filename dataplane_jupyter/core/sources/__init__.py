"""Sources: connectors and datasources of a project (sources) and the encryption of their secrets
(secrets).

The main names are importable from the package (`from dataplane_jupyter.core.sources import Connector`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataplane_jupyter.core._lazy import lazy_exports

if TYPE_CHECKING:
    from dataplane_jupyter.core.sources.sources import Connector, Connectors, Datasource, Datasources

__all__ = ["Connector", "Connectors", "Datasource", "Datasources"]
__getattr__ = lazy_exports(__name__, {
    "Connector": "sources",
    "Connectors": "sources",
    "Datasource": "sources",
    "Datasources": "sources",
})
