"""job_slots: the concurrent-job cap claimed in the catalog; jobs.peak_memory of the worker

Revision ID: 0007
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_slots",
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(32), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("pid_started", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("host", "slot", name="pk_job_slots"),
        sa.UniqueConstraint("job_id", name="uq_job_slots_job_id"),
    )
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("peak_memory", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("peak_memory")
    op.drop_table("job_slots")
