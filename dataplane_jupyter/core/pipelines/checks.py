"""Checks of a pipeline definition against the catalog: the datasets, datasources and exporters it
names exist in the project, and every SQL step binds in DuckDB over the schemas of its inputs
(where they are known before running: datasets, datasources, other SQL steps)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from dataplane_jupyter.core.connectors.base import bounded
from dataplane_jupyter.core.errors import DataplaneError, NotFound
from dataplane_jupyter.core.limits import duckdb_memory_limit

from .definition import Problem, check_structure, duckdb_message, step_inputs, topological

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project

DATASOURCE_SCHEMA_TIMEOUT = 10.0


def check_definition(project: "Project", steps: list[dict[str, Any]], *, bind_sql: bool = True) -> list[Problem]:
    """Every problem of `steps`: the document's own, then those that need the catalog."""
    problems = check_structure(steps)
    if problems:
        return problems
    return check_catalog(project, steps, bind_sql=bind_sql)


def check_catalog(project: "Project", steps: list[dict[str, Any]], *, bind_sql: bool = True) -> list[Problem]:
    """Problems with the records a structurally valid definition names, and SQL that cannot bind."""
    problems: list[Problem] = []
    index = {s["name"]: i for i, s in enumerate(steps)}
    schemas: dict[str, pa.Schema | None] = {}
    for name in topological(steps):
        step = steps[index[name]]
        kind = step["kind"]
        try:
            if kind == "read" and step.get("dataset"):
                schemas[name] = _dataset_schema(project, str(step["dataset"]))
            elif kind == "read":
                schemas[name] = _datasource_schema(project, str(step["datasource"])) if bind_sql else None
            elif kind == "export":
                _exporter(project, str(step["exporter"]))
            elif kind == "sql" and bind_sql:
                schemas[name] = _bind(step, schemas)
            else:
                schemas[name] = None
        except _Problem as problem:
            problems.append(Problem(index[name], name, problem.field, problem.message))
            schemas[name] = None
    return problems


class _Problem(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _exporter(project: "Project", key: str) -> None:
    try:
        project.exporters[key]
    except NotFound:
        raise _Problem("exporter", f"no exporter named {key!r} in project {project.name!r}") from None


def _dataset_schema(project: "Project", key: str) -> pa.Schema | None:
    datasets = project.datasets
    try:
        dataset = datasets[key]
    except NotFound:
        try:
            dataset = datasets.get(key)
        except NotFound:
            raise _Problem("dataset", f"no dataset named {key!r} in project {project.name!r}") from None
    try:
        first = next(iter(dataset.iter_batches(batch_rows=1)), None)
    except DataplaneError:
        return None  # not copied yet: its columns are unknown until the run
    return first.schema if first is not None else dataset.to_arrow().schema


def _datasource_schema(project: "Project", key: str) -> pa.Schema | None:

    try:
        source = project.datasources[key]
    except NotFound:
        raise _Problem("datasource", f"no datasource named {key!r} in project {project.name!r}") from None
    try:
        return bounded(lambda: source.preview(rows=1).schema, DATASOURCE_SCHEMA_TIMEOUT, f"Datasource {key!r}")
    except Exception:  # noqa: BLE001 - unreachable now is no reason to refuse the definition
        return None


def _bind(step: dict[str, Any], schemas: dict[str, pa.Schema | None]) -> pa.Schema | None:
    """The result schema of a SQL step if all its inputs' schemas are known; a bind error otherwise."""
    import duckdb


    inputs = step_inputs(step, list(schemas))
    if any(schemas.get(name) is None for name in inputs):
        return None

    # binds empty tables only; never installs or loads an extension (nothing downloads)
    connection = duckdb.connect(config={"memory_limit": duckdb_memory_limit(), "autoinstall_known_extensions": False,
                                        "autoload_known_extensions": False})
    try:
        for name in inputs:
            schema = schemas[name]
            assert schema is not None
            connection.register(name, schema.empty_table())
        try:
            relation = connection.sql(str(step["query"]))
        except duckdb.Error as exc:
            raise _Problem("query", f"DuckDB cannot bind the query: {duckdb_message(exc)}") from None
        if relation is None:
            raise _Problem("query", "the query returns no rows: a sql step is one SELECT")
        return relation.limit(0).to_arrow_table().schema
    finally:
        connection.close()

