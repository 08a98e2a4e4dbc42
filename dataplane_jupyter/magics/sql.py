"""`%%dataplane sql CONNECTOR`: a query through a saved SQL connector, previewed, optionally saved.

The preview reads at most `limit` rows. Saving makes a datasource holding the query and imports
it as a dataset, so the rows stream from the database into storage instead of passing through
the kernel's memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..core.catalog.project import Project
from ..core.errors import InvalidInput, NotFound

MAX_LIMIT = 10_000


@dataclass
class SqlResult:
    """The preview, and the dataset being imported when the query was saved."""

    preview: pd.DataFrame
    dataset: Any = None


def sql_connector(project: Project, name: str) -> Any:
    """The named connector, checked to be an SQL one; the error lists the SQL connectors."""
    try:
        connector = project.connectors[name]
    except NotFound:
        known = [c.name for c in project.connectors.list() if c.kind == "sql"]
        hint = f"SQL connectors in project {project.name!r}: {', '.join(known)}" if known else (
            f"project {project.name!r} has no SQL connector yet: create one with "
            "project.connectors.create(name, kind='sql', ...) or dp.panel()")
        raise InvalidInput(f"No connector named {name!r}; {hint}.", field="connector") from None
    if connector.kind != "sql":
        raise InvalidInput(f"Connector {name!r} is a {connector.kind} connector: %%dataplane sql needs an SQL one.",
                           field="connector")
    return connector


def preview_query(project: Project, connector: str, query: str, limit: int) -> pd.DataFrame:
    """The first `limit` rows of the query's result (InvalidInput with the database's message)."""
    if not query.strip():
        raise InvalidInput("The cell is empty: write a SELECT query under `%%dataplane sql CONNECTOR`.",
                           field="query")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"--limit must be between 1 and {MAX_LIMIT:,}, got {limit}.", field="limit")
    sql_connector(project, connector)
    result = project.datasources.test(connector, query=query.strip(), rows=limit)
    if not result.ok:
        raise InvalidInput(f"The query failed: {result.message}", field="query")
    return pd.DataFrame(result.rows, columns=[c["name"] for c in result.columns])


def save_query(project: Project, connector: str, query: str, name: str) -> Any:
    """A datasource `name` holding the query, imported as dataset `name` (returns at once)."""
    if name in project.datasets:
        raise InvalidInput(f"Project {project.name!r} already has a dataset named {name!r}: "
                           "pick another --save-as name.", field="name")
    owner = project.connectors[connector]
    locator = {"query": query.strip()}
    try:
        existing = project.datasources[name]
    except NotFound:
        project.datasources.create(name, connector, **locator)
    else:
        if existing.info.connector_id != owner.id or existing.locator != locator:
            raise InvalidInput(f"A datasource named {name!r} already exists with another query or connector: "
                               "pick another --save-as name.", field="name")
    return project.datasets.import_datasource(name, name=name)


def run_sql(project: Project, connector: str, query: str, *, limit: int = 20,
            save_as: str | None = None) -> SqlResult:
    """Preview the query and, with `save_as`, start importing its whole result as a dataset."""
    preview = preview_query(project, connector, query, limit)
    dataset = save_query(project, connector, query, save_as) if save_as else None
    return SqlResult(preview, dataset)
