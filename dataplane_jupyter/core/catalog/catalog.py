"""The catalog: projects and everything scoped to them, shared by every process that opens it.

    catalog = Catalog(home="/tmp/dp")          # or Catalog() for $DATAPLANE_HOME / ~/.dataplane
    project = catalog.project("churn")         # created on first use
"""

from __future__ import annotations

import copy
import os
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import access, db, schema
from dataplane_jupyter.core.catalog.names import check_name
from dataplane_jupyter.core.catalog.project import Project
from dataplane_jupyter.core.catalog.records import unique_name
from dataplane_jupyter.core.catalog.storage import Storage
from dataplane_jupyter.core.config import Settings, SettingsOverrides
from dataplane_jupyter.core.errors import AlreadyExists, NotFound
from dataplane_jupyter.core.jobs.handles import Jobs
from dataplane_jupyter.core.models import DescribeProject

if TYPE_CHECKING:
    from typing_extensions import Unpack


class Catalog:
    """One metadata store plus one storage root; open it from any process."""

    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        **overrides: Unpack[SettingsOverrides],
    ) -> None:
        """``home`` and the keyword arguments (catalog_url, storage_url, executor, dask_address,
        user, access) as in :meth:`Settings.from_env`."""
        self.settings = Settings.from_env(home, **overrides)
        self.settings.home.mkdir(parents=True, exist_ok=True)
        self.engine = db.open_engine(self.settings.catalog_url)
        db.migrate(self.engine, lock_dir=self.settings.home)
        self.storage = Storage(self.settings.storage_url)
        self.jobs = Jobs(self)

    def __repr__(self) -> str:
        return f"Catalog(home={str(self.settings.home)!r})"

    @property
    def user(self) -> str:
        """Who creates records and starts jobs through this catalog (`DATAPLANE_USER`, `user=`)."""
        return self.settings.user

    @property
    def shared(self) -> bool:
        """True in shared mode (`DATAPLANE_ACCESS=members`): users see only their projects."""
        return self.settings.access == "members"

    def as_user(self, user: str) -> "Catalog":
        """The same catalog (database, storage, executor) used by another user, e.g. the
        Jupyter server's user of one request, or a schedule's creator."""
        if user == self.user:
            return self
        other = copy.copy(self)
        other.settings = self.settings.as_user(user)
        other.jobs = Jobs(other)
        return other

    def _query_projects(self) -> sa.Select:
        """Projects with the user's role; in shared mode only those they are a member of."""
        p, m = schema.projects, schema.project_members
        joined = p.outerjoin(m, sa.and_(m.c.project_id == p.c.id, m.c.username == self.user))
        query = sa.select(p, m.c.role).select_from(joined)
        return query.where(m.c.role.is_not(None)) if self.shared else query

    def projects(self) -> list[DescribeProject]:
        """Every project (in shared mode: every project the user is a member of), by name."""
        with self.engine.connect() as connection:
            rows = connection.execute(self._query_projects().order_by(schema.projects.c.name))
            return [DescribeProject.model_validate(row._mapping) for row in rows]

    def create_project(self, name: str, description: str = "") -> Project:
        """A new project; AlreadyExists if the name is taken."""
        name = check_name(name, "Project")
        taken = f"A project named {name!r} already exists."
        with unique_name(taken), self.engine.begin() as connection:  # a lost race is a 409 too
            exists = connection.execute(
                sa.select(schema.projects.c.id).where(schema.projects.c.name == name)
            ).first()
            if exists:
                raise AlreadyExists(taken, field="name")
            project_id = schema.new_id()
            connection.execute(schema.projects.insert().values(
                id=project_id, name=name, description=description, created_by=self.user))
            access.grant_owner(connection, project_id, self.user)
        return self.project(name, create=False)

    def project(self, name: str = "default", *, create: bool = True) -> Project:
        """The project with this name, created on first use unless `create=False`."""
        with self.engine.connect() as connection:
            row = connection.execute(self._query_projects().where(schema.projects.c.name == name)).first()
            if row is None and self.shared and create:
                # someone else's project: as absent as any other, but its name cannot be reused
                if connection.execute(sa.select(schema.projects.c.id).where(schema.projects.c.name == name)).first():
                    raise NotFound(f"No project named {name!r}.")
        if row is None:
            if not create:
                raise NotFound(f"No project named {name!r}.")
            try:
                return self.create_project(name)
            except AlreadyExists:
                return self.project(name, create=False)  # another process created it just now
        return Project(self, DescribeProject.model_validate(row._mapping))

    def project_by_id(self, project_id: str) -> Project:
        """The project with this id (NotFound otherwise)."""
        with self.engine.connect() as connection:
            row = connection.execute(self._query_projects().where(schema.projects.c.id == project_id)).first()
        if row is None:
            raise NotFound(f"No project with id {project_id!r}.")
        return Project(self, DescribeProject.model_validate(row._mapping))

    def delete_project(self, name: str) -> None:
        """Delete a project with everything it holds, our stored files included."""
        project = self.project(name, create=False)
        access.require(project, "owner", "delete the project")
        for dataset in project.datasets.list():
            dataset.delete()
        for folder in project.image_folders.list():
            folder.delete()
        with self.engine.begin() as connection:
            connection.execute(schema.projects.delete().where(schema.projects.c.id == project.id))


def project(name: str = "default", **catalog_options: Any) -> Project:
    """`dp.project("churn")`: a project of the default catalog (or of `Catalog(**options)`)."""
    return Catalog(**catalog_options).project(name)

