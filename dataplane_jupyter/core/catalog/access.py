"""Who may see what: project members with roles, and the checks shared mode applies.

Every project has members, each with one role: `viewer` (reads), `editor` (also creates, runs,
imports, exports, deletes records) or `owner` (also manages members and connectors' secrets,
deletes the project). The user who creates a project is its owner. Members are always recorded;
the rules apply only in shared mode (`DATAPLANE_ACCESS=members`): there a user sees only the
projects they are a member of (any other answers "No project named …", as if it did not exist)
and does there what their role allows (`PermissionDenied` naming the role needed otherwise).
In the default `open` mode everyone who opens the catalog may do everything, as before.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.errors import InvalidChoice, InvalidInput, InvalidState, NotFound, PermissionDenied
from dataplane_jupyter.core.models import DescribeMember, Role

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project

__all__ = ["ROLES", "DescribeMember", "Members", "Role", "at_least", "check_role", "require", "role_of"]

ROLES: tuple[str, ...] = ("viewer", "editor", "owner")  # each may do what the ones before it may


def check_role(role: str) -> str:
    """A known role (InvalidChoice naming the field otherwise)."""
    value = str(role).strip().lower()
    if value not in ROLES:
        raise InvalidChoice(f"role must be one of {', '.join(ROLES)}, not {role!r}.", field="role")
    return value


def at_least(have: str | None, need: str) -> bool:
    """True when role `have` allows what role `need` allows."""
    return have is not None and ROLES.index(have) >= ROLES.index(need)


def role_of(connection: sa.Connection, project_id: str, user: str) -> str | None:
    """The stored role of `user` in the project (None when not a member)."""
    m = schema.project_members
    return connection.execute(
        sa.select(m.c.role).where(m.c.project_id == project_id, m.c.username == user)
    ).scalar()


def require(project: "Project", need: str, action: str) -> None:
    """In shared mode, PermissionDenied unless the catalog's user has role `need` or higher in
    the project. `action` says what was refused ("delete a dataset")."""
    catalog = project.catalog
    if catalog.settings.access != "members":
        return
    have = project.role
    if not at_least(have, need):
        raise refusal(action, project.name, need, catalog.user, have)


def refusal(action: str, project: str, need: str, user: str | None, have: str | None) -> PermissionDenied:
    """The PermissionDenied naming the action, the role it needs and the role the user has."""
    held = f"{'an' if have[0] in 'aeiou' else 'a'} {have}" if have else "not a member"
    return PermissionDenied(f"To {action} in project {project!r} you need the {need} role; "
                            f"{user or 'this user'!r} is {held}.")


def grant_owner(connection: sa.Connection, project_id: str, user: str) -> None:
    """Make `user` the owner of a new project."""
    connection.execute(schema.project_members.insert().values(
        project_id=project_id, username=user, role="owner", added_by=user))


class Members:
    """`project.members`: add, change, remove and list who may use the project."""

    def __init__(self, project: "Project") -> None:
        self.project = project

    @property
    def _engine(self) -> sa.Engine:
        return self.project.catalog.engine

    def list(self) -> builtins.list[DescribeMember]:
        """Every member, owners first, then by name."""
        m = schema.project_members
        with self._engine.connect() as connection:
            rows = connection.execute(
                sa.select(m.c.username.label("user"), m.c.role, m.c.added_by).where(m.c.project_id == self.project.id)
            ).all()
        members = [DescribeMember.model_validate(row._mapping) for row in rows]
        return sorted(members, key=lambda member: (-ROLES.index(member.role), member.user))

    def __len__(self) -> int:
        return len(self.list())

    def __contains__(self, user: object) -> bool:
        return any(member.user == user for member in self.list())

    def __getitem__(self, user: str) -> DescribeMember:
        for member in self.list():
            if member.user == user:
                return member
        raise NotFound(f"{user!r} is not a member of project {self.project.name!r}.")

    def add(self, user: str, role: str = "viewer") -> DescribeMember:
        """Add a member, or give a member another role (owners only in shared mode)."""
        user = str(user or "").strip()
        if not user:
            raise InvalidInput("user must not be empty.", field="user")
        if len(user) > 200:
            raise InvalidInput("user must be at most 200 characters.", field="user")
        role = check_role(role)
        require(self.project, "owner", "manage members")
        m = schema.project_members
        with self._engine.begin() as connection:
            before = role_of(connection, self.project.id, user)
            if before == "owner" and role != "owner":
                self._keep_an_owner(connection, user)
            if before is None:
                connection.execute(m.insert().values(project_id=self.project.id, username=user, role=role,
                                                     added_by=self.project.catalog.user))
            else:
                connection.execute(m.update().where(m.c.project_id == self.project.id, m.c.username == user)
                                   .values(role=role))
        return self[user]

    def remove(self, user: str) -> None:
        """Remove a member (owners only in shared mode; the last owner stays)."""
        require(self.project, "owner", "manage members")
        m = schema.project_members
        with self._engine.begin() as connection:
            before = role_of(connection, self.project.id, user)
            if before is None:
                raise NotFound(f"{user!r} is not a member of project {self.project.name!r}.")
            if before == "owner":
                self._keep_an_owner(connection, user)
            connection.execute(m.delete().where(m.c.project_id == self.project.id, m.c.username == user))

    def _keep_an_owner(self, connection: sa.Connection, leaving: str) -> None:
        m = schema.project_members
        others = connection.execute(sa.select(sa.func.count()).where(
            m.c.project_id == self.project.id, m.c.role == "owner", m.c.username != leaving)).scalar()
        if not others:
            raise InvalidState(f"{leaving!r} is the last owner of project {self.project.name!r}; "
                               "make someone else owner first.", field="user")

    def __repr__(self) -> str:
        return f"<Members of {self.project.name!r}: {', '.join(f'{m.user} ({m.role})' for m in self.list())}>"
