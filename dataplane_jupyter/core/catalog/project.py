"""A project: the scope of datasets, image folders, connectors, datasources and exporters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataplane_jupyter.core.catalog import access
from dataplane_jupyter.core.datasets.datasets import Datasets
from dataplane_jupyter.core.exports.exporters import Exporters
from dataplane_jupyter.core.images.folders import ImageFolders
from dataplane_jupyter.core.jobs.store import Job
from dataplane_jupyter.core.models import DescribeProject
from dataplane_jupyter.core.pipelines import Pipelines
from dataplane_jupyter.core.schedules.collection import Schedules
from dataplane_jupyter.core.sources.sources import Connectors, Datasources

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog


class Project:
    """Entry point for everything scoped to one project."""

    def __init__(self, catalog: "Catalog", info: DescribeProject) -> None:
        self.catalog = catalog
        self.info = info
        self.datasets = Datasets(self)
        self.connectors = Connectors(self)
        self.datasources = Datasources(self)
        self.exporters = Exporters(self)
        self.image_folders = ImageFolders(self)
        self.pipelines = Pipelines(self)
        self.schedules = Schedules(self)
        self.members = access.Members(self)

    @property
    def id(self) -> str:
        """The project's identifier."""
        return self.info.id

    @property
    def name(self) -> str:
        """The project's name."""
        return self.info.name

    @property
    def role(self) -> str | None:
        """The catalog user's role here, read afresh (None when not a member)."""
        with self.catalog.engine.connect() as connection:
            return access.role_of(connection, self.id, self.catalog.user)

    def require(self, role: str, action: str) -> None:
        """In shared mode, PermissionDenied unless the user's role here is `role` or higher."""
        access.require(self, role, action)

    def jobs(self, *, statuses: list[str] | None = None, limit: int = 200) -> list[Job]:
        """The project's jobs, newest first."""
        return self.catalog.jobs.list(project_id=self.id, statuses=statuses, limit=limit)

    def __repr__(self) -> str:
        return f"<Project {self.name!r} datasets={len(self.datasets)}>"
