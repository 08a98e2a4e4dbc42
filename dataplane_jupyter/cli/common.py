"""Helpers shared by the commands."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from ..core.catalog.catalog import Catalog
from ..core.catalog.project import Project
from ..core.errors import NotFound
from .output import Output

Command = Callable[[argparse.Namespace, Output], Any]


def catalog(args: argparse.Namespace) -> Catalog:
    """The catalog named by --home, used as --user (or the environment's DATAPLANE_* settings)."""
    return Catalog(args.home, user=getattr(args, "user", None))


def project(args: argparse.Namespace, *, create: bool = False) -> Project:
    """The project named by --project. Like `dp.project(name)` in Python, a command that adds
    something to it (`create=True`: imports, creates) creates it on first use, and so does any
    command on "default"; reading a project that does not exist is an error saying how to make it."""
    name = args.project
    try:
        return catalog(args).project(name, create=create or name == "default")
    except NotFound as error:
        raise NotFound(f"{error.message} Create it with `dataplane projects create {name}` "
                       "(an import or create command into it also creates it).") from None


def _record(args: argparse.Namespace, collection: str) -> Any:
    """The record NAME of the project's `collection` (connectors, datasets, ...)."""
    return getattr(project(args), collection)[args.name]


def show_record(collection: str) -> Command:
    """`show NAME`: the record as every interface describes it."""

    def show(args: argparse.Namespace, out: Output) -> None:
        out.result(_record(args, collection).info)

    return show


def test_record(collection: str) -> Command:
    """`test NAME`: the test's outcome; exit status 1 when it failed."""

    def test(args: argparse.Namespace, out: Output) -> int:
        result = _record(args, collection).test()
        out.result(result)
        return 0 if result.ok else 1

    return test


def delete_record(collection: str) -> Command:
    """`delete NAME`: delete it and say so."""

    def delete(args: argparse.Namespace, out: Output) -> None:
        _record(args, collection).delete()
        out.result({"deleted": args.name})

    return delete
