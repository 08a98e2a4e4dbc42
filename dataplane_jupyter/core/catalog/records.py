"""What every named, project-scoped record shares: unique names, lookup by id or name, rename."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.catalog.names import check_name
from dataplane_jupyter.core.errors import AlreadyExists, NotFound


def _name_taken(connection: sa.Connection, table: sa.Table, project_id: str, name: str, other_than: str | None) -> bool:
    query = sa.select(table.c.id).where(table.c.project_id == project_id, table.c.name == name)
    if other_than is not None:
        query = query.where(table.c.id != other_than)
    return connection.execute(query).first() is not None


def insert(engine: sa.Engine, table: sa.Table, project: Any, name: str, what: str, **values: Any) -> str:
    """Add a record named `name` (unique in the project); returns its id."""
    name = check_name(name, what)
    record_id = schema.new_id()
    with engine.begin() as connection:
        if _name_taken(connection, table, project.id, name, None):
            raise AlreadyExists(f"Project {project.name!r} already has a {what.lower()} named {name!r}.", field="name")
        connection.execute(table.insert().values(id=record_id, project_id=project.id, name=name, **values))
    return record_id


def update(engine: sa.Engine, table: sa.Table, project: Any, record_id: str, what: str, **values: Any) -> None:
    """Change fields of a record; a new `name` must stay unique in the project."""
    with engine.begin() as connection:
        if "name" in values:
            values["name"] = check_name(values["name"], what)
            if _name_taken(connection, table, project.id, values["name"], record_id):
                raise AlreadyExists(
                    f"Project {project.name!r} already has a {what.lower()} named {values['name']!r}.", field="name"
                )
        connection.execute(table.update().where(table.c.id == record_id).values(**values))


def find(engine: sa.Engine, query: sa.Select, table: sa.Table, project: Any, key: str, what: str) -> sa.Row:
    """The row whose id, or else name, is `key` (NotFound naming the project otherwise)."""
    with engine.connect() as connection:
        for column in (table.c.id, table.c.name):
            row = connection.execute(query.where(table.c.project_id == project.id, column == key)).first()
            if row is not None:
                return row
    raise NotFound(f"No {what.lower()} named {key!r} in project {project.name!r}.")


def delete(engine: sa.Engine, table: sa.Table, record_id: str) -> None:
    """Remove one record."""
    with engine.begin() as connection:
        connection.execute(table.delete().where(table.c.id == record_id))
