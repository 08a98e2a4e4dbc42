"""Pipelines: named, versioned DAGs of steps (read, sql, python, notebook, predict, export) and
their runs, persisted as jobs. See `definition` (the step document), `checks` (validation against
the catalog), `collection` (Pipelines, Pipeline), `runs` (PipelineRun, start_run) and `execute`
(the job that runs the steps)."""

from .collection import Pipeline, Pipelines, load_yaml, parse_yaml
from .definition import KINDS, PipelineInvalid, Problem
from .runs import PipelineRun, start_run

__all__ = ["KINDS", "Pipeline", "PipelineInvalid", "PipelineRun", "Pipelines", "Problem", "load_yaml", "parse_yaml",
           "start_run"]
