"""The catalog: its database (db, schema, migrations in core/migrations), the storage root, record names and
records, and projects.

The main names are importable from the package (`from dataplane_jupyter.core.catalog import Catalog`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataplane_jupyter.core._lazy import lazy_exports

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog, project
    from dataplane_jupyter.core.catalog.names import check_name
    from dataplane_jupyter.core.catalog.project import Project
    from dataplane_jupyter.core.catalog.storage import Storage

__all__ = ["Catalog", "Project", "Storage", "check_name", "project"]
__getattr__ = lazy_exports(__name__, {
    "Catalog": "catalog",
    "project": "catalog",
    "Project": "project",
    "Storage": "storage",
    "check_name": "names",
})
