"""Who may see what: `created_by` on every named record, and project members with roles

Existing projects get one owner so that nothing is lost when shared mode is switched on:
`DATAPLANE_DEFAULT_OWNER` if set, else the user running the migration (`DATAPLANE_USER`, the
JupyterHub user or the login name). Records made before this revision keep an empty creator.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-04
"""

import os
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from dataplane_jupyter.core.config import default_user

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

CREATED_BY = ("projects", "connectors", "datasources", "datasets", "image_folders", "exporters",
              "export_runs", "pipelines")


def upgrade() -> None:
    for table in CREATED_BY:
        op.add_column(table, sa.Column("created_by", sa.String(200), nullable=False, server_default=""))
    members = op.create_table(
        "project_members",
        sa.Column("project_id", sa.String(32), sa.ForeignKey("projects.id", ondelete="CASCADE",
                                                             name="fk_project_members_project_id_projects"),
                  nullable=False),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "username", name="pk_project_members"),
    )
    op.create_index("ix_project_members_username", "project_members", ["username"])
    owner = (os.environ.get("DATAPLANE_DEFAULT_OWNER") or default_user()).strip()
    connection = op.get_bind()
    projects = sa.table("projects", sa.column("id", sa.String), sa.column("created_by", sa.String))
    ids = connection.execute(sa.select(projects.c.id)).scalars().all()
    if ids and owner:
        connection.execute(projects.update().values(created_by=owner))
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        op.bulk_insert(members, [
            {"project_id": pid, "username": owner, "role": "owner", "added_by": owner, "created_at": now}
            for pid in ids
        ])


def downgrade() -> None:
    op.drop_index("ix_project_members_username", table_name="project_members")
    op.drop_table("project_members")
    for table in reversed(CREATED_BY):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("created_by")
