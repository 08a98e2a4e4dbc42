"""Helpers shared by the commands."""

from __future__ import annotations

import argparse

from ..core.catalog.catalog import Catalog
from ..core.catalog.project import Project
from ..core.errors import NotFound


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
