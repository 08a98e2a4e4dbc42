"""`dataplane projects list|create|delete`."""

from __future__ import annotations

import argparse

from .common import catalog
from .output import Output
from .parser import Verb, add_verbs, arg, verbs


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `projects` noun."""
    add_verbs(verbs(nouns, "projects", "projects: the scope of everything else"), [
        Verb("list", list_projects, "list projects", []),
        Verb("create", create_project, "create a project", ["name", arg("--description", default="")]),
        Verb("delete", delete_project, "delete a project and all it holds"),
    ])


def list_projects(args: argparse.Namespace, out: Output) -> None:
    out.result(catalog(args).projects(), table=["name", "description", "created_at"])


def create_project(args: argparse.Namespace, out: Output) -> None:
    out.result(catalog(args).create_project(args.name, args.description).info)


def delete_project(args: argparse.Namespace, out: Output) -> None:
    catalog(args).delete_project(args.name)
    out.result({"deleted": args.name})
