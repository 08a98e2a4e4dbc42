"""A pipeline definition: a list of plain step dicts, checked without touching the catalog.

    [{"name": "sales", "kind": "read", "datasource": "weekly"},
     {"name": "clean", "kind": "sql", "query": "select * from sales where amount > 0"},
     {"name": "scored", "kind": "predict", "input": "clean", "model": "models/churn.joblib"},
     {"name": "out", "kind": "export", "input": "scored", "exporter": "wh"}]

Every problem is reported as a `Problem` naming the step and the field, so the same messages
serve Python, REST, the CLI and the YAML editor. `check_structure` finds every problem of the
document itself (kinds, fields, names, inputs, cycles); `core.pipelines.checks` adds what needs
the catalog (datasets, datasources, exporters, SQL that DuckDB cannot bind).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Iterable

from dataplane_jupyter.core.errors import InvalidInput

STEP_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
EXPORT_MODES = ("timestamp", "cancel", "overwrite")

COMMON_FIELDS = {"name", "kind", "keep", "description"}
KIND_FIELDS: dict[str, set[str]] = {
    "read": {"dataset", "datasource"},
    "sql": {"query"},
    "python": {"function", "input", "args"},
    "notebook": {"path", "input", "parameters", "timeout", "kernel"},
    "predict": {"model", "input", "features", "prediction_column", "batch_rows"},
    "export": {"exporter", "input", "mode"},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "read": (),
    "sql": ("query",),
    "python": ("function", "input"),
    "notebook": ("path",),
    "predict": ("model", "input"),
    "export": ("exporter", "input"),
}
KINDS = tuple(KIND_FIELDS)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition: which step (index and name), which field, and why."""

    index: int | None
    step: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"step {self.step!r}" if self.step else (f"step #{self.index + 1}" if self.index is not None else "")
        if self.field:
            where = f"{where}, field {self.field!r}" if where else f"field {self.field!r}"
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"index": self.index, "step": self.step, "field": self.field, "message": str(self)}


class PipelineInvalid(InvalidInput):
    """A definition with problems; `.problems` lists every one (the message joins them)."""

    def __init__(self, problems: list[Problem], *, pipeline: str | None = None) -> None:
        head = f"Pipeline {pipeline!r} is not valid" if pipeline else "The pipeline is not valid"
        lines = "; ".join(str(p) for p in problems)
        first = problems[0]
        field = f"steps[{first.index}].{first.field}" if first.index is not None and first.field else "steps"
        super().__init__(f"{head}: {lines}", field=field)
        self.problems = problems


def as_list(value: Any) -> list[str]:
    """An `input` field as a list of step names (one name or a list of them)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def normalise(steps: Any) -> list[dict[str, Any]]:
    """The steps as a list of plain dicts (a YAML/JSON document may wrap them in {"steps": [...]})."""
    if isinstance(steps, dict) and "steps" in steps:
        steps = steps["steps"]
    if not isinstance(steps, (list, tuple)):
        raise PipelineInvalid([Problem(None, None, "steps", "steps must be a list of step objects")])
    if not steps:
        raise PipelineInvalid([Problem(None, None, "steps", "a pipeline needs at least one step")])
    out = []
    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            raise PipelineInvalid([Problem(index, None, None, f"a step is an object with name and kind, not {step!r}")])
        out.append({str(k): copy.deepcopy(v) for k, v in step.items()})
    return out


def duckdb_message(error: BaseException) -> str:
    """DuckDB's message without its advice to install or auto-load extensions, which a step never
    does (nothing downloads at run time): a remote file is read through a datasource instead."""
    text = str(error).strip()
    first = text.split("\n\n", 1)[0].strip()
    if "requires the extension" in first:
        return (f"{first}; a pipeline step loads no DuckDB extension: read remote files through a "
                "datasource or a dataset")
    return text


def sql_tables(query: str) -> set[str]:
    """The table names a DuckDB query reads (CTE names excluded). Raises duckdb errors on bad syntax."""
    import duckdb

    # its own connection: the default one installs and loads extensions (httpfs for a URL) on demand
    connection = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        return {name.split(".")[-1] for name in connection.get_table_names(query)}
    finally:
        connection.close()


def step_inputs(step: dict[str, Any], names: Iterable[str]) -> list[str]:
    """The names of the steps this one reads (for `sql`: the tables its query names)."""
    if step.get("kind") == "sql":
        try:
            tables = sql_tables(str(step.get("query") or ""))
        except Exception:  # noqa: BLE001 - syntax errors are reported by check_structure
            return []
        known = set(names)
        return sorted(t for t in tables if t in known)
    return as_list(step.get("input"))


def check_structure(steps: list[dict[str, Any]]) -> list[Problem]:
    """Every problem of the document itself: kinds, fields, names, inputs and cycles."""
    problems: list[Problem] = []
    names: dict[str, int] = {}
    for index, step in enumerate(steps):
        name = step.get("name")
        label = name if isinstance(name, str) else None
        if not isinstance(name, str) or not STEP_NAME.match(name):
            problems.append(Problem(index, label, "name", f"{name!r} is not a usable step name: start with a letter "
                                    "or _, then letters, digits or _ (SQL steps read other steps by name)"))
        elif name in names:
            problems.append(Problem(index, name, "name", f"duplicate step name: step #{names[name] + 1} is already "
                                    f"named {name!r}"))
        else:
            names[name] = index
        kind = step.get("kind")
        if kind not in KIND_FIELDS:
            problems.append(Problem(index, label, "kind", f"unknown step kind {kind!r}; kinds: {', '.join(KINDS)}"))
            continue
        allowed = COMMON_FIELDS | KIND_FIELDS[kind]
        for field in sorted(set(step) - allowed):
            problems.append(Problem(index, label, field, f"{kind} steps have no field {field!r}; fields: "
                                    f"{', '.join(sorted(allowed))}"))
        for field in REQUIRED[kind]:
            if step.get(field) in (None, "", []):
                problems.append(Problem(index, label, field, f"{kind} steps need {field!r}"))
        problems.extend(_check_kind(index, label, kind, step))
    problems.extend(_check_inputs(steps, names))
    if not any(p.field in ("name", "kind") for p in problems):
        problems.extend(_check_cycles(steps, names))
    return problems


def _check_kind(index: int, name: str | None, kind: str, step: dict[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    if kind == "read":
        given = [f for f in ("dataset", "datasource") if step.get(f)]
        if len(given) != 1:
            found.append(Problem(index, name, "dataset", "read steps need exactly one of 'dataset' or 'datasource'"))
    if kind == "sql" and step.get("query"):
        try:
            sql_tables(str(step["query"]))
        except Exception as exc:  # noqa: BLE001 - DuckDB's parser message is the best we have
            found.append(Problem(index, name, "query", f"DuckDB cannot parse the query: {duckdb_message(exc)}"))
    if kind == "python" and step.get("function") and ":" not in str(step["function"]):
        found.append(Problem(index, name, "function", f"{step['function']!r} is not 'module:function'"))
    if kind == "export" and step.get("mode") is not None and step["mode"] not in EXPORT_MODES:
        found.append(Problem(index, name, "mode", f"export mode {step['mode']!r} is not one of "
                             f"{', '.join(EXPORT_MODES)}"))
    if kind == "predict" and step.get("batch_rows") is not None:
        if not isinstance(step["batch_rows"], int) or step["batch_rows"] < 1:
            found.append(Problem(index, name, "batch_rows", "batch_rows must be a positive whole number"))
    if kind == "notebook" and step.get("parameters") is not None and not isinstance(step["parameters"], dict):
        found.append(Problem(index, name, "parameters", "parameters must be an object of name: value"))
    if kind == "python" and step.get("args") is not None and not isinstance(step["args"], dict):
        found.append(Problem(index, name, "args", "args must be an object of name: value"))
    if "keep" in step and not isinstance(step["keep"], bool):
        found.append(Problem(index, name, "keep", "keep is true or false"))
    if kind == "export" and step.get("keep"):
        found.append(Problem(index, name, "keep", "an export step has no result to keep"))
    return found


def _check_inputs(steps: list[dict[str, Any]], names: dict[str, int]) -> list[Problem]:
    found: list[Problem] = []
    for index, step in enumerate(steps):
        name = step.get("name") if isinstance(step.get("name"), str) else None
        kind = step.get("kind")
        if kind == "sql" and step.get("query"):
            try:
                tables = sql_tables(str(step["query"]))
            except Exception:  # noqa: BLE001 - reported by _check_kind
                continue
            for table in sorted(tables - set(names)):
                found.append(Problem(index, name, "query", f"the query reads table {table!r}, which is unknown: "
                                     f"not a step of this pipeline (steps: {', '.join(names)})"))
            inputs = sorted(tables & set(names))
            field = "query"
        else:
            inputs, field = as_list(step.get("input")), "input"
            for other in inputs:
                if other not in names:
                    found.append(Problem(index, name, "input", f"input {other!r} is unknown: not a step of this "
                                         f"pipeline (steps: {', '.join(names)})"))
        for other in inputs:
            if other == name:
                found.append(Problem(index, name, field, "a step cannot read its own result"))
            elif other in names and steps[names[other]].get("kind") == "export":
                found.append(Problem(index, name, field, f"{other!r} is an export step: it has no result to read"))
    return found


def _check_cycles(steps: list[dict[str, Any]], names: dict[str, int]) -> list[Problem]:
    try:
        topological(steps)
    except _Cycle as cycle:
        first = cycle.names[0]
        field = "query" if steps[names[first]].get("kind") == "sql" else "input"
        return [Problem(names[first], first, field, f"steps {' → '.join(cycle.names)} form a cycle")]
    return []


class _Cycle(Exception):
    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.names = names


def topological(steps: list[dict[str, Any]]) -> list[str]:
    """Step names in an order where every step comes after its inputs, export steps last;
    ties keep the order of the definition."""
    names = [s["name"] for s in steps]
    known = set(names)
    deps = {s["name"]: [d for d in step_inputs(s, names) if d != s["name"] and d in known] for s in steps}
    order: list[str] = []
    done: set[str] = set()
    remaining = list(names)
    while remaining:
        ready = [n for n in remaining if all(d in done for d in deps[n])]
        if not ready:
            raise _Cycle(_cycle_path(remaining, deps))
        chosen = next((n for n in ready if _kind(steps, n) != "export"), ready[0])
        order.append(chosen)
        done.add(chosen)
        remaining.remove(chosen)
    return order


def _kind(steps: list[dict[str, Any]], name: str) -> str:
    return next(s.get("kind", "") for s in steps if s["name"] == name)


def _cycle_path(remaining: list[str], deps: dict[str, list[str]]) -> list[str]:
    start = remaining[0]
    path, seen = [start], {start}
    current = start
    while True:
        current = next(d for d in deps[current] if d in remaining)
        if current in seen:
            return path[path.index(current):] + [current]
        path.append(current)
        seen.add(current)


def consumers(steps: list[dict[str, Any]]) -> dict[str, list[str]]:
    """For each step, the steps that read its result."""
    names = [s["name"] for s in steps]
    readers: dict[str, list[str]] = {n: [] for n in names}
    for step in steps:
        for other in step_inputs(step, names):
            readers[other].append(step["name"])
    return readers


def roles(steps: list[dict[str, Any]]) -> dict[str, str | None]:
    """What becomes of each step's result: "output" (a last non-export step, or one only export
    steps read), "intermediate" (`keep: true`), or None (used within the run only)."""
    kinds = {s["name"]: s["kind"] for s in steps}
    readers = consumers(steps)
    result: dict[str, str | None] = {}
    for step in steps:
        name = step["name"]
        if step["kind"] == "export":
            result[name] = None
        elif all(kinds[r] == "export" for r in readers[name]):
            result[name] = "output"
        elif step.get("keep") or any(kinds[r] == "export" for r in readers[name]):
            result[name] = "intermediate"
        else:
            result[name] = None
    return result


def apply_params(steps: list[dict[str, Any]], params: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The steps with the field overrides of one run: {"step": {"field": value}}."""
    steps = copy.deepcopy(steps)
    if not params:
        return steps
    if not isinstance(params, dict):
        raise InvalidInput("params maps step names to field overrides, e.g. {'out': {'exporter': 'other'}}",
                           field="params")
    by_name = {s["name"]: s for s in steps}
    for name, overrides in params.items():
        if name not in by_name:
            raise InvalidInput(f"params name step {name!r}, which is not a step of this pipeline "
                               f"(steps: {', '.join(by_name)})", field=f"params.{name}")
        if not isinstance(overrides, dict):
            raise InvalidInput(f"params of step {name!r} must be an object of field: value", field=f"params.{name}")
        for field in ("name", "kind"):
            if field in overrides:
                raise InvalidInput(f"params cannot change the {field} of step {name!r}", field=f"params.{name}.{field}")
        by_name[name].update(copy.deepcopy(overrides))
    return steps
