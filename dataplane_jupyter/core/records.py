"""What every named record shares: valid and unique names, lookup by id or name, rename.

This is the one place that owns name uniqueness: the look-before-insert gives the friendly
message, and `unique_name` turns the database's own unique constraint (the loser of a race
between two parallel creates or renames) into the same AlreadyExists, never a 500.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator

import sqlalchemy as sa

from . import schema
from .errors import AlreadyExists, InvalidInput, NotFound

NAME_PATTERN = re.compile(r"^[^/\\\x00-\x1f]{1,200}$")
UNREACHABLE_NAMES = (".", "..")  # URL paths normalise them away


def check_name(name: str, what: str) -> str:
    """A usable record name: non-blank, at most 200 characters, no slashes or control codes,
    not `.` or `..`."""
    if not isinstance(name, str) or not name.strip() or not NAME_PATTERN.match(name):
        raise InvalidInput(
            f"{what} name {name!r} is not valid: use 1–200 characters, no slash or control character.",
            field="name",
        )
    if name.strip() in UNREACHABLE_NAMES:
        raise InvalidInput(f"{what} name {name!r} is not valid: '.' and '..' cannot be names.", field="name")
    return name.strip()


def _is_unique_violation(error: sa.exc.IntegrityError) -> bool:
    text = str(error.orig).lower()
    return "unique" in text or "duplicate" in text  # SQLite, PostgreSQL / MySQL, MariaDB


@contextmanager
def unique_name(message: str) -> Iterator[None]:
    """Run a write; a unique-constraint failure in it becomes AlreadyExists(message)."""
    try:
        yield
    except sa.exc.IntegrityError as error:
        if not _is_unique_violation(error):
            raise
        raise AlreadyExists(message, field="name") from None


def _name_taken(connection: sa.Connection, table: sa.Table, project_id: str, name: str, other_than: str | None) -> bool:
    query = sa.select(table.c.id).where(table.c.project_id == project_id, table.c.name == name)
    if other_than is not None:
        query = query.where(table.c.id != other_than)
    return connection.execute(query).first() is not None


def insert(engine: sa.Engine, table: sa.Table, project: Any, name: str, what: str, **values: Any) -> str:
    """Add a record named `name` (unique in the project); returns its id."""
    name = check_name(name, what)
    record_id = schema.new_id()
    taken = f"Project {project.name!r} already has a {what.lower()} named {name!r}."
    with unique_name(taken), engine.begin() as connection:
        if _name_taken(connection, table, project.id, name, None):
            raise AlreadyExists(taken, field="name")
        connection.execute(table.insert().values(id=record_id, project_id=project.id, name=name, **values))
    return record_id


def update(engine: sa.Engine, table: sa.Table, project: Any, record_id: str, what: str, **values: Any) -> None:
    """Change fields of a record; a new `name` must stay unique in the project."""
    if "name" in values:
        values["name"] = check_name(values["name"], what)
    taken = f"Project {project.name!r} already has a {what.lower()} named {values.get('name')!r}."
    with unique_name(taken), engine.begin() as connection:
        if "name" in values and _name_taken(connection, table, project.id, values["name"], record_id):
            raise AlreadyExists(taken, field="name")
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
