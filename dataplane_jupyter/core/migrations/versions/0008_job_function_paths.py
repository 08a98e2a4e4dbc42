"""jobs.function / jobs.on_end: the job modules moved into core's noun folders (issue #19)

A job record names its work as "module:function"; the records written before the move name the
old flat modules, so a job queued or running across an upgrade (and its on_end, run by the
reaper after a restart) would no longer be found.

Revision ID: 0008
Revises: 0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0003"
branch_labels = None
depends_on = None

MOVED = {
    "dataplane_jupyter.core.imports:": "dataplane_jupyter.core.datasets.imports:",
    "dataplane_jupyter.core.zip_import:": "dataplane_jupyter.core.datasets.zip_import:",
    "dataplane_jupyter.core.embeddings:": "dataplane_jupyter.core.embeddings.embeddings:",
    "dataplane_jupyter.core.export_runs:": "dataplane_jupyter.core.exports.runs:",
    "dataplane_jupyter.core.image_folder_import:": "dataplane_jupyter.core.images.folder_import:",
}


def _rename(moves: dict[str, str]) -> None:
    jobs = sa.table("jobs", sa.column("function", sa.String), sa.column("on_end", sa.String))
    for column in ("function", "on_end"):
        for old, new in moves.items():
            op.execute(
                jobs.update()
                .where(jobs.c[column].startswith(old, autoescape=True))
                .values({column: sa.func.replace(jobs.c[column], old, new)})
            )


def upgrade() -> None:
    _rename(MOVED)


def downgrade() -> None:
    _rename({new: old for old, new in MOVED.items()})
