"""Helpers shared by the commands."""

from __future__ import annotations

import argparse

from ..core.catalog.catalog import Catalog
from ..core.catalog.project import Project


def catalog(args: argparse.Namespace) -> Catalog:
    """The catalog named by --home (or the environment)."""
    return Catalog(args.home)


def project(args: argparse.Namespace, *, create: bool = False) -> Project:
    """The project named by --project."""
    return catalog(args).project(args.project, create=create or args.project == "default")
