"""The catalog's tables (SQLAlchemy Core). Changing them needs a new migration in `migrations/`."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def new_id() -> str:
    """A random identifier for a new record."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (SQLite keeps none) and gives it back timezone-aware."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def _id() -> sa.Column:
    return sa.Column("id", sa.String(32), primary_key=True, default=new_id)


def _ref(name: str, table: str, *, nullable: bool = False, ondelete: str | None = None,
         primary_key: bool = False) -> sa.Column:
    """A column holding the id of a record of `table` (a foreign key)."""
    return sa.Column(name, sa.String(32), sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable,
                     primary_key=primary_key)


def _project() -> sa.Column:
    return _ref("project_id", "projects", ondelete="CASCADE")


def _creator(*, server_default: bool = True) -> sa.Column:
    """Who made the record (the catalog's user; the server default since migration 0009)."""
    return sa.Column("created_by", sa.String(200), nullable=False, default="",
                     server_default="" if server_default else None)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
        sa.Column("updated_at", UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow),
    ]


def _named_record(table: str, *columns: sa.Column, creator: sa.Column | None = None,
                  indexes: tuple[sa.Index, ...] = ()) -> sa.Table:
    """A table of a project's named records: id, project, a name unique in the project, the
    given columns, who made it and when."""
    return sa.Table(
        table,
        metadata,
        _id(),
        _project(),
        sa.Column("name", sa.String(200), nullable=False),
        *columns,
        _creator() if creator is None else creator,
        *_stamps(),
        sa.UniqueConstraint("project_id", "name"),
        *indexes,
    )


projects = sa.Table(
    "projects",
    metadata,
    _id(),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("description", sa.Text(), nullable=False, default=""),
    _creator(),
    *_stamps(),
)

connectors = _named_record(
    "connectors",
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("config", sa.JSON(), nullable=False, default=dict),
    sa.Column("secrets", sa.Text(), nullable=True),
)

datasources = _named_record(
    "datasources",
    _ref("connector_id", "connectors"),
    sa.Column("locator", sa.JSON(), nullable=False, default=dict),
)

datasets = _named_record(
    "datasets",
    sa.Column("origin", sa.String(30), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("error", sa.Text(), nullable=True),
    sa.Column("rows", sa.BigInteger(), nullable=True),
    sa.Column("n_columns", sa.Integer(), nullable=True),
    sa.Column("size_bytes", sa.BigInteger(), nullable=True),
    sa.Column("source", sa.JSON(), nullable=False, default=dict),
    _ref("datasource_id", "datasources", nullable=True, ondelete="SET NULL"),
    sa.Column("schema", sa.JSON(), nullable=False, default=list),
    sa.Column("warnings", sa.JSON(), nullable=False, default=list),
    sa.Column("job_id", sa.String(32), nullable=True),
    sa.Column("embeddings", sa.JSON(), nullable=True),
)

dataset_statistics = sa.Table(
    "dataset_statistics",
    metadata,
    _ref("dataset_id", "datasets", ondelete="CASCADE", primary_key=True),
    sa.Column("payload", sa.JSON(), nullable=False),
    sa.Column("computed_at", UTCDateTime(), nullable=False, default=utcnow),
)

image_folders = _named_record(
    "image_folders",
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("error", sa.Text(), nullable=True),
    sa.Column("n_images", sa.Integer(), nullable=True),
    sa.Column("size_bytes", sa.BigInteger(), nullable=True),
    sa.Column("storage_path", sa.String(500), nullable=True),
    sa.Column("summary", sa.JSON(), nullable=False, default=dict),
    sa.Column("warnings", sa.JSON(), nullable=False, default=list),
    sa.Column("job_id", sa.String(32), nullable=True),
)

feature_options = sa.Table(
    "feature_options",
    metadata,
    _id(),
    _project(),
    _ref("dataset_id", "datasets", nullable=True, ondelete="CASCADE"),
    _ref("image_folder_id", "image_folders", nullable=True, ondelete="CASCADE"),
    sa.Column("column_name", sa.String(500), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("options", sa.JSON(), nullable=False),
    _creator(server_default=False),
    sa.Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    sa.UniqueConstraint("dataset_id", "image_folder_id", "column_name", "version", name="uq_feature_options_version"),
    sa.Index("ix_feature_options_owner", "dataset_id", "image_folder_id", "column_name"),
)

exporters = _named_record(
    "exporters",
    _ref("connector_id", "connectors"),
    sa.Column("destination", sa.JSON(), nullable=False, default=dict),
    sa.Column("mode", sa.String(20), nullable=False),
    sa.Column("file_format", sa.String(20), nullable=False, default="csv"),
)

export_runs = sa.Table(
    "export_runs",
    metadata,
    _id(),
    _ref("exporter_id", "exporters", ondelete="CASCADE"),
    _ref("dataset_id", "datasets", nullable=True, ondelete="SET NULL"),
    sa.Column("dataset_name", sa.String(200), nullable=False),
    sa.Column("job_id", sa.String(32), nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("location", sa.Text(), nullable=True),
    sa.Column("rows", sa.BigInteger(), nullable=True),
    sa.Column("error", sa.Text(), nullable=True),
    sa.Column("started_at", UTCDateTime(), nullable=True),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    sa.Column("pipeline_run_id", sa.String(32), nullable=True),
    _creator(),
    *_stamps(),
)

jobs = sa.Table(
    "jobs",
    metadata,
    _id(),
    _ref("project_id", "projects", nullable=True, ondelete="CASCADE"),
    sa.Column("kind", sa.String(50), nullable=False),
    sa.Column("function", sa.String(200), nullable=False),
    sa.Column("on_end", sa.String(200), nullable=True),
    sa.Column("target_type", sa.String(30), nullable=True),
    sa.Column("target_id", sa.String(32), nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("progress", sa.Float(), nullable=False, default=0.0),
    sa.Column("message", sa.Text(), nullable=False, default=""),
    sa.Column("error", sa.Text(), nullable=True),
    sa.Column("params", sa.JSON(), nullable=False, default=dict),
    sa.Column("result", sa.JSON(), nullable=True),
    _creator(server_default=False),
    sa.Column("worker_host", sa.String(200), nullable=True),
    sa.Column("worker_pid", sa.Integer(), nullable=True),
    sa.Column("worker_started", sa.Float(), nullable=True),
    sa.Column("cancel_requested", sa.Boolean(), nullable=False, default=False),
    sa.Column("started_at", UTCDateTime(), nullable=True),
    sa.Column("peak_memory", sa.BigInteger(), nullable=True),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    *_stamps(),
    sa.Index("ix_jobs_status", "status"),
    sa.Index("ix_jobs_target", "target_type", "target_id"),
)

#: Who may see and change a project in shared mode (DATAPLANE_ACCESS=members; migration 0009).
project_members = sa.Table(
    "project_members",
    metadata,
    _ref("project_id", "projects", ondelete="CASCADE", primary_key=True),
    sa.Column("username", sa.String(200), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("added_by", sa.String(200), nullable=False, default=""),
    sa.Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    sa.Index("ix_project_members_username", "username"),
)

# -- pipelines (migration 0003) ----------------------------------------------------------------

pipelines = _named_record(
    "pipelines",
    sa.Column("description", sa.Text(), nullable=False, default=""),
    sa.Column("version", sa.Integer(), nullable=False, default=1),
    sa.Column("runs_started", sa.Integer(), nullable=False, default=0),
)

pipeline_versions = sa.Table(
    "pipeline_versions",
    metadata,
    _id(),
    _ref("pipeline_id", "pipelines", ondelete="CASCADE"),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("steps", sa.JSON(), nullable=False),
    sa.Column("base_dir", sa.Text(), nullable=True),
    _creator(server_default=False),
    sa.Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    sa.UniqueConstraint("pipeline_id", "version"),
)

pipeline_runs = sa.Table(
    "pipeline_runs",
    metadata,
    _id(),
    _project(),
    _ref("pipeline_id", "pipelines", ondelete="CASCADE"),
    sa.Column("number", sa.Integer(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("steps", sa.JSON(), nullable=False),
    sa.Column("params", sa.JSON(), nullable=False, default=dict),
    sa.Column("base_dir", sa.Text(), nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("error", sa.Text(), nullable=True),
    sa.Column("job_id", sa.String(32), nullable=True),
    sa.Column("trigger", sa.String(50), nullable=False, default="manual"),
    sa.Column("schedule_id", sa.String(32), nullable=True),
    sa.Column("retry_of", sa.String(32), nullable=True),
    sa.Column("published", sa.Boolean(), nullable=False, default=False),
    _creator(server_default=False),
    sa.Column("started_at", UTCDateTime(), nullable=True),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    *_stamps(),
    sa.Index("ix_pipeline_runs_pipeline", "pipeline_id", "number"),
    sa.Index("ix_pipeline_runs_schedule", "schedule_id"),
)

pipeline_run_steps = sa.Table(
    "pipeline_run_steps",
    metadata,
    _ref("run_id", "pipeline_runs", ondelete="CASCADE", primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("rows_in", sa.BigInteger(), nullable=True),
    sa.Column("rows_out", sa.BigInteger(), nullable=True),
    sa.Column("seconds", sa.Float(), nullable=True),
    sa.Column("message", sa.Text(), nullable=False, default=""),
    sa.Column("log", sa.Text(), nullable=False, default=""),
    sa.Column("result_path", sa.Text(), nullable=True),
    _ref("dataset_id", "datasets", nullable=True, ondelete="SET NULL"),
    sa.Column("dataset_role", sa.String(30), nullable=True),
    sa.Column("export_run_id", sa.String(32), nullable=True),
    sa.Column("notebook_path", sa.Text(), nullable=True),
    sa.Column("reused_from", sa.String(32), nullable=True),
    sa.Column("started_at", UTCDateTime(), nullable=True),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
)


#: One row per running job holding one of a machine's `DATAPLANE_MAX_JOBS` slots (core/slots.py).
job_slots = sa.Table(
    "job_slots",
    metadata,
    sa.Column("host", sa.String(200), primary_key=True),
    sa.Column("slot", sa.Integer(), primary_key=True),
    sa.Column("job_id", sa.String(32), nullable=False, unique=True),
    sa.Column("pid", sa.Integer(), nullable=False),
    sa.Column("pid_started", sa.Float(), nullable=True),
)


# -- schedules (migration 0004) ----------------------------------------------------------------

schedules = _named_record(
    "schedules",
    # What it starts: a pipeline run, or a datasource import into a new dataset snapshot. No
    # foreign key: a schedule whose target is deleted stays, disabled, with the reason.
    sa.Column("target_type", sa.String(20), nullable=False),
    sa.Column("target_id", sa.String(32), nullable=False),
    sa.Column("target_name", sa.String(200), nullable=False),
    sa.Column("cron", sa.String(200), nullable=True),
    sa.Column("timezone", sa.String(100), nullable=False, default="UTC"),
    sa.Column("every_seconds", sa.Float(), nullable=True),
    sa.Column("at", UTCDateTime(), nullable=True),
    sa.Column("anchor", UTCDateTime(), nullable=False, default=utcnow),
    sa.Column("params", sa.JSON(), nullable=False, default=dict),
    sa.Column("enabled", sa.Boolean(), nullable=False, default=True),
    sa.Column("disabled_reason", sa.Text(), nullable=True),
    # The tick a scheduler claims next: `UPDATE ... WHERE next_run = <the value it read>`.
    sa.Column("next_run", UTCDateTime(), nullable=True),
    sa.Column("retries", sa.Integer(), nullable=False, default=0),
    sa.Column("retry_delay", sa.Float(), nullable=False, default=60.0),
    # A pending retry: when, of which tick, which attempt (claimed the same conditional way).
    sa.Column("retry_at", UTCDateTime(), nullable=True),
    sa.Column("retry_tick", UTCDateTime(), nullable=True),
    sa.Column("retry_attempt", sa.Integer(), nullable=True),
    sa.Column("last_status", sa.String(30), nullable=True),
    sa.Column("last_fired_at", UTCDateTime(), nullable=True),
    creator=_creator(server_default=False),
    indexes=(sa.Index("ix_schedules_next_run", "enabled", "next_run"),),
)

schedule_runs = sa.Table(
    "schedule_runs",
    metadata,
    _id(),
    _ref("schedule_id", "schedules", ondelete="CASCADE"),
    sa.Column("tick", UTCDateTime(), nullable=False),
    sa.Column("attempt", sa.Integer(), nullable=False, default=1),
    # fired → succeeded | failed | retried; or skipped_overlap, skipped_missed, failed at once.
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("run_type", sa.String(30), nullable=True),
    sa.Column("run_id", sa.String(32), nullable=True),
    sa.Column("run_name", sa.String(200), nullable=True),
    sa.Column("message", sa.Text(), nullable=True),
    sa.Column("scheduler", sa.String(200), nullable=True),
    sa.Column("fired_at", UTCDateTime(), nullable=False, default=utcnow),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    # One record per tick and attempt, whichever scheduler writes it.
    sa.UniqueConstraint("schedule_id", "tick", "attempt", name="uq_schedule_runs_tick"),
    sa.Index("ix_schedule_runs_schedule", "schedule_id", "fired_at"),
    sa.Index("ix_schedule_runs_status", "status"),
)
