"""`dataplane members list|add|remove`: who may use the project (--project)."""

from __future__ import annotations

import argparse

from .common import project
from .output import Output
from .parser import Verb, add_verbs, arg, verbs


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `members` noun."""
    add_verbs(verbs(nouns, "members", "members of the project and their roles (viewer, editor, owner)"), [
        Verb("list", list_members, "list the project's members", []),
        Verb("add", add_member, "add a member, or give a member another role (owners only in shared mode)",
             [arg("member", metavar="USER", help="the user name"), arg("--role", default="viewer", choices=["viewer", "editor", "owner"],
                          help="viewer reads; editor also creates, runs, exports, deletes; owner also "
                               "manages members and connectors (default: viewer)")]),
        Verb("remove", remove_member, "remove a member (owners only in shared mode)",
             [arg("member", metavar="USER", help="the user name")]),
    ])


def list_members(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).members.list(), table=["user", "role", "added_by"])


def add_member(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).members.add(args.member, role=args.role))


def remove_member(args: argparse.Namespace, out: Output) -> None:
    project(args).members.remove(args.member)
    out.result({"removed": args.member})
