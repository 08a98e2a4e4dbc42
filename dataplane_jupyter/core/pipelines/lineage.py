"""Lineage of a dataset a pipeline run made: pipeline, version, run and step, the steps it was
computed through, the datasets they started from, and the exports of it the run made.

    project.datasets["weekly_scored_run3"].lineage()     # DatasetLineage, or None
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.models import DatasetLineage, LineageExport, LineageInput

from .definition import step_inputs, topological

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog

MADE = ("output", "intermediate", "snapshot")


def dataset_lineage(catalog: "Catalog", project_id: str, dataset_id: str) -> DatasetLineage | None:
    """Where the dataset comes from, when a pipeline run of the project made it; else None."""
    s, r, p, d = schema.pipeline_run_steps, schema.pipeline_runs, schema.pipelines, schema.datasets
    query = (sa.select(s, r.c.number, r.c.version, r.c.status.label("run_status"), r.c.steps.label("definition"),
                       r.c.pipeline_id, p.c.name.label("pipeline"))
             .select_from(s.join(r, s.c.run_id == r.c.id).join(p, r.c.pipeline_id == p.c.id))
             .where(s.c.dataset_id == dataset_id, s.c.dataset_role.in_(MADE), r.c.project_id == project_id)
             .order_by(r.c.number))
    with catalog.engine.connect() as connection:
        rows = list(connection.execute(query))
        if not rows:
            return None
        made = next((row for row in rows if row.status != "reused"), rows[0])
        steps = {row.name: row for row in connection.execute(
            sa.select(s, d.c.name.label("dataset")).select_from(s.outerjoin(d, s.c.dataset_id == d.c.id))
            .where(s.c.run_id == made.run_id))}
        e, x = schema.export_runs, schema.exporters
        exports = list(connection.execute(
            sa.select(e.c.id, e.c.status, e.c.location, x.c.name.label("exporter"))
            .select_from(e.outerjoin(x, e.c.exporter_id == x.c.id))
            .where(e.c.pipeline_run_id == made.run_id, e.c.dataset_id == dataset_id).order_by(e.c.started_at)))
    definition: list[dict[str, Any]] = list(made.definition)
    upstream = _upstream(definition, made.name)
    by_name = {step["name"]: step for step in definition}
    inputs = []
    for name in upstream:
        step, record = by_name[name], steps.get(name)
        if step["kind"] != "read":
            continue
        inputs.append(LineageInput(
            step=name, kind=step["kind"], role=record.dataset_role if record is not None else None,
            dataset_id=record.dataset_id if record is not None else None,
            dataset=record.dataset if record is not None else None,
            datasource=str(step["datasource"]) if step.get("datasource") else None))
    export_steps = {row.export_run_id: name for name, row in steps.items() if row.export_run_id}
    return DatasetLineage(
        pipeline_id=made.pipeline_id, pipeline=made.pipeline, version=made.version, run_id=made.run_id,
        run_number=made.number, run_status=made.run_status, step=made.name, step_kind=made.kind,
        role=made.dataset_role, upstream_steps=upstream, inputs=inputs,
        exports=[LineageExport(export_run_id=row.id, step=export_steps.get(row.id, ""), exporter=row.exporter,
                               status=row.status, location=row.location) for row in exports],
        reused_by=[row.number for row in rows if row.run_id != made.run_id],
    )


def _upstream(definition: list[dict[str, Any]], name: str) -> list[str]:
    """Every step `name` was computed from (directly or not), in execution order."""
    names = [step["name"] for step in definition]
    by_name = {step["name"]: step for step in definition}
    found: set[str] = set()
    todo = [name]
    while todo:
        for other in step_inputs(by_name[todo.pop()], names):
            if other not in found and other in by_name:
                found.add(other)
                todo.append(other)
    return [n for n in topological(definition) if n in found]
