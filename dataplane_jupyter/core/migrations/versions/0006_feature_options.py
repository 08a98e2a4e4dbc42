"""feature_options: per-column Transformation / Color mode of image columns, one row per version

Revision ID: 0006
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feature_options",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("project_id", sa.String(32), sa.ForeignKey("projects.id", ondelete="CASCADE", name="fk_feature_options_project_id_projects"), nullable=False),
        sa.Column("dataset_id", sa.String(32), sa.ForeignKey("datasets.id", ondelete="CASCADE", name="fk_feature_options_dataset_id_datasets"), nullable=True),
        sa.Column("image_folder_id", sa.String(32), sa.ForeignKey("image_folders.id", ondelete="CASCADE", name="fk_feature_options_image_folder_id_image_folders"), nullable=True),
        sa.Column("column_name", sa.String(500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feature_options"),
        sa.UniqueConstraint("dataset_id", "image_folder_id", "column_name", "version", name="uq_feature_options_version"),
    )
    op.create_index("ix_feature_options_owner", "feature_options", ["dataset_id", "image_folder_id", "column_name"])


def downgrade() -> None:
    op.drop_index("ix_feature_options_owner", table_name="feature_options")
    op.drop_table("feature_options")
