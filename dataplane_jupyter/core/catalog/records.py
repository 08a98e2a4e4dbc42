"""What every named, project-scoped record shares: unique names, lookup by id or name, rename.

This is the one place that owns name uniqueness: the look-before-insert gives the friendly
message, and `unique_name` turns the database's own unique constraint (the loser of a race
between two parallel creates or renames) into the same AlreadyExists, never a 500.
"""

from __future__ import annotations

import builtins
import inspect
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, Iterator, Protocol, TypeVar, get_args

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.catalog.names import check_name
from dataplane_jupyter.core.errors import AlreadyExists, ImportFailed, NotFound

if TYPE_CHECKING:
    from typing_extensions import Self

    from dataplane_jupyter.core.catalog.project import Project
    from dataplane_jupyter.core.jobs.store import Job

D = TypeVar("D")
C = TypeVar("C", bound=type)


class FilledByJob(Protocol):
    """A record description that names the job filling it."""

    @property
    def job_id(self) -> str | None: ...


J = TypeVar("J", bound=FilledByJob)


class Named(Protocol):
    """A record handle with an id and a name."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


R = TypeVar("R", bound=Named)


class Collection(Generic[R]):
    """What every collection of a project does over its `list()`: iterate, count, and `in`
    by id or name."""

    def list(self) -> builtins.list[R]:
        """The records, in the collection's order."""
        raise NotImplementedError

    def __iter__(self) -> Iterator[R]:
        return iter(self.list())

    def __len__(self) -> int:
        return len(self.list())

    def __contains__(self, key: object) -> bool:
        return any(key in (record.id, record.name) for record in self.list())


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


def insert(engine: sa.Engine, table: sa.Table, project: Any, name: str, what: str, *, need: str = "editor",
           **values: Any) -> str:
    """Add a record named `name` (unique in the project), made by the catalog's user; returns its
    id. In shared mode the user needs role `need` in the project."""
    project.require(need, f"create a {what.lower()}")
    name = check_name(name, what)
    if "created_by" in table.c and "created_by" not in values:
        values["created_by"] = project.catalog.user
    record_id = schema.new_id()
    taken = f"Project {project.name!r} already has a {what.lower()} named {name!r}."
    with unique_name(taken), engine.begin() as connection:
        if _name_taken(connection, table, project.id, name, None):
            raise AlreadyExists(taken, field="name")
        connection.execute(table.insert().values(id=record_id, project_id=project.id, name=name, **values))
    return record_id


def update(engine: sa.Engine, table: sa.Table, project: Any, record_id: str, what: str, *, need: str = "editor",
           **values: Any) -> None:
    """Change fields of a record; a new `name` must stay unique in the project. In shared mode
    the user needs role `need` in the project."""
    project.require(need, f"change a {what.lower()}")
    if "name" in values:
        values["name"] = check_name(values["name"], what)
    taken = f"Project {project.name!r} already has a {what.lower()} named {values.get('name')!r}."
    with unique_name(taken), engine.begin() as connection:
        if "name" in values and _name_taken(connection, table, project.id, values["name"], record_id):
            raise AlreadyExists(taken, field="name")
        connection.execute(table.update().where(table.c.id == record_id).values(**values))


def newest_first(query: sa.Select, table: sa.Table, project: Any, search: str | None = None) -> sa.Select:
    """`query` kept to the project's records of `table`, newest first; `search` keeps the names
    containing it (any case)."""
    query = query.where(table.c.project_id == project.id).order_by(table.c.created_at.desc())
    if search:
        query = query.where(sa.func.lower(table.c.name).contains(search.lower(), autoescape=True))
    return query


def find(engine: sa.Engine, query: sa.Select, table: sa.Table, project: Any, key: str, what: str) -> sa.Row:
    """The row whose id, or else name, is `key` (NotFound naming the project otherwise)."""
    with engine.connect() as connection:
        for column in (table.c.id, table.c.name):
            row = connection.execute(query.where(table.c.project_id == project.id, column == key)).first()
            if row is not None:
                return row
    raise NotFound(f"No {what.lower()} named {key!r} in project {project.name!r}.")


def set_fields(engine: sa.Engine, table: sa.Table, record_id: str, **values: Any) -> None:
    """Write fields of a record as a job moves it along (status, progress, results): no rights or
    name checks, for the core's own bookkeeping."""
    with engine.begin() as connection:
        connection.execute(table.update().where(table.c.id == record_id).values(**values))


def delete(engine: sa.Engine, table: sa.Table, record_id: str) -> None:
    """Remove one record."""
    with engine.begin() as connection:
        connection.execute(table.delete().where(table.c.id == record_id))


def _read_field(field: str, doc: str) -> property:
    def read(self: Any) -> Any:
        value = getattr(self.info, field)
        return value.value if isinstance(value, Enum) else value

    return property(read, doc=doc)


def fields_from_docstring(cls: C) -> C:
    """Class decorator of a record handle: each attribute its docstring lists under `Attributes:`
    (`name: what it is`, a deeper-indented line continuing it) becomes a read-only property that
    reads that field of the record afresh (`handle.info.name`, an enum as its value), with that
    text as its docstring. The list says once what the handle shows, for `help()` and for the code;
    a name that is not a field of the record's model (`Record[Model]`) is refused on import."""
    lines = inspect.cleandoc(cls.__doc__ or "").splitlines()
    if "Attributes:" not in lines:
        raise TypeError(f"{cls.__name__}'s docstring has no 'Attributes:' section.")
    docs: dict[str, str] = {}
    for line in lines[lines.index("Attributes:") + 1:]:
        if not line.startswith("    "):
            break
        if line.startswith("        ") and docs:
            last = next(reversed(docs))
            docs[last] += " " + line.strip()
        else:
            field, _, doc = line.strip().partition(": ")
            docs[field] = doc
    models = [get_args(base)[0] for base in getattr(cls, "__orig_bases__", ()) if get_args(base)]
    known = getattr(models[0], "model_fields", None) if models else None
    unknown = [field for field in docs if known is not None and field not in known]
    if unknown:
        raise TypeError(f"{cls.__name__}: {', '.join(unknown)} not fields of {models[0].__name__}.")
    for field, doc in docs.items():
        setattr(cls, field, _read_field(field, doc))
    setattr(cls, "_snapshot_fields", tuple(docs))  # noqa: B010 - a class attribute the type checker does not know
    return cls


class RowHandle:
    """A handle on one record of a project as its catalog row was read (a connector, a datasource,
    an exporter, a pipeline): `id`, `name`, and the row's other fields for the subclass."""

    def __init__(self, project: "Project", row: sa.Row) -> None:
        self.project = project
        self._row = row

    id = property(lambda self: self._row.id, doc="The record's identifier.")
    name = property(lambda self: self._row.name, doc="The record's name.")


class Record(Generic[D]):
    """A handle on one stored record.

    `describe()` is the snapshot read last (no query: cheap, for listings and REST replies);
    `refresh()` reads the record again; `info` does both. The attributes that follow the record's
    progress (`status`, `rows`, ...) read it afresh.
    """

    _info: D

    def _load(self) -> D:
        """The record as stored now (NotFound once it is deleted)."""
        raise NotImplementedError

    def describe(self) -> D:
        """The record as read last (no query)."""
        return self._info

    def refresh(self) -> Self:
        """Read the record again; returns the handle."""
        self._info = self._load()
        return self

    @property
    def info(self) -> D:
        """The current record (re-read from the catalog)."""
        return self.refresh().describe()


class RecordWithJob(Record[J]):
    """A record that a job fills (a dataset's import, an image folder's upload, an export):
    `.job`, and `.wait()` until the job's work is done. A subclass says when that is (`_done`)."""

    catalog: Any
    _noun: str = "Record"

    if TYPE_CHECKING:
        def __getattr__(self, name: str) -> Any:
            """For type checkers: the attributes `fields_from_docstring` adds to a subclass."""

    def _done(self, info: J) -> bool:
        """True once the record is complete; raises (ImportFailed, JobFailed) once it never will be."""
        raise NotImplementedError

    def _waiting(self) -> str:
        """What a wait that timed out says."""
        info: Any = self._info
        status = info.status.value if isinstance(info.status, Enum) else info.status
        return f"{self._noun} {info.name!r} still {status}"

    @property
    def job(self) -> Job | None:
        """The job that fills the record, if any."""
        job_id = self.info.job_id
        return self.catalog.jobs.get(job_id) if job_id else None

    def wait(self, timeout: float | None = None, poll: float = 0.2) -> Self:
        """Block until the record is complete; raises with the reason if its job failed."""

        def done() -> Self | None:
            return self if self._done(self.info) else None

        return self.catalog.jobs.wait_until(done, timeout=timeout, poll=poll, waiting=self._waiting)


class RunRecord(RecordWithJob[J]):
    """A run found by its id in a project (an export run, a pipeline run): read now unless the
    caller already holds its description."""

    def __init__(self, project: "Project", run_id: str, info: J | None = None) -> None:
        self.project = project
        self.catalog = project.catalog
        self.id = run_id
        self._info = info if info is not None else self._load()


class ImportedRecord(RecordWithJob[J]):
    """A record an import fills (a dataset, an image folder): complete once `ready`; `failed`
    raises ImportFailed with the reason."""

    def __init__(self, project: "Project", info: J) -> None:
        self.project = project
        self.catalog = project.catalog
        self._info = info

    id = property(lambda self: self._info.id, doc="The record's identifier.")
    name = property(lambda self: self.info.name, doc="The record's name.")

    def _done(self, info: J) -> bool:
        described: Any = info
        if described.status.value == "failed":
            raise ImportFailed(f"{self._noun} {described.name!r} failed: {described.error}")
        return bool(described.status.value == "ready")
