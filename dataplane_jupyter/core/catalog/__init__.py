"""The catalog: its database (db, schema, migrations in core/migrations), the storage root, record names and
records, and projects.

The main names are importable from the package (`from dataplane_jupyter.core.catalog import Catalog`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog, project
    from dataplane_jupyter.core.catalog.names import check_name
    from dataplane_jupyter.core.catalog.project import Project
    from dataplane_jupyter.core.catalog.storage import Storage

_EXPORTS = {
    "Catalog": "catalog",
    "project": "catalog",
    "Project": "project",
    "Storage": "storage",
    "check_name": "names",
}
__all__ = ["Catalog", "Project", "Storage", "check_name", "project"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
