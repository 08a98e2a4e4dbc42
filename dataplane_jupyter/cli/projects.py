"""`dataplane projects list|create|delete`."""

from __future__ import annotations

import argparse

from .common import catalog
from .output import Output


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `projects` noun."""
    from .parser import verbs

    sub = verbs(nouns, "projects", "projects: the scope of everything else")
    sub.add_parser("list", help="list projects").set_defaults(run=list_projects)
    create = sub.add_parser("create", help="create a project")
    create.add_argument("name")
    create.add_argument("--description", default="")
    create.set_defaults(run=create_project)
    delete = sub.add_parser("delete", help="delete a project and all it holds")
    delete.add_argument("name")
    delete.set_defaults(run=delete_project)


def list_projects(args: argparse.Namespace, out: Output) -> None:
    out.result(catalog(args).projects(), table=["name", "description", "created_at"])


def create_project(args: argparse.Namespace, out: Output) -> None:
    out.result(catalog(args).create_project(args.name, args.description).info)


def delete_project(args: argparse.Namespace, out: Output) -> None:
    catalog(args).delete_project(args.name)
    out.result({"deleted": args.name})
